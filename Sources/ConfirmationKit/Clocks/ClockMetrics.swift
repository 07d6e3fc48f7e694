/// Latency percentiles of one clock transition, in milliseconds from submission or first sighting.
public struct LatencySummary: Sendable, Hashable, Codable {
    /// How many subjects made the transition.
    public var count: Int
    /// Nearest-rank percentiles and the maximum (0 when `count` is 0).
    public var p50: UInt64, p90: UInt64, p99: UInt64, max: UInt64

    /// Summarises samples with nearest-rank percentiles.
    public init(samples: [UInt64]) {
        let sorted = samples.sorted()
        count = sorted.count
        func rank(_ p: Double) -> UInt64 {
            guard !sorted.isEmpty else { return 0 }
            let index = Int((p * Double(sorted.count)).rounded(.up)) - 1
            return sorted[Swift.max(0, Swift.min(sorted.count - 1, index))]
        }
        p50 = rank(0.50)
        p90 = rank(0.90)
        p99 = rank(0.99)
        max = sorted.last ?? 0
    }
}

/// The tracker's metrics, exportable as JSON (`confirm report` draws them).
public struct ClockMetrics: Sendable, Hashable, Codable {
    /// Submission → pre-confirmed.
    public var preconfirmation: LatencySummary
    /// Submission → posted on L1.
    public var posted: LatencySummary
    /// Submission → L1 finalized.
    public var finalized: LatencySummary
    /// Raw latency samples per clock (milliseconds), for histograms.
    public var samples: [String: [UInt64]]
    /// Subjects tracked.
    public var tracked: Int
    /// Reversion events applied (one subject can be reverted more than once: reorg, then conflict).
    public var reversionEvents: Int
    /// Subjects with at least one reversion.
    public var revertedSubjects: Int
    /// `revertedSubjects / tracked` (0 when nothing is tracked).
    public var reversionRate: Double
    /// Subjects per pre-confirmation state.
    public var preconfirmationStates: [String: Int]
    /// Subjects per settlement state.
    public var settlementStates: [String: Int]
}

/// Collects latency samples as transitions happen.
struct LatencyRecorder: Sendable, Codable, Equatable {
    enum Transition { case preconfirmation, posted, finalized }

    var preconfirmation: [UInt32] = []
    var posted: [UInt32] = []
    var finalized: [UInt32] = []
    var tracked = 0
    var reversionEvents = 0
    var revertedSubjects = 0

    mutating func record(_ transition: Transition, from start: Timestamp, to end: Timestamp) {
        let ms = UInt32(clamping: end.milliseconds(since: start))
        switch transition {
        case .preconfirmation: preconfirmation.append(ms)
        case .posted: posted.append(ms)
        case .finalized: finalized.append(ms)
        }
    }

    func metrics(preconfirmationStates: [String: Int], settlementStates: [String: Int]) -> ClockMetrics {
        let widen: ([UInt32]) -> [UInt64] = { $0.map { UInt64($0) } }
        return ClockMetrics(
            preconfirmation: LatencySummary(samples: widen(preconfirmation)),
            posted: LatencySummary(samples: widen(posted)),
            finalized: LatencySummary(samples: widen(finalized)),
            samples: ["preconfirmation": widen(preconfirmation), "posted": widen(posted), "finalized": widen(finalized)],
            tracked: tracked, reversionEvents: reversionEvents, revertedSubjects: revertedSubjects,
            reversionRate: tracked == 0 ? 0 : Double(revertedSubjects) / Double(tracked),
            preconfirmationStates: preconfirmationStates, settlementStates: settlementStates)
    }
}
