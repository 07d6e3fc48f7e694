public import ConfirmationCrypto

/// The location of one transaction in a namespaced block: a namespace and an index within it.
public struct TransactionLocation: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The namespace.
    public let namespace: NamespaceID
    /// The index within the namespace.
    public let index: UInt64

    /// Creates a location.
    /// - Parameters:
    ///   - namespace: the namespace.
    ///   - index: the transaction's index within it.
    public init(namespace: NamespaceID, index: UInt64) {
        self.namespace = namespace
        self.index = index
    }

    /// Orders by namespace, then index.
    public static func < (lhs: TransactionLocation, rhs: TransactionLocation) -> Bool {
        (lhs.namespace, lhs.index) < (rhs.namespace, rhs.index)
    }

    /// `namespace/index`.
    public var description: String { "\(namespace)/\(index)" }
}

/// One proof that every leg of an atomic cross-rollup bundle is in the same namespaced block.
///
/// Legs are grouped by namespace. Each group carries its legs (index and transaction) and one
/// transaction multi-proof that rebuilds the namespace root; the group's entry
/// `(namespace, transactionCount, root)` is then placed at its table position, and one table
/// multi-proof over all groups leads to the block commitment. A single commitment check
/// therefore covers every leg: no leg can come from another block.
///
/// Canonical order: groups by strictly increasing namespace, legs by strictly increasing index.
/// A repeated leg is `namespace.duplicate-leg`, any other disorder `namespace.legs-not-sorted`.
/// Table positions must increase with the namespaces, as in a well-formed table; a proof whose
/// positions do not is well formed but fails with `namespace.out-of-order`.
///
/// ```swift
/// let proof = try block.bundleProof(legs: [
///     TransactionLocation(namespace: 1, index: 4),
///     TransactionLocation(namespace: 9, index: 0),
/// ])
/// proof.verify(against: block.commitment)   // true: both legs are in this block
/// ```
public struct NamespaceBundleProof: Sendable, Hashable {
    /// One leg: a transaction at an index.
    public struct Leg: Sendable, Hashable {
        /// The index within the namespace.
        public let index: UInt64
        /// The transaction bytes.
        public let transaction: [UInt8]

        /// Creates a leg.
        /// - Parameters:
        ///   - index: the transaction's index in its namespace.
        ///   - transaction: the transaction bytes.
        public init(index: UInt64, transaction: [UInt8]) {
            self.index = index
            self.transaction = transaction
        }
    }

    /// The legs of one namespace, with the proof of that namespace's root.
    public struct Group: Sendable, Hashable {
        /// The namespace.
        public let namespace: NamespaceID
        /// The namespace entry's position in the table.
        public let position: UInt64
        /// How many transactions the namespace has.
        public let transactionCount: UInt64
        /// The legs, by strictly increasing index.
        public let legs: [Leg]
        /// The transaction multi-proof siblings for the legs.
        public let transactionSiblings: [Bytes32]

        /// Creates a group after checking its shape.
        /// - Parameters:
        ///   - namespace: the namespace.
        ///   - position: its table position.
        ///   - transactionCount: its transaction count, at least one.
        ///   - legs: one or more legs by strictly increasing index.
        ///   - transactionSiblings: exactly the siblings the leg indices require.
        /// - Throws: ``ConfirmationError`` `namespace.no-legs`, `namespace.duplicate-leg`,
        ///   `namespace.legs-not-sorted` or a Merkle shape error.
        public init(
            namespace: NamespaceID, position: UInt64, transactionCount: UInt64, legs: [Leg], transactionSiblings: [Bytes32]
        ) throws {
            guard !legs.isEmpty else {
                throw ConfirmationError(.namespaceNoLegs, "namespace \(namespace) is listed without legs")
            }
            guard transactionCount > 0 else {
                throw ConfirmationError(.namespaceEmpty, "namespace \(namespace) entry has zero transactions")
            }
            for (previous, leg) in zip(legs, legs.dropFirst()) {
                guard leg.index != previous.index else {
                    throw ConfirmationError(.namespaceDuplicateLeg, "leg \(namespace)/\(leg.index) appears twice")
                }
                guard leg.index > previous.index else {
                    throw ConfirmationError(
                        .namespaceLegsNotSorted, "leg \(namespace)/\(leg.index) follows index \(previous.index)")
                }
            }
            let indices = legs.map(\.index)
            try MerkleShape.checkIndices(indices, treeSize: transactionCount)
            try MerkleShape.checkSiblingCount(
                transactionSiblings.count, indices: indices, treeSize: transactionCount)
            self.namespace = namespace
            self.position = position
            self.transactionCount = transactionCount
            self.legs = legs
            self.transactionSiblings = transactionSiblings
        }

