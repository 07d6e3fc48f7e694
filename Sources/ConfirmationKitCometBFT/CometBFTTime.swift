import ConfirmationKit

/// A point in time as CometBFT signs and hashes it: seconds since the Unix epoch and nanoseconds,
/// exactly the fields of `google.protobuf.Timestamp`.
///
/// Parsed from RFC 3339 text with up to nine fractional digits (`2024-07-16T21:21:11.200637657Z`),
/// years 0001 to 9999 as the protobuf type allows. No calendar library and no time zone database:
/// the conversion is proleptic Gregorian arithmetic, so results never depend on the host.
///
/// ```swift
/// let t = try CometBFTTime(rfc3339: "1970-01-01T00:00:01.5Z")
/// t.seconds   // 1
/// t.nanos     // 500_000_000
/// ```
public struct CometBFTTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z (negative before it).
    public let seconds: Int64
    /// Nanoseconds within the second, `0..<1_000_000_000`.
    public let nanos: Int32

    /// Go's zero `time.Time` (0001-01-01T00:00:00Z), which CometBFT writes for absent votes.
    public static let goZero = CometBFTTime(uncheckedSeconds: -62_135_596_800, nanos: 0)
    /// The Unix epoch.
    public static let unixEpoch = CometBFTTime(uncheckedSeconds: 0, nanos: 0)

    static let minimumSeconds: Int64 = -62_135_596_800  // 0001-01-01T00:00:00Z
    static let maximumSeconds: Int64 = 253_402_300_799  // 9999-12-31T23:59:59Z

    init(uncheckedSeconds seconds: Int64, nanos: Int32) {
        self.seconds = seconds
        self.nanos = nanos
    }

    /// Makes a time from its protobuf fields.
    /// - Throws: ``ConfirmationError`` `cometbft.invalid-time` outside 0001–9999 or with
    ///   `nanos` outside `0..<1_000_000_000`.
    public init(seconds: Int64, nanos: Int32) throws {
        guard (Self.minimumSeconds...Self.maximumSeconds).contains(seconds), (0..<1_000_000_000).contains(nanos) else {
            throw ConfirmationError(.cometInvalidTime, "a timestamp must lie in years 0001-9999 with nanos below 10^9")
        }
        self.init(uncheckedSeconds: seconds, nanos: nanos)
    }

    /// Parses RFC 3339 (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, at most nine fraction digits).
    /// - Throws: ``ConfirmationError`` `cometbft.invalid-time`.
    public init(rfc3339 text: String) throws {
        let b = Array(text.utf8)
        func fail(_ why: String) -> ConfirmationError {
            ConfirmationError(.cometInvalidTime, "\(why) in timestamp \"\(text.prefix(40))\"")
        }
        guard b.count >= 20, b.count <= 40 else { throw fail("wrong length") }
        func number(_ range: Range<Int>) throws -> Int64 {
            var v: Int64 = 0
            for i in range {
                guard b.indices.contains(i), (48...57).contains(b[i]) else { throw fail("expected a digit") }
                v = v * 10 + Int64(b[i] - 48)
            }
            return v
        }
        func expect(_ i: Int, _ c: Character) throws {
            guard b.indices.contains(i), b[i] == c.asciiValue else { throw fail("expected '\(c)'") }
        }
        let year = try number(0..<4)
        try expect(4, "-")
        let month = try number(5..<7)
        try expect(7, "-")
        let day = try number(8..<10)
        guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") else { throw fail("expected 'T'") }
        let hour = try number(11..<13)
        try expect(13, ":")
        let minute = try number(14..<16)
        try expect(16, ":")
        let second = try number(17..<19)
        var i = 19
        var nanos: Int64 = 0
        if b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, (48...57).contains(b[i]) {
                guard digits < 9 else { throw fail("more than nine fraction digits") }
                nanos = nanos * 10 + Int64(b[i] - 48)
                digits += 1
                i += 1
            }
            guard digits > 0 else { throw fail("empty fraction") }
            for _ in digits..<9 { nanos *= 10 }
        }
        var offset: Int64 = 0
        guard i < b.count else { throw fail("missing zone") }
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign: Int64 = b[i] == UInt8(ascii: "+") ? 1 : -1
            let oh = try number(i + 1..<i + 3)
            try expect(i + 3, ":")
            let om = try number(i + 4..<i + 6)
            guard oh < 24, om < 60 else { throw fail("bad zone offset") }
            offset = sign * (oh * 3600 + om * 60)
            i += 6
        } else {
            throw fail("bad zone")
        }
        guard i == b.count else { throw fail("trailing characters") }
        guard year >= 1, (1...12).contains(month), hour < 24, minute < 60, second < 60 else { throw fail("field out of range") }
        guard day >= 1, day <= Self.daysInMonth(year: year, month: month) else { throw fail("day out of range") }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let total = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        try self.init(seconds: total, nanos: Int32(nanos))
    }

    /// Whether this is one of the "no time" values CometBFT fixtures write for absent votes:
    /// Go's zero time (0001-01-01T00:00:00Z) or the Unix epoch (the model-based fixtures).
    public var isZeroLike: Bool { self == .goZero || self == .unixEpoch }

    /// RFC 3339 with nanoseconds, trailing fraction zeros removed (Go's `RFC3339Nano`).
    public var rfc3339: String {
        let days = Self.floorDiv(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let (y, m, d) = Self.civilFromDays(days)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var text = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        if nanos != 0 {
            var fraction = pad(Int64(nanos), 9)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    /// The RFC 3339 form.
    public var description: String { rfc3339 }

    /// Chronological order.
    public static func < (lhs: CometBFTTime, rhs: CometBFTTime) -> Bool {
        (lhs.seconds, lhs.nanos) < (rhs.seconds, rhs.nanos)
    }

    /// This time moved by `duration`, clamped to the representable range (never traps).
    public func adding(_ duration: CometBFTDuration) -> CometBFTTime {
        let (ds, dn) = (duration.nanoseconds / 1_000_000_000, duration.nanoseconds % 1_000_000_000)
        var s = seconds.addingReportingOverflow(ds)
        var n = Int64(nanos) + dn
        if n >= 1_000_000_000 { n -= 1_000_000_000; s.partialValue = s.partialValue &+ 1 }
        if n < 0 { n += 1_000_000_000; s.partialValue = s.partialValue &- 1 }
        if s.overflow || s.partialValue > Self.maximumSeconds + 1 { return CometBFTTime(uncheckedSeconds: Self.maximumSeconds + 1, nanos: 0) }
        if s.partialValue < Self.minimumSeconds - 1 { return CometBFTTime(uncheckedSeconds: Self.minimumSeconds - 1, nanos: 0) }
        return CometBFTTime(uncheckedSeconds: s.partialValue, nanos: Int32(n))
    }

    /// The `google.protobuf.Timestamp` encoding: seconds (field 1) and nanos (field 2), zeros omitted.
    var protobuf: [UInt8] {
        var w = ProtoWriter()
        w.int64Field(1, seconds)
        w.int64Field(2, Int64(nanos))
        return w.bytes
    }

    // Proleptic Gregorian conversions (Howard Hinnant's days-from-civil algorithms).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}

/// A non-negative duration in nanoseconds (trusting periods and clock drift).
///
/// ```swift
/// let period = try CometBFTDuration(seconds: "1209600")      // two weeks
/// let drift = try CometBFTDuration(seconds: "10.5")
/// ```
public struct CometBFTDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The length in nanoseconds.
    public let nanoseconds: Int64

    /// Wraps a nanosecond count.
    /// - Throws: ``ConfirmationError`` `cometbft.invalid-duration` when negative.
    public init(nanoseconds: Int64) throws {
        guard nanoseconds >= 0 else { throw ConfirmationError(.cometInvalidDuration, "a duration cannot be negative") }
        self.nanoseconds = nanoseconds
    }

    /// Parses decimal seconds with up to nine fraction digits (`"1400"`, `"10.5"`).
    /// - Throws: ``ConfirmationError`` `cometbft.invalid-duration`.
    public init(seconds text: String) throws {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        guard !whole.isEmpty, whole.utf8.count <= 11, whole.utf8.allSatisfy({ (48...57).contains($0) }),
              fraction.utf8.count <= 9, fraction.utf8.allSatisfy({ (48...57).contains($0) }),
              parts.count == 1 || !fraction.isEmpty,
              let s = Int64(whole) else {
            throw ConfirmationError(.cometInvalidDuration, "a duration is decimal seconds with at most nine fraction digits")
        }
        var nanos: Int64 = 0
        for c in fraction.utf8 { nanos = nanos * 10 + Int64(c - 48) }
        for _ in fraction.utf8.count..<9 { nanos *= 10 }
        let (scaled, overflow) = s.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow, scaled <= Int64.max - nanos else {
            throw ConfirmationError(.cometInvalidDuration, "a duration is at most about 292 years")
        }
        try self.init(nanoseconds: scaled + nanos)
    }

    /// Parses a nanosecond count written as a decimal string (the model-based fixtures' `trusting_period`).
    /// - Throws: ``ConfirmationError`` `cometbft.invalid-duration`.
    public init(nanosecondsText text: String) throws {
        guard text.utf8.count <= 19, !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }), let n = Int64(text) else {
            throw ConfirmationError(.cometInvalidDuration, "a nanosecond duration is a non-negative decimal integer")
        }
        try self.init(nanoseconds: n)
    }

    /// Ten seconds, `light/client.go`'s default maximum clock drift.
    public static let defaultClockDrift = CometBFTDuration(unchecked: 10_000_000_000)
    /// Zero.
    public static let zero = CometBFTDuration(unchecked: 0)

    init(unchecked: Int64) { nanoseconds = unchecked }

    /// Shorter first.
    public static func < (lhs: CometBFTDuration, rhs: CometBFTDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// `<n>ns`.
    public var description: String { "\(nanoseconds)ns" }
}
