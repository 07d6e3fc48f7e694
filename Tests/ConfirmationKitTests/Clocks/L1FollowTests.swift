import ConfirmationKit
import ConfirmationSimulation
import Foundation
import Testing

/// An L1 source that serves a fixed set of headers (and can lie about parents).
struct ScriptedL1: L1Source {
    var head: L1BlockHeader
    var finalized: L1BlockHeader
    var byNumber: [UInt64: L1BlockHeader]

    func latestHeader() async throws -> L1BlockHeader { head }
    func finalizedHeader() async throws -> L1BlockHeader { finalized }
    func header(number: UInt64) async throws -> L1BlockHeader {
        guard let header = byNumber[number] else { throw ConfirmationError(.l1UnknownBlock, "no block \(number)") }
        return header
    }
    func postings(in block: L1BlockHeader) async throws -> [L1Posting] { [] }
}

@Suite("L1 following and local-state errors")
struct L1FollowTests {
    @Test func followWalksBackByParentHashAndFinalizes() async throws {
        let genesis = l1Header(0, parent: nil)
        let chain = l1Chain(from: genesis, count: 6)
        let tracker = ConfirmationTracker()
        await tracker.startSettlementClock(checkpoint: genesis)
        var byNumber: [UInt64: L1BlockHeader] = [0: genesis]
        for block in chain { byNumber[block.number] = block }
        _ = try await tracker.follow(ScriptedL1(head: chain[5], finalized: chain[2], byNumber: byNumber), at: Timestamp(seconds: 1))
        let state = await tracker.state
        #expect(state.chain?.head == chain[5])
        #expect(state.chain?.finalized == chain[2])
    }

    @Test func lyingSourceIsCaught() async throws {
        let genesis = l1Header(0, parent: nil)
        let chain = l1Chain(from: genesis, count: 3)
        let tracker = ConfirmationTracker()
        await tracker.startSettlementClock(checkpoint: genesis)
        // The source claims chain[2] is the head but serves a block 1 that is not its grandparent.
        let impostor = l1Header(1, parent: genesis, fork: 7)
        let liar = ScriptedL1(head: chain[2], finalized: genesis, byNumber: [0: genesis, 1: impostor, 2: chain[1]])
        await #expect(throws: ConfirmationError(.l1InconsistentSource, "")) {
            try await tracker.follow(liar, at: Timestamp(seconds: 1))
        }
        let missing = ScriptedL1(head: chain[2], finalized: genesis, byNumber: [0: genesis])
        await #expect(throws: ConfirmationError(.l1UnknownBlock, "")) {
            try await tracker.follow(missing, at: Timestamp(seconds: 1))
        }
        #expect(await tracker.state.chain?.head == genesis, "nothing from a failed poll is applied")
        let simulated = SimulatedL1(genesisTime: Timestamp(seconds: 1))
        await #expect(throws: ConfirmationError(.l1UnknownBlock, "")) { try await simulated.header(number: 5) }
    }

    @Test func unfinalizedChainIsBounded() throws {
        let genesis = l1Header(0, parent: nil)
        var view = L1ChainView(checkpoint: genesis)
        var parent = genesis
        for _ in 0..<L1ChainView.maximumUnfinalizedBlocks {
            let next = l1Header(parent.number + 1, parent: parent)
            _ = try view.apply(head: next)
            parent = next
        }
        let one = l1Header(parent.number + 1, parent: parent)
        #expect(throws: ConfirmationError(.l1TooManyUnfinalized, "")) { try view.apply(head: one) }
        #expect(view.head == parent, "a refused head leaves the view unchanged")
    }

    @Test func certificateMustMatchItsVerification() throws {
        let f = try ClockFixture()
        var core = TrackerCore(retainsEvidence: true)
        let other = try f.sequencer.certify(try NamespacedBlock(transactions: [7: [Array("x".utf8)]]), height: 9, view: 9,
                                            at: f.t0, signers: f.sequencer.signingKeys)
        #expect(throws: ConfirmationError(.clocksCertificateMismatch, "")) {
            try core.preconfirm(f.produced.verified, certificate: other.certificate, proof: try f.inclusion(7, 0), at: f.t0)
        }
    }

    @Test func inconsistentSnapshotIsRefused() throws {
        let f = try ClockFixture()
        var core = TrackerCore()
        core.track(.transaction(f.alpha), at: f.t0)
        _ = try core.preconfirm(f.block, proof: try f.inclusion(7, 0), at: f.t0)
        let json = String(decoding: try JSONEncoder().encode(core), as: UTF8.self)
        let tampered = json.replacingOccurrences(of: f.block.certificateID.description, with: SHA256.hash([3]).description)
        #expect(tampered != json)
        #expect(throws: ConfirmationError(.clocksSnapshotInconsistent, "")) {
            try JSONDecoder().decode(TrackerCore.self, from: Data(tampered.utf8))
        }
    }
}
