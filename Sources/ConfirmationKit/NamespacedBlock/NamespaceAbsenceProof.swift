public import ConfirmationCrypto

/// A proof that a namespace has no transactions in a namespaced block.
///
/// The table lists namespaces in strictly increasing order, so a namespace is absent exactly when
/// one of these holds, and the proof shows which:
/// - the block has no namespaces (no neighbours; the commitment of an empty table);
/// - the entry at position 0 has a larger id (``upper`` only);
/// - the entry at the last position has a smaller id (``lower`` only);
/// - two entries at adjacent positions have a smaller and a larger id (both).
///
/// The neighbours are proven with one table multi-proof; the namespace count is bound by the
/// commitment, so "last position" cannot be faked with a shorter table.
///
/// ```swift
/// let proof = try block.absenceProof(namespace: 9)
/// proof.verify(against: block.commitment)   // true: namespace 9 has nothing in this block
/// ```
public struct NamespaceAbsenceProof: Sendable, Hashable {
    /// A table entry next to the absent namespace, with its position.
    public struct Neighbour: Sendable, Hashable, Codable {
        /// The entry's position in the table.
        public let position: UInt64
        /// The entry.
        public let entry: NamespaceEntry

        enum CodingKeys: String, CodingKey {
            case entry
            case position = "tablePosition"
        }

        /// Creates a neighbour.
        /// - Parameters:
        ///   - position: the entry's position.
        ///   - entry: the entry.
        public init(position: UInt64, entry: NamespaceEntry) {
            self.position = position
            self.entry = entry
        }
    }

    /// The namespace shown absent.
    public let namespace: NamespaceID
    /// How many namespaces the block has.
    public let namespaceCount: UInt64
    /// The entry just below the namespace, if any.
    public let lower: Neighbour?
    /// The entry just above the namespace, if any.
    public let upper: Neighbour?
    /// The table multi-proof siblings for the neighbours (see ``MerkleMultiProof`` for the order).
    public let tableSiblings: [Bytes32]

    /// The JSON `kind`: `namespace-absence`.
    public static let kind = "namespace-absence"

    /// Creates a proof after checking that the neighbours sit where they must.
    /// - Parameters:
    ///   - namespace: the namespace shown absent.
    ///   - namespaceCount: the block's namespace count.
    ///   - lower: the entry below, or `nil` when the namespace would come first.
    ///   - upper: the entry above, or `nil` when the namespace would come last.
    ///   - tableSiblings: exactly the siblings the neighbours' positions require.
    /// - Throws: ``ConfirmationError`` `namespace.invalid-neighbours`, `namespace.too-many` or a Merkle shape error.
    public init(
        namespace: NamespaceID, namespaceCount: UInt64, lower: Neighbour?, upper: Neighbour?, tableSiblings: [Bytes32]
    ) throws {
        try NamespaceTablePath.checkCount(namespaceCount)
        switch (lower, upper) {
        case (nil, nil):
            guard namespaceCount == 0 else {
                throw ConfirmationError(.namespaceInvalidNeighbours, "a block of \(namespaceCount) namespaces needs a neighbour")
            }
        case (let lower?, nil):
            guard namespaceCount > 0, lower.position == namespaceCount - 1 else {
                throw ConfirmationError(
                    .namespaceInvalidNeighbours, "a lone lower neighbour must be the last of \(namespaceCount) entries")
            }
        case (nil, let upper?):
            guard namespaceCount > 0, upper.position == 0 else {
                throw ConfirmationError(.namespaceInvalidNeighbours, "a lone upper neighbour must be the first entry")
            }
        case (let lower?, let upper?):
            guard lower.position < namespaceCount, upper.position < namespaceCount,
                  upper.position > lower.position, upper.position - lower.position == 1
            else {
                throw ConfirmationError(
                    .namespaceInvalidNeighbours,
                    "neighbours at positions \(lower.position) and \(upper.position) of \(namespaceCount) are not adjacent")
            }
        }
        let positions = [lower, upper].compactMap { $0?.position }
        if positions.isEmpty {
            guard tableSiblings.isEmpty else {
                throw ConfirmationError(.merkleProofLengthMismatch, "an empty block has no table siblings")
            }
        } else {
            try MerkleShape.checkSiblingCount(tableSiblings.count, indices: positions, treeSize: namespaceCount)
        }
        self.namespace = namespace
        self.namespaceCount = namespaceCount
        self.lower = lower
        self.upper = upper
        self.tableSiblings = tableSiblings
    }

    /// The block commitment the neighbours and siblings lead to.
    public var commitment: Bytes32 {
        let neighbours = [lower, upper].compactMap { $0 }
        guard !neighbours.isEmpty else {
            return NamespaceDomain.commitment(namespaceCount: 0, tableRoot: NamespaceTableHasher.emptyTreeRoot)
        }
        let tableRoot = MerkleShape.multiRoot(
            NamespaceTableHasher.self, leaves: neighbours.map { ($0.position, $0.entry.entryHash) },
            treeSize: namespaceCount, siblings: tableSiblings)
        return NamespaceDomain.commitment(namespaceCount: namespaceCount, tableRoot: tableRoot ?? .zero)
    }

