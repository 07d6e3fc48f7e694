/// An unsigned 256-bit integer for stake amounts, with checked arithmetic only.
///
/// Stake is counted in the smallest unit of a token (wei for an ERC-20 with 18 decimals), so
/// 64 bits are not enough. `UInt256` offers exactly what stake accounting needs: addition that
/// reports overflow, comparison, and the exact comparison of two fractions
/// (``isProduct(_:greaterThanProductOf:_:)``) computed on 320-bit intermediates so it never
/// overflows. Nothing here traps on untrusted input.
///
/// ```swift
/// let a = try UInt256(decimal: "340282366920938463463374607431768211456")   // 2^128
/// let (sum, overflow) = a.addingReportingOverflow(a)
/// print(sum, overflow)                       // 680564733841876926926749214863536422912 false
/// print(sum.hexString)                       // 0x200000000000000000000000000000000
/// ```
///
/// JSON: encoded as a decimal string (`"1000000000000000000"`); decoded from a decimal string, a
/// `0x` hex string, or a non-negative JSON integer.
public struct UInt256: Sendable, Hashable, Comparable, CustomStringConvertible {
    // Little-endian 64-bit words: value = w0 + w1·2^64 + w2·2^128 + w3·2^192.
    @usableFromInline var w0: UInt64
    @usableFromInline var w1: UInt64
    @usableFromInline var w2: UInt64
    @usableFromInline var w3: UInt64

    /// Zero.
    public static let zero = UInt256(0)
    /// 2^256 − 1.
    public static let max = UInt256(words: (.max, .max, .max, .max))

    /// The value of a 64-bit integer.
    @inlinable public init(_ value: UInt64) {
        (w0, w1, w2, w3) = (value, 0, 0, 0)
    }

    /// The value of four little-endian 64-bit words (least significant first).
    @inlinable public init(words: (UInt64, UInt64, UInt64, UInt64)) {
        (w0, w1, w2, w3) = words
    }

    /// The four little-endian 64-bit words, least significant first.
    @inlinable public var words: (UInt64, UInt64, UInt64, UInt64) { (w0, w1, w2, w3) }

    /// Whether the value is zero.
    @inlinable public var isZero: Bool { (w0 | w1 | w2 | w3) == 0 }

