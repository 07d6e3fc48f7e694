/// Strict hexadecimal encoding and decoding.
///
/// Decoding accepts an optional `0x`/`0X` prefix and upper- or lowercase digits; it rejects
/// odd lengths, whitespace and any other character. Encoding is lowercase without a prefix.
///
/// ```swift
/// let bytes = try Hex.decode("0xdeadBEEF")   // [0xde, 0xad, 0xbe, 0xef]
/// Hex.encode(bytes)                          // "deadbeef"
/// ```
public enum Hex {
    /// The default upper bound on decoded bytes (16 MiB), so untrusted text cannot ask for unbounded memory.
    public static let defaultMaximumBytes = 16 << 20

    /// Decodes hex text into bytes.
    /// - Parameters:
    ///   - text: the hex digits, optionally prefixed with `0x`.
    ///   - maximumBytes: the largest decoded length accepted.
    /// - Returns: the decoded bytes.
    /// - Throws: ``ConfirmationError`` with `hex.odd-length`, `hex.invalid-character` or `input.too-long`.
    public static func decode(_ text: String, maximumBytes: Int = defaultMaximumBytes) throws -> [UInt8] {
        var utf8 = Substring(text).utf8[...]
        if utf8.count >= 2, utf8.first == UInt8(ascii: "0"),
           let x = utf8.dropFirst().first, x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            utf8 = utf8.dropFirst(2)
        }
        guard utf8.count % 2 == 0 else {
            throw ConfirmationError(.hexOddLength, "hex string has an odd number of digits (\(utf8.count))")
        }
        guard utf8.count / 2 <= maximumBytes else {
            throw ConfirmationError(.inputTooLong, "hex string decodes to \(utf8.count / 2) bytes; the limit is \(maximumBytes)")
        }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var high: UInt8 = 0
        var haveHigh = false
        var position = 0
        for character in utf8 {
            guard let nibble = nibbleValue(character) else {
                throw ConfirmationError(.hexInvalidCharacter, "invalid hex character at position \(position)")
            }
            if haveHigh {
                out.append(high << 4 | nibble)
            } else {
                high = nibble
            }
            haveHigh.toggle()
            position += 1
        }
        return out
    }

    /// Decodes exactly `count` bytes of hex.
    /// - Throws: ``ConfirmationError`` `input.invalid-length` if the length differs, or a hex error.
    public static func decode(_ text: String, count: Int) throws -> [UInt8] {
        let bytes = try decode(text, maximumBytes: max(count, 0))
        guard bytes.count == count else {
            throw ConfirmationError(.invalidLength, "expected \(count) bytes of hex, got \(bytes.count)")
        }
        return bytes
    }

    /// Encodes bytes as lowercase hex without a prefix.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func nibbleValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
}
