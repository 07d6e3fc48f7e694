import ConfirmationKit
import ConfirmationKitEspresso
import Foundation
import Testing
import VectorSupport

/// The AvidM payload binding on the recorded v5 chain: what ties a block's transactions to the header
/// a finalized leaf certifies.
@Suite("Espresso AvidM VID on the recorded v5 chain", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct VIDChainTests {
    @Test("every block's payload re-encodes to its header's AvidMCommit (81 of 81)")
    func everyPayloadCommitment() throws {
        #expect(V5.entries.count == 81)
        var matched = 0
        var parameterSets = Set<AvidMParameters>()
        for entry in V5.entries {
            let header = entry.leaf.header
            let payload = try #require(entry.payload)
            let parameters = try #require(entry.vidParameters)
            parameterSets.insert(parameters)
            #expect(header.payloadCommitmentTag == "AvidMCommit")
            let commitment = try AvidM.payloadCommitment(payload: payload, namespaceTable: header.namespaceTable,
                                                         parameters: parameters)
            #expect(commitment.bytes == header.payloadCommitment, "height \(header.height)")
            if commitment.bytes == header.payloadCommitment { matched += 1 }
        }
        #expect(matched == 81)
        // Three parameter sets occur: genesis (1, 1), the genesis table (5 nodes), epoch 3's stakes (1003).
        #expect(parameterSets == [try AvidMParameters(totalWeights: 1, recoveryThreshold: 1),
                                  try AvidMParameters(totalWeights: 5, recoveryThreshold: 2),
                                  try AvidMParameters(totalWeights: 1003, recoveryThreshold: 335)])
        let allFollowRule = parameterSets.allSatisfy { $0.followsEspressoRule }
        #expect(allFollowRule)
    }

    @Test("every block's VID parameters follow from its epoch's stake table (5 from the genesis table, 1003 from epoch 3's)")
    func parametersFromStakeTables() throws {
        let tables = try #require(V5.tables)
        for entry in V5.entries {
            let height = entry.leaf.header.height
            let table = try tables.table(for: tables.epoch(ofHeight: height))
            #expect(try AvidMParameters.espresso(stakeTable: table, height: height) == entry.vidParameters, "height \(height)")
        }
        // Epoch 3's stakes 823, 969, 816, 1604, 1489 ESP scale to 145 + 170 + 144 + 282 + 262.
        #expect(try AvidMParameters.espresso(stakeTable: tables.table(for: 3), height: 25).totalWeights == 1003)
        // Without epochs upstream does not scale: n is the total stake (5 for the genesis table), and a
        // token-sized total is more weight than a namespace proof may cost.
        #expect(try AvidMParameters.espresso(stakeTable: tables.table(for: 1), height: 5, withEpochs: false).totalWeights == 5)
        #expect(throws: ConfirmationError(.espressoVIDParametersInvalid, "")) {
            try AvidMParameters.espresso(stakeTable: tables.table(for: 3), height: 25, withEpochs: false)
        }
    }

    @Test("a VID common other than the stake table's fails the leaf, even when it follows the k = ⌈n/3⌉ rule")
    func substitutedCommon() throws {
        var window = Array(V5.entries[29...31])
        window[1].vidParameters = try AvidMParameters.espresso(totalWeights: 6)
        let report = try V5.verifier().verify(window)
        #expect(report.leaves[1].failures.map(\.code.rawValue) == ["espresso.vid-parameters-invalid"])
        #expect(report.leaves[1].failures.first?.reason.contains("1003") == true)
    }

    @Test("the chain verifier binds every payload; a changed payload byte fails with vid-commitment-mismatch")
    func chainVerifierBindsPayloads() throws {
        let report = try V5.verifier().verify(V5.entries)
        #expect(report.boundPayloadCount == 81)
        #expect(report.verifiedCount == 81)
        var window = Array(V5.entries[14...16])
        let payload = try #require(window[1].payload)
        #expect(!payload.isEmpty)
        window[1].payload![payload.count - 1] ^= 1
        let mutated = try V5.verifier().verify(window)
        #expect(mutated.leaves[1].failures.map(\.code.rawValue) == ["espresso.vid-commitment-mismatch"])
        #expect(mutated.leaves[1].payloadBound == false)
        #expect(mutated.leaves[0].failures.isEmpty && mutated.leaves[2].failures.isEmpty)
    }

    @Test("payloads of another VID scheme, or without a VID common, are reported as not bound")
    func uncheckedPayloads() throws {
        var window = Array(V5.entries[14...16])
        window[1].vidParameters = nil
        let report = try V5.verifier().verify(window)
        #expect(report.leaves[1].payloadBound == nil)
        #expect(report.uncheckedPayloadCount == 1)
        #expect(report.leaves[1].payloadUncheckedReason == "the entry has no V1 (AvidM) VID common")
        #expect(report.leaves[1].failures.isEmpty)
        #expect(report.boundPayloadCount == 2)
    }

    /// The blocks that carry transactions, with their parameters.
    static var blocksWithTransactions: [HotShotChainEntry] {
        V5.entries.filter { ($0.payload?.count ?? 0) > 0 }
    }

    @Test("every namespace of every block proves its transactions against the header")
    func namespaceProofs() throws {
        var proved = 0
        for entry in Self.blocksWithTransactions {
            let header = entry.leaf.header
            let payload = try #require(entry.payload)
            let parameters = try #require(entry.vidParameters)
            let table = try EspressoNamespaceTable(bytes: header.namespaceTable)
            for namespace in table.entries.map(\.namespace) {
                let proof = try EspressoNamespaceProof(payload: payload, namespaceTable: header.namespaceTable,
                                                       namespace: namespace, parameters: parameters)
                let result = try proof.verify(against: header, parameters: parameters)
                #expect(result.namespace == namespace)
                #expect(result.transactions == (try table.transactions(in: namespace, payload: payload)))
                #expect(!result.transactions.isEmpty)
                proved += 1
            }
        }
        // The recording alternates namespaces 101 and 102, one per non-empty block.
        #expect(proved == Self.blocksWithTransactions.count)
        #expect(proved > 40)
    }

    /// A namespace proof of the block at `height` and the pieces to mutate.
    static func fixture(height: UInt64) throws -> (EspressoHeader, EspressoNamespaceProof, AvidMParameters) {
        let entry = try #require(V5.entries.first { $0.leaf.header.height == height })
        let header = entry.leaf.header
        let parameters = try #require(entry.vidParameters)
        let table = try EspressoNamespaceTable(bytes: header.namespaceTable)
        let proof = try EspressoNamespaceProof(payload: try #require(entry.payload), namespaceTable: header.namespaceTable,
                                               namespace: table.entries[0].namespace, parameters: parameters)
        return (header, proof, parameters)
    }

    static func code(_ body: () throws -> Void) -> String? {
        do { try body() } catch let error as ConfirmationError { return error.code.rawValue } catch { return "\(error)" }
        return nil
    }

    @Test("mutated namespace proofs fail with their codes", arguments: [5 as UInt64, 33, 61])
    func mutations(height: UInt64) throws {
        let (header, proof, parameters) = try Self.fixture(height: height)
        #expect(Self.code { _ = try proof.verify(against: header, parameters: parameters) } == nil)

        var flipped = proof.namespacePayload
        flipped[flipped.count - 1] ^= 0x80
        let changed = EspressoNamespaceProof(namespaceIndex: 0, namespacePayload: flipped, siblings: proof.siblings)
        #expect(Self.code { _ = try changed.verify(against: header, parameters: parameters) } == "espresso.vid-commitment-mismatch")

        let shorter = EspressoNamespaceProof(namespaceIndex: 0, namespacePayload: proof.namespacePayload.dropLast(), siblings: [])
        #expect(Self.code { _ = try shorter.verify(against: header, parameters: parameters) } == "espresso.namespace-length-mismatch")

        let index = EspressoNamespaceProof(namespaceIndex: 1, namespacePayload: proof.namespacePayload, siblings: [])
        #expect(Self.code { _ = try index.verify(against: header, parameters: parameters) } == "espresso.namespace-index-out-of-range")

        let extraLevel = EspressoNamespaceProof(namespaceIndex: 0, namespacePayload: proof.namespacePayload,
                                                siblings: [[.zero, .zero]])
        #expect(Self.code { _ = try extraLevel.verify(against: header, parameters: parameters) } == "espresso.malformed")

        // Parameters a server might substitute: off Espresso's pairing, or on it but not the block's.
        let offRule = try AvidMParameters(totalWeights: parameters.totalWeights, recoveryThreshold: 1)
        #expect(Self.code { _ = try proof.verify(against: header, parameters: offRule) } == "espresso.vid-parameters-invalid")
        let other = try AvidMParameters.espresso(totalWeights: parameters.totalWeights + 3)
        #expect(Self.code { _ = try proof.verify(against: header, parameters: other) } == "espresso.vid-commitment-mismatch")

        var gf2 = header
        gf2.payloadCommitmentTag = "AvidmGf2Commit"
        #expect(Self.code { _ = try proof.verify(against: gf2, parameters: parameters) } == "espresso.unsupported")

        var otherCommitment = header
        otherCommitment.payloadCommitment[0] ^= 1
        #expect(Self.code { _ = try proof.verify(against: otherCommitment, parameters: parameters) } == "espresso.vid-commitment-mismatch")
    }

    @Test("a namespace absent from the table has no proof")
    func absentNamespace() throws {
        let entry = try #require(Self.blocksWithTransactions.first)
        let header = entry.leaf.header
        #expect(Self.code {
            _ = try EspressoNamespaceProof(payload: entry.payload!, namespaceTable: header.namespaceTable,
                                           namespace: 999, parameters: entry.vidParameters!)
        } == "espresso.namespace-not-in-table")
    }
}

