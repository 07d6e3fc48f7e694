import ArgumentParser
import ConfirmationKit
import Foundation

/// `confirm hash`: print a digest in lowercase hex.
struct HashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Print the lowercase hex digest of some bytes.",
        discussion: "Give exactly one of --hex, --file or --text."
    )

    enum Algorithm: String, ExpressibleByArgument, CaseIterable {
        case keccak256
        case sha256
        case sha3_256 = "sha3-256"
        case ripemd160
    }

    @Option(name: .long, help: "keccak256, sha256, sha3-256 or ripemd160.")
    var algorithm: Algorithm

    @Option(name: .long, help: "Input bytes as hex (optional 0x).")
    var hex: String?

    @Option(name: .long, help: "Read the input bytes from a file.")
    var file: String?

    @Option(name: .long, help: "Hash the UTF-8 bytes of a string.")
    var text: String?

    func validate() throws {
        let given = [hex, file, text].compactMap { $0 }.count
        guard given == 1 else {
            throw ValidationError("give exactly one of --hex, --file or --text")
        }
    }

    func run() throws {
        let input: [UInt8]
        if let hex {
            input = try Hex.decode(hex)
        } else if let file {
            input = Array(try readInputFile(file, limit: 1 << 30))
        } else {
            input = Array((text ?? "").utf8)
        }
        print(Self.digest(input, algorithm))
    }

    static func digest(_ input: [UInt8], _ algorithm: Algorithm) -> String {
        switch algorithm {
        case .keccak256: Keccak256.hash(input).hex
        case .sha256: SHA256.hash(input).hex
        case .sha3_256: SHA3_256.hash(input).hex
        case .ripemd160: Hex.encode(RIPEMD160.hash(input))
        }
    }
}
