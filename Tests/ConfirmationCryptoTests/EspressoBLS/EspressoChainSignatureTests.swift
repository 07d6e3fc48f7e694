import Foundation
import Testing
@testable import ConfirmationCrypto
import VectorSupport

/// One signed quorum certificate from the recorded chain, reduced to what BLS verification needs.
struct RecordedQC: Sendable, CustomTestStringConvertible {
    let role: String
    let blockNumber: UInt64
    let epoch: UInt64
    let voteCommitment: String
    let signature: String
    let bits: Int
    let words: [UInt64]

    var testDescription: String { "\(role) of block \(blockNumber) (epoch \(epoch))" }

    /// Whether stake-table position `i` signed.
    func signed(_ i: Int) -> Bool { (words[i / 64] >> UInt64(i % 64)) & 1 == 1 }
}

/// Reads `espresso/legacy-chains-v5/`: the blocks, the genesis table (epochs 1–2) and the epoch-3 table.
enum LegacyChainV5 {
    static let folder = "espresso/legacy-chains-v5/"
    static let epochHeight: UInt64 = 10

    /// epoch(h) = 1 if h = 0; h/H if H divides h; else h/H + 1.
    static func epoch(ofHeight h: UInt64) -> UInt64 {
        if h == 0 { return 1 }
        return h % epochHeight == 0 ? h / epochHeight : h / epochHeight + 1
    }

    static func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: SharedVectors.data(folder + name))
    }

    /// The BLS keys of the genesis table, in order.
    static func genesisKeys() throws -> [String] {
        let config = try json("network-config.json") as? [String: Any]
        let nodes = (config?["config"] as? [String: Any])?["known_nodes_with_stake"] as? [[String: Any]] ?? []
        return nodes.compactMap { ($0["stake_table_entry"] as? [String: Any])?["stake_key"] as? String }
    }

    /// The BLS keys of the L1-derived table used from epoch 3 on, in order.
    static func epoch3Keys() throws -> [String] {
        let entries = try json("stake-table-epoch-3.json") as? [[String: Any]] ?? []
        return entries.compactMap { ($0["stake_table_entry"] as? [String: Any])?["stake_key"] as? String }
    }

    static func keys(forEpoch epoch: UInt64) throws -> [String] {
        epoch <= 2 ? try genesisKeys() : try epoch3Keys()
    }

    static func qc(_ object: Any?, role: String, epochOffset: UInt64) -> RecordedQC? {
        guard let qc = object as? [String: Any],
              let data = qc["data"] as? [String: Any],
              let block = (data["block_number"] as? NSNumber)?.uint64Value,
              let vote = qc["vote_commitment"] as? String,
              let signatures = qc["signatures"] as? [Any], signatures.count == 2,
              let sig = signatures[0] as? String,
              let bitvec = signatures[1] as? [String: Any],
              let bits = (bitvec["bits"] as? NSNumber)?.intValue,
              let words = bitvec["data"] as? [NSNumber]
        else { return nil }
        return RecordedQC(role: role, blockNumber: block, epoch: epoch(ofHeight: block) + epochOffset,
                          voteCommitment: vote, signature: sig, bits: bits, words: words.map(\.uint64Value))
    }

    /// Every signed QC of the chain: each leaf's `qc`, its `justify_qc`, and its `next_epoch_justify_qc`
    /// (which is signed by the next epoch's table).
    static func signedQCs() -> [RecordedQC] {
        guard SharedVectors.isAvailable, let blocks = try? json("blocks.json") as? [[String: Any]] else { return [] }
        var out: [RecordedQC] = []
        for entry in blocks {
            guard let leafQuery = entry["leaf"] as? [String: Any] else { continue }
            if let qc = qc(leafQuery["qc"], role: "qc", epochOffset: 0) { out.append(qc) }
            let leaf = leafQuery["leaf"] as? [String: Any]
            if let qc = qc(leaf?["justify_qc"], role: "justify_qc", epochOffset: 0) { out.append(qc) }
            if let qc = qc(leaf?["next_epoch_justify_qc"], role: "next_epoch_justify_qc", epochOffset: 1) { out.append(qc) }
        }
        return out
    }

    /// The leaves' own `qc` entries that carry signatures.
    static func leafQCCount() -> Int { signedQCs().filter { $0.role == "qc" }.count }
}

