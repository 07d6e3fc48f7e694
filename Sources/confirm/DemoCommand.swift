import ArgumentParser
import ConfirmationKit
import ConfirmationSimulation
import Foundation

/// `confirm demo`: the whole library at work on an in-process shared sequencer and a simulated L1.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run an in-process shared sequencer and a simulated L1; watch both clocks, a reversion and a bridge's fast mints.",
        discussion: """
            Validators with uneven stake certify a block every simulated second; transactions for three rollups and \
            one atomic cross-rollup bundle are submitted; the batch poster puts commitments on the simulated L1, which \
            reorganises once and finalizes 64 blocks behind its head; the validators also sign a conflicting block. \
            Simulated time runs about 45 times faster than real time (--fast: as fast as possible). Writes \
            confirm-demo-bundle.json, confirm-demo-stake-table.json, confirm-demo-metrics.json and confirm-demo-clocks.svg.
            """
    )

    @Option(name: .long, help: "Where to write the bundle, stake table, metrics and chart.")
    var out: String = "."

    @Option(name: .long, help: "Rollup transactions to submit (each is also a bridge deposit).")
    var transactions: Int = 9

    @Option(name: .long, help: "Validators in the sequencer set.")
    var validators: Int = 7

    @Option(name: .long, help: "Seed for keys, transactions and amounts.")
    var seed: UInt64 = 2026

    @Option(name: .long, help: "Simulated seconds per real second.")
    var speed: Double = 45

    @Flag(name: .long, help: "Do not pace the simulation.")
    var fast = false

    func validate() throws {
        guard (1...60).contains(transactions) else { throw ValidationError("--transactions must be 1 – 60 for the demo") }
        guard (4...100).contains(validators) else { throw ValidationError("--validators must be 4 – 100") }
        guard speed > 0 else { throw ValidationError("--speed must be positive") }
    }

    func run() async throws {
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let options = ClockScenario.Options(transactions: transactions, validators: validators, rollups: 3, bundles: 1,
                                            reorg: true, equivocate: true, seed: seed)
        let sequencer = try DemoSequencer(validators: validators, seed: seed)
        let terminal = Terminal()
        terminal.line(terminal.bold("ConfirmationKit demo") + " — verify a shared sequencer instead of trusting it")
        terminal.line("")
        terminal.line("Sequencer set (network \(sequencer.networkID), epoch \(sequencer.stakeTable.epoch), stake-table commitment \(sequencer.stakeTable.commitment.description.prefix(18))…):")
        for entry in sequencer.stakeTable.entries {
            let share = entry.stake.approximateDouble / sequencer.stakeTable.totalStake.approximateDouble * 100
            terminal.line("  \(entry.key)  stake \(String(repeating: " ", count: max(0, 6 - entry.stake.description.count)) + entry.stake.description)  \(String(format: "%5.1f", share))%")
        }
        terminal.line("Rollups 0x…03e8, 0x…03e9, 0x…03ea; every transaction is a bridge deposit. Fast-mint policy: ≤ 2,000 per mint, ≤ 5,000 per hour, ≥ 2/3 stake, certificate ≤ 60 s old, > 2,500 waits for L1 finality.")
        terminal.line("")

        let display = DemoDisplay(terminal: terminal, pacing: fast ? nil : speed, seed: seed)
        let report = try await ClockScenario.run(options) { event in await display.handle(event) }
        await display.finish()

        // Latency summary.
        let m = report.metrics
        terminal.line("")
        terminal.line(terminal.bold("Latency from submission") + " (\(m.tracked) subjects, simulated \(seconds(report.simulatedMilliseconds)))")
        terminal.line("  shared pre-confirmation  p50 \(seconds(m.preconfirmation.p50))   p90 \(seconds(m.preconfirmation.p90))   p99 \(seconds(m.preconfirmation.p99))   max \(seconds(m.preconfirmation.max))")
        terminal.line("  posted on L1             p50 \(seconds(m.posted.p50))  p90 \(seconds(m.posted.p90))  p99 \(seconds(m.posted.p99))  max \(seconds(m.posted.max))")
        terminal.line("  L1 finalized             p50 \(seconds(m.finalized.p50))  p90 \(seconds(m.finalized.p90))  p99 \(seconds(m.finalized.p99))  max \(seconds(m.finalized.max))")
        terminal.line("  reversions: \(m.reversionEvents) events on \(m.revertedSubjects) subjects (equivocation: pre-confirmation; reorg: settlement, then re-posted)")
        await display.printGateSummary()

        // A proof bundle for the atomic bundle (or the first finalized subject), verified right here.
        let state = report.finalState
        let candidates = state.items.values.filter {
            if case .preconfirmed = $0.preconfirmation, case .finalized = $0.settlement { return true }
            return false
        }.sorted { ($0.subject.legs.count, $0.id.hex) > ($1.subject.legs.count, $1.id.hex) }
        guard let chosen = candidates.first, let checkpoint = state.chain?.finalized else {
            throw ConfirmationError(.simulationCertificateRejected, "no finalized subject to export")
        }
        let bundle = try state.exportBundle(for: chosen.id, profile: Secp256k1QuorumProfile.self,
                                            stakeTable: .embedded(report.stakeTable))
        let files = (bundle: folder.appendingPathComponent("confirm-demo-bundle.json"),
                     table: folder.appendingPathComponent("confirm-demo-stake-table.json"),
                     metrics: folder.appendingPathComponent("confirm-demo-metrics.json"),
                     chart: folder.appendingPathComponent("confirm-demo-clocks.svg"))
        try bundle.jsonData().write(to: files.bundle)
        try writeJSON(report.stakeTable, to: files.table.path)
        try writeJSON(m, to: files.metrics.path)
        try Data(LatencyChart(metrics: m).svg().utf8).write(to: files.chart)

        terminal.line("")
        terminal.line(terminal.bold("Proof bundle") + " for \(chosen.subject.legs.count > 1 ? "the atomic bundle" : "transaction") \(chosen.subject.legs.map(\.description).joined(separator: " + ")), checked now:")
        let verdict = ProofBundleVerifier(profile: Secp256k1QuorumProfile())
            .verify(bundle, trustedStakeTables: [report.stakeTable], trustedL1Checkpoints: [checkpoint.hash])
        VerifyCommand.printReport(verdict)
        terminal.line("")
        terminal.line("Wrote \(files.bundle.path), \(files.table.path), \(files.metrics.path), \(files.chart.path)")
        terminal.line("Cross-check it:  swift run -c release confirm verify \(files.bundle.path) --stake-table \(files.table.path) --trusted-l1-checkpoint \(checkpoint.hash)")
        if !verdict.isValid { throw ExitCode.notVerified }
    }
}

