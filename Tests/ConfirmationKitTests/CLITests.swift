import ConfirmationKit
import Foundation
import Testing
import VectorSupport

@Suite("confirm hash / ecrecover")
struct HashAndRecoverCLITests {
    @Test(arguments: [
        ("keccak256", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
        ("sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("sha3-256", "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"),
        ("ripemd160", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"),
    ])
    func hashOfABC(algorithm: String, expected: String) throws {
        for input in [["--text", "abc"], ["--hex", "0x616263"], ["--hex", "616263"]] {
            let result = try ConfirmCLI.run(["hash", "--algorithm", algorithm] + input)
            #expect(result.status == 0)
            #expect(result.stdout == expected + "\n")
        }
    }

    @Test func hashOfFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("confirm-hash-\(UUID().uuidString)")
        try Data("abc".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try ConfirmCLI.run(["hash", "--algorithm", "sha256", "--file", file.path])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("ba7816bf"))
    }

    @Test(arguments: [
        ["hash", "--algorithm", "sha256", "--hex", "0xabc"],
        ["hash", "--algorithm", "sha256", "--hex", "zz"],
        ["hash", "--algorithm", "sha256"],
        ["hash", "--algorithm", "sha256", "--hex", "00", "--text", "a"],
        ["hash", "--algorithm", "md5", "--text", "a"],
        ["hash", "--algorithm", "sha256", "--file", "/nonexistent/file"],
        ["ecrecover", "--digest", "00", "--signature", "00"],
        ["ecrecover", "--digest", String(repeating: "11", count: 32), "--signature", String(repeating: "11", count: 64) + "1d"],
        ["ecrecover", "--digest", String(repeating: "11", count: 32), "--signature", String(repeating: "ff", count: 64) + "1b"],
    ])
    func malformedInputExitsTwoWithOneLine(arguments: [String]) throws {
        let result = try ConfirmCLI.run(arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("confirm: error: "))
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    }

    @Test func ecrecoverPrintsChecksummedAddress() throws {
        let key = try Secp256k1PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [1])
        let digest = Keccak256.hash(Array("ConfirmationKit".utf8))
        let signature = key.signRecoverable(digest: digest)
        for v in [signature.rsv[64], signature.rsv[64] - 27] {
            let result = try ConfirmCLI.run(["ecrecover", "--digest", digest.description,
                                             "--signature", Hex.encode(signature.compact + [v])])
            #expect(result.status == 0)
            #expect(result.stdout == "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\n")
        }
    }
}
