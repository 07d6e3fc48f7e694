import ConfirmationKit
import ConfirmationSimulation
import Testing

@Suite("Tracker update streams")
struct UpdateStreamTests {
    @Test func perSubjectAndAllStreamsDeliverEveryChangeInOrder() async throws {
        let f = try ClockFixture()
        let tracker = ConfirmationTracker()
        let alpha = await tracker.track(.transaction(f.alpha), at: f.t0)
        let gamma = await tracker.track(.transaction(f.gamma), at: f.t0)
        let alphaStream = await tracker.updates(for: alpha)
        let allStream = await tracker.allUpdates()
        let genesis = l1Header(10, parent: nil)
        await tracker.startSettlementClock(checkpoint: genesis)
        try await tracker.preconfirm(f.produced.verified, certificate: f.produced.certificate, proof: try f.inclusion(7, 0), at: f.t0)
        try await tracker.preconfirm(f.produced.verified, proof: try f.inclusion(9, 0), at: f.t0)
        let l1 = l1Chain(from: genesis, count: 1)[0]
        try await tracker.applyL1Head(l1, postings: [f.posting(in: l1)], at: f.t0)
        try await tracker.applyL1Finalized(l1, at: f.t0)
        await tracker.finishUpdates()

        var alphaStates: [String] = []
        for await update in alphaStream {
            #expect(update.clocks.id == alpha)
            alphaStates.append("\(update.clocks.preconfirmation.name)/\(update.clocks.settlement.name)")
        }
        #expect(alphaStates == ["preconfirmed/notPosted", "preconfirmed/posted", "preconfirmed/finalized"])
        var all: [Bytes32] = []
        for await update in allStream { all.append(update.clocks.id) }
        #expect(all.count == 6)
        #expect(Set(all) == [alpha, gamma])
    }
}
