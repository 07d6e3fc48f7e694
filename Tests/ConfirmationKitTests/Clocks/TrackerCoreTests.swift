import ConfirmationKit
import ConfirmationSimulation
import Foundation
import Testing

/// A small fixture: a demo sequencer, one certified block with two rollups, and an L1 base.
struct ClockFixture {
    var sequencer: DemoSequencer
    let transactions: [NamespaceID: [[UInt8]]] = [
        7: [Array("alpha".utf8), Array("beta".utf8)],
        9: [Array("gamma".utf8)],
    ]
    let produced: DemoSequencer.Block
    let t0 = Timestamp(seconds: 1_767_225_600)

    init() throws {
        sequencer = try DemoSequencer(validators: 5, seed: 3)
        produced = try sequencer.produceBlock(transactions: transactions, at: Timestamp(seconds: 1_767_225_600))
    }

    var block: CertifiedBlock { CertifiedBlock(produced.verified) }
    var alpha: TransactionReference { TransactionReference(namespace: 7, transaction: Array("alpha".utf8)) }
    var gamma: TransactionReference { TransactionReference(namespace: 9, transaction: Array("gamma".utf8)) }

    func inclusion(_ namespace: NamespaceID, _ index: Int) throws -> InclusionProof {
        .namespaceInclusion(try produced.block.inclusionProof(namespace: namespace, index: index))
    }

    func posting(in l1: L1BlockHeader, commitment: Bytes32? = nil) -> L1Posting {
        L1Posting(network: sequencer.networkID.rawValue, height: produced.height,
                  blockCommitment: commitment ?? produced.block.commitment, l1Block: l1, evidence: "test")
    }
}

@Suite("Tracker core")
struct TrackerCoreTests {
    @Test func normalPathThroughBothClocks() throws {
        let f = try ClockFixture()
        var core = TrackerCore()
        core.track(.transaction(f.alpha), at: f.t0)
        let genesis = l1Header(10, parent: nil)
        core.startSettlementClock(checkpoint: genesis)

        let updates = try core.preconfirm(f.block, proof: try f.inclusion(7, 0), at: f.t0.adding(milliseconds: 1200))
        #expect(updates.count == 1)
        guard case .preconfirmed(let p) = core.items[f.alpha.subjectID]?.preconfirmation else {
            Issue.record("not preconfirmed")
            return
        }
        #expect(p.block.blockCommitment == f.produced.block.commitment)
        #expect(p.certificateID == f.block.certificateID)
        #expect(p.block.signedStake == f.produced.verified.signedStake)

        let chain = l1Chain(from: genesis, count: 3)
        #expect(try core.applyL1Head(chain[0], postings: [f.posting(in: chain[0])], at: f.t0.adding(milliseconds: 30_000)).count == 1)
        _ = try core.applyL1Head(chain[1], postings: [], at: f.t0.adding(milliseconds: 42_000))
        guard case .posted(let s) = core.clocks(for: f.alpha.subjectID)?.settlement else {
            Issue.record("not posted")
            return
        }
        #expect(s.l1Block == chain[0])
        #expect(s.depth == 2)
        #expect(try core.applyL1Finalized(chain[0], at: f.t0.adding(milliseconds: 800_000)).count == 1)
        guard case .finalized(let final) = core.items[f.alpha.subjectID]?.settlement else {
            Issue.record("not finalized")
            return
        }
        #expect(final.finalizedAt == f.t0.adding(milliseconds: 800_000))
        let metrics = core.metrics()
        #expect(metrics.preconfirmation.p50 == 1200)
        #expect(metrics.posted.p50 == 30_000)
        #expect(metrics.finalized.p50 == 800_000)
        #expect(metrics.reversionEvents == 0)
    }

