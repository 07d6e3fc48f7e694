public import ConfirmationCrypto

/// A block of rollup transactions grouped by namespace, with the library's namespaced block
/// commitment and proofs of inclusion, completeness, absence and atomic bundles.
///
/// **Commitment.** Each non-empty namespace's transactions, in order, form an RFC 6962 SHA-256
/// tree (its *namespace root*). The table lists one entry `(namespace, transactionCount, root)`
/// per namespace, sorted by namespace id, in an RFC 6962-shaped tree with its own prefixes
/// (`0x02` entries, `0x03` nodes). The commitment is
/// `SHA-256(0x04 ‖ namespaceCount (8, BE) ‖ tableRoot)`, a plain ``Bytes32`` that a certificate
/// can sign. See `Docs/merkle-proofs.md` for the byte-level rules.
///
/// ```swift
/// let block = try NamespacedBlock(transactions: [
///     1: [Array("swap".utf8), Array("mint".utf8)],
///     9: [Array("bridge".utf8)],
/// ])
/// let proof = try block.inclusionProof(namespace: 1, index: 1)
/// proof.verify(against: block.commitment)     // true
/// try block.absenceProof(namespace: 5).verify(against: block.commitment)   // true
/// ```
public struct NamespacedBlock: Sendable {
    /// The block commitment.
    public let commitment: Bytes32
    /// The namespaces with at least one transaction, sorted.
    public let namespaces: [NamespaceID]

    /// One transaction tree per namespace, parallel to ``namespaces``.
    let trees: [MerkleTree<RFC6962SHA256>]
    /// The namespace table tree over the entries.
    let table: MerkleTree<NamespaceTableHasher>

    /// Builds a block and its commitment.
    ///
    /// Namespaces mapped to an empty list are left out: a namespace is in a block only when it
    /// has a transaction there.
    /// - Parameter transactions: each namespace's transactions, in block order.
    /// - Throws: ``ConfirmationError`` `merkle.leaf-too-large` or `namespace.too-many`.
    public init(transactions: [NamespaceID: [[UInt8]]]) throws {
        let present = transactions.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
        guard present.count <= MerkleLimits.maximumNamespaces else {
            throw ConfirmationError(
                .namespaceTooMany, "\(present.count) namespaces; the limit is \(MerkleLimits.maximumNamespaces)")
        }
        namespaces = present.map(\.key)
        trees = try present.map { try MerkleTree<RFC6962SHA256>(leaves: $0.value) }
        let entries = zip(namespaces, trees).map { namespace, tree in
            NamespaceEntry.encode(namespace: namespace, transactionCount: UInt64(tree.count), namespaceRoot: tree.root)
        }
        table = try MerkleTree<NamespaceTableHasher>(leaves: entries)
        commitment = NamespaceDomain.commitment(
            namespaceCount: UInt64(namespaces.count), tableRoot: namespaces.isEmpty ? .zero : table.root)
    }

    /// The transactions of `namespace`, in block order (empty when it is absent).
    public func transactions(in namespace: NamespaceID) -> [[UInt8]] {
        position(of: namespace).map { trees[$0].leaves } ?? []
    }

    /// The table entry of `namespace`, or `nil` when it is absent.
    public func entry(for namespace: NamespaceID) -> NamespaceEntry? {
        position(of: namespace).flatMap { try? NamespaceEntry(
            namespace: namespace, transactionCount: UInt64(trees[$0].count), namespaceRoot: trees[$0].root) }
    }

    /// The total number of transactions.
    public var transactionCount: Int { trees.reduce(0) { $0 + $1.count } }

    /// Proves that transaction `index` of `namespace` is in this block.
    /// - Parameters:
    ///   - namespace: a namespace present in the block.
    ///   - index: an index below the namespace's transaction count.
    /// - Returns: the inclusion proof.
    /// - Throws: ``ConfirmationError`` `namespace.not-found` or `merkle.index-out-of-range`.
    public func inclusionProof(namespace: NamespaceID, index: Int) throws -> NamespaceInclusionProof {
        let position = try requirePosition(of: namespace)
        let tree = trees[position]
        try tree.checkIndex(index)
        return try NamespaceInclusionProof(
            namespace: namespace, transaction: tree.leaves[index], transactionIndex: UInt64(index),
            transactionCount: UInt64(tree.count), transactionSiblings: tree.path(index: index),
            tablePath: tablePath(position))
    }

    /// Proves that the namespace's transactions listed in the proof are all it has in this block.
    /// - Parameter namespace: a namespace present in the block.
    /// - Returns: the completeness proof.
    /// - Throws: ``ConfirmationError`` `namespace.not-found`, or a limit error for a huge namespace.
    public func completenessProof(namespace: NamespaceID) throws -> NamespaceCompletenessProof {
        let position = try requirePosition(of: namespace)
        return try NamespaceCompletenessProof(
            namespace: namespace, transactions: trees[position].leaves, tablePath: tablePath(position))
    }