    /// Returns `self + other` modulo 2^256 and whether the true sum did not fit.
    ///
    /// ```swift
    /// let (_, overflow) = UInt256.max.addingReportingOverflow(UInt256(1))   // overflow == true
    /// ```
    @inlinable
    public func addingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let (r0, c0) = w0.addingReportingOverflow(other.w0)
        let (s1, c1a) = w1.addingReportingOverflow(other.w1)
        let (r1, c1b) = s1.addingReportingOverflow(c0 ? 1 : 0)
        let (s2, c2a) = w2.addingReportingOverflow(other.w2)
        let (r2, c2b) = s2.addingReportingOverflow((c1a || c1b) ? 1 : 0)
        let (s3, c3a) = w3.addingReportingOverflow(other.w3)
        let (r3, c3b) = s3.addingReportingOverflow((c2a || c2b) ? 1 : 0)
        return (UInt256(words: (r0, r1, r2, r3)), c3a || c3b)
    }

    /// Returns `self − other` and whether it borrowed (`other > self`).
    @inlinable
    public func subtractingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let (r0, b0) = w0.subtractingReportingOverflow(other.w0)
        let (s1, b1a) = w1.subtractingReportingOverflow(other.w1)
        let (r1, b1b) = s1.subtractingReportingOverflow(b0 ? 1 : 0)
        let (s2, b2a) = w2.subtractingReportingOverflow(other.w2)
        let (r2, b2b) = s2.subtractingReportingOverflow((b1a || b1b) ? 1 : 0)
        let (s3, b3a) = w3.subtractingReportingOverflow(other.w3)
        let (r3, b3b) = s3.subtractingReportingOverflow((b2a || b2b) ? 1 : 0)
        return (UInt256(words: (r0, r1, r2, r3)), b3a || b3b)
    }

    /// The exact 320-bit product `self × factor`, as a high word and the low 256 bits.
    @inlinable
    public func multipliedFullWidth(by factor: UInt64) -> (high: UInt64, low: UInt256) {
        let p0 = w0.multipliedFullWidth(by: factor)
        let p1 = w1.multipliedFullWidth(by: factor)
        let p2 = w2.multipliedFullWidth(by: factor)
        let p3 = w3.multipliedFullWidth(by: factor)
        // Each partial product's high word plus a carry of at most 1 fits in 64 bits,
        // because (2^64 − 1)^2 = 2^128 − 2^65 + 1 leaves room in the high word.
        let r0 = p0.low
        let (r1, c1) = p1.low.addingReportingOverflow(p0.high)
        let (r2a, c2a) = p2.low.addingReportingOverflow(p1.high)
        let (r2, c2b) = r2a.addingReportingOverflow(c1 ? 1 : 0)
        let (r3a, c3a) = p3.low.addingReportingOverflow(p2.high)
        let (r3, c3b) = r3a.addingReportingOverflow((c2a || c2b) ? 1 : 0)
        let high = p3.high &+ ((c3a || c3b) ? 1 : 0)
        return (high, UInt256(words: (r0, r1, r2, r3)))
    }

    /// Whether `a × m > b × n`, exactly (the products are formed on 320 bits and never overflow).
    ///
    /// This is how thresholds compare fractions without division: "more than 2/3 of the total"
    /// is `isProduct(signed, greaterThanProductOf: total, 2, times: 3)`, i.e. `signed × 3 > total × 2`.
    ///
    /// - Parameters:
    ///   - a: the left factor (e.g. the signed stake).
    ///   - b: the right factor (e.g. the total stake).
    ///   - n: the multiplier of `b` (e.g. the numerator).
    ///   - m: the multiplier of `a` (e.g. the denominator).
    /// - Returns: whether `a·m > b·n`.
    @inlinable
    public static func isProduct(_ a: UInt256, greaterThanProductOf b: UInt256, _ n: UInt64, times m: UInt64) -> Bool {
        compareProducts(a, m, b, n) > 0
    }

    /// Compares `a·m` with `b·n` exactly: negative, zero or positive.
    @inlinable
    public static func compareProducts(_ a: UInt256, _ m: UInt64, _ b: UInt256, _ n: UInt64) -> Int {
        let left = a.multipliedFullWidth(by: m)
        let right = b.multipliedFullWidth(by: n)
        if left.high != right.high { return left.high < right.high ? -1 : 1 }
        if left.low == right.low { return 0 }
        return left.low < right.low ? -1 : 1
    }

    @inlinable public static func < (lhs: UInt256, rhs: UInt256) -> Bool {
        if lhs.w3 != rhs.w3 { return lhs.w3 < rhs.w3 }
        if lhs.w2 != rhs.w2 { return lhs.w2 < rhs.w2 }
        if lhs.w1 != rhs.w1 { return lhs.w1 < rhs.w1 }
        return lhs.w0 < rhs.w0
    }

    /// The value as 32 big-endian bytes.
    public var bigEndianBytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for word in [w3, w2, w1, w0] {
            for shift in stride(from: 56, through: 0, by: -8) {
                out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return out
    }

    /// Creates a value from exactly 32 big-endian bytes.
    /// - Throws: ``ConfirmationError`` `input.invalid-length` for any other count.
    public init(bigEndianBytes bytes: some Collection<UInt8>) throws {
        let input = Array(bytes)
        guard input.count == 32 else {
            throw ConfirmationError(.invalidLength, "a 256-bit integer is 32 bytes; got \(input.count)")
        }
        var words: [UInt64] = [0, 0, 0, 0]
        for (i, byte) in input.enumerated() {
            let word = 3 - i / 8
            words[word] = words[word] << 8 | UInt64(byte)
        }
        self.init(words: (words[0], words[1], words[2], words[3]))
    }

    /// The longest decimal representation of a 256-bit value (2^256 − 1 has 78 digits).
    public static let maximumDecimalDigits = 78

    /// Parses a decimal string of digits only (no sign, no separators, no leading zeros except `"0"`).
    ///
    /// - Throws: ``ConfirmationError`` `amount.invalid` for an empty, non-digit or non-canonical
    ///   string, `amount.overflow` for a value of 2^256 or more.
    public init(decimal text: String) throws {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.count <= Self.maximumDecimalDigits + 1 else {
            throw ConfirmationError(.amountInvalid, "a decimal amount has 1 to \(Self.maximumDecimalDigits) digits")
        }
        guard digits.count == 1 || digits[0] != UInt8(ascii: "0") else {
            throw ConfirmationError(.amountInvalid, "a decimal amount has no leading zeros")
        }
        var value = UInt256.zero
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else {
                throw ConfirmationError(.amountInvalid, "a decimal amount has digits 0-9 only")
            }
            let (high, times10) = value.multipliedFullWidth(by: 10)
            let (next, carry) = times10.addingReportingOverflow(UInt256(UInt64(digit - UInt8(ascii: "0"))))
            guard high == 0, !carry else {
                throw ConfirmationError(.amountOverflow, "the amount does not fit in 256 bits")
            }
            value = next
        }
        self = value
    }

    /// Parses `0x` followed by 1 to 64 hex digits.
    /// - Throws: ``ConfirmationError`` `amount.invalid` or `amount.overflow` (more than 64 significant digits).
    public init(hexString text: String) throws {
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else {
            throw ConfirmationError(.amountInvalid, "a hex amount starts with 0x")
        }
        var digits = Array(text.utf8.dropFirst(2))
        guard !digits.isEmpty, digits.count <= 66 else {
            throw ConfirmationError(digits.isEmpty ? .amountInvalid : .amountOverflow, "a hex amount has 1 to 64 digits")
        }
        while digits.count > 1 && digits[0] == UInt8(ascii: "0") { digits.removeFirst() }
        guard digits.count <= 64 else {
            throw ConfirmationError(.amountOverflow, "the amount does not fit in 256 bits")
        }
        var words: [UInt64] = [0, 0, 0, 0]
        for (i, digit) in digits.reversed().enumerated() {
            let nibble: UInt64
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt64(digit - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt64(digit - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = UInt64(digit - UInt8(ascii: "A") + 10)
            default: throw ConfirmationError(.amountInvalid, "a hex amount has digits 0-9, a-f only")
            }
            words[i / 16] |= nibble << UInt64(4 * (i % 16))
        }
        self.init(words: (words[0], words[1], words[2], words[3]))
    }

    /// Parses a decimal string, or a hex string when it starts with `0x`.
    /// - Throws: ``ConfirmationError`` `amount.invalid` or `amount.overflow`.
    public init(parsing text: String) throws {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            try self.init(hexString: text)
        } else {
            try self.init(decimal: text)
        }
    }

    /// The quotient and remainder of a division by a non-zero 64-bit divisor.
    @inlinable
    public func quotientAndRemainder(dividingBy divisor: UInt64) -> (quotient: UInt256, remainder: UInt64) {
        precondition(divisor != 0, "division by zero")
        var remainder: UInt64 = 0
        var q: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        (q.3, remainder) = divisor.dividingFullWidth((remainder, w3))
        (q.2, remainder) = divisor.dividingFullWidth((remainder, w2))
        (q.1, remainder) = divisor.dividingFullWidth((remainder, w1))
        (q.0, remainder) = divisor.dividingFullWidth((remainder, w0))
        return (UInt256(words: q), remainder)
    }

    /// The decimal representation.
    public var description: String {
        if isZero { return "0" }
        var chunks: [UInt64] = []
        var value = self
        let base: UInt64 = 10_000_000_000_000_000_000  // 10^19
        while !value.isZero {
            let (q, r) = value.quotientAndRemainder(dividingBy: base)
            chunks.append(r)
            value = q
        }
        var text = String(chunks.removeLast())
        for chunk in chunks.reversed() {
            let part = String(chunk)
            text += String(repeating: "0", count: 19 - part.count) + part
        }
        return text
    }

    /// `0x` followed by the minimal lowercase hex digits (`0x0` for zero).
    public var hexString: String {
        let hex = Hex.encode(bigEndianBytes)
        let trimmed = hex.drop { $0 == "0" }
        return "0x" + (trimmed.isEmpty ? "0" : String(trimmed))
    }

    /// An approximation as a `Double`, for percentages in human-readable output only.
    public var approximateDouble: Double {
        let two64 = 18_446_744_073_709_551_616.0
        return ((Double(w3) * two64 + Double(w2)) * two64 + Double(w1)) * two64 + Double(w0)
    }
}

extension UInt256: Codable {
    /// Decodes a decimal string, a `0x` hex string, or a non-negative JSON integer.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(UInt64.self) {
            self.init(number)
            return
        }
        let text: String
        do {
            text = try container.decode(String.self)
        } catch {
            throw ConfirmationError(.amountInvalid, "an amount is a decimal string, a 0x hex string or a non-negative integer")
        }
        try self.init(parsing: text)
    }

    /// Encodes as a decimal string, so that no JSON reader rounds it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension ConfirmationError.Code {
    /// An amount is not a canonical decimal string, a `0x` hex string or a non-negative integer.
    public static let amountInvalid = Self("amount.invalid")
    /// An amount does not fit in 256 bits.
    public static let amountOverflow = Self("amount.overflow")
}
