public import ConfirmationKit

/// Parsing of the hex strings Ethereum JSON-RPC uses: `DATA` (even-length bytes) and `QUANTITY`
/// (a big-endian unsigned number).
public enum EthereumJSON {
    /// Parses `DATA`: `0x` followed by an even number of hex digits.
    /// - Parameters:
    ///   - text: the string.
    ///   - field: the field name, for the error message.
    ///   - maximumBytes: the longest value accepted.
    /// - Throws: ``ConfirmationError`` `ethereum.invalid-json` without the prefix, for bad hex or for too many bytes.
    public static func data(_ text: String, field: String, maximumBytes: Int = 1 << 24) throws -> [UInt8] {
        guard text.hasPrefix("0x") else {
            throw ConfirmationError(.ethereumInvalidJSON, "\(field): expected 0x-prefixed hex")
        }
        do {
            return try Hex.decode(text, maximumBytes: maximumBytes)
        } catch let error as ConfirmationError {
            throw ConfirmationError(.ethereumInvalidJSON, "\(field): \(error.reason)")
        }
    }

    /// Parses `DATA` of exactly `count` bytes.
    public static func data(_ text: String, field: String, count: Int) throws -> [UInt8] {
        let bytes = try data(text, field: field, maximumBytes: count)
        guard bytes.count == count else {
            throw ConfirmationError(.ethereumInvalidJSON, "\(field): expected \(count) bytes, got \(bytes.count)")
        }
        return bytes
    }

    /// Parses a 32-byte `DATA` value.
    public static func bytes32(_ text: String, field: String) throws -> Bytes32 {
        try Bytes32(data(text, field: field, count: 32))
    }

    /// Parses a `QUANTITY` of at most `maximumBytes` bytes into its minimal big-endian bytes (zero is empty).
    ///
    /// Leading zero digits are tolerated (some clients send them); the number is what counts.
    /// - Throws: ``ConfirmationError`` `ethereum.invalid-json` for a missing prefix, no digits, a bad digit or a too-large value.
    public static func quantity(_ text: String, field: String, maximumBytes: Int = 32) throws -> [UInt8] {
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else {
            throw ConfirmationError(.ethereumInvalidJSON, "\(field): expected a 0x-prefixed quantity")
        }
        var digits = Array(text.utf8.dropFirst(2))
        guard !digits.isEmpty else {
            throw ConfirmationError(.ethereumInvalidJSON, "\(field): quantity has no digits")
        }
        while digits.count > 1, digits.first == UInt8(ascii: "0") { digits.removeFirst() }
        guard digits.count <= maximumBytes * 2 else {
            throw ConfirmationError(.ethereumInvalidJSON, "\(field): quantity exceeds \(maximumBytes) bytes")
        }
        if digits.count % 2 == 1 { digits.insert(UInt8(ascii: "0"), at: 0) }
        let bytes: [UInt8]
        do {
            bytes = try Hex.decode(String(decoding: digits, as: UTF8.self))
        } catch {
            throw ConfirmationError(.ethereumInvalidJSON, "\(field): invalid hex digit in quantity")
        }
        return RLP.trimmingLeadingZeros(bytes)
    }

    /// Parses a `QUANTITY` that must fit in 64 bits.
    public static func uint64(_ text: String, field: String) throws -> UInt64 {
        let bytes = try quantity(text, field: field, maximumBytes: 8)
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Parses a storage key (`bytesMax32`): up to 64 hex digits, odd counts and `0x` allowed, left-padded to 32 bytes.
    public static func storageKey(_ text: String) throws -> Bytes32 {
        guard text.hasPrefix("0x") else {
            throw ConfirmationError(.ethereumInvalidJSON, "storage key: expected 0x-prefixed hex")
        }
        var digits = Array(text.utf8.dropFirst(2))
        guard digits.count <= 64 else {
            throw ConfirmationError(.ethereumInvalidJSON, "storage key longer than 32 bytes")
        }
        digits.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "0"), count: 64 - digits.count), at: 0)
        do {
            return try Bytes32(hex: String(decoding: digits, as: UTF8.self))
        } catch {
            throw ConfirmationError(.ethereumInvalidJSON, "storage key: invalid hex digit")
        }
    }

    /// Formats minimal big-endian bytes as a `QUANTITY` (`0x0` for zero).
    public static func quantityString(_ bytes: [UInt8]) -> String {
        let trimmed = RLP.trimmingLeadingZeros(bytes)
        guard !trimmed.isEmpty else { return "0x0" }
        var hex = Hex.encode(trimmed)
        if hex.hasPrefix("0") { hex.removeFirst() }
        return "0x" + hex
    }

    /// Formats a number as a `QUANTITY`.
    public static func quantityString(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
}

extension ConfirmationError.Code {
    /// An Ethereum JSON-RPC object is malformed (missing field, wrong hex, wrong length).
    public static let ethereumInvalidJSON = Self("ethereum.invalid-json")
}