        /// The namespace root the legs and siblings lead to.
        public var namespaceRoot: Bytes32 {
            MerkleShape.multiRoot(
                RFC6962SHA256.self, leaves: legs.map { ($0.index, RFC6962SHA256.leafHash($0.transaction)) },
                treeSize: transactionCount, siblings: transactionSiblings) ?? RFC6962SHA256.emptyTreeRoot
        }
    }

    /// How many namespaces the block has.
    public let namespaceCount: UInt64
    /// The groups, by strictly increasing namespace.
    public let groups: [Group]
    /// The table multi-proof siblings for the groups' positions.
    public let tableSiblings: [Bytes32]

    /// The JSON `kind`: `namespace-bundle`.
    public static let kind = "namespace-bundle"

    /// Creates a proof after checking its shape.
    /// - Parameters:
    ///   - namespaceCount: the block's namespace count.
    ///   - groups: one or more groups by strictly increasing namespace, at most
    ///     ``MerkleLimits/maximumBundleLegs`` legs in all.
    ///   - tableSiblings: exactly the siblings the groups' positions require.
    /// - Throws: ``ConfirmationError`` `namespace.no-legs`, `namespace.too-many-legs`,
    ///   `namespace.legs-not-sorted`, `namespace.too-many` or a Merkle shape error.
    public init(namespaceCount: UInt64, groups: [Group], tableSiblings: [Bytes32]) throws {
        try NamespaceTablePath.checkCount(namespaceCount)
        guard !groups.isEmpty else {
            throw ConfirmationError(.namespaceNoLegs, "a bundle needs at least one leg")
        }
        let legCount = groups.reduce(0) { $0 + $1.legs.count }
        guard legCount <= MerkleLimits.maximumBundleLegs else {
            throw ConfirmationError(.namespaceTooManyLegs, "\(legCount) legs; the limit is \(MerkleLimits.maximumBundleLegs)")
        }
        try MerkleShape.checkPayload(groups.lazy.flatMap(\.legs).map(\.transaction.count))
        for (previous, group) in zip(groups, groups.dropFirst()) where !(previous.namespace < group.namespace) {
            throw ConfirmationError(
                .namespaceLegsNotSorted, "namespace \(group.namespace) follows \(previous.namespace): groups must increase")
        }
        let positions = groups.map(\.position).sorted()
        try MerkleShape.checkIndices(positions, treeSize: namespaceCount)
        try MerkleShape.checkSiblingCount(tableSiblings.count, indices: positions, treeSize: namespaceCount)
        self.namespaceCount = namespaceCount
        self.groups = groups
        self.tableSiblings = tableSiblings
    }

    /// Every leg's location, in canonical order.
    public var locations: [TransactionLocation] {
        groups.flatMap { group in group.legs.map { TransactionLocation(namespace: group.namespace, index: $0.index) } }
    }

    /// The block commitment this proof leads to, or `nil` when the positions do not increase
    /// with the namespaces.
    public var commitment: Bytes32? {
        guard positionsFollowNamespaces else { return nil }
        let entries = groups.map { group in
            (index: group.position, hash: NamespaceEntry.hash(
                namespace: group.namespace, transactionCount: group.transactionCount, namespaceRoot: group.namespaceRoot))
        }
        let tableRoot = MerkleShape.multiRoot(
            NamespaceTableHasher.self, leaves: entries, treeSize: namespaceCount, siblings: tableSiblings)
        return NamespaceDomain.commitment(namespaceCount: namespaceCount, tableRoot: tableRoot ?? .zero)
    }

    private var positionsFollowNamespaces: Bool {
        zip(groups, groups.dropFirst()).allSatisfy { $0.position < $1.position }
    }

    /// Whether every leg is in the block with commitment `commitment`.
    /// - Parameter commitment: the trusted block commitment.
    /// - Returns: `true` when the proof leads to it.
    public func verify(against commitment: Bytes32) -> Bool {
        verdict(against: commitment).isVerified
    }

    /// The verdict against `commitment`: the table order first, then the commitment.
    public func verdict(against commitment: Bytes32) -> ProofVerdict {
        guard let computed = self.commitment else {
            return .failed(ProofFailure(
                .namespaceOutOfOrder, "table positions do not increase with the namespaces, as a sorted table requires"))
        }
        return .compare(computed, commitment, what: "the block commitment computed from \(locations.count) legs")
    }
}

extension NamespaceBundleProof: Codable {
    enum CodingKeys: String, CodingKey {
        case kind, namespaceCount, groups, tableSiblings
    }

    enum GroupKeys: String, CodingKey {
        case namespace, transactionCount, legs, transactionSiblings
        case position = "tablePosition"
    }

    enum LegKeys: String, CodingKey {
        case index, transaction
    }

