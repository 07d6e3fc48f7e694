import Foundation
import Testing
import VectorSupport

/// `confirm quorum verify` end to end: exit codes and output, on the sample files in `Docs/examples`.
@Suite("confirm quorum verify")
struct QuorumCommandTests {
    static let examples = SharedVectors.repositoryRoot.appendingPathComponent("Docs/examples")

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let result = try ConfirmCLI.run(arguments)
        return (result.status, result.stdout, result.stderr)
    }

    static func verify(_ certificate: String, _ extra: [String] = []) throws -> (status: Int32, output: String, error: String) {
        try run(["quorum", "verify", "--certificate", examples.appendingPathComponent(certificate).path,
                 "--stake-table", examples.appendingPathComponent("stake-table.json").path] + extra)
    }

    @Test("a valid certificate: exit 0 and one summary line", .enabled(if: ConfirmCLI.executable != nil, "confirm is not built"))
    func valid() throws {
        let result = try Self.verify("certificate.json", ["--mode", "full"])
        #expect(result.status == 0)
        #expect(result.output.split(separator: "\n").count == 1)
        #expect(result.output.contains("signed stake 8500 of 10000 (85.00%)"))
        #expect(result.output.contains("4 of 5 signers"))
    }

    @Test("too little stake: exit 1 with the rule's code; --json prints the verdict",
          .enabled(if: ConfirmCLI.executable != nil, "confirm is not built"))
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

    @Test("malformed input: exit 2 with one line", .enabled(if: ConfirmCLI.executable != nil, "confirm is not built"))
    func malformed() throws {
        let result = try Self.run(["quorum", "verify", "--certificate", Self.examples.appendingPathComponent("stake-table.json").path,
                                   "--stake-table", Self.examples.appendingPathComponent("stake-table.json").path])
        #expect(result.status == 2)
        #expect(result.error.hasPrefix("confirm: error: quorum.malformed-json"))
        #expect(result.error.split(separator: "\n").count == 1)
    }
}
