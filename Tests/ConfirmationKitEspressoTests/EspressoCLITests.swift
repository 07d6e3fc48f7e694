import ConfirmationKit
import Foundation
import Testing
import VectorSupport

/// Runs `confirm espresso …` through the shared runner, with paths to the shared vectors.
enum EspressoCLI {
    static func run(_ arguments: [String]) throws -> ConfirmCLI.Result {
        try ConfirmCLI.run(["espresso"] + arguments)
    }

    static func path(_ name: String) -> String {
        SharedVectors.directory.appendingPathComponent("espresso/legacy-chains-v5/" + name).path
    }

    static func temporaryFile(_ data: Data) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("confirm-espresso-\(UUID().uuidString).json")
        try data.write(to: url)
        return url.path
    }
}

@Suite("confirm espresso", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct EspressoCLITests {
    static let chain = ["verify-chain", "--network-config", EspressoCLI.path("network-config.json"),
                        "--blocks", EspressoCLI.path("blocks.json")]

    @Test func verifyChain() throws {
        let result = try EspressoCLI.run(Self.chain + ["--stake-table", "3=" + EspressoCLI.path("stake-table-epoch-3.json")])
        #expect(result.status == 0)
        #expect(result.stdout == "81 leaves verified, 80 finalized\n")
    }

    @Test func verifyChainJSON() throws {
        let result = try EspressoCLI.run(Self.chain + ["--stake-table", "3=" + EspressoCLI.path("stake-table-epoch-3.json"), "--json"])
        #expect(result.status == 0)
        #expect(result.stdout == #"{"finalized":80,"leaves":81,"valid":true,"verified":81}"# + "\n")
    }

    @Test("without a table for epoch 3 the chain is unverifiable from leaf 18 on (exit 1)")
    func unknownEpoch() throws {
        let result = try EspressoCLI.run(Self.chain)
        #expect(result.status == 1)
        #expect(result.stderr.contains("leaf 18"))
        #expect(result.stderr.contains("espresso.unknown-epoch"))
    }

    @Test("a table from epoch 5 only leaves epochs 3 and 4 unverifiable")
    func gap() throws {
        let result = try EspressoCLI.run(Self.chain + ["--stake-table", "5=" + EspressoCLI.path("stake-table-epoch-3.json"), "--json"])
        #expect(result.status == 1)
        #expect(result.stdout.contains(#""code":"espresso.unknown-epoch""#))
    }

    @Test("a file that is not a PeerConfig list as --stake-table exits 2")
    func wrongShape() throws {
        let result = try EspressoCLI.run(Self.chain + ["--stake-table", "3=" + EspressoCLI.path("network-config.json")])
        #expect(result.status == 2)
    }

    @Test("malformed input exits 2 with one line")
    func malformed() throws {
        let file = try EspressoCLI.temporaryFile(Data(#"[{"leaf": {"leaf": {}, "qc": {}}}]"#.utf8))
        let result = try EspressoCLI.run(["verify-chain", "--network-config", EspressoCLI.path("network-config.json"), "--blocks", file])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("confirm: error: espresso.malformed"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        let bad = try EspressoCLI.run(Self.chain + ["--stake-table", "three=x.json"])
        #expect(bad.status == 2)
    }

    @Test("header-commitment prints the block hash for bare and wrapped headers")
    func headerCommitment() throws {
        let blocks = try #require(try JSONSerialization.jsonObject(with: SharedVectors.data("espresso/legacy-chains-v5/blocks.json")) as? [[String: Any]])
        for index in [0, 11, 80] {
            let block = try #require(blocks[index]["block"] as? [String: Any])
            let hash = try #require(block["hash"] as? String)
            let header = try #require(block["header"])
            let bare = try EspressoCLI.temporaryFile(JSONSerialization.data(withJSONObject: header))
            let wrapped = try EspressoCLI.temporaryFile(JSONSerialization.data(withJSONObject: ["header": header]))
            for file in [bare, wrapped] {
                let result = try EspressoCLI.run(["header-commitment", file])
                #expect(result.status == 0)
                #expect(result.stdout == hash + "\n")
            }
        }
        // The v0.3 header of the Merkle proof file (a wrapper with other members).
        let merkle = SharedVectors.directory.appendingPathComponent("espresso/merkle_proof_test_data.json").path
        let result = try EspressoCLI.run(["header-commitment", merkle])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("BLOCK~"))
    }
}
