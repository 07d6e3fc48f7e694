public import ConfirmationCrypto

/// One proof that several leaves are at given indices of an RFC 6962-shaped tree, sharing the
/// siblings their paths have in common.
///
/// **Canonical form.** Leaves are listed by strictly increasing index; a proof with a repeated
/// index (`merkle.duplicate-index`) or indices out of order (`merkle.indices-not-sorted`) is
/// rejected rather than re-sorted, so one set of leaves has exactly one encoding and a duplicate
/// index cannot smuggle in a second, unchecked leaf. ``MerkleTree/multiProof(indices:)`` accepts
/// any order and repeats, and builds the canonical proof.
///
/// **Sibling order.** Walking the tree level by level from the leaves up, left to right within a
/// level, each known node whose sibling is neither known nor produced by another path consumes the
/// next sibling; an unpaired last node of a level moves up unchanged. The sibling count is a
/// function of the indices and the tree size alone and must match exactly.
///
/// ```swift
/// let proof = try tree.multiProof(indices: [7, 2, 7, 3])   // covers 2, 3, 7
/// proof.verify(against: tree.root)                         // true
/// ```
public struct MerkleMultiProof<Hash: MerkleHasher>: Sendable, Hashable {
    /// One proven leaf.
    public struct Leaf: Sendable, Hashable {
        /// The leaf index.
        public let index: UInt64
        /// The leaf data.
        public let data: [UInt8]

        /// Creates a leaf entry.
        /// - Parameters:
        ///   - index: the leaf index.
        ///   - data: the leaf data.
        public init(index: UInt64, data: [UInt8]) {
            self.index = index
            self.data = data
        }
    }

    /// The number of leaves in the tree.
    public let treeSize: UInt64
    /// The proven leaves, by strictly increasing index.
    public let leaves: [Leaf]
    /// The missing nodes, in the order described above.
    public let siblings: [Bytes32]

    /// The proof kind written in JSON, e.g. `rfc6962-sha256-multiproof`.
    public static var kind: String { Hash.identifier + "-multiproof" }

    /// Creates a multi-proof after checking its shape.
    /// - Parameters:
    ///   - treeSize: the number of leaves in the tree, at least one.
    ///   - leaves: one to ``MerkleLimits/maximumMultiProofLeaves`` leaves by strictly increasing index.
    ///   - siblings: exactly the siblings the indices and size require.
    /// - Throws: ``ConfirmationError`` `merkle.empty-tree`, `merkle.no-leaves`, `merkle.too-many-leaves`,
    ///   `merkle.index-out-of-range`, `merkle.duplicate-index`, `merkle.indices-not-sorted`,
    ///   `merkle.leaf-too-large`, `merkle.proof-too-long` or `merkle.proof-length-mismatch`.
    public init(treeSize: UInt64, leaves: [Leaf], siblings: [Bytes32]) throws {
        guard treeSize > 0 else {
            throw ConfirmationError(.merkleEmptyTree, "a tree of zero leaves has no inclusion proofs")
        }
        guard !leaves.isEmpty else {
            throw ConfirmationError(.merkleNoLeaves, "a multi-proof needs at least one leaf")
        }
        guard leaves.count <= MerkleLimits.maximumMultiProofLeaves else {
            throw ConfirmationError(
                .merkleTooManyLeaves, "\(leaves.count) leaves; the limit is \(MerkleLimits.maximumMultiProofLeaves)")
        }
        try MerkleShape.checkPayload(leaves.lazy.map(\.data.count))
        let indices = leaves.map(\.index)
        try MerkleShape.checkIndices(indices, treeSize: treeSize)
        try MerkleShape.checkSiblingCount(siblings.count, indices: indices, treeSize: treeSize)
        self.treeSize = treeSize
        self.leaves = leaves
        self.siblings = siblings
    }

    /// The root this proof leads to.
    public var root: Bytes32 {
        let hashed = leaves.map { (index: $0.index, hash: Hash.leafHash($0.data)) }
        // The initialiser checked the shape, so the walk always consumes exactly the siblings.
        return MerkleShape.multiRoot(Hash.self, leaves: hashed, treeSize: treeSize, siblings: siblings) ?? Hash.emptyTreeRoot
    }

