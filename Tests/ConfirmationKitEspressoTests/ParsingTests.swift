import ConfirmationKit
import ConfirmationKitEspresso
import Foundation
import Testing
import VectorSupport

/// Edits a JSON document (as Foundation objects) and parses it back as `EspressoJSON`.
func edited(_ data: Data, _ edit: (inout [String: Any]) throws -> Void) throws -> EspressoJSON {
    var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    try edit(&object)
    return try EspressoJSON(parsing: JSONSerialization.data(withJSONObject: object))
}

func code(_ body: () throws -> Void) -> String? {
    do { try body() } catch let error as ConfirmationError { return error.code.rawValue } catch { return "other: \(error)" }
    return nil
}

@Suite("Espresso parsing is strict", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct ParsingTests {
    static func headerData(_ index: Int = 11) throws -> Data {
        let blocks = try #require(try JSONSerialization.jsonObject(with: SharedVectors.data("espresso/legacy-chains-v5/blocks.json")) as? [[String: Any]])
        let block = try #require(blocks[index]["block"] as? [String: Any])
        return try JSONSerialization.data(withJSONObject: try #require(block["header"]))
    }

    static func editFields(_ edit: @escaping (inout [String: Any]) -> Void) throws -> String? {
        let json = try edited(try headerData()) { header in
            var fields = header["fields"] as? [String: Any] ?? [:]
            edit(&fields)
            header["fields"] = fields
        }
        return code { _ = try EspressoHeader(json: json) }
    }

    @Test func header() throws {
        #expect(try Self.editFields { _ in } == nil)
        #expect(try Self.editFields { $0["extra"] = 1 } == "espresso.malformed")
        #expect(try Self.editFields { $0.removeValue(forKey: "leader_counts") } == "espresso.malformed")
        #expect(try Self.editFields { $0["leader_counts"] = [Int](repeating: 0, count: 99) } == "espresso.malformed")
        #expect(try Self.editFields { $0["leader_counts"] = [Int](repeating: 70_000, count: 100) } == "espresso.malformed")
        #expect(try Self.editFields { $0["height"] = -1 } == "espresso.malformed")
        #expect(try Self.editFields { $0["height"] = "11" } == "espresso.malformed")
        #expect(try Self.editFields { $0["fee_info"] = ["account": "0x12", "amount": "1"] } == "address.invalid")
        #expect(try Self.editFields { $0["block_merkle_tree_root"] = "MERKLE_COMM~AAAA" } == "tagged-base64.checksum-mismatch")
        #expect(try Self.editFields { $0["payload_commitment"] = "COMMIT~BNR4-sGyl88guz62qNfaE-p5-XvR5VqdjtwSh4XuFxvw" }
            == "tagged-base64.unexpected-tag")
        let v7 = try edited(try Self.headerData()) { $0["version"] = ["Version": ["major": 0, "minor": 7]] }
        #expect(code { _ = try EspressoHeader(json: v7) } == "espresso.unsupported")
        // A v0.4 header must not carry leader_counts.
        let v4 = try edited(try Self.headerData()) { $0["version"] = ["Version": ["major": 0, "minor": 4]] }
        #expect(code { _ = try EspressoHeader(json: v4) } == "espresso.malformed")
    }

    @Test("v0.4 and v0.3 layouts parse and commit differently from v0.5")
    func versions() throws {
        let v5 = try EspressoHeader(json: EspressoJSON(parsing: Self.headerData()))
        let v4json = try edited(try Self.headerData()) { header in
            header["version"] = ["Version": ["major": 0, "minor": 4]]
            var fields = header["fields"] as? [String: Any] ?? [:]
            fields.removeValue(forKey: "leader_counts")
            header["fields"] = fields
        }
        let v4 = try EspressoHeader(json: v4json)
        #expect(v4.leaderCounts == nil)
        #expect(v4.commitment != v5.commitment)
        // v0.1: the flat field object, without 0.3/0.4 fields; its commitment is the fields commitment.
        let flat = try edited(try Self.headerData()) { header in
            var fields = header["fields"] as? [String: Any] ?? [:]
            for key in ["leader_counts", "timestamp_millis", "total_reward_distributed", "next_stake_table_hash", "reward_merkle_tree_root"] {
                fields.removeValue(forKey: key)
            }
            header = fields
        }
        let v1 = try EspressoHeader(json: flat)
        #expect(v1.version == EspressoVersion(major: 0, minor: 1))
        #expect(v1.commitment == v1.fieldsCommitment)
    }

    @Test func certificate() throws {
        let blocks = try #require(try JSONSerialization.jsonObject(with: SharedVectors.data("espresso/legacy-chains-v5/blocks.json")) as? [[String: Any]])
        let qc = try #require((blocks[11]["leaf"] as? [String: Any])?["qc"] as? [String: Any])
        let data = try JSONSerialization.data(withJSONObject: qc)
        func editBits(_ edit: @escaping (inout [String: Any]) -> Void) throws -> String? {
            let json = try edited(data) { qc in
                var pair = qc["signatures"] as? [Any] ?? []
                var bits = pair[1] as? [String: Any] ?? [:]
                edit(&bits)
                pair[1] = bits
                qc["signatures"] = pair
            }
            return code { _ = try HotShotCertificate(json: json) }
        }
        #expect(try editBits { _ in } == nil)
        #expect(try editBits { $0["order"] = "bitvec::order::Msb0" } == "espresso.unsupported")
        #expect(try editBits { $0["data"] = [30, 0] } == "espresso.malformed")
        #expect(try editBits { $0["data"] = [0b100000] } == "espresso.malformed")  // bit 5 of a 5-bit vector
        #expect(try editBits { $0["bits"] = 20_000 } == "espresso.malformed")
        let extra = try edited(data) { $0["extra"] = true }
        #expect(code { _ = try HotShotCertificate(json: extra) } == "espresso.malformed")
        let badSig = try edited(data) { qc in
            var pair = qc["signatures"] as? [Any] ?? []
            pair[0] = "BLS_VER_KEY~AAAA"
            qc["signatures"] = pair
        }
        #expect(code { _ = try HotShotCertificate(json: badSig) } != nil)
    }

    @Test("every block payload splits into its namespaces' transactions, as many as the block says")
    func payloads() throws {
        let blocks = try #require(try JSONSerialization.jsonObject(with: SharedVectors.data("espresso/legacy-chains-v5/blocks.json")) as? [[String: Any]])
        var total = 0
        for (entry, raw) in zip(V5.entries, blocks) {
            let count = try #require((raw["block"] as? [String: Any])?["num_transactions"] as? Int)
            let table = try EspressoNamespaceTable(bytes: entry.leaf.header.namespaceTable)
            let payload = try #require(entry.payload)
            var found = 0
            for ns in table.entries {
                found += try #require(try table.transactions(in: ns.namespace, payload: payload)).count
            }
            #expect(found == count, "height \(entry.leaf.header.height)")
            #expect(table.entries.allSatisfy { [101, 102].contains($0.namespace) })
            #expect(try table.transactions(in: 7, payload: payload) == nil)
            total += found
        }
        #expect(total > 0)
    }

    @Test func namespaceTable() {
        #expect(code { _ = try EspressoNamespaceTable(bytes: [1, 0, 0]) } == "espresso.malformed")
        #expect(code { _ = try EspressoNamespaceTable(bytes: [2, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0]) } == "espresso.malformed")
        let duplicate: [UInt8] = [2, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0]
        #expect(code { _ = try EspressoNamespaceTable(bytes: duplicate) } == "espresso.malformed")
        let decreasing: [UInt8] = [2, 0, 0, 0, 5, 0, 0, 0, 9, 0, 0, 0, 6, 0, 0, 0, 2, 0, 0, 0]
        #expect(code { _ = try EspressoNamespaceTable(bytes: decreasing) } == "espresso.malformed")
        #expect(code { _ = try EspressoNamespaceTable(bytes: [0xFF, 0xFF, 0xFF, 0xFF]) } == "espresso.malformed")
    }

    @Test("finalized leaves map to the tracker's certified blocks")
    func certifiedBlocks() throws {
        let report = try V5.verifier().verify(V5.entries)
        let blocks = report.leaves.compactMap(\.certifiedBlock)
        #expect(blocks.count == 79)  // leaves 1…79: leaf 0's QC is the unsigned genesis one
        for (leaf, block) in zip(report.leaves.dropFirst(), blocks) {
            #expect(block.network == NetworkID("espresso"))
            #expect(block.height == leaf.height)
            #expect(block.view == leaf.view)
            #expect(block.blockCommitment == leaf.leafCommitment.bytes)
            #expect(block.signerCount == 4)
        }
        #expect(report.leaves[80].certifiedBlock == nil)
    }
}

@Suite("Espresso JSON encoders", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct EncodingTests {
    @Test("every entry of the v5 chain re-encodes and parses back to the same value")
    func roundTrip() throws {
        for entry in V5.entries {
            let again = try HotShotChainEntry(json: EspressoJSON(parsing: Data(entry.json.encoded)))
            #expect(again == entry)
            #expect(again.leaf.commitment == entry.qc.data.leafCommit)
        }
    }

    @Test("HotStuff-2 proofs from the chain verify; shuffled ones fail")
    func finalityProofs() throws {
        let verifier = try V5.verifier()
        for i in [1, 20, 50] {
            let proof = HotStuff2FinalityProof(committingQC: V5.entries[i].qc, decidingQC: V5.entries[i + 1].qc,
                                               child: V5.entries[i + 1].leaf)
            #expect(verifier.verify(proof, for: V5.entries[i].leaf).isEmpty)
            let skipped = HotStuff2FinalityProof(committingQC: V5.entries[i].qc, decidingQC: V5.entries[i + 2].qc,
                                                 child: V5.entries[i + 1].leaf)
            #expect(verifier.verify(skipped, for: V5.entries[i].leaf).map(\.code.rawValue).contains("espresso.finality-proof-invalid"))
        }
    }
}
