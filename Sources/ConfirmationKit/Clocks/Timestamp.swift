/// A point in time, in milliseconds since the Unix epoch, always passed in by the caller.
///
/// The verification core never reads a clock: every operation that depends on time takes a
/// `Timestamp` argument, so results are reproducible and testable.
///
/// ```swift
/// let now = Timestamp(milliseconds: 1_700_000_000_000)
/// let later = now.adding(milliseconds: 1_500)
/// later.milliseconds(since: now)   // 1500
/// ```
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var milliseconds: UInt64

    public init(milliseconds: UInt64) { self.milliseconds = milliseconds }

    /// Seconds since the Unix epoch.
    public init(seconds: UInt64) { self.milliseconds = seconds &* 1000 }

    /// This instant plus `delta` milliseconds (saturating).
    public func adding(milliseconds delta: UInt64) -> Timestamp {
        let (sum, overflow) = milliseconds.addingReportingOverflow(delta)
        return Timestamp(milliseconds: overflow ? .max : sum)
    }

    /// Milliseconds from `earlier` to this instant; zero when `earlier` is later.
    public func milliseconds(since earlier: Timestamp) -> UInt64 {
        milliseconds >= earlier.milliseconds ? milliseconds - earlier.milliseconds : 0
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public init(from decoder: any Decoder) throws {
        milliseconds = try decoder.singleValueContainer().decode(UInt64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(milliseconds)
    }

    public var description: String { "\(milliseconds) ms" }
}
