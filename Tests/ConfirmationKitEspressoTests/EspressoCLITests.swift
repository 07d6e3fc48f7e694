import ConfirmationKit
import ConfirmationKitEspresso
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
        #expect(result.stdout == "81 leaves verified, 80 finalized\n81 payloads bound to their headers (AvidM)\n")
    }

    @Test func verifyChainJSON() throws {
        let result = try EspressoCLI.run(Self.chain + ["--stake-table", "3=" + EspressoCLI.path("stake-table-epoch-3.json"), "--json"])
        #expect(result.status == 0)
        #expect(result.stdout == #"{"finalized":80,"leaves":81,"payloadsBound":81,"payloadsUnchecked":0,"valid":true,"verified":81}"# + "\n")
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

@Suite("confirm espresso namespace-proof / verify-namespace", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct EspressoNamespaceCLITests {
    static func proof(height: Int, namespace: Int) throws -> (path: String, document: [String: Any]) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("confirm-ns-\(UUID().uuidString).json").path
        let result = try EspressoCLI.run(["namespace-proof", "--blocks", EspressoCLI.path("blocks.json"),
                                          "--height", String(height), "--namespace", String(namespace), "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        return (out, object)
    }

    @Test("a proof built from block 33 verifies; its transaction is the block's")
    func roundTrip() throws {
        let (path, _) = try Self.proof(height: 33, namespace: 101)
        let result = try EspressoCLI.run(["verify-namespace", "--proof", path])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("namespace 101: 1 transaction in block 33 (BLOCK~fUhYQhZSVQJl69T6DVh4kdF81PGtttKwmay-IDFHkaZt, AvidM(n = 1003, k = 335))\n"))
        // The hash printed is the SHA-256 of the transaction in the block's payload.
        let entry = try #require(V5.entries.first { $0.leaf.header.height == 33 })
        let table = try EspressoNamespaceTable(bytes: entry.leaf.header.namespaceTable)
        let payload = try #require(entry.payload)
        let txs = try #require(try table.transactions(in: 101, payload: payload))
        #expect(result.stdout.contains(TransactionHash.of(txs[0]).hex))
        let json = try EspressoCLI.run(["verify-namespace", "--proof", path, "--json"])
        #expect(json.status == 0)
        #expect(json.stdout.contains(#""valid":true"#) && json.stdout.contains(#""namespace":101"#))
    }

    @Test("a proof checked against another block's header, or with a changed payload byte, exits 1")
    func mismatches() throws {
        let (path, document) = try Self.proof(height: 33, namespace: 101)
        let otherHeader = try EspressoCLI.temporaryFile(JSONSerialization.data(withJSONObject: try Self.proof(height: 35, namespace: 101).document["header"]!))
        let wrongHeader = try EspressoCLI.run(["verify-namespace", "--proof", path, "--header", otherHeader])
        #expect(wrongHeader.status == 1)
        #expect(wrongHeader.stderr.contains("espresso.vid-commitment-mismatch"))

        var changed = document
        var proof = try #require(changed["proof"] as? [String: Any])
        let encoded = try #require(proof["ns_payload"] as? String)
        var payload = try #require(Data(base64Encoded: encoded))
        payload[payload.count - 1] ^= 1
        proof["ns_payload"] = payload.base64EncodedString()
        changed["proof"] = proof
        let result = try EspressoCLI.run(["verify-namespace", "--proof", try EspressoCLI.temporaryFile(JSONSerialization.data(withJSONObject: changed)), "--json"])
        #expect(result.status == 1)
        #expect(result.stdout.contains(#""code":"espresso.vid-commitment-mismatch""#))

        var offRule = document
        offRule["vid_common"] = ["V1": ["total_weights": 1003, "recovery_threshold": 1]]
        let parameters = try EspressoCLI.run(["verify-namespace", "--proof", try EspressoCLI.temporaryFile(JSONSerialization.data(withJSONObject: offRule))])
        #expect(parameters.status == 1)
        #expect(parameters.stderr.contains("espresso.vid-parameters-invalid"))
    }

    @Test("with the stake tables, the parameters come from epoch 3's table; a substituted VID common exits 1")
    func parametersFromStakeTables() throws {
        let (path, document) = try Self.proof(height: 33, namespace: 101)
        let tables = ["--network-config", EspressoCLI.path("network-config.json"), "--stake-table", "3=" + EspressoCLI.path("stake-table-epoch-3.json")]
        let ok = try EspressoCLI.run(["verify-namespace", "--proof", path] + tables)
        #expect(ok.status == 0)
        // n = 6, k = 2 pairs as Espresso pairs them, but it is not what epoch 4's table gives.
        var substituted = document
        substituted["vid_common"] = ["V1": ["total_weights": 6, "recovery_threshold": 2]]
        let file = try EspressoCLI.temporaryFile(JSONSerialization.data(withJSONObject: substituted))
        let result = try EspressoCLI.run(["verify-namespace", "--proof", file, "--json"] + tables)
        #expect(result.status == 1)
        #expect(result.stdout.contains(#""code":"espresso.vid-parameters-invalid""#))
        #expect(result.stdout.contains("1003"))
        let noTable = try EspressoCLI.run(["verify-namespace", "--proof", path, "--network-config", EspressoCLI.path("network-config.json")])
        #expect(noTable.status == 1)
        #expect(noTable.stderr.contains("espresso.unknown-epoch"))
    }

    @Test("an absent namespace exits 1; malformed input exits 2")
    func errors() throws {
        let absent = try EspressoCLI.run(["namespace-proof", "--blocks", EspressoCLI.path("blocks.json"), "--height", "33", "--namespace", "102"])
        #expect(absent.status == 1)
        #expect(absent.stderr.contains("namespace 102 is not in the block's namespace table"))
        let (_, document) = try Self.proof(height: 33, namespace: 101)
        var broken = document
        var proof = try #require(broken["proof"] as? [String: Any])
        proof["siblings"] = [["0x12"]]
        broken["proof"] = proof
        let malformed = try EspressoCLI.run(["verify-namespace", "--proof", try EspressoCLI.temporaryFile(JSONSerialization.data(withJSONObject: broken))])
        #expect(malformed.status == 2)
        let notJSON = try EspressoCLI.run(["verify-namespace", "--proof", try EspressoCLI.temporaryFile(Data("{".utf8))])
        #expect(notJSON.status == 2)
    }
}
