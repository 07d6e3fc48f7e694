public import ConfirmationCrypto

/// A rollup's namespace in a namespaced block: a fixed-width 8-byte id, an unsigned 64-bit integer
/// written big-endian wherever it is hashed or serialized.
///
/// Namespaces sort by their integer value, which is also the order of their big-endian bytes.
/// JSON writes an id as 16 hex digits with `0x`.
///
/// ```swift
/// let rollup: NamespaceID = 42
/// rollup.description          // "0x000000000000002a"
/// try NamespaceID(hex: "0x000000000000002a") == rollup
/// ```
public struct NamespaceID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    /// The id as an integer.
    public let rawValue: UInt64

    /// Creates an id from its integer value.
    /// - Parameter rawValue: the id.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Creates an id from its integer value.
    /// - Parameter rawValue: the id.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// Creates an id from an integer literal.
    public init(integerLiteral value: UInt64) { rawValue = value }

    /// Parses exactly 8 bytes of hex (optional `0x`), big-endian.
    /// - Parameter hex: 16 hex digits.
    /// - Throws: ``ConfirmationError`` `input.invalid-length` or a hex error.
    public init(hex: String) throws {
        let bytes = try Hex.decode(hex, count: 8)
        rawValue = bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The 8 big-endian bytes.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: rawValue >> UInt64(56 - 8 * $0)) }
    }

    /// `0x` and 16 lowercase hex digits.
    public var description: String { "0x" + Hex.encode(bytes) }

    /// Orders by integer value (the same as big-endian byte order).
    public static func < (lhs: NamespaceID, rhs: NamespaceID) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension NamespaceID: Codable {
    /// Decodes 16 hex digits.
    public init(from decoder: any Decoder) throws {
        try self.init(hex: decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes as `0x` and 16 hex digits.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension ConfirmationError.Code {
    // Namespaced blocks.
    /// A namespace asked for is not in the block.
    public static let namespaceNotFound = Self("namespace.not-found")
    /// An absence proof was asked for a namespace that is in the block.
    public static let namespacePresent = Self("namespace.present")
    /// A namespace entry or completeness proof has zero transactions (empty namespaces are never in a block).
    public static let namespaceEmpty = Self("namespace.empty")
    /// An absence proof's neighbours are not adjacent, or not at the first / last position they claim.
    public static let namespaceInvalidNeighbours = Self("namespace.invalid-neighbours")
    /// Namespaces in a proof are not in the strictly increasing order of the block's table
    /// (for an absence proof: the namespace is not strictly between its neighbours).
    public static let namespaceOutOfOrder = Self("namespace.out-of-order")
    /// A bundle names the same transaction (namespace and index) twice.
    public static let namespaceDuplicateLeg = Self("namespace.duplicate-leg")
    /// A bundle's groups or legs are not in increasing order.
    public static let namespaceLegsNotSorted = Self("namespace.legs-not-sorted")
    /// A bundle has no legs.
    public static let namespaceNoLegs = Self("namespace.no-legs")
    /// A bundle has more legs than ``MerkleLimits/maximumBundleLegs``.
    public static let namespaceTooManyLegs = Self("namespace.too-many-legs")
    /// A block or proof names more namespaces than ``MerkleLimits/maximumNamespaces``.
    public static let namespaceTooMany = Self("namespace.too-many")
}