    /// Whether the namespace is absent from the block with commitment `commitment`.
    /// - Parameter commitment: the trusted block commitment.
    /// - Returns: `true` when the neighbours bracket the namespace and lead to `commitment`.
    public func verify(against commitment: Bytes32) -> Bool {
        verdict(against: commitment).isVerified
    }

    /// The verdict against `commitment`: the ordering rule first, then the commitment.
    public func verdict(against commitment: Bytes32) -> ProofVerdict {
        if let lower, !(lower.entry.namespace < namespace) {
            return .failed(ProofFailure(
                .namespaceOutOfOrder, "lower neighbour \(lower.entry.namespace) is not below \(namespace)"))
        }
        if let upper, !(namespace < upper.entry.namespace) {
            return .failed(ProofFailure(
                .namespaceOutOfOrder, "upper neighbour \(upper.entry.namespace) is not above \(namespace)"))
        }
        return .compare(self.commitment, commitment, what: "the block commitment computed from the neighbours")
    }
}

extension NamespaceAbsenceProof: Codable {
    enum CodingKeys: String, CodingKey {
        case kind, namespace, namespaceCount, lower, upper, tableSiblings
    }

    /// Decodes the JSON form (`lower` / `upper` may be `null` or missing) and checks the shape.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try ProofJSON.checkKind(container, .kind, expected: Self.kind)
        try self.init(
            namespace: container.decode(NamespaceID.self, forKey: .namespace),
            namespaceCount: container.decode(UInt64.self, forKey: .namespaceCount),
            lower: container.decodeIfPresent(Neighbour.self, forKey: .lower),
            upper: container.decodeIfPresent(Neighbour.self, forKey: .upper),
            tableSiblings: ProofJSON.nodes(container, .tableSiblings, limit: 2 * MerkleLimits.maximumDepth))
    }

    /// Encodes the JSON form with the `kind` tag; a missing neighbour is written as `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.kind, forKey: .kind)
        try container.encode(namespace, forKey: .namespace)
        try container.encode(namespaceCount, forKey: .namespaceCount)
        try container.encode(lower, forKey: .lower)
        try container.encode(upper, forKey: .upper)
        try container.encode(tableSiblings, forKey: .tableSiblings)
    }

    /// The binary canonical form: version, tag `0x12`, `u64` namespace, `u64` namespace count,
    /// a flags byte (bit 0 lower present, bit 1 upper present, other bits zero), each present
    /// neighbour as `u64` position, `u64` namespace, `u64` transaction count, 32-byte root, then
    /// `u32`-prefixed table siblings.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalWriter(tag: .namespaceAbsence)
        writer.u64(namespace.rawValue)
        writer.u64(namespaceCount)
        writer.u8((lower == nil ? 0 : 1) | (upper == nil ? 0 : 2))
        for neighbour in [lower, upper].compactMap({ $0 }) {
            writer.u64(neighbour.position)
            writer.u64(neighbour.entry.namespace.rawValue)
            writer.u64(neighbour.entry.transactionCount)
            writer.node(neighbour.entry.namespaceRoot)
        }
        writer.nodes(tableSiblings)
        return writer.bytes
    }

    /// Decodes the binary canonical form.
    /// - Parameter bytes: exactly one encoded proof.
    /// - Throws: ``ConfirmationError`` `proof.invalid-encoding`, `proof.unknown-kind` or a shape error.
    public init(canonicalBytes bytes: [UInt8]) throws {
        var reader = try CanonicalReader(bytes, expecting: .namespaceAbsence)
        let namespace = NamespaceID(try reader.u64())
        let count = try reader.u64()
        let flags = try reader.u8()
        guard flags & ~3 == 0 else {
            throw ConfirmationError(.proofInvalidEncoding, "absence flags byte \(flags) has unknown bits")
        }
        func neighbour() throws -> Neighbour {
            let position = try reader.u64()
            let id = NamespaceID(try reader.u64())
            let transactions = try reader.u64()
            let root = try reader.node()
            return Neighbour(
                position: position, entry: try NamespaceEntry(namespace: id, transactionCount: transactions, namespaceRoot: root))
        }
        let lower = flags & 1 != 0 ? try neighbour() : nil
        let upper = flags & 2 != 0 ? try neighbour() : nil
        let siblings = try reader.nodes(limit: 2 * MerkleLimits.maximumDepth)
        try reader.finish()
        try self.init(namespace: namespace, namespaceCount: count, lower: lower, upper: upper, tableSiblings: siblings)
    }
}
