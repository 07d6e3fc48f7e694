public import ConfirmationCrypto

/// A proof that one transaction is at a given index of a namespace in a namespaced block.
///
/// It walks two trees: the namespace's RFC 6962 SHA-256 transaction tree (from the transaction
/// to the namespace root), then the namespace table (from the entry
/// `(namespace, transactionCount, namespaceRoot)` to the table root), and finally hashes the
/// block commitment. Nothing but the transaction, the indices, the counts and the siblings is
/// carried: the namespace root and the entry are recomputed.
///
/// ```swift
/// let block = try NamespacedBlock(transactions: [7: [tx0, tx1]])
/// let proof = try block.inclusionProof(namespace: 7, index: 1)
/// proof.verify(against: block.commitment)   // true
/// ```
public struct NamespaceInclusionProof: Sendable, Hashable {
    /// The namespace the transaction belongs to.
    public let namespace: NamespaceID
    /// The transaction bytes.
    public let transaction: [UInt8]
    /// The transaction's index within the namespace.
    public let transactionIndex: UInt64
    /// How many transactions the namespace has.
    public let transactionCount: UInt64
    /// The transaction tree siblings, leaf level first.
    public let transactionSiblings: [Bytes32]
    /// The namespace entry's path through the table.
    public let tablePath: NamespaceTablePath

    /// The JSON `kind`: `namespace-inclusion`.
    public static let kind = "namespace-inclusion"

    /// Creates a proof after checking its shape.
    /// - Parameters:
    ///   - namespace: the namespace.
    ///   - transaction: the transaction bytes, at most ``MerkleLimits/maximumLeafBytes``.
    ///   - transactionIndex: its index, below `transactionCount`.
    ///   - transactionCount: the namespace's transaction count, at least one.
    ///   - transactionSiblings: exactly the siblings the index and count require.
    ///   - tablePath: the entry's table path.
    /// - Throws: ``ConfirmationError`` with a Merkle shape code.
    public init(
        namespace: NamespaceID, transaction: [UInt8], transactionIndex: UInt64, transactionCount: UInt64,
        transactionSiblings: [Bytes32], tablePath: NamespaceTablePath
    ) throws {
        guard transaction.count <= MerkleLimits.maximumLeafBytes else {
            throw ConfirmationError(
                .merkleLeafTooLarge, "transaction of \(transaction.count) bytes; the limit is \(MerkleLimits.maximumLeafBytes)")
        }
        try MerkleShape.checkPath(index: transactionIndex, treeSize: transactionCount, siblingCount: transactionSiblings.count)
        self.namespace = namespace
        self.transaction = transaction
        self.transactionIndex = transactionIndex
        self.transactionCount = transactionCount
        self.transactionSiblings = transactionSiblings
        self.tablePath = tablePath
    }

    /// The namespace root the transaction path leads to.
    public var namespaceRoot: Bytes32 {
        MerkleShape.root(
            RFC6962SHA256.self, leafHash: RFC6962SHA256.leafHash(transaction), index: transactionIndex,
            treeSize: transactionCount, siblings: transactionSiblings) ?? RFC6962SHA256.emptyTreeRoot
    }

    /// The block commitment this proof leads to.
    public var commitment: Bytes32 {
        tablePath.commitment(entryHash: NamespaceEntry.hash(
            namespace: namespace, transactionCount: transactionCount, namespaceRoot: namespaceRoot))
    }

    /// Whether the transaction is in the block with commitment `commitment`.
    /// - Parameter commitment: the trusted block commitment (for example from a verified certificate).
    /// - Returns: `true` when the proof leads to it.
    public func verify(against commitment: Bytes32) -> Bool {
        self.commitment == commitment
    }

    /// The verdict against `commitment`, with a reason when it fails.
    public func verdict(against commitment: Bytes32) -> ProofVerdict {
        .compare(self.commitment, commitment, what: "the block commitment computed from the proof")
    }
}

extension NamespaceInclusionProof: Codable {
    enum CodingKeys: String, CodingKey {
        case kind, namespace, transaction, transactionIndex, transactionCount, transactionSiblings
    }

    /// Decodes the JSON form and checks the shape.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try ProofJSON.checkKind(container, .kind, expected: Self.kind)
        try self.init(
            namespace: container.decode(NamespaceID.self, forKey: .namespace),
            transaction: ProofJSON.hexBytes(container, .transaction),
            transactionIndex: container.decode(UInt64.self, forKey: .transactionIndex),
            transactionCount: container.decode(UInt64.self, forKey: .transactionCount),
            transactionSiblings: ProofJSON.nodes(container, .transactionSiblings, limit: MerkleLimits.maximumDepth),
            tablePath: NamespaceTablePath(decoding: decoder.container(keyedBy: NamespaceTablePath.Keys.self)))
    }

    /// Encodes the JSON form with the `kind` tag.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.kind, forKey: .kind)
        try container.encode(namespace, forKey: .namespace)
        try container.encode(ProofJSON.hexString(transaction), forKey: .transaction)
        try container.encode(transactionIndex, forKey: .transactionIndex)
        try container.encode(transactionCount, forKey: .transactionCount)
        try container.encode(transactionSiblings, forKey: .transactionSiblings)
        var table = encoder.container(keyedBy: NamespaceTablePath.Keys.self)
        try tablePath.encode(into: &table)
    }

    /// The binary canonical form: version, tag `0x10`, `u64` namespace, `u64` transaction count,
    /// `u64` index, `u32`-prefixed transaction, `u32`-prefixed siblings, then the table path
    /// (`u64` namespace count, `u64` position, `u32`-prefixed siblings).
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalWriter(tag: .namespaceInclusion)
        writer.u64(namespace.rawValue)
        writer.u64(transactionCount)
        writer.u64(transactionIndex)
        writer.data(transaction)
        writer.nodes(transactionSiblings)
        tablePath.write(to: &writer)
        return writer.bytes
    }

    /// Decodes the binary canonical form.
    /// - Parameter bytes: exactly one encoded proof.
    /// - Throws: ``ConfirmationError`` `proof.invalid-encoding`, `proof.unknown-kind` or a shape error.
    public init(canonicalBytes bytes: [UInt8]) throws {
        var reader = try CanonicalReader(bytes, expecting: .namespaceInclusion)
        let namespace = NamespaceID(try reader.u64())
        let count = try reader.u64()
        let index = try reader.u64()
        let transaction = try reader.data(limit: MerkleLimits.maximumLeafBytes)
        let siblings = try reader.nodes(limit: MerkleLimits.maximumDepth)
        let path = try NamespaceTablePath(reading: &reader)
        try reader.finish()
        try self.init(
            namespace: namespace, transaction: transaction, transactionIndex: index, transactionCount: count,
            transactionSiblings: siblings, tablePath: path)
    }
}
