import Foundation

/// A small benchmark harness: each operation is timed in several rounds and reported as the
/// median nanoseconds per operation, next to the raw primitive it wraps, measured in the same run.
///
/// Usage from a section:
/// ```swift
/// let raw = bench.measure("secp256k1_ecdsa_verify (C)") { … }
/// bench.compare("ECDSA verify (wrapper)", against: raw, target: 1.05) { … }
/// ```
final class Bench {
    struct Row {
        var name: String
        var nanoseconds: Double
        var baseline: String?
        var ratio: Double?
        var target: Double?
        var higherIsBetter: Bool
        var note: String
    }

    private(set) var rows: [Row] = []
    /// Wall time spent in each round.
    let roundSeconds: Double
    let rounds: Int

    init(roundSeconds: Double = 0.15, rounds: Int = 7) {
        self.roundSeconds = roundSeconds
        self.rounds = rounds
    }

    /// Times `body` and records it; returns the median ns per call.
    @discardableResult
    func measure(_ name: String, note: String = "", _ body: () -> Void) -> Double {
        let ns = Self.time(roundSeconds: roundSeconds, rounds: rounds, body)
        rows.append(Row(name: name, nanoseconds: ns, baseline: nil, ratio: nil, target: nil, higherIsBetter: false, note: note))
        return ns
    }

    /// Times `body` and records its cost as a ratio to `baselineNanoseconds` (cost / baseline; ≤ target passes).
    @discardableResult
    func compare(_ name: String, against baselineName: String, baselineNanoseconds: Double,
                 target: Double? = nil, note: String = "", _ body: () -> Void) -> Double {
        let ns = Self.time(roundSeconds: roundSeconds, rounds: rounds, body)
        rows.append(Row(name: name, nanoseconds: ns, baseline: baselineName, ratio: ns / baselineNanoseconds,
                        target: target, higherIsBetter: false, note: note))
        return ns
    }

    /// Records a precomputed figure (e.g. a throughput ratio) with its own target.
    func record(_ name: String, nanoseconds: Double, baseline: String?, ratio: Double?, target: Double?,
                higherIsBetter: Bool = false, note: String = "") {
        rows.append(Row(name: name, nanoseconds: nanoseconds, baseline: baseline, ratio: ratio, target: target,
                        higherIsBetter: higherIsBetter, note: note))
    }

    /// Whether every row with a target met it.
    var allTargetsMet: Bool {
        rows.allSatisfy { row in
            guard let target = row.target, let ratio = row.ratio else { return true }
            return row.higherIsBetter ? ratio >= target : ratio <= target
        }
    }

    /// Times two operations in alternating rounds and returns the fastest round of each (ns per call).
    ///
    /// Used for ratios of two operations: alternating and taking minima cancels most of the noise
    /// from other processes on a shared machine.
    static func interleaved(roundSeconds: Double, rounds: Int, _ a: () -> Void, _ b: () -> Void) -> (Double, Double) {
        let iterationsA = calibrate(roundSeconds: roundSeconds, a)
        let iterationsB = calibrate(roundSeconds: roundSeconds, b)
        var bestA = Double.infinity
        var bestB = Double.infinity
        for _ in 0..<rounds {
            bestA = min(bestA, elapsed(iterationsA, a) / Double(iterationsA) * 1e9)
            bestB = min(bestB, elapsed(iterationsB, b) / Double(iterationsB) * 1e9)
        }
        return (bestA, bestB)
    }

    /// Records `operation` as a ratio to `baseline`, both timed by ``interleaved(roundSeconds:rounds:_:_:)``.
    @discardableResult
    func compareInterleaved(_ name: String, baselineName: String, target: Double?, note: String = "",
                            baseline: () -> Void, operation: () -> Void) -> (baseline: Double, operation: Double) {
        let (base, op) = Self.interleaved(roundSeconds: roundSeconds, rounds: rounds, baseline, operation)
        rows.append(Row(name: baselineName, nanoseconds: base, baseline: nil, ratio: nil, target: nil, higherIsBetter: false, note: ""))
        rows.append(Row(name: name, nanoseconds: op, baseline: baselineName, ratio: op / base, target: target,
                        higherIsBetter: false, note: note))
        return (base, op)
    }

    private static func calibrate(roundSeconds: Double, _ body: () -> Void) -> Int {
        var iterations = 1
        while true {
            let t = elapsed(iterations, body)
            if t >= roundSeconds / 4 || iterations >= 1 << 30 {
                return max(1, Int(Double(iterations) * roundSeconds / max(t, 1e-9)))
            }
            iterations *= 4
        }
    }

    /// Median ns per call over `rounds` rounds of about `roundSeconds` each.
    static func time(roundSeconds: Double, rounds: Int, _ body: () -> Void) -> Double {
        let iterations = calibrate(roundSeconds: roundSeconds, body)
        var samples: [Double] = []
        for _ in 0..<rounds {
            samples.append(elapsed(iterations, body) / Double(iterations) * 1e9)
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    private static func elapsed(_ iterations: Int, _ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { body() }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Prints the table.
    func printReport(title: String) {
        print("\n== \(title) ==")
        let nameWidth = max(44, rows.map(\.name.count).max() ?? 0)
        for row in rows {
            var line = row.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            line += " " + Self.formatTime(row.nanoseconds).leftPadded(to: 11)
            if let ratio = row.ratio, let baseline = row.baseline {
                line += String(format: "   %6.3f× %@", ratio, baseline)
                if let target = row.target {
                    let ok = row.higherIsBetter ? ratio >= target : ratio <= target
                    line += String(format: "  (target %@ %.2f×: %@)", row.higherIsBetter ? "≥" : "≤", target, ok ? "met" : "MISSED")
                }
            }
            if !row.note.isEmpty { line += "  " + row.note }
            print(line)
        }
    }

    static func formatTime(_ ns: Double) -> String {
        if ns == 0 { return "—" }
        if ns >= 1e6 { return String(format: "%.3f ms", ns / 1e6) }
        if ns >= 1e3 { return String(format: "%.2f µs", ns / 1e3) }
        return String(format: "%.1f ns", ns)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// Keeps a value alive so the optimiser cannot drop the work that produced it.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
