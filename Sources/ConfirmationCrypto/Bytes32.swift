/// Thirty-two bytes held inline: a digest, a block commitment, a Merkle node.
///
/// `Bytes32` never allocates, compares in four word comparisons, and orders
/// lexicographically by byte (the order used wherever the library sorts commitments).
///
/// ```swift
/// let digest = Keccak256.hash(Array("abc".utf8))
/// print(digest.hex)          // 4e03657a…
/// let same = try Bytes32(hex: digest.hex)
/// assert(same == digest)
/// ```
public struct Bytes32: Hashable, Sendable, Comparable, CustomStringConvertible {
    // Four words in memory order: the bytes of `storage` are the 32 bytes in order.
    @usableFromInline var storage: (UInt64, UInt64, UInt64, UInt64)

    /// Thirty-two zero bytes.
    public static let zero = Bytes32(storage: (0, 0, 0, 0))

    @inlinable init(storage: (UInt64, UInt64, UInt64, UInt64)) {
        self.storage = storage
    }

    /// Creates a value from exactly 32 bytes.
    /// - Throws: ``ConfirmationError`` `input.invalid-length` for any other count.
    public init(_ bytes: some Collection<UInt8>) throws {
        guard bytes.count == 32 else {
            throw ConfirmationError(.invalidLength, "expected 32 bytes, got \(bytes.count)")
        }
        self.init(uncheckedBytes: bytes)
    }

    /// Creates a value from exactly 32 bytes (the fast path for arrays: one copy, no generic code).
    /// - Throws: ``ConfirmationError`` `input.invalid-length` for any other count.
    public init(_ bytes: [UInt8]) throws {
        try self.init(bytes[...])
    }

    /// Creates a value from exactly 32 bytes of a slice (one copy, no generic code).
    /// - Throws: ``ConfirmationError`` `input.invalid-length` for any other count.
    public init(_ bytes: ArraySlice<UInt8>) throws {
        guard bytes.count == 32 else {
            throw ConfirmationError(.invalidLength, "expected 32 bytes, got \(bytes.count)")
        }
        storage = (0, 0, 0, 0)
        bytes.withUnsafeBytes { source in
            withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: source) }
        }
    }

    /// Creates a value from a hex string of exactly 64 digits (an optional `0x` prefix allowed).
    /// - Throws: ``ConfirmationError`` for bad hex or a wrong length.
    public init(hex: String) throws {
        try self.init(Hex.decode(hex))
    }

    /// Copies 32 bytes; the caller has checked the count.
    @inlinable init(uncheckedBytes bytes: some Collection<UInt8>) {
        storage = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &storage) { raw in
            var i = 0
            for byte in bytes.prefix(32) {
                raw[i] = byte
                i += 1
            }
        }
    }

    /// Fills a value through a raw buffer of 32 bytes (used by the hash wrappers).
    @inlinable init(filling body: (UnsafeMutableRawBufferPointer) -> Void) {
        storage = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &storage, body)
    }

    /// The 32 bytes as an array.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// Lowercase hex without a prefix.
    public var hex: String { Hex.encode(bytes) }

    /// `0x`-prefixed lowercase hex.
    public var description: String { "0x" + hex }

    /// Calls `body` with the 32 bytes.
    @inlinable public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: storage, body)
    }

    /// The byte at `index` (0 ..< 32).
    @inlinable public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < 32, "Bytes32 index out of range")
        return withUnsafeBytes { $0[index] }
    }

    @inlinable public static func == (lhs: Bytes32, rhs: Bytes32) -> Bool {
        lhs.storage.0 == rhs.storage.0 && lhs.storage.1 == rhs.storage.1
            && lhs.storage.2 == rhs.storage.2 && lhs.storage.3 == rhs.storage.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
        hasher.combine(storage.3)
    }

    /// Lexicographic byte order.
    public static func < (lhs: Bytes32, rhs: Bytes32) -> Bool {
        let l = (lhs.storage.0.bigEndian, lhs.storage.1.bigEndian, lhs.storage.2.bigEndian, lhs.storage.3.bigEndian)
        let r = (rhs.storage.0.bigEndian, rhs.storage.1.bigEndian, rhs.storage.2.bigEndian, rhs.storage.3.bigEndian)
        return l < r
    }
}

extension Bytes32: Codable {
    /// Decodes from a hex string (optional `0x`).
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(hex: text)
    }

    /// Encodes as `0x`-prefixed lowercase hex.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
