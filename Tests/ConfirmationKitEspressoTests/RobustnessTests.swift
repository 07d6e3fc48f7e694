import ConfirmationKit
import ConfirmationKitEspresso
import Foundation
import Testing
import VectorSupport

/// Mutated and truncated input never traps: every parser either succeeds or throws a `ConfirmationError`.
@Suite("Espresso parsers on mutated input", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct RobustnessTests {
    static func entryText() throws -> [UInt8] {
        let blocks = try #require(try JSONSerialization.jsonObject(with: SharedVectors.data("espresso/legacy-chains-v5/blocks.json")) as? [Any])
        return Array(try JSONSerialization.data(withJSONObject: blocks[21]))
    }

    /// Parses an entry (and, when it parses, computes its commitments and verifies it).
    static func exercise(_ bytes: [UInt8]) -> Bool {
        do {
            let json = try EspressoJSON(parsing: Data(bytes))
            let entry = try HotShotChainEntry(json: json)
            _ = entry.leaf.commitment
            _ = try? EspressoNamespaceTable(bytes: entry.leaf.header.namespaceTable)
            return true
        } catch is ConfirmationError {
            return false
        } catch {
            Issue.record("a non-ConfirmationError escaped: \(error)")
            return false
        }
    }

    @Test("2,000 random byte mutations of a chain entry")
    func mutations() throws {
        let original = try Self.entryText()
        #expect(Self.exercise(original))
        var rng = DeterministicRandom(seed: 0xE5_F022)
        var rejected = 0
        for _ in 0..<2_000 {
            var bytes = original
            for _ in 0...(rng.next() % 3) {
                let i = Int(rng.next() % UInt64(bytes.count))
                bytes[i] = UInt8(truncatingIfNeeded: rng.next())
            }
            if !Self.exercise(bytes) { rejected += 1 }
        }
        #expect(rejected > 1_000)
    }

    @Test("every 97th truncation of a chain entry is rejected")
    func truncations() throws {
        let original = try Self.entryText()
        for length in stride(from: 0, to: original.count, by: 97) {
            #expect(!Self.exercise(Array(original.prefix(length))))
        }
    }

    @Test("a marketplace-era chain config member is refused, not ignored")
    func unknownChainConfigMember() throws {
        let json = try EspressoJSON(parsing: Data(#"{"chain_config": {"Left": {"chain_id": "1", "max_block_size": "1", "base_fee": "0", "fee_contract": null, "fee_recipient": "0x0000000000000000000000000000000000000000", "bid_recipient": "0x0000000000000000000000000000000000000000"}}}"#.utf8))
        #expect(throws: ConfirmationError.Code.espressoMalformed.error) { try EspressoChainConfig(json: json) }
    }
}

@Suite("Espresso JSON limits")
struct JSONLimitTests {
    @Test("deeply nested JSON is refused without exhausting the stack")
    func deepNesting() {
        let depth = 100_000
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: ConfirmationError.Code.espressoMalformed.error) { try EspressoJSON(parsing: Data(text.utf8)) }
    }

    @Test("integers are exact to 2^64 - 1; fractions and negatives are not unsigned; 1e3 is the integer 1000")
    func integers() throws {
        let json = try EspressoJSON(parsing: Data(#"[18446744073709551615, -1, 1.5, 1e3, 18446744073709551616]"#.utf8))
        #expect(json == .array([.unsigned(.max), .signed(-1), .double(1.5), .unsigned(1000), .double(18446744073709551616)]))
    }
}

/// Mutated namespace proofs and namespace tables never trap: typed errors only, and nothing that was
/// changed verifies.
@Suite("Espresso namespace proofs on mutated input", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct NamespaceProofRobustnessTests {
    @Test("2,000 random one-byte mutations of a namespace proof file: parse-or-typed-error, and no changed proof verifies")
    func proofMutations() throws {
        let entry = try #require(V5.entries.first { $0.leaf.header.height == 33 })
        let header = entry.leaf.header
        let parameters = try #require(entry.vidParameters)
        let proof = try EspressoNamespaceProof(payload: try #require(entry.payload), namespaceTable: header.namespaceTable,
                                               namespace: 101, parameters: parameters)
        let original = Array(try JSONEncoder().encode(EspressoJSON.object(["proof": proof.json, "vid_common": parameters.json])))
        var rng = DeterministicRandom(seed: 0xA71D_F022)
        var parsed = 0, verified = 0
        for _ in 0..<2_000 {
            var bytes = original
            bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
            do {
                let json = try EspressoJSON(parsing: Data(bytes))
                guard case .object(let o) = json, let p = o["proof"], let c = o["vid_common"] else { continue }
                let mutated = try EspressoNamespaceProof(json: p)
                let mutatedParameters = try AvidMParameters(json: c)
                parsed += 1
                let proved = try mutated.verify(against: header, parameters: mutatedParameters)
                // A mutation that still verifies changed nothing that is bound (e.g. JSON whitespace or an
                // equal re-encoding): the proved bytes are the original ones.
                #expect(mutated.namespacePayload == proof.namespacePayload && proved.namespace == 101)
                verified += 1
            } catch is ConfirmationError {
            } catch {
                Issue.record("a non-ConfirmationError escaped: \(error)")
            }
        }
        #expect(parsed > 40)  // 71 with this seed: most single-byte changes break the JSON or its hex/base64
        #expect(verified < parsed)
    }

    @Test("random namespace tables: ranges always tile the payload; strict parsing never traps")
    func randomTables() {
        var rng = DeterministicRandom(seed: 0x7AB1E)
        for _ in 0..<5_000 {
            let length = Int(rng.next() % 300)
            var table: [UInt8] = (0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next() % 7 == 0 ? rng.next() : rng.next() % 200) }
            if rng.next() % 2 == 0, table.count >= 4 { table[0] = UInt8((table.count - 4) / 8); table[1] = 0; table[2] = 0; table[3] = 0 }
            let ranges = AvidM.namespaceRanges(payloadLength: length, namespaceTable: table)
            #expect(!ranges.isEmpty)
            #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == length)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            _ = try? EspressoNamespaceTable(bytes: table)
        }
    }
}