/// Writes to the terminal; styles only when standard output is a terminal and NO_COLOR is unset.
struct Terminal: Sendable {
    let isInteractive = isatty(STDOUT_FILENO) == 1
    let useColor = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    func line(_ text: String) {
        print(text)
    }

    /// Writes without a newline (for in-place redraws).
    func raw(_ text: String) {
        print(text, terminator: "")
    }

    func bold(_ text: String) -> String { useColor ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func green(_ text: String) -> String { useColor ? "\u{1B}[32m\(text)\u{1B}[0m" : text }
    func yellow(_ text: String) -> String { useColor ? "\u{1B}[33m\(text)\u{1B}[0m" : text }
    func red(_ text: String) -> String { useColor ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { useColor ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
}

/// Follows scenario events: one progress line per subject (redrawn in place on a terminal,
/// printed on change otherwise), narrative lines, and the bridge's fast-mint decisions.
actor DemoDisplay {
    private let terminal: Terminal
    private let pacing: Double?
    private var rng: DeterministicRandom
    private var order: [Bytes32] = []
    private var clocks: [Bytes32: TrackedClocks] = [:]
    private var amounts: [Bytes32: UInt256] = [:]
    private var gate = FastMintGate(policy: FastMintPolicy(
        maximumAmountPerMint: UInt256(2_000), maximumAmountPerWindow: UInt256(5_000), windowMilliseconds: 3_600_000,
        minimumSignedStake: .init(numerator: 2, denominator: 3), maximumCertificateAgeMilliseconds: 60_000,
        finalityRequiredAbove: UInt256(2_500)))
    private var minted: Set<Bytes32> = []
    private var refused: Set<Bytes32> = []
    private var mintLog: [String] = []
    private var affectedTotal = 0
    private var log: [String] = []
    private var status = ""
    private var lastTime = ClockScenario.start
    private var l1Head: UInt64 = 0
    private var drawnLines = 0

    init(terminal: Terminal, pacing: Double?, seed: UInt64) {
        self.terminal = terminal
        self.pacing = pacing
        self.rng = DeterministicRandom(seed: seed ^ 0xB41D6E)
    }

    func handle(_ event: ClockScenario.Event) async {
        switch event {
        case .submitted(let c):
            order.append(c.id)
            clocks[c.id] = c
            let amount = UInt256([400, 1_200, 900, 2_300, 3_200, 600, 1_700, 150][Int(rng.next() % 8)])
            amounts[c.id] = amount
            emit("\(stamp(c.submittedAt)) submitted \(label(c)) · deposit \(amount)", redraw: false)
        case .update(let update):
            let previous = clocks[update.clocks.id]
            clocks[update.clocks.id] = update.clocks
            if !terminal.isInteractive || previous?.preconfirmation.name != update.clocks.preconfirmation.name
                || previous?.settlement.name != update.clocks.settlement.name {
                if !terminal.isInteractive { emit("\(stamp(update.at)) \(progress(update.clocks))", redraw: false) }
            }
            decideMint(update)
        case .note(let text, let time):
            await pace(to: time)
            emit("\(stamp(time)) \(text)", redraw: true)
        case .tick(let time, let height, let head, let finalized):
            await pace(to: time)
            l1Head = head
            status = "simulated \(stamp(time)) · sequencer height \(height) · L1 head \(head), finalized \(finalized)"
            if terminal.isInteractive {
                redraw()
            } else if head % 10 == 0 {
                terminal.line(terminal.dim("\(stamp(time)) … L1 head \(head), finalized \(finalized)"))
            }
        }
    }

    func finish() {
        if terminal.isInteractive { redraw() }
        terminal.line("")
        terminal.line(terminal.bold("Final clocks"))
        for id in order { if let c = clocks[id] { terminal.line("  " + progress(c)) } }
    }

    func printGateSummary() {
        terminal.line("")
        terminal.line(terminal.bold("Bridge fast mints") + " (outstanding early value now \(gate.outstandingValue))")
        for line in mintLog { terminal.line("  " + line) }
        terminal.line("  \(minted.count) of \(order.count) deposits minted, \(refused.count) refused; \(affectedTotal) early mint(s) hit by a proven reversion")
    }

    // MARK: Bridge

    private func decideMint(_ update: ClockUpdate) {
        let c = update.clocks
        let affected = gate.apply(update)
        for mint in affected {
            affectedTotal += 1
            mintLog.append(terminal.red("⚠ \(mint.mintID) (\(mint.amount)) was minted early on a pre-confirmation now reverted by \(c.preconfirmation.name == "reverted" ? reasonCode(c) : "settlement conflict"): pause and claw back"))
            emit("\(stamp(update.at)) " + terminal.red("reversion affects mint \(mint.mintID) (\(mint.amount))"), redraw: false)
        }
        guard !minted.contains(c.id), !refused.contains(c.id), let amount = amounts[c.id] else { return }
        let id = "mint-\(c.id.hex.prefix(6))"
        switch gate.decide(mintID: id, amount: amount, clocks: c, at: update.at) {
        case .mintNow:
            minted.insert(c.id)
            let when = c.settlement.name == "finalized" ? "after L1 finality" : "early, on the verified pre-confirmation"
            mintLog.append(terminal.green("✓ \(id) \(amount) for \(label(c)) minted \(when) at \(stamp(update.at))"))
            emit("\(stamp(update.at)) " + terminal.green("bridge mints \(amount) for \(label(c)) (\(when))"), redraw: false)
        case .waitForSettlement(let code):
            if c.preconfirmation.name == "preconfirmed" && c.settlement.name == "notPosted" {
                mintLog.append(terminal.yellow("… \(id) \(amount) for \(label(c)) waits: \(code)"))
            }
        case .reject(let code):
            mintLog.append(terminal.red("✗ \(id) \(amount) for \(label(c)) refused: \(code)"))
            refused.insert(c.id)
        }
    }

    private func reasonCode(_ c: TrackedClocks) -> String {
        if case .reverted(let r) = c.preconfirmation { return r.reason.code }
        return "reversion"
    }

    // MARK: Rendering

    private func label(_ c: TrackedClocks) -> String {
        switch c.subject {
        case .transaction(let r): "tx \(short(r))"
        case .bundle(let legs): "bundle " + legs.map(short).joined(separator: "+")
        }
    }

    private func short(_ r: TransactionReference) -> String {
        "\(String(r.namespace.rawValue, radix: 16))/\(r.hash.hex.prefix(6))"
    }

    /// `tx 3e8/ab12cd  pre ✓ 1.4 s (89.3%)  L1 posted ▰▰▱▱▱▱▱▱ 17/64`
    private func progress(_ c: TrackedClocks) -> String {
        var pre: String
        switch c.preconfirmation {
        case .pending: pre = terminal.dim("pre ·  pending      ")
        case .preconfirmed(let p):
            pre = terminal.green("pre ✓ " + String(format: "%4.1f s", Double(p.at.milliseconds(since: c.submittedAt)) / 1000)
                                 + String(format: " (%.0f%%)", p.block.signedFraction * 100))
        case .reverted(let r): pre = terminal.red("pre ✗ \(r.reason.code)".padding(toLength: 19, withPad: " ", startingAt: 0))
        }
        var settle: String
        switch c.settlement {
        case .notPosted: settle = terminal.dim("L1 not posted")
        case .posted(let s):
            let depth = l1Head >= s.l1Block.number ? l1Head - s.l1Block.number + 1 : 1
            let filled = Int(min(depth, 64) * 8 / 64)
            settle = terminal.yellow("L1 posted " + String(repeating: "▰", count: filled) + String(repeating: "▱", count: 8 - filled)
                                     + " \(min(depth, 64))/64")
        case .finalized(let s):
            settle = terminal.green("L1 finalized ✓ \(seconds((s.finalizedAt ?? s.postedAt).milliseconds(since: c.submittedAt)))")
        case .reverted(let r): settle = terminal.red("L1 ✗ \(r.reason.code)")
        }
        let history = c.reversionHistory.isEmpty ? "" : terminal.dim("  (reverted: \(c.reversionHistory.map(\.reason.code).joined(separator: ", ")))")
        return label(c).padding(toLength: 26, withPad: " ", startingAt: 0) + "  " + pre + "  " + settle + history
    }

    private func emit(_ line: String, redraw wantRedraw: Bool) {
        log.append(line)
        if log.count > 6 { log.removeFirst(log.count - 6) }
        if terminal.isInteractive {
            if wantRedraw { redraw() }
        } else {
            terminal.line(line)
        }
    }

    private func redraw() {
        var lines = order.compactMap { clocks[$0] }.map(progress)
        lines.append(terminal.dim(status))
        lines += log.map { "  " + $0 }
        var output = drawnLines > 0 ? "\u{1B}[\(drawnLines)A" : ""
        for line in lines { output += "\u{1B}[2K" + line + "\n" }
        terminal.raw(output)
        drawnLines = lines.count
    }

    private func pace(to time: Timestamp) async {
        guard let pacing, time > lastTime else { return }
        let delta = Double(time.milliseconds(since: lastTime)) / 1000 / pacing
        lastTime = time
        try? await Task.sleep(nanoseconds: UInt64(min(delta, 2) * 1e9))
    }

    private func stamp(_ time: Timestamp) -> String {
        let ms = time.milliseconds(since: ClockScenario.start)
        return String(format: "t+%d:%02d.%d", ms / 60_000, ms % 60_000 / 1000, ms % 1000 / 100)
    }
}