@Suite("Espresso AvidM building blocks")
struct AvidMUnitTests {
    static func table(_ offsets: [UInt32], ids: [UInt32]? = nil) -> [UInt8] {
        var bytes = withUnsafeBytes(of: UInt32(offsets.count).littleEndian, Array.init)
        for (i, end) in offsets.enumerated() {
            bytes += withUnsafeBytes(of: (ids?[i] ?? UInt32(i)).littleEndian, Array.init)
            bytes += withUnsafeBytes(of: end.littleEndian, Array.init)
        }
        return bytes
    }

    @Test("namespace ranges follow upstream parse_ns_table, fallbacks included")
    func ranges() {
        #expect(AvidM.namespaceRanges(payloadLength: 100, namespaceTable: Self.table([30, 100])) == [0..<30, 30..<100])
        #expect(AvidM.namespaceRanges(payloadLength: 100, namespaceTable: Self.table([0, 100])) == [0..<0, 0..<100])
        #expect(AvidM.namespaceRanges(payloadLength: 0, namespaceTable: Self.table([])) == [0..<0])
        // Not a table, or a table for another payload: one namespace spanning the payload.
        #expect(AvidM.namespaceRanges(payloadLength: 100, namespaceTable: []) == [0..<100])
        #expect(AvidM.namespaceRanges(payloadLength: 100, namespaceTable: Array(Self.table([30, 100])[..<9])) == [0..<100])
        var miscounted = Self.table([30, 100])
        miscounted[0] = 1
        #expect(AvidM.namespaceRanges(payloadLength: 100, namespaceTable: miscounted) == [0..<100])
        #expect(AvidM.namespaceRanges(payloadLength: 100, namespaceTable: Self.table([50, 30])) == [0..<100])
        #expect(AvidM.namespaceRanges(payloadLength: 100, namespaceTable: Self.table([30, 90])) == [0..<100])
        #expect(AvidM.namespaceRanges(payloadLength: 100, namespaceTable: Self.table([30, 110])) == [0..<100])
        #expect(AvidM.namespaceRanges(payloadLength: 100, namespaceTable: Self.table([])) == [0..<100])
    }

