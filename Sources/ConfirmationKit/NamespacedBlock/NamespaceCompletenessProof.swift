public import ConfirmationCrypto

/// A proof that a list of transactions is the *whole* of one namespace in a namespaced block.
///
/// The verifier rebuilds the namespace root from every transaction, forms the entry
/// `(namespace, count, root)` with the count it saw, and walks the entry's table path to the
/// block commitment. Because the entry commits to the count and the root, a list with one
/// transaction left out, added, changed or reordered leads to a different commitment.
///
/// ```swift
/// let proof = try block.completenessProof(namespace: 7)
/// proof.verify(against: block.commitment)   // true: proof.transactions is all of namespace 7
/// ```
public struct NamespaceCompletenessProof: Sendable, Hashable {
    /// The namespace.
    public let namespace: NamespaceID
    /// Every transaction of the namespace, in block order.
    public let transactions: [[UInt8]]
    /// The namespace entry's path through the table.
    public let tablePath: NamespaceTablePath

    /// The JSON `kind`: `namespace-completeness`.
    public static let kind = "namespace-completeness"

    /// Creates a proof after checking its shape.
    /// - Parameters:
    ///   - namespace: the namespace.
    ///   - transactions: 1 to ``MerkleLimits/maximumCompletenessTransactions`` transactions.
    ///   - tablePath: the entry's table path.
    /// - Throws: ``ConfirmationError`` `namespace.empty`, `merkle.too-many-leaves` or `merkle.leaf-too-large`.
    public init(namespace: NamespaceID, transactions: [[UInt8]], tablePath: NamespaceTablePath) throws {
        guard !transactions.isEmpty else {
            throw ConfirmationError(.namespaceEmpty, "a completeness proof needs at least one transaction")
        }
        guard transactions.count <= MerkleLimits.maximumCompletenessTransactions else {
            throw ConfirmationError(
                .merkleTooManyLeaves,
                "\(transactions.count) transactions; the limit is \(MerkleLimits.maximumCompletenessTransactions)")
        }
        try MerkleShape.checkPayload(transactions.lazy.map(\.count))
        self.namespace = namespace
        self.transactions = transactions
        self.tablePath = tablePath
    }

    /// The namespace root over ``transactions``.
    public var namespaceRoot: Bytes32 {
        MerkleTree<RFC6962SHA256>.root(leafHashes: transactions.map { RFC6962SHA256.leafHash($0) })
    }

    /// The block commitment this proof leads to.
    public var commitment: Bytes32 {
        tablePath.commitment(entryHash: NamespaceEntry.hash(
            namespace: namespace, transactionCount: UInt64(transactions.count), namespaceRoot: namespaceRoot))
    }

    /// Whether ``transactions`` are all of the namespace in the block with commitment `commitment`.
    /// - Parameter commitment: the trusted block commitment.
    /// - Returns: `true` when the proof leads to it.
    public func verify(against commitment: Bytes32) -> Bool {
        self.commitment == commitment
    }

    /// The verdict against `commitment`, with a reason when it fails.
    public func verdict(against commitment: Bytes32) -> ProofVerdict {
        .compare(self.commitment, commitment, what: "the block commitment computed from \(transactions.count) transactions")
    }
}

extension NamespaceCompletenessProof: Codable {
    enum CodingKeys: String, CodingKey {
        case kind, namespace, transactions
    }

    /// Decodes the JSON form and checks the shape.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try ProofJSON.checkKind(container, .kind, expected: Self.kind)
        var list = try container.nestedUnkeyedContainer(forKey: .transactions)
        var transactions: [[UInt8]] = []
        while !list.isAtEnd {
            guard transactions.count < MerkleLimits.maximumCompletenessTransactions else {
                throw ConfirmationError(
                    .merkleTooManyLeaves, "more than \(MerkleLimits.maximumCompletenessTransactions) transactions")
            }
            transactions.append(try ProofJSON.hexBytes(list.decode(String.self)))
        }
        try self.init(
            namespace: container.decode(NamespaceID.self, forKey: .namespace),
            transactions: transactions,
            tablePath: NamespaceTablePath(decoding: decoder.container(keyedBy: NamespaceTablePath.Keys.self)))
    }

    /// Encodes the JSON form with the `kind` tag.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.kind, forKey: .kind)
        try container.encode(namespace, forKey: .namespace)
        try container.encode(transactions.map(ProofJSON.hexString), forKey: .transactions)
        var table = encoder.container(keyedBy: NamespaceTablePath.Keys.self)
        try tablePath.encode(into: &table)
    }

    /// The binary canonical form: version, tag `0x11`, `u64` namespace, `u32` transaction count,
    /// each transaction `u32`-prefixed, then the table path.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalWriter(tag: .namespaceCompleteness)
        writer.u64(namespace.rawValue)
        writer.u32(transactions.count)
        for transaction in transactions { writer.data(transaction) }
        tablePath.write(to: &writer)
        return writer.bytes
    }

    /// Decodes the binary canonical form.
    /// - Parameter bytes: exactly one encoded proof.
    /// - Throws: ``ConfirmationError`` `proof.invalid-encoding`, `proof.unknown-kind` or a shape error.
    public init(canonicalBytes bytes: [UInt8]) throws {
        var reader = try CanonicalReader(bytes, expecting: .namespaceCompleteness)
        let namespace = NamespaceID(try reader.u64())
        let count = try reader.count(
            limit: MerkleLimits.maximumCompletenessTransactions, minimumSize: 4, code: .merkleTooManyLeaves)
        var transactions: [[UInt8]] = []
        transactions.reserveCapacity(count)
        for _ in 0..<count { transactions.append(try reader.data(limit: MerkleLimits.maximumLeafBytes)) }
        let path = try NamespaceTablePath(reading: &reader)
        try reader.finish()
        try self.init(namespace: namespace, transactions: transactions, tablePath: path)
    }
}