    @Test("the same bytes in two rollups are two subjects, each pre-confirmed by its own namespace's proof")
    func sameBytesInTwoNamespaces() throws {
        var sequencer = try DemoSequencer(validators: 5, seed: 3)
        let same = Array("same bytes".utf8)
        let t0 = Timestamp(seconds: 1_767_225_600)
        let produced = try sequencer.produceBlock(transactions: [7: [same], 9: [same]], at: t0)
        let in7 = TransactionReference(namespace: 7, transaction: same)
        let in9 = TransactionReference(namespace: 9, transaction: same)
        #expect(in7.hash == in9.hash)
        #expect(in7.subjectID != in9.subjectID)
        var core = TrackerCore()
        let first = core.track(.transaction(in7), at: t0)
        let second = core.track(.transaction(in9), at: t0)
        #expect(first.id != second.id)
        #expect(core.items.count == 2)
        let proof7 = InclusionProof.namespaceInclusion(try produced.block.inclusionProof(namespace: 7, index: 0))
        let updates = try core.preconfirm(CertifiedBlock(produced.verified), proof: proof7, at: t0.adding(milliseconds: 900))
        #expect(updates.map(\.clocks.id) == [in7.subjectID])
        #expect(core.items[in9.subjectID]?.preconfirmation == .pending)
        let proof9 = InclusionProof.namespaceInclusion(try produced.block.inclusionProof(namespace: 9, index: 0))
        #expect(try core.preconfirm(CertifiedBlock(produced.verified), proof: proof9, at: t0.adding(milliseconds: 950))
            .map(\.clocks.id) == [in9.subjectID])
    }

    @Test("a snapshot whose subject ids are not the subjects' (e.g. from before namespaced ids) is refused")
    func snapshotWithForeignIDs() throws {
        let f = try ClockFixture()
        var core = TrackerCore()
        core.track(.transaction(f.alpha), at: f.t0)
        let text = String(decoding: try JSONEncoder().encode(core), as: UTF8.self)
        // Rewrite the stored id (both as a key and inside the clocks) to the bare transaction hash.
        let tampered = text.replacingOccurrences(of: f.alpha.subjectID.hex, with: f.alpha.hash.hex)
        #expect(tampered != text)
        #expect(throws: ConfirmationError(.clocksSnapshotInconsistent, "")) {
            try JSONDecoder().decode(TrackerCore.self, from: Data(tampered.utf8))
        }
    }

    @Test func refusesProofsThatDoNotPlaceTheTransaction() throws {
        let f = try ClockFixture()
        var core = TrackerCore()
        core.track(.transaction(f.alpha), at: f.t0)
        var other = f.block
        other.blockCommitment = SHA256.hash([1])
        #expect(throws: ConfirmationError(.clocksProofNotVerified, "")) {
            try core.preconfirm(other, proof: try f.inclusion(7, 0), at: f.t0)
        }
        let absence = InclusionProof.namespaceAbsence(try f.produced.block.absenceProof(namespace: 8))
        #expect(throws: ConfirmationError(.clocksProofWithoutTransactions, "")) {
            try core.preconfirm(f.block, proof: absence, at: f.t0)
        }
        // A proof of another transaction leaves the subject pending.
        #expect(try core.preconfirm(f.block, proof: try f.inclusion(7, 1), at: f.t0).isEmpty)
        #expect(core.items[f.alpha.subjectID]?.preconfirmation == .pending)
    }

    @Test func bundleNeedsEveryLegInOneBlock() throws {
        let f = try ClockFixture()
        var core = TrackerCore()
        let bundle = TrackedSubject.bundle([f.alpha, f.gamma])
        core.track(bundle, at: f.t0)
        #expect(try core.preconfirm(f.block, proof: try f.inclusion(7, 0), at: f.t0).isEmpty)
        #expect(core.items[bundle.id]?.preconfirmation == .pending)
        let updates = try core.preconfirm(f.block, proof: try f.inclusion(9, 0), at: f.t0)
        #expect(updates.map(\.clocks.id) == [bundle.id])
        // One bundle proof does it at once.
        var second = TrackerCore()
        second.track(bundle, at: f.t0)
        let proof = InclusionProof.namespaceBundle(try f.produced.block.bundleProof(legs: [
            TransactionLocation(namespace: 7, index: 0), TransactionLocation(namespace: 9, index: 0)]))
        #expect(try second.preconfirm(f.block, proof: proof, at: f.t0).map(\.clocks.id) == [bundle.id])
    }

    @Test func settlementConflictRevertsBothClocks() throws {
        let f = try ClockFixture()
        var core = TrackerCore()
        core.track(.transaction(f.alpha), at: f.t0)
        let genesis = l1Header(10, parent: nil)
        core.startSettlementClock(checkpoint: genesis)
        _ = try core.preconfirm(f.block, proof: try f.inclusion(7, 0), at: f.t0)
        let l1 = l1Chain(from: genesis, count: 1)[0]
        let updates = try core.applyL1Head(l1, postings: [f.posting(in: l1, commitment: SHA256.hash([9]))], at: f.t0)
        #expect(updates.count == 1)
        let clocks = try #require(core.items[f.alpha.subjectID])
        guard case .reverted(let r) = clocks.preconfirmation, case .settlementConflict(let conflict) = r.reason else {
            Issue.record("expected a settlement conflict")
            return
        }
        #expect(conflict.posting.blockCommitment == SHA256.hash([9]))
        #expect(clocks.settlement.name == "reverted")
        // A posting naming another L1 block is refused.
        let next = l1Chain(from: l1, count: 1)[0]
        #expect(throws: ConfirmationError(.clocksPostingMismatch, "")) {
            try core.applyL1Head(next, postings: [f.posting(in: l1)], at: f.t0)
        }
    }

    @Test func subjectSeenAfterItsPostingIsPostedAtOnce() throws {
        let f = try ClockFixture()
        var core = TrackerCore()
        let genesis = l1Header(10, parent: nil)
        core.startSettlementClock(checkpoint: genesis)
        let l1 = l1Chain(from: genesis, count: 1)[0]
        // The block is posted before anyone tracks a transaction in it.
        core.track(.transaction(f.gamma), at: f.t0)
        _ = try core.preconfirm(f.block, proof: try f.inclusion(9, 0), at: f.t0)
        _ = try core.applyL1Head(l1, postings: [f.posting(in: l1)], at: f.t0)
        core.track(.transaction(f.alpha), at: f.t0.adding(milliseconds: 5000))
        let updates = try core.preconfirm(f.block, proof: try f.inclusion(7, 0), at: f.t0.adding(milliseconds: 6000))
        #expect(updates.first?.clocks.settlement.name == "posted")
    }

    @Test func invalidEquivocationEvidenceIsRefused() throws {
        let f = try ClockFixture()
        var core = TrackerCore()
        core.track(.transaction(f.alpha), at: f.t0)
        _ = try core.preconfirm(f.block, proof: try f.inclusion(7, 0), at: f.t0)
        let other = try f.sequencer.certify(try NamespacedBlock(transactions: [7: [Array("x".utf8)]]), height: 1, view: 1,
                                            at: f.t0, signers: f.sequencer.signingKeys)
        guard case .success(var evidence) = EquivocationEvidence.detect(
            first: f.produced.certificate, second: other.certificate, table: f.sequencer.stakeTable,
            profile: Secp256k1QuorumProfile()) else {
            Issue.record("expected evidence")
            return
        }
        // Tampering with the claim makes the tracker refuse it; the clocks stay as they were.
        let honest = evidence
        evidence = try JSONDecoder().decode(EquivocationEvidence<Secp256k1QuorumProfile>.self,
                                            from: tamper(try JSONEncoder().encode(honest)))
        #expect(throws: ConfirmationError(.clocksEvidenceRejected, "")) {
            try core.applyEquivocation(evidence, profile: Secp256k1QuorumProfile(), at: f.t0)
        }
        #expect(core.items[f.alpha.subjectID]?.preconfirmation.name == "preconfirmed")
        let updates = try core.applyEquivocation(honest, profile: Secp256k1QuorumProfile(), at: f.t0)
        #expect(updates.map(\.clocks.id) == [f.alpha.subjectID])
        #expect(core.items[f.alpha.subjectID]?.preconfirmation.name == "reverted")
    }

    /// Replaces the second certificate's block commitment in evidence JSON.
    private func tamper(_ json: Data) throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        var second = try #require(object["second"] as? [String: Any])
        var statement = try #require(second["statement"] as? [String: Any])
        statement["blockCommitment"] = SHA256.hash([42]).description
        second["statement"] = statement
        object["second"] = second
        return try JSONSerialization.data(withJSONObject: object)
    }

    /// A snapshot taken in every state restores to an equal value that continues identically.
    @Test func snapshotInEveryStateRestoresExactly() throws {
        let f = try ClockFixture()
        var core = TrackerCore()
        let genesis = l1Header(10, parent: nil)
        core.startSettlementClock(checkpoint: genesis)
        let chain = l1Chain(from: genesis, count: 3)
        let steps: [(String, (inout TrackerCore) throws -> Void)] = [
            ("pending", { $0.track(.transaction(f.alpha), at: f.t0); $0.track(.bundle([f.alpha, f.gamma]), at: f.t0) }),
            ("preconfirmed", { _ = try $0.preconfirm(f.block, proof: try f.inclusion(7, 0), at: f.t0.adding(milliseconds: 900)) }),
            ("posted", { _ = try $0.applyL1Head(chain[0], postings: [f.posting(in: chain[0])], at: f.t0.adding(milliseconds: 20_000)) }),
            ("reverted by reorg", {
                let fork = l1Chain(from: genesis, count: 2, fork: 1)
                _ = try $0.applyL1Head(fork[0], postings: [], at: f.t0.adding(milliseconds: 30_000))
                _ = try $0.applyL1Head(fork[1], postings: [f.posting(in: fork[1])], at: f.t0.adding(milliseconds: 40_000))
            }),
            ("finalized", {
                let head = try #require($0.chain?.head)
                _ = try $0.applyL1Finalized(head, at: f.t0.adding(milliseconds: 900_000))
            }),
        ]
        var restored = core
        for (name, step) in steps {
            try step(&core)
            try step(&restored)
            let data = try JSONEncoder().encode(restored)
            restored = try JSONDecoder().decode(TrackerCore.self, from: data)
            #expect(restored == core, "state after \(name) does not survive a snapshot")
        }
        #expect(restored.items[f.alpha.subjectID]?.settlement.name == "finalized")
        #expect(restored.items[f.alpha.subjectID]?.reversionHistory.map(\.reason.code) == ["l1-reorg"])
        #expect(restored.metrics() == core.metrics())
    }
}