    /// A namespace payload: a transaction table and the transactions.
    static func namespacePayload(_ transactions: [[UInt8]]) -> [UInt8] {
        var bytes = withUnsafeBytes(of: UInt32(transactions.count).littleEndian, Array.init)
        var end: UInt32 = 0
        for tx in transactions {
            end += UInt32(tx.count)
            bytes += withUnsafeBytes(of: end.littleEndian, Array.init)
        }
        return bytes + transactions.flatMap { $0 }
    }

    @Test("every namespace of a 7-namespace block proves (a two-level namespace tree), across parameter sets",
          .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage),
          arguments: [(1, 1), (5, 2), (10, 4), (1003, 335)])
    func multiNamespace(n: Int, k: Int) throws {
        let parameters = try AvidMParameters(totalWeights: n, recoveryThreshold: k)
        var random = SystemRandomNumberGenerator()
        var payload: [UInt8] = []
        var offsets: [UInt32] = []
        let ids: [UInt32] = [7, 101, 102, 5000, 9, 42, 3]
        for (i, _) in ids.enumerated() {
            let txs = (0..<(i % 3 + 1)).map { _ in (0..<(i * 97 + 13)).map { _ in UInt8.random(in: 0...255, using: &random) } }
            payload += Self.namespacePayload(txs)
            offsets.append(UInt32(payload.count))
        }
        let table = Self.table(offsets, ids: ids)
        let commitment = try AvidM.payloadCommitment(payload: payload, namespaceTable: table, parameters: parameters)
        // A real header as the base: its namespace table and payload commitment are replaced.
        var header = try #require(V5.entries.last?.leaf.header)
        header.namespaceTable = table
        header.payloadCommitment = commitment.bytes
        for id in ids {
            let proof = try EspressoNamespaceProof(payload: payload, namespaceTable: table, namespace: id, parameters: parameters)
            #expect(proof.siblings.count == 2)
            let proved = try proof.verify(against: header, parameters: parameters)
            #expect(proved.namespace == id)
            // A proof moved to another index fails.
            let moved = EspressoNamespaceProof(namespaceIndex: (proof.namespaceIndex + 1) % ids.count,
                                               namespacePayload: proof.namespacePayload, siblings: proof.siblings)
            #expect(throws: ConfirmationError.self) { try moved.verify(against: header, parameters: parameters) }
        }
    }

    @Test("the 0x01 marker makes payloads that differ only in trailing zero bytes commit differently")
    func padding() throws {
        let p = try AvidMParameters.espresso(totalWeights: 5)
        let a = try AvidM.namespaceCommitment(of: [], parameters: p)
        let b = try AvidM.namespaceCommitment(of: [0], parameters: p)
        let c = try AvidM.namespaceCommitment(of: [0, 0], parameters: p)
        // The 0x01 marker after the bytes makes every length distinct.
        #expect(Set([a, b, c]).count == 3)
    }

    @Test("parameters are validated")
    func parameters() throws {
        #expect(throws: ConfirmationError.self) { try AvidMParameters(totalWeights: 5, recoveryThreshold: 0) }
        #expect(throws: ConfirmationError.self) { try AvidMParameters(totalWeights: 5, recoveryThreshold: 6) }
        #expect(throws: ConfirmationError.self) { try AvidMParameters(totalWeights: AvidMParameters.maximumTotalWeights + 1, recoveryThreshold: 1) }
        #expect(try AvidMParameters.espresso(totalWeights: 1003).recoveryThreshold == 335)
        #expect(try AvidMParameters.espresso(totalWeights: 6).recoveryThreshold == 2)
        #expect(try AvidMParameters.espresso(totalWeights: 1).recoveryThreshold == 1)
        let v0 = try EspressoJSON(parsing: Data(#"{"common": {"V0": {"poly_commits": "x"}}}"#.utf8))
        #expect(throws: ConfirmationError.self) { try AvidMParameters(json: v0) }
        let extra = try EspressoJSON(parsing: Data(#"{"V1": {"total_weights": 5, "recovery_threshold": 2, "x": 1}}"#.utf8))
        #expect(throws: ConfirmationError(.espressoMalformed, "")) { try AvidMParameters(json: extra) }
        let v1 = try EspressoJSON(parsing: Data(#"{"V1": {"total_weights": 5, "recovery_threshold": 2}}"#.utf8))
        #expect(try AvidMParameters(json: v1) == AvidMParameters(totalWeights: 5, recoveryThreshold: 2))
    }
}

/// The end of the Espresso mapping: a finalized leaf plus a namespace proof pre-confirms the
/// namespace's transactions in the two-clock tracker.
@Suite("Espresso transactions in the two-clock tracker", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct EspressoTrackerTests {
    @Test("every transaction of every finalized leaf is pre-confirmed by its namespace proof")
    func finalizedLeavesPreconfirmTheirTransactions() throws {
        let report = try V5.verifier().verify(V5.entries)
        let tables = try #require(V5.tables)
        var core = TrackerCore()
        let t0 = Timestamp(seconds: 1_791_573_000)
        var expected: [TransactionReference] = []
        var heights: [Bytes32: UInt64] = [:]
        var unfinalizedWithTransactions = 0
        for (i, entry) in V5.entries.enumerated() {
            let header = entry.leaf.header
            guard let payload = entry.payload, !payload.isEmpty, let parameters = entry.vidParameters else { continue }
            let table = try EspressoNamespaceTable(bytes: header.namespaceTable)
            guard let block = report.leaves[i].certifiedBlock else {
                unfinalizedWithTransactions += 1
                continue
            }
            #expect(block.height == header.height)
            for namespace in table.entries.map(\.namespace) {
                let proof = try EspressoNamespaceProof(payload: payload, namespaceTable: header.namespaceTable,
                                                       namespace: namespace, parameters: parameters)
                // The parameters come from the epoch's stake table, not from the served VID common.
                let evidence = try EspressoNamespaceEvidence(leaf: entry.leaf, proof: proof,
                                                             stakeTable: tables.table(for: tables.epoch(ofHeight: header.height)))
                #expect(evidence.parameters == parameters)
                let references = try evidence.verify(against: block.blockCommitment).references
                for reference in references { core.track(.transaction(reference), at: t0) }
                let updates = try core.preconfirm(block, evidence: evidence, at: t0.adding(milliseconds: 1_500))
                #expect(Set(updates.map(\.clocks.id)) == Set(references.map(\.subjectID)))
                expected += references
                for reference in references { heights[reference.hash] = header.height }
            }
        }
        #expect(expected.count > 40)
        // Only the last leaf (no deciding QC after it) is not final.
        #expect(unfinalizedWithTransactions <= 1)
        for reference in expected {
            guard case .preconfirmed(let p) = core.items[reference.subjectID]?.preconfirmation else {
                Issue.record("\(reference) not pre-confirmed")
                continue
            }
            #expect(p.block.height == heights[reference.hash])
        }
    }

    @Test("evidence for another leaf, or a tampered proof, is refused by the tracker")
    func wrongEvidence() throws {
        let report = try V5.verifier().verify(V5.entries)
        let (i, j) = (5, 7)
        let a = V5.entries[i], b = V5.entries[j]
        let blockA = try #require(report.leaves[i].certifiedBlock)
        let parametersB = try #require(b.vidParameters)
        let namespaceB = try EspressoNamespaceTable(bytes: b.leaf.header.namespaceTable).entries[0].namespace
        let proofB = try EspressoNamespaceProof(payload: try #require(b.payload), namespaceTable: b.leaf.header.namespaceTable,
                                                namespace: namespaceB, parameters: parametersB)
        var core = TrackerCore()
        let t0 = Timestamp(seconds: 1_791_573_000)
        // B's leaf and proof presented for A's certified block.
        let misplaced = EspressoNamespaceEvidence(leaf: b.leaf, proof: proofB, parameters: parametersB)
        #expect(throws: ConfirmationError(.espressoLeafCommitmentMismatch, "")) { try misplaced.verify(against: blockA.blockCommitment) }
        #expect(throws: ConfirmationError(.clocksProofNotVerified, "")) { try core.preconfirm(blockA, evidence: misplaced, at: t0) }
        // A's leaf with B's namespace proof: the payload commitment differs.
        let swapped = EspressoNamespaceEvidence(leaf: a.leaf, proof: proofB, parameters: parametersB)
        #expect(throws: ConfirmationError(.espressoVIDCommitmentMismatch, "")) { try swapped.verify(against: blockA.blockCommitment) }
        #expect(throws: ConfirmationError(.clocksProofNotVerified, "")) { try core.preconfirm(blockA, evidence: swapped, at: t0) }
    }
}
