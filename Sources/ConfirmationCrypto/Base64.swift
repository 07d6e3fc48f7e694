/// Strict base64 (RFC 4648 §4) and base64url (§5) encoding and decoding.
///
/// The decoders accept only the canonical form: the right alphabet, no whitespace,
/// the unused low bits of the last symbol equal to zero, and, for ``Base64/decode(_:maximumBytes:)``,
/// `=` padding to a multiple of four. base64url is written without padding (as in JWS and tagged
/// formats) and ``Base64/decodeURL(_:maximumBytes:)`` rejects padding.
///
/// ```swift
/// let bytes = try Base64.decode("3q2+7w==")   // [0xde, 0xad, 0xbe, 0xef]
/// Base64.encodeURL(bytes)                     // "3q2-7w"
/// ```
public enum Base64 {
    private static let standardAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Encodes with the standard alphabet and `=` padding.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        encode(Array(bytes), alphabet: standardAlphabet, pad: true)
    }

    /// Encodes with the URL-safe alphabet and no padding.
    public static func encodeURL(_ bytes: some Collection<UInt8>) -> String {
        encode(Array(bytes), alphabet: urlAlphabet, pad: false)
    }

    /// Decodes canonical padded base64.
    /// - Throws: ``ConfirmationError`` `base64.invalid` or `input.too-long`.
    public static func decode(_ text: String, maximumBytes: Int = Hex.defaultMaximumBytes) throws -> [UInt8] {
        try decode(Array(text.utf8), url: false, maximumBytes: maximumBytes)
    }

    /// Decodes canonical unpadded base64url.
    /// - Throws: ``ConfirmationError`` `base64.invalid` or `input.too-long`.
    public static func decodeURL(_ text: String, maximumBytes: Int = Hex.defaultMaximumBytes) throws -> [UInt8] {
        try decode(Array(text.utf8), url: true, maximumBytes: maximumBytes)
    }

    private static func encode(_ bytes: [UInt8], alphabet: [UInt8], pad: Bool) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            if pad { out.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "=")]) }
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            if pad { out.append(UInt8(ascii: "=")) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func value(_ c: UInt8, url: Bool) -> UInt32? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(c - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(c - UInt8(ascii: "a")) + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0")) + 52
        case UInt8(ascii: "+") where !url: return 62
        case UInt8(ascii: "/") where !url: return 63
        case UInt8(ascii: "-") where url: return 62
        case UInt8(ascii: "_") where url: return 63
        default: return nil
        }
    }

    private static func decode(_ input: [UInt8], url: Bool, maximumBytes: Int) throws -> [UInt8] {
        var symbols = input[...]
        if url {
            guard symbols.count % 4 != 1 else {
                throw ConfirmationError(.base64Invalid, "base64url length \(symbols.count) is impossible")
            }
        } else {
            guard symbols.count % 4 == 0 else {
                throw ConfirmationError(.base64Invalid, "base64 length \(symbols.count) is not a multiple of 4")
            }
            var padding = 0
            while padding < 2, symbols.last == UInt8(ascii: "=") {
                symbols = symbols.dropLast()
                padding += 1
            }
        }
        let decodedCount = symbols.count / 4 * 3 + max(0, symbols.count % 4 - 1)
        guard decodedCount <= maximumBytes else {
            throw ConfirmationError(.inputTooLong, "base64 decodes to \(decodedCount) bytes; the limit is \(maximumBytes)")
        }
        var out = [UInt8]()
        out.reserveCapacity(decodedCount)
        var accumulator: UInt32 = 0
        var bits = 0
        for (offset, c) in symbols.enumerated() {
            guard let v = value(c, url: url) else {
                throw ConfirmationError(.base64Invalid, "invalid base64 character at position \(offset)")
            }
            accumulator = accumulator << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        guard accumulator == 0 else {
            throw ConfirmationError(.base64Invalid, "non-canonical base64: unused bits of the last symbol are not zero")
        }
        return out
    }
}