@Suite("Espresso BLS on the recorded v5 chain", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct EspressoChainSignatureTests {
    static let qcs = LegacyChainV5.signedQCs()

    static func verify(_ qc: RecordedQC, signature: EspressoBLS.Signature? = nil,
                       flip: Int? = nil) throws -> Bool {
        let keyStrings = try LegacyChainV5.keys(forEpoch: qc.epoch)
        #expect(qc.bits == keyStrings.count, "bit vector length equals the stake-table size")
        let keys = try keyStrings.map(EspressoBLS.VerificationKey.init(taggedBase64:))
        var signers: [EspressoBLS.VerificationKey] = []
        for i in 0..<keys.count where qc.signed(i) != (i == flip) { signers.append(keys[i]) }
        let message = try TaggedBase64(parsing: qc.voteCommitment, tag: "COMMIT", length: 32).value
        let sig = try signature ?? EspressoBLS.Signature(taggedBase64: qc.signature)
        return EspressoBLS.verify(sig, message: message, aggregateOf: signers)
    }

    @Test("all 80 signed leaf QCs are present (heights 1–80; genesis is unsigned)")
    func counts() {
        #expect(LegacyChainV5.leafQCCount() == 80)
        #expect(Self.qcs.count > 80)
    }

    @Test("every signed QC's aggregate signature verifies over its vote commitment", arguments: qcs)
    func verifies(_ qc: RecordedQC) throws {
        #expect(try Self.verify(qc))
    }

    @Test("a flipped signer bit fails, for every bit of every leaf QC", arguments: qcs.filter { $0.role == "qc" })
    func flippedBitFails(_ qc: RecordedQC) throws {
        for position in 0..<qc.bits {
            #expect(try !Self.verify(qc, flip: position), "bit \(position) flipped")
        }
    }

    @Test("a shifted or negated signature, or another message, fails for every leaf QC", arguments: qcs.filter { $0.role == "qc" })
    func mutatedSignatureFails(_ qc: RecordedQC) throws {
        let original = try EspressoBLS.Signature(taggedBase64: qc.signature)
        // Another valid G1 point: σ + G.
        let shifted = EspressoBLS.Signature(original.point + .generator)
        #expect(try !Self.verify(qc, signature: shifted))
        // The negated signature.
        #expect(try !Self.verify(qc, signature: EspressoBLS.Signature(original.point.negated)))
        // A wrong message: another QC's vote commitment.
        let other = try #require(Self.qcs.first { $0.voteCommitment != qc.voteCommitment })
        let message = try TaggedBase64(parsing: other.voteCommitment, tag: "COMMIT", length: 32).value
        let keys = try LegacyChainV5.keys(forEpoch: qc.epoch).enumerated()
            .filter { qc.signed($0.offset) }.map { try EspressoBLS.VerificationKey(taggedBase64: $0.element) }
        #expect(!EspressoBLS.verify(original, message: message, aggregateOf: keys))
    }

    @Test("the QC's recorded epoch agrees with epoch(h) for h = block_number")
    func epochFormula() throws {
        let blocks = try #require(try LegacyChainV5.json("blocks.json") as? [[String: Any]])
        var checked = 0
        for entry in blocks {
            let data = ((entry["leaf"] as? [String: Any])?["qc"] as? [String: Any])?["data"] as? [String: Any]
            guard let h = (data?["block_number"] as? NSNumber)?.uint64Value,
                  let e = (data?["epoch"] as? NSNumber)?.uint64Value else { continue }
            #expect(LegacyChainV5.epoch(ofHeight: h) == e, "height \(h)")
            checked += 1
        }
        #expect(checked == 81)
    }

    @Test("signatures and keys re-encode to the same tagged-base64 text")
    func reencode() throws {
        for qc in Self.qcs.prefix(20) {
            #expect(try EspressoBLS.Signature(taggedBase64: qc.signature).taggedBase64 == qc.signature)
        }
        for key in try LegacyChainV5.genesisKeys() + LegacyChainV5.epoch3Keys() {
            #expect(try EspressoBLS.VerificationKey(taggedBase64: key).taggedBase64 == key)
        }
    }

    @Test("every tagged-base64 string in blocks.json parses with a valid checksum and re-encodes")
    func allTaggedStrings() throws {
        let blocks = try LegacyChainV5.json("blocks.json")
        var strings: [String] = []
        func walk(_ value: Any) {
            if let s = value as? String, let tilde = s.firstIndex(of: "~"), s[..<tilde].allSatisfy({ $0.isLetter || $0 == "_" }),
               !s[..<tilde].isEmpty {
                strings.append(s)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            } else if let object = value as? [String: Any] {
                object.values.forEach(walk)
            }
        }
        walk(blocks)
        #expect(strings.count == 1794)
        for s in strings {
            let parsed = try TaggedBase64(parsing: s)
            #expect(parsed.description == s)
        }
    }
}
