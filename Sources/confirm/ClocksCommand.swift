import ArgumentParser
import ConfirmationKit
import ConfirmationSimulation
import Foundation

/// `confirm clocks`: the two-clock tracker.
struct ClocksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clocks",
        abstract: "Follow transactions through the pre-confirmation and L1 settlement clocks.",
        subcommands: [Simulate.self]
    )

    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a scenario on the in-process sequencer and simulated L1; print both clocks per transaction and the metrics.",
            discussion: """
                Simulated time: a certified block every second, an L1 block every 12 s, a batch posting on \
                every third L1 block, L1 finality 64 blocks behind the head. Runs in seconds of real time.
                """
        )

        @Option(name: .long, help: "Transactions to submit (0 – 200000).")
        var transactions: Int = 20

        @Option(name: .long, help: "Validators in the sequencer set (1 – 1000).")
        var validators: Int = 7

        @Option(name: .long, help: "Rollups (namespaces) to spread transactions over.")
        var rollups: Int = 3

        @Option(name: .long, help: "Seed for keys and transactions.")
        var seed: UInt64 = 1

        @Flag(name: .long, help: "Reorganise L1 right after the first batch posting.")
        var reorg = false

        @Flag(name: .long, help: "Have the validators sign a conflicting block for height 2.")
        var equivocate = false

        @Flag(name: .long, help: "Print the report as JSON.")
        var json = false

        @Option(name: .long, help: "Also write the metrics JSON to this file (for `confirm report`).")
        var metricsOut: String?

        func validate() throws {
            guard (0...200_000).contains(transactions) else { throw ValidationError("--transactions must be 0 – 200000") }
            guard (1...1000).contains(validators) else { throw ValidationError("--validators must be 1 – 1000") }
            guard (1...64).contains(rollups) else { throw ValidationError("--rollups must be 1 – 64") }
        }

        func run() async throws {
            let options = ClockScenario.Options(transactions: transactions, validators: validators, rollups: rollups,
                                                reorg: reorg, equivocate: equivocate, seed: seed)
            let report = try await ClockScenario.run(options)
            if let metricsOut {
                try writeJSON(report.metrics, to: metricsOut)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                struct Output: Encodable {
                    var options: ClockScenario.Options
                    var outcomes: [ClockScenario.Outcome]
                    var metrics: ClockMetrics
                    var notes: [String]
                }
                let output = Output(options: report.options, outcomes: report.outcomes, metrics: report.metrics, notes: report.notes)
                FileHandle.standardOutput.write(try encoder.encode(output))
                print()
                return
            }
            printHuman(report)
        }

        private func printHuman(_ report: ClockScenario.Report) {
            for line in report.notes { print("· " + line) }
            print("")
            let shown = report.outcomes.count <= 200 ? report.outcomes : Array(report.outcomes.prefix(40))
            print("subject".padding(toLength: 48, withPad: " ", startingAt: 0) + "  pre-confirmation      settlement")
            for outcome in shown {
                let pre = outcome.preconfirmation + (outcome.preconfirmedAfterMilliseconds.map { " \(seconds($0))" } ?? "")
                var settle = outcome.settlement
                if let f = outcome.finalizedAfterMilliseconds { settle += " \(seconds(f))" } else if let p = outcome.postedAfterMilliseconds { settle += " \(seconds(p))" }
                if !outcome.reversions.isEmpty { settle += "  [reverted: \(outcome.reversions.joined(separator: ", "))]" }
                let name = (outcome.kind == "bundle" ? "bundle " : "") + outcome.description
                print(String(name.prefix(48)).padding(toLength: 48, withPad: " ", startingAt: 0) + "  "
                      + pre.padding(toLength: 22, withPad: " ", startingAt: 0) + settle)
            }
            if shown.count < report.outcomes.count { print("… and \(report.outcomes.count - shown.count) more (use --json for all)") }
            let m = report.metrics
            print("")
            print("pre-confirmation  p50 \(seconds(m.preconfirmation.p50))  p90 \(seconds(m.preconfirmation.p90))  p99 \(seconds(m.preconfirmation.p99))  max \(seconds(m.preconfirmation.max))  (\(m.preconfirmation.count))")
            print("L1 posted         p50 \(seconds(m.posted.p50))  p90 \(seconds(m.posted.p90))  p99 \(seconds(m.posted.p99))  max \(seconds(m.posted.max))  (\(m.posted.count))")
            print("L1 finalized      p50 \(seconds(m.finalized.p50))  p90 \(seconds(m.finalized.p90))  p99 \(seconds(m.finalized.p99))  max \(seconds(m.finalized.max))  (\(m.finalized.count))")
            print("reversions: \(m.reversionEvents) events, \(m.revertedSubjects) of \(m.tracked) subjects (\(String(format: "%.2f", m.reversionRate * 100))%)")
            print("states: pre-confirmation \(describe(m.preconfirmationStates)); settlement \(describe(m.settlementStates))")
            print("simulated \(seconds(report.simulatedMilliseconds)): \(report.sequencerBlocks) sequencer blocks, \(report.l1Blocks) L1 blocks")
        }

        private func describe(_ counts: [String: Int]) -> String {
            counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        }
    }
}

/// `12.3 s` or `13 min 2 s`.
func seconds(_ milliseconds: UInt64) -> String {
    if milliseconds < 60_000 { return String(format: "%.1f s", Double(milliseconds) / 1000) }
    return "\(milliseconds / 60_000) min \(milliseconds % 60_000 / 1000) s"
}

/// Sorted, pretty JSON.
func prettyJSON(_ value: some Encodable) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return try encoder.encode(value)
}

/// Writes sorted, pretty JSON to a file.
func writeJSON(_ value: some Encodable, to path: String) throws {
    try prettyJSON(value).write(to: URL(fileURLWithPath: path))
}
