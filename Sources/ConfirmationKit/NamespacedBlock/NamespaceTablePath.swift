public import ConfirmationCrypto

/// The path of one namespace entry through a block's namespace table: its position, the number of
/// namespaces in the block, and the table siblings. Shared by inclusion and completeness proofs.
public struct NamespaceTablePath: Sendable, Hashable {
    /// The entry's zero-based position in the table (namespaces sorted by id).
    public let position: UInt64
    /// How many namespaces the block has.
    public let namespaceCount: UInt64
    /// The table siblings, entry level first.
    public let siblings: [Bytes32]

    /// Creates a path after checking its shape.
    /// - Parameters:
    ///   - position: the entry's position, below `namespaceCount`.
    ///   - namespaceCount: the number of namespaces, 1 to ``MerkleLimits/maximumNamespaces``.
    ///   - siblings: exactly the siblings the position and count require.
    /// - Throws: ``ConfirmationError`` `namespace.too-many` or a Merkle shape error.
    public init(position: UInt64, namespaceCount: UInt64, siblings: [Bytes32]) throws {
        try Self.checkCount(namespaceCount)
        try MerkleShape.checkPath(index: position, treeSize: namespaceCount, siblingCount: siblings.count)
        self.position = position
        self.namespaceCount = namespaceCount
        self.siblings = siblings
    }

    static func checkCount(_ namespaceCount: UInt64) throws {
        guard namespaceCount <= UInt64(MerkleLimits.maximumNamespaces) else {
            throw ConfirmationError(
                .namespaceTooMany, "\(namespaceCount) namespaces; the limit is \(MerkleLimits.maximumNamespaces)")
        }
    }

    /// The block commitment this path leads to from an entry hash.
    func commitment(entryHash: Bytes32) -> Bytes32 {
        let tableRoot = MerkleShape.root(
            NamespaceTableHasher.self, leafHash: entryHash, index: position, treeSize: namespaceCount, siblings: siblings)
        return NamespaceDomain.commitment(namespaceCount: namespaceCount, tableRoot: tableRoot ?? .zero)
    }

    enum Keys: String, CodingKey {
        case tablePosition, namespaceCount, tableSiblings
    }

    init(decoding container: KeyedDecodingContainer<Keys>) throws {
        try self.init(
            position: container.decode(UInt64.self, forKey: .tablePosition),
            namespaceCount: container.decode(UInt64.self, forKey: .namespaceCount),
            siblings: ProofJSON.nodes(container, .tableSiblings, limit: MerkleLimits.maximumDepth))
    }

    func encode(into container: inout KeyedEncodingContainer<Keys>) throws {
        try container.encode(position, forKey: .tablePosition)
        try container.encode(namespaceCount, forKey: .namespaceCount)
        try container.encode(siblings, forKey: .tableSiblings)
    }

    func write(to writer: inout CanonicalWriter) {
        writer.u64(namespaceCount)
        writer.u64(position)
        writer.nodes(siblings)
    }

    init(reading reader: inout CanonicalReader) throws {
        let count = try reader.u64()
        let position = try reader.u64()
        try self.init(position: position, namespaceCount: count, siblings: reader.nodes(limit: MerkleLimits.maximumDepth))
    }
}