    /// Whether the proof leads to `root`.
    /// - Parameter root: the trusted root.
    /// - Returns: `true` when every leaf is at its index under `root`.
    public func verify(against root: Bytes32) -> Bool {
        self.root == root
    }

    /// The verdict against `root`, with a reason when it fails.
    public func verdict(against root: Bytes32) -> ProofVerdict {
        .compare(self.root, root, what: "the root computed from \(leaves.count) leaves of \(treeSize)")
    }
}

extension MerkleMultiProof: Codable {
    enum CodingKeys: String, CodingKey {
        case kind, treeSize, leaves, siblings
    }

    enum LeafKeys: String, CodingKey {
        case index, data
    }

    /// Decodes `{"kind", "treeSize", "leaves": [{"index", "data"}], "siblings"}` and checks the shape.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try ProofJSON.checkKind(container, .kind, expected: Self.kind)
        var list = try container.nestedUnkeyedContainer(forKey: .leaves)
        var leaves: [Leaf] = []
        while !list.isAtEnd {
            guard leaves.count < MerkleLimits.maximumMultiProofLeaves else {
                throw ConfirmationError(.merkleTooManyLeaves, "more than \(MerkleLimits.maximumMultiProofLeaves) leaves")
            }
            let entry = try list.nestedContainer(keyedBy: LeafKeys.self)
            leaves.append(Leaf(index: try entry.decode(UInt64.self, forKey: .index), data: try ProofJSON.hexBytes(entry, .data)))
        }
        try self.init(
            treeSize: container.decode(UInt64.self, forKey: .treeSize),
            leaves: leaves,
            siblings: ProofJSON.nodes(container, .siblings, limit: MerkleLimits.maximumMultiProofSiblings))
    }

    /// Encodes the JSON form with the `kind` tag.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.kind, forKey: .kind)
        try container.encode(treeSize, forKey: .treeSize)
        var list = container.nestedUnkeyedContainer(forKey: .leaves)
        for leaf in leaves {
            var entry = list.nestedContainer(keyedBy: LeafKeys.self)
            try entry.encode(leaf.index, forKey: .index)
            try entry.encode(ProofJSON.hexString(leaf.data), forKey: .data)
        }
        try container.encode(siblings, forKey: .siblings)
    }
}

extension MerkleMultiProof {
    /// The binary canonical form: version, tag `0x02`, hasher byte, `u64` tree size, `u32` leaf
    /// count, per leaf `u64` index and `u32`-prefixed data, then `u32`-prefixed siblings.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalWriter(tag: .merkleMultiProof, hasher: Hash.binaryTag)
        writer.u64(treeSize)
        writer.u32(leaves.count)
        for leaf in leaves {
            writer.u64(leaf.index)
            writer.data(leaf.data)
        }
        writer.nodes(siblings)
        return writer.bytes
    }

    /// Decodes the binary canonical form.
    /// - Parameter bytes: exactly one encoded proof.
    /// - Throws: ``ConfirmationError`` `proof.invalid-encoding`, `proof.unknown-kind` or a shape error.
    public init(canonicalBytes bytes: [UInt8]) throws {
        var reader = try CanonicalReader(bytes, expecting: .merkleMultiProof, hasher: Hash.binaryTag)
        let treeSize = try reader.u64()
        let count = try reader.count(limit: MerkleLimits.maximumMultiProofLeaves, minimumSize: 12, code: .merkleTooManyLeaves)
        var leaves: [Leaf] = []
        leaves.reserveCapacity(count)
        for _ in 0..<count {
            let index = try reader.u64()
            leaves.append(Leaf(index: index, data: try reader.data(limit: MerkleLimits.maximumLeafBytes)))
        }
        let siblings = try reader.nodes(limit: MerkleLimits.maximumMultiProofSiblings)
        try reader.finish()
        try self.init(treeSize: treeSize, leaves: leaves, siblings: siblings)
    }
}
