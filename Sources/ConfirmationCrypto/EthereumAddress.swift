/// A 20-byte Ethereum account address.
///
/// Parsing is strict about EIP-55: an all-lowercase or all-uppercase address is accepted as is;
/// a mixed-case address must carry the correct checksum. ``checksummed`` formats with EIP-55.
///
/// ```swift
/// let a = try EthereumAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
/// a.checksummed    // "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
/// ```
public struct EthereumAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 20 address bytes.
    public let bytes: [UInt8]

    /// Wraps 20 bytes.
    /// - Throws: ``ConfirmationError`` `input.invalid-length` for any other count.
    public init(bytes: some Collection<UInt8>) throws {
        guard bytes.count == 20 else {
            throw ConfirmationError(.invalidLength, "an Ethereum address is 20 bytes; got \(bytes.count)")
        }
        self.bytes = Array(bytes)
    }

    init(uncheckedBytes bytes: some Collection<UInt8>) { self.bytes = Array(bytes) }

    /// Parses `0x` followed by 40 hex digits, checking the EIP-55 checksum of mixed-case input.
    /// - Throws: ``ConfirmationError`` `address.invalid` or `address.checksum-mismatch`.
    public init(_ text: String) throws {
        guard text.utf8.count == 42, text.hasPrefix("0x") else {
            throw ConfirmationError(.invalidAddress, "an address is 0x followed by 40 hex digits")
        }
        let digits = String(text.dropFirst(2))
        let decoded: [UInt8]
        do {
            decoded = try Hex.decode(digits, count: 20)
        } catch {
            throw ConfirmationError(.invalidAddress, "an address is 0x followed by 40 hex digits")
        }
        self.bytes = decoded
        let hasLower = digits.utf8.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f") }
        let hasUpper = digits.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F") }
        if hasLower && hasUpper && checksummed != text {
            throw ConfirmationError(.addressChecksumMismatch, "mixed-case address does not match its EIP-55 checksum")
        }
    }

    /// The EIP-55 mixed-case form, `0x`-prefixed.
    public var checksummed: String {
        let lower = Array(Hex.encode(bytes).utf8)
        let hash = Keccak256.hash(lower)
        var out = [UInt8](repeating: 0, count: 40)
        for i in 0..<40 {
            let nibble = i % 2 == 0 ? hash[i / 2] >> 4 : hash[i / 2] & 0x0f
            let c = lower[i]
            out[i] = (nibble >= 8 && c >= UInt8(ascii: "a")) ? c - 32 : c
        }
        return "0x" + String(decoding: out, as: UTF8.self)
    }

    /// The checksummed form.
    public var description: String { checksummed }

    /// Byte-wise order, as used for sorted signer lists.
    public static func < (lhs: EthereumAddress, rhs: EthereumAddress) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

extension EthereumAddress: Codable {
    /// Decodes from a `0x` hex string (checksum enforced when mixed case).
    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes as the EIP-55 checksummed string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(checksummed)
    }
}
