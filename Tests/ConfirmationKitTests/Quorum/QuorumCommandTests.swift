import Foundation
import Testing
import VectorSupport

/// `confirm quorum verify` end to end: exit codes and output, on the sample files in `Docs/examples`.
@Suite("confirm quorum verify")
struct QuorumCommandTests {
    /// The `confirm` executable built next to the test bundle, if it was built.
    static let binary: URL? = {
        let executable = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("confirm")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return nil
    }()

    static let examples = SharedVectors.repositoryRoot.appendingPathComponent("Docs/examples")

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let executable = try #require(binary as URL?)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }

    static func verify(_ certificate: String, _ extra: [String] = []) throws -> (status: Int32, output: String, error: String) {
        try run(["quorum", "verify", "--certificate", examples.appendingPathComponent(certificate).path,
                 "--stake-table", examples.appendingPathComponent("stake-table.json").path] + extra)
    }

    @Test("a valid certificate: exit 0 and one summary line", .enabled(if: binary != nil, "confirm is not built"))
    func valid() throws {
        let result = try Self.verify("certificate.json", ["--mode", "full"])
        #expect(result.status == 0)
        #expect(result.output.split(separator: "\n").count == 1)
        #expect(result.output.contains("signed stake 8500 of 10000 (85.00%)"))
        #expect(result.output.contains("4 of 5 signers"))
    }

    @Test("too little stake: exit 1 with the rule's code; --json prints the verdict",
          .enabled(if: binary != nil, "confirm is not built"))
    func notVerified() throws {
        let human = try Self.verify("certificate-insufficient.json")
        #expect(human.status == 1)
        #expect(human.output.contains("quorum.threshold-not-met"))
        let json = try Self.verify("certificate-insufficient.json", ["--json", "--network", "eip155:1"])
        #expect(json.status == 1)
        let verdict = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(verdict["valid"] as? Bool == false)
        let codes = (verdict["failures"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
        #expect(codes == ["quorum.threshold-not-met", "quorum.network-mismatch"])
    }

    @Test("malformed input: exit 2 with one line", .enabled(if: binary != nil, "confirm is not built"))
    func malformed() throws {
        let result = try Self.run(["quorum", "verify", "--certificate", Self.examples.appendingPathComponent("stake-table.json").path,
                                   "--stake-table", Self.examples.appendingPathComponent("stake-table.json").path])
        #expect(result.status == 2)
        #expect(result.error.hasPrefix("confirm: error: quorum.malformed-json"))
        #expect(result.error.split(separator: "\n").count == 1)
    }
}
