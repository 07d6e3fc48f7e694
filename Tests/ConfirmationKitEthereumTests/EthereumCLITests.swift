import ConfirmationKit
import ConfirmationKitEthereum
import Foundation
import Testing
import VectorSupport

/// Runs the built `confirm` executable (next to the test bundle in `.build/<configuration>/`).
enum EthereumCLI {
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try ConfirmCLI.run(arguments)
        return (result.status, result.stdout, result.stderr)
    }

    static func temporaryFile(_ data: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("confirm-eth-\(UUID().uuidString).json")
        try data.write(to: url)
        return url
    }
}

@Suite("confirm ethereum", .enabled(if: ConfirmCLI.executable != nil, "confirm executable not built; skipping"))
struct EthereumCLITests {
    @Test("block-hash: every shape verifies (exit 0), a tampered block does not (exit 1), junk is malformed (exit 2)",
          arguments: EthereumBlockHeader.Shape.allCases)
    func blockHash(shape: EthereumBlockHeader.Shape) throws {
        let header = try sampleHeader(shape)
        var object = try header.jsonObject()
        let good = try EthereumCLI.temporaryFile(JSONSerialization.data(withJSONObject: object))
        defer { try? FileManager.default.removeItem(at: good) }
        let ok = try EthereumCLI.run(["ethereum", "block-hash", good.path])
        #expect(ok.status == 0)
        #expect(ok.stdout == "\(try header.hash())\n")

        object["gasUsed"] = "0x1"
        let bad = try EthereumCLI.temporaryFile(JSONSerialization.data(withJSONObject: object))
        defer { try? FileManager.default.removeItem(at: bad) }
        let mismatch = try EthereumCLI.run(["ethereum", "block-hash", bad.path])
        #expect(mismatch.status == 1)
        #expect(mismatch.stderr.contains("not verified"))

        // The whole JSON-RPC response is accepted too.
        let envelope = try EthereumCLI.temporaryFile(JSONSerialization.data(withJSONObject: ["jsonrpc": "2.0", "id": 1, "result": try header.jsonObject()]))
        defer { try? FileManager.default.removeItem(at: envelope) }
        #expect(try EthereumCLI.run(["ethereum", "block-hash", envelope.path]).status == 0)
    }

    @Test func blockHashMalformed() throws {
        let junk = try EthereumCLI.temporaryFile(Data(#"{"hash":"0x12"}"#.utf8))
        defer { try? FileManager.default.removeItem(at: junk) }
        let result = try EthereumCLI.run(["ethereum", "block-hash", junk.path])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("confirm: error: "))
        #expect(try EthereumCLI.run(["ethereum", "block-hash", "/nonexistent/block.json"]).status == 2)
    }

    @Test("verify-proof on the ethers-rs fixtures", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage),
          arguments: AccountProofTests.fixtures)
    func verifyProof(name: String) throws {
        let path = SharedVectors.directory.appendingPathComponent("ethereum/" + name).path
        let proof = try AccountProof(json: SharedVectors.data("ethereum/" + name))
        let root = Keccak256.hash(try #require(proof.accountProof.first))
        let ok = try EthereumCLI.run(["ethereum", "verify-proof", "--proof", path, "--state-root", root.description, "--json"])
        #expect(ok.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [String: Any])
        #expect(json["verified"] as? Bool == true)
        let storage = try #require(json["storage"] as? [[String: String]])
        #expect(storage == [["key": Bytes32.zero.description, "value": "0x0"]])

        let wrong = try EthereumCLI.run(["ethereum", "verify-proof", "--proof", path, "--state-root", Keccak256.hash([]).description, "--json"])
        #expect(wrong.status == 1)
        #expect(wrong.stdout.contains("\"error\":\"mpt.root-mismatch\""))
        let text = try EthereumCLI.run(["ethereum", "verify-proof", "--proof", path, "--state-root", root.description])
        #expect(text.status == 0 && text.stdout.hasPrefix("verified: account 0x"))
        #expect(try EthereumCLI.run(["ethereum", "verify-proof", "--proof", path, "--state-root", "0x12"]).status == 2)
    }
}