    /// Proves that `namespace` has no transactions in this block.
    /// - Parameter namespace: a namespace absent from the block.
    /// - Returns: the absence proof.
    /// - Throws: ``ConfirmationError`` `namespace.present` when it is in the block.
    public func absenceProof(namespace: NamespaceID) throws -> NamespaceAbsenceProof {
        let insertion = namespaces.partitioningIndex { namespace <= $0 }
        if insertion < namespaces.count, namespaces[insertion] == namespace {
            throw ConfirmationError(.namespacePresent, "namespace \(namespace) has \(trees[insertion].count) transactions in this block")
        }
        let lower = insertion > 0 ? try neighbour(insertion - 1) : nil
        let upper = insertion < namespaces.count ? try neighbour(insertion) : nil
        let positions = [lower, upper].compactMap { $0.map { Int($0.position) } }
        return try NamespaceAbsenceProof(
            namespace: namespace, namespaceCount: UInt64(namespaces.count), lower: lower, upper: upper,
            tableSiblings: positions.isEmpty ? [] : table.multiPath(indices: positions))
    }

    /// Proves in one object that every leg of an atomic bundle is in this block.
    /// - Parameter legs: the legs' locations, in any order; each must be in the block, none repeated.
    /// - Returns: the bundle proof.
    /// - Throws: ``ConfirmationError`` `namespace.no-legs`, `namespace.duplicate-leg`,
    ///   `namespace.too-many-legs`, `namespace.not-found` or `merkle.index-out-of-range`.
    public func bundleProof(legs: [TransactionLocation]) throws -> NamespaceBundleProof {
        let sorted = legs.sorted()
        for (previous, leg) in zip(sorted, sorted.dropFirst()) where previous == leg {
            throw ConfirmationError(.namespaceDuplicateLeg, "leg \(leg) appears twice")
        }
        guard sorted.count <= MerkleLimits.maximumBundleLegs else {
            throw ConfirmationError(.namespaceTooManyLegs, "\(sorted.count) legs; the limit is \(MerkleLimits.maximumBundleLegs)")
        }
        var groups: [NamespaceBundleProof.Group] = []
        var start = 0
        while start < sorted.count {
            let namespace = sorted[start].namespace
            var end = start
            while end < sorted.count, sorted[end].namespace == namespace { end += 1 }
            let position = try requirePosition(of: namespace)
            let tree = trees[position]
            var indices: [Int] = []
            for location in sorted[start..<end] {
                guard location.index < UInt64(tree.count) else {
                    throw ConfirmationError(
                        .merkleIndexOutOfRange, "leg \(location) is not below the namespace's \(tree.count) transactions")
                }
                indices.append(Int(location.index))
            }
            groups.append(try NamespaceBundleProof.Group(
                namespace: namespace, position: UInt64(position), transactionCount: UInt64(tree.count),
                legs: indices.map { NamespaceBundleProof.Leg(index: UInt64($0), transaction: tree.leaves[$0]) },
                transactionSiblings: tree.multiPath(indices: indices)))
            start = end
        }
        guard !groups.isEmpty else {
            throw ConfirmationError(.namespaceNoLegs, "a bundle needs at least one leg")
        }
        return try NamespaceBundleProof(
            namespaceCount: UInt64(namespaces.count), groups: groups,
            tableSiblings: table.multiPath(indices: groups.map { Int($0.position) }))
    }

    func position(of namespace: NamespaceID) -> Int? {
        let index = namespaces.partitioningIndex { namespace <= $0 }
        return index < namespaces.count && namespaces[index] == namespace ? index : nil
    }

    func requirePosition(of namespace: NamespaceID) throws -> Int {
        guard let position = position(of: namespace) else {
            throw ConfirmationError(.namespaceNotFound, "namespace \(namespace) has no transactions in this block")
        }
        return position
    }

    func tablePath(_ position: Int) throws -> NamespaceTablePath {
        try NamespaceTablePath(
            position: UInt64(position), namespaceCount: UInt64(namespaces.count), siblings: table.path(index: position))
    }

    func neighbour(_ position: Int) throws -> NamespaceAbsenceProof.Neighbour {
        NamespaceAbsenceProof.Neighbour(
            position: UInt64(position),
            entry: try NamespaceEntry(
                namespace: namespaces[position], transactionCount: UInt64(trees[position].count),
                namespaceRoot: trees[position].root))
    }
}

extension Array {
    /// The first index whose element satisfies `belongsInSecondPartition`, for an array already
    /// partitioned by it (binary search).
    func partitioningIndex(where belongsInSecondPartition: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = low + (high - low) / 2
            if belongsInSecondPartition(self[middle]) {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low
    }
}
