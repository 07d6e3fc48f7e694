public import ConfirmationCrypto

/// One entry of a namespaced block's table: a namespace, its transaction count and the RFC 6962
/// SHA-256 root over its transactions.
///
/// The entry is hashed as `SHA-256(0x02 ‖ namespace (8, BE) ‖ transactionCount (8, BE) ‖ root (32))`.
public struct NamespaceEntry: Sendable, Hashable, Codable {
    /// The namespace.
    public let namespace: NamespaceID
    /// How many transactions the namespace has in the block (at least one).
    public let transactionCount: UInt64
    /// The RFC 6962 SHA-256 root over the namespace's transactions, in order.
    public let namespaceRoot: Bytes32

    /// Creates an entry.
    /// - Parameters:
    ///   - namespace: the namespace.
    ///   - transactionCount: its transaction count, at least one.
    ///   - namespaceRoot: the root over its transactions.
    /// - Throws: ``ConfirmationError`` `namespace.empty` for a zero count.
    public init(namespace: NamespaceID, transactionCount: UInt64, namespaceRoot: Bytes32) throws {
        guard transactionCount > 0 else {
            throw ConfirmationError(.namespaceEmpty, "namespace \(namespace) entry has zero transactions")
        }
        self.namespace = namespace
        self.transactionCount = transactionCount
        self.namespaceRoot = namespaceRoot
    }

    /// Decodes `{"namespace", "transactionCount", "namespaceRoot"}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            namespace: container.decode(NamespaceID.self, forKey: .namespace),
            transactionCount: container.decode(UInt64.self, forKey: .transactionCount),
            namespaceRoot: container.decode(Bytes32.self, forKey: .namespaceRoot))
    }

    /// The 48 bytes hashed under the entry prefix: namespace (8, BE), count (8, BE), root (32).
    static func encode(namespace: NamespaceID, transactionCount: UInt64, namespaceRoot: Bytes32) -> [UInt8] {
        var buffer: (UInt64, UInt64, Bytes32) = (namespace.rawValue.bigEndian, transactionCount.bigEndian, namespaceRoot)
        return withUnsafeBytes(of: &buffer) { Array($0.prefix(48)) }
    }

    /// The entry hash from its three fields, with no allocation.
    static func hash(namespace: NamespaceID, transactionCount: UInt64, namespaceRoot: Bytes32) -> Bytes32 {
        var buffer: (UInt64, UInt64, Bytes32) = (namespace.rawValue.bigEndian, transactionCount.bigEndian, namespaceRoot)
        return withUnsafeBytes(of: &buffer) { raw in
            NamespaceTableHasher.leafHash(UnsafeRawBufferPointer(rebasing: raw[0..<48]))
        }
    }

    /// `SHA-256(0x02 ‖ namespace ‖ transactionCount ‖ namespaceRoot)`.
    public var entryHash: Bytes32 {
        Self.hash(namespace: namespace, transactionCount: transactionCount, namespaceRoot: namespaceRoot)
    }
}

/// The hashing rules of the namespace table tree: the RFC 6962 shape with its own prefixes, so
/// that no table entry or table node can be read as a transaction leaf or transaction node.
///
/// - entry (leaf): `SHA-256(0x02 ‖ entry bytes)`
/// - node: `SHA-256(0x03 ‖ left ‖ right)`
enum NamespaceTableHasher: MerkleHasher {
    static let identifier = "namespace-table-sha256"
    static let binaryTag: UInt8 = 0x80
    static let emptyTreeRoot = Bytes32.zero

    static func leafHash(_ data: UnsafeRawBufferPointer) -> Bytes32 {
        SHA256.hash(prefix: NamespaceDomain.entry, data)
    }

    static func nodeHash(_ left: Bytes32, _ right: Bytes32) -> Bytes32 {
        SHA256.hash(prefix: NamespaceDomain.tableNode, left, right)
    }
}

/// The one-byte domain prefixes of the namespaced block commitment (see `Docs/merkle-proofs.md`).
enum NamespaceDomain {
    /// A transaction leaf (RFC 6962 leaf prefix).
    static let transactionLeaf: UInt8 = 0x00
    /// A node of a namespace's transaction tree (RFC 6962 node prefix).
    static let transactionNode: UInt8 = 0x01
    /// A namespace table entry.
    static let entry: UInt8 = 0x02
    /// A node of the namespace table tree.
    static let tableNode: UInt8 = 0x03
    /// The block commitment over the table.
    static let commitment: UInt8 = 0x04

    /// `SHA-256(0x04 ‖ namespaceCount (8, BE) ‖ tableRoot)`; the table root of an empty block is 32 zero bytes.
    static func commitment(namespaceCount: UInt64, tableRoot: Bytes32) -> Bytes32 {
        var buffer: (UInt64, Bytes32) = (namespaceCount.bigEndian, tableRoot)
        return withUnsafeBytes(of: &buffer) { raw in
            SHA256.hash(prefix: commitment, UnsafeRawBufferPointer(rebasing: raw[0..<40]))
        }
    }
}
