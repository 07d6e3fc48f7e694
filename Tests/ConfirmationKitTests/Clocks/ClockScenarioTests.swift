import ConfirmationKit
import ConfirmationSimulation
import Testing

@Suite("Two-clock scenarios on the simulated L1")
struct ClockScenarioTests {
    @Test func normalPath() async throws {
        let report = try await ClockScenario.run(.init(transactions: 40, validators: 7))
        #expect(report.outcomes.count == 40 + report.options.bundles)
        for outcome in report.outcomes {
            #expect(outcome.preconfirmation == "preconfirmed", "\(outcome.description)")
            #expect(outcome.settlement == "finalized", "\(outcome.description)")
            #expect(outcome.reversions.isEmpty)
            let pre = try #require(outcome.preconfirmedAfterMilliseconds)
            let posted = try #require(outcome.postedAfterMilliseconds)
            let final = try #require(outcome.finalizedAfterMilliseconds)
            #expect(pre < 5_000 && pre < posted && posted < final)
            #expect(final > 12 * 60 * 1000, "L1 finality is 64 blocks (12.8 min) behind the head")
        }
        #expect(report.metrics.reversionEvents == 0)
        #expect(report.metrics.settlementStates == ["finalized": report.outcomes.count])
        #expect(report.metrics.preconfirmation.count == report.outcomes.count)
    }

    @Test func equivocationAfterPreconfirmation() async throws {
        let report = try await ClockScenario.run(.init(transactions: 12, validators: 7, equivocate: true))
        let reverted = report.outcomes.filter { $0.preconfirmation == "reverted" }
        #expect(!reverted.isEmpty)
        for outcome in reverted {
            #expect(outcome.reversions == ["equivocation"])
            // The sequencer posted its own block: L1 settles what the pre-confirmation could not guarantee.
            #expect(outcome.settlement == "finalized")
        }
        let state = report.finalState
        for clocks in state.items.values {
            guard case .reverted(let r) = clocks.preconfirmation else { continue }
            guard case .equivocation(let summary) = r.reason else {
                Issue.record("unexpected reason \(r.reason.code)")
                continue
            }
            #expect(summary.height == 2 && summary.commitments.count == 2)
            #expect(summary.doubleSignedStake > UInt256(0))
        }
        #expect(report.outcomes.filter { $0.preconfirmation == "preconfirmed" }.count == report.outcomes.count - reverted.count)
    }

    @Test func l1ReorgOfThePostingBlock() async throws {
        let report = try await ClockScenario.run(.init(transactions: 12, validators: 5, reorg: true))
        #expect(report.notes.contains { $0.hasPrefix("L1 reorg") })
        #expect(report.metrics.reversionEvents >= report.outcomes.count)
        for outcome in report.outcomes {
            #expect(outcome.reversions == ["l1-reorg"])
            #expect(outcome.preconfirmation == "preconfirmed")
            #expect(outcome.settlement == "finalized")
        }
        for clocks in report.finalState.items.values {
            guard case .l1Reorg(let evidence) = clocks.reversionHistory.first?.reason else {
                Issue.record("no reorg evidence")
                continue
            }
            #expect(evidence.isConsistent)
        }
    }

    @Test func restartsFromSnapshotsLoseNothing() async throws {
        for options in [ClockScenario.Options(transactions: 20, validators: 5, reorg: true, equivocate: true)] {
            let straight = try await ClockScenario.run(options)
            var restarting = options
            restarting.restartEveryL1Blocks = 1
            let restarted = try await ClockScenario.run(restarting)
            #expect(restarted.restarts > 60)
            #expect(restarted.outcomes == straight.outcomes)
            #expect(restarted.metrics == straight.metrics)
            #expect(restarted.finalState == straight.finalState)
        }
    }

    @Test func hundredThousandConcurrentTransactions() async throws {
        let report = try await ClockScenario.run(.init(transactions: 100_000, validators: 10, rollups: 4))
        #expect(report.metrics.tracked == 100_000 + report.options.bundles)
        #expect(report.metrics.settlementStates == ["finalized": report.metrics.tracked])
        #expect(report.metrics.preconfirmationStates == ["preconfirmed": report.metrics.tracked])
        #expect(report.metrics.preconfirmation.max < 5_000)
    }
}
