/// Espresso's tagged-base64 text encoding: `TAG~base64url_nopad(value ‖ checksum)`.
///
/// The tag uses the URL-safe base64 alphabet (it may be empty). The checksum byte is the CRC-8
/// (polynomial 0x07, initial value 0, MSB first, no final XOR) of `tag ‖ value`, XORed with
/// `value.count mod 256`. Parsing is strict: canonical unpadded base64url and a matching checksum.
///
/// ```swift
/// let commit = try TaggedBase64(parsing: "COMMIT~OT9iMG9s0TMRam8kUpKIrw0XS1_sc7OYSksAzq3TjB1T")
/// commit.tag          // "COMMIT"
/// commit.value.count  // 32
/// commit.description  // the same text back
/// ```
public struct TaggedBase64: Sendable, Hashable, CustomStringConvertible {
    /// The tag before `~`, e.g. `BLS_SIG`.
    public let tag: String
    /// The decoded payload, without the checksum byte.
    public let value: [UInt8]

    /// The most bytes a value may have (4 MiB), bounding the decoder.
    public static let maximumValueBytes = 4 << 20
    /// The longest tag accepted.
    public static let maximumTagLength = 64

    /// Wraps a value under a tag.
    /// - Throws: ``ConfirmationError`` `tagged-base64.invalid-tag` when the tag has a character outside
    ///   the URL-safe base64 alphabet or is too long.
    public init(tag: String, value: [UInt8]) throws {
        try Self.validate(tag: tag)
        self.tag = tag
        self.value = value
    }

    /// Wraps a value under a tag the caller knows is valid (a constant such as `BLS_SIG`); used
    /// by ConfirmationKit's own encoders. A tag outside the alphabet is a programming error that
    /// the checked ``init(tag:value:)`` would report; here it is only asserted in debug builds.
    package init(knownTag tag: String, value: [UInt8]) {
        assert((try? Self.validate(tag: tag)) != nil, "invalid constant tag \(tag)")
        self.tag = tag
        self.value = value
    }

    /// Parses `TAG~payload`.
    /// - Parameter text: the tagged-base64 string.
    /// - Throws: ``ConfirmationError`` `tagged-base64.missing-separator`, `tagged-base64.invalid-tag`,
    ///   `base64.invalid`, `input.too-long`, `tagged-base64.missing-checksum` or
    ///   `tagged-base64.checksum-mismatch`.
    public init(parsing text: String) throws {
        let utf8 = Array(text.utf8)
        guard utf8.count <= Self.maximumTagLength + 1 + (Self.maximumValueBytes + 1) / 3 * 4 + 4 else {
            throw ConfirmationError(.inputTooLong, "tagged-base64 text of \(utf8.count) bytes is too long")
        }
        guard let separator = utf8.firstIndex(of: UInt8(ascii: "~")) else {
            throw ConfirmationError(.taggedBase64MissingSeparator, "no '~' between tag and value")
        }
        let tag = String(decoding: utf8[..<separator], as: UTF8.self)
        try Self.validate(tag: tag)
        let payload = String(decoding: utf8[(separator + 1)...], as: UTF8.self)
        let bytes = try Base64.decodeURL(payload, maximumBytes: Self.maximumValueBytes + 1)
        guard let checksum = bytes.last else {
            throw ConfirmationError(.taggedBase64MissingChecksum, "the payload is empty: no checksum byte")
        }
        let value = Array(bytes.dropLast())
        guard Self.checksum(tag: tag, value: value) == checksum else {
            throw ConfirmationError(.taggedBase64ChecksumMismatch, "the checksum of \(tag)~… does not match")
        }
        self.tag = tag
        self.value = value
    }

    /// Parses and requires a given tag and value length.
    /// - Throws: as ``init(parsing:)``, plus `tagged-base64.unexpected-tag` and `input.invalid-length`.
    public init(parsing text: String, tag expectedTag: String, length: Int? = nil) throws {
        try self.init(parsing: text)
        guard tag == expectedTag else {
            throw ConfirmationError(.taggedBase64UnexpectedTag, "expected tag \(expectedTag), got \(tag)")
        }
        if let length, value.count != length {
            throw ConfirmationError(.invalidLength, "\(tag) value has \(value.count) bytes, expected \(length)")
        }
    }

    /// The text form `TAG~base64url(value ‖ checksum)`.
    public var description: String {
        tag + "~" + Base64.encodeURL(value + [Self.checksum(tag: tag, value: value)])
    }

    /// CRC-8 (poly 0x07, init 0, MSB first) of `tag ‖ value`, XOR `value.count mod 256`.
    static func checksum(tag: String, value: [UInt8]) -> UInt8 {
        var crc: UInt8 = 0
        func feed(_ byte: UInt8) {
            crc ^= byte
            for _ in 0..<8 { crc = crc & 0x80 != 0 ? (crc << 1) ^ 0x07 : crc << 1 }
        }
        for byte in tag.utf8 { feed(byte) }
        for byte in value { feed(byte) }
        return crc ^ UInt8(truncatingIfNeeded: value.count)
    }

    private static func validate(tag: String) throws {
        guard tag.utf8.count <= maximumTagLength else {
            throw ConfirmationError(.taggedBase64InvalidTag, "the tag is longer than \(maximumTagLength) bytes")
        }
        for c in tag.utf8 {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                continue
            default:
                throw ConfirmationError(.taggedBase64InvalidTag, "the tag has a character outside the base64url alphabet")
            }
        }
    }
}

extension ConfirmationError.Code {
    /// A tagged-base64 string has no `~` separator.
    public static let taggedBase64MissingSeparator = Self("tagged-base64.missing-separator")
    /// A tagged-base64 tag has a character outside the URL-safe base64 alphabet, or is too long.
    public static let taggedBase64InvalidTag = Self("tagged-base64.invalid-tag")
    /// A tagged-base64 payload decodes to no bytes, so it has no checksum.
    public static let taggedBase64MissingChecksum = Self("tagged-base64.missing-checksum")
    /// A tagged-base64 checksum byte does not match the tag and value.
    public static let taggedBase64ChecksumMismatch = Self("tagged-base64.checksum-mismatch")
    /// A tagged-base64 string carries a different tag than the field requires.
    public static let taggedBase64UnexpectedTag = Self("tagged-base64.unexpected-tag")
}