    /// Decodes the JSON form and checks the shape.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try ProofJSON.checkKind(container, .kind, expected: Self.kind)
        var groupList = try container.nestedUnkeyedContainer(forKey: .groups)
        var groups: [Group] = []
        var legCount = 0
        while !groupList.isAtEnd {
            let group = try groupList.nestedContainer(keyedBy: GroupKeys.self)
            var legList = try group.nestedUnkeyedContainer(forKey: .legs)
            var legs: [Leg] = []
            while !legList.isAtEnd {
                legCount += 1
                guard legCount <= MerkleLimits.maximumBundleLegs else {
                    throw ConfirmationError(.namespaceTooManyLegs, "more than \(MerkleLimits.maximumBundleLegs) legs")
                }
                let leg = try legList.nestedContainer(keyedBy: LegKeys.self)
                legs.append(Leg(index: try leg.decode(UInt64.self, forKey: .index), transaction: try ProofJSON.hexBytes(leg, .transaction)))
            }
            groups.append(try Group(
                namespace: group.decode(NamespaceID.self, forKey: .namespace),
                position: group.decode(UInt64.self, forKey: .position),
                transactionCount: group.decode(UInt64.self, forKey: .transactionCount),
                legs: legs,
                transactionSiblings: ProofJSON.nodes(group, .transactionSiblings, limit: MerkleLimits.maximumMultiProofSiblings)))
        }
        try self.init(
            namespaceCount: container.decode(UInt64.self, forKey: .namespaceCount),
            groups: groups,
            tableSiblings: ProofJSON.nodes(container, .tableSiblings, limit: MerkleLimits.maximumMultiProofSiblings))
    }

    /// Encodes the JSON form with the `kind` tag.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.kind, forKey: .kind)
        try container.encode(namespaceCount, forKey: .namespaceCount)
        var groupList = container.nestedUnkeyedContainer(forKey: .groups)
        for group in groups {
            var entry = groupList.nestedContainer(keyedBy: GroupKeys.self)
            try entry.encode(group.namespace, forKey: .namespace)
            try entry.encode(group.position, forKey: .position)
            try entry.encode(group.transactionCount, forKey: .transactionCount)
            var legList = entry.nestedUnkeyedContainer(forKey: .legs)
            for leg in group.legs {
                var legEntry = legList.nestedContainer(keyedBy: LegKeys.self)
                try legEntry.encode(leg.index, forKey: .index)
                try legEntry.encode(ProofJSON.hexString(leg.transaction), forKey: .transaction)
            }
            try entry.encode(group.transactionSiblings, forKey: .transactionSiblings)
        }
        try container.encode(tableSiblings, forKey: .tableSiblings)
    }

    /// The binary canonical form: version, tag `0x13`, `u64` namespace count, `u32` group count;
    /// per group `u64` namespace, `u64` position, `u64` transaction count, `u32` leg count, per leg
    /// `u64` index and `u32`-prefixed transaction, `u32`-prefixed transaction siblings; then
    /// `u32`-prefixed table siblings.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalWriter(tag: .namespaceBundle)
        writer.u64(namespaceCount)
        writer.u32(groups.count)
        for group in groups {
            writer.u64(group.namespace.rawValue)
            writer.u64(group.position)
            writer.u64(group.transactionCount)
            writer.u32(group.legs.count)
            for leg in group.legs {
                writer.u64(leg.index)
                writer.data(leg.transaction)
            }
            writer.nodes(group.transactionSiblings)
        }
        writer.nodes(tableSiblings)
        return writer.bytes
    }

    /// Decodes the binary canonical form.
    /// - Parameter bytes: exactly one encoded proof.
    /// - Throws: ``ConfirmationError`` `proof.invalid-encoding`, `proof.unknown-kind` or a shape error.
    public init(canonicalBytes bytes: [UInt8]) throws {
        var reader = try CanonicalReader(bytes, expecting: .namespaceBundle)
        let namespaceCount = try reader.u64()
        let groupCount = try reader.count(limit: MerkleLimits.maximumBundleLegs, minimumSize: 32, code: .namespaceTooManyLegs)
        var groups: [Group] = []
        var legTotal = 0
        for _ in 0..<groupCount {
            let namespace = NamespaceID(try reader.u64())
            let position = try reader.u64()
            let transactionCount = try reader.u64()
            let legCount = try reader.count(
                limit: MerkleLimits.maximumBundleLegs - legTotal, minimumSize: 12, code: .namespaceTooManyLegs)
            legTotal += legCount
            var legs: [Leg] = []
            for _ in 0..<legCount {
                let index = try reader.u64()
                legs.append(Leg(index: index, transaction: try reader.data(limit: MerkleLimits.maximumLeafBytes)))
            }
            let siblings = try reader.nodes(limit: MerkleLimits.maximumMultiProofSiblings)
            groups.append(try Group(
                namespace: namespace, position: position, transactionCount: transactionCount, legs: legs,
                transactionSiblings: siblings))
        }
        let tableSiblings = try reader.nodes(limit: MerkleLimits.maximumMultiProofSiblings)
        try reader.finish()
        try self.init(namespaceCount: namespaceCount, groups: groups, tableSiblings: tableSiblings)
    }
}
