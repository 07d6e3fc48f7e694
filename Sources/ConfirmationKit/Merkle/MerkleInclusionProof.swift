public import ConfirmationCrypto

/// A proof that one leaf is at a given index of an RFC 6962-shaped tree with a given root.
///
/// The proof carries the leaf *data*, not its hash: the verifier hashes the data with the leaf
/// prefix itself, so an interior node can never be passed off as a leaf. The sibling count must be
/// exactly the count the index and tree size require (RFC 9162 §2.1.3.2); a truncated path or an
/// extra sibling is rejected when the proof is made or decoded.
///
/// ```swift
/// let tree = try MerkleTree<RFC6962SHA256>(leaves: [[1], [2], [3]])
/// let proof = try tree.inclusionProof(index: 2)
/// proof.verify(against: tree.root)       // true
/// let json = try JSONEncoder().encode(proof)
/// ```
public struct MerkleInclusionProof<Hash: MerkleHasher>: Sendable, Hashable {
    /// The leaf data (at most ``MerkleLimits/maximumLeafBytes``).
    public let leaf: [UInt8]
    /// The leaf's zero-based index.
    public let leafIndex: UInt64
    /// The number of leaves in the tree.
    public let treeSize: UInt64
    /// The authentication path, leaf level first.
    public let siblings: [Bytes32]

    /// The proof kind written in JSON, e.g. `rfc6962-sha256-inclusion`.
    public static var kind: String { Hash.identifier + "-inclusion" }

    /// Creates a proof after checking its shape.
    /// - Parameters:
    ///   - leaf: the leaf data.
    ///   - leafIndex: the leaf index, below `treeSize`.
    ///   - treeSize: the number of leaves, at least one.
    ///   - siblings: exactly the siblings the index and size require.
    /// - Throws: ``ConfirmationError`` `merkle.empty-tree`, `merkle.index-out-of-range`,
    ///   `merkle.proof-too-long`, `merkle.proof-length-mismatch` or `merkle.leaf-too-large`.
    public init(leaf: [UInt8], leafIndex: UInt64, treeSize: UInt64, siblings: [Bytes32]) throws {
        guard leaf.count <= MerkleLimits.maximumLeafBytes else {
            throw ConfirmationError(.merkleLeafTooLarge, "leaf of \(leaf.count) bytes; the limit is \(MerkleLimits.maximumLeafBytes)")
        }
        try MerkleShape.checkPath(index: leafIndex, treeSize: treeSize, siblingCount: siblings.count)
        self.leaf = leaf
        self.leafIndex = leafIndex
        self.treeSize = treeSize
        self.siblings = siblings
    }

    /// The root this proof leads to.
    @inlinable public var root: Bytes32 {
        // The initialiser checked the shape, so the walk always consumes exactly the siblings.
        MerkleShape.root(Hash.self, leafHash: Hash.leafHash(leaf), index: leafIndex, treeSize: treeSize, siblings: siblings)
            ?? Hash.emptyTreeRoot
    }

    /// Whether the proof leads to `root`.
    /// - Parameter root: the trusted root.
    /// - Returns: `true` when the recomputed root equals `root`.
    @inlinable public func verify(against root: Bytes32) -> Bool {
        self.root == root
    }

    /// The verdict against `root`, with a reason when it fails.
    public func verdict(against root: Bytes32) -> ProofVerdict {
        .compare(self.root, root, what: "the root computed from leaf \(leafIndex) of \(treeSize)")
    }

    /// Recomputes a root from a leaf *hash* (the form Certificate Transparency and CometBFT's
    /// `merkle.Proof` carry), with the same shape rules as a parsed proof.
    ///
    /// Prefer proofs that carry the leaf data: a bare leaf hash cannot show it is a leaf.
    /// - Parameters:
    ///   - leafHash: the leaf's hash.
    ///   - leafIndex: its index.
    ///   - treeSize: the tree size.
    ///   - siblings: the authentication path.
    /// - Returns: the root.
    /// - Throws: the shape errors of ``init(leaf:leafIndex:treeSize:siblings:)``.
    public static func root(leafHash: Bytes32, leafIndex: UInt64, treeSize: UInt64, siblings: [Bytes32]) throws -> Bytes32 {
        try MerkleShape.checkPath(index: leafIndex, treeSize: treeSize, siblingCount: siblings.count)
        guard let root = MerkleShape.root(Hash.self, leafHash: leafHash, index: leafIndex, treeSize: treeSize, siblings: siblings) else {
            throw ConfirmationError(.merkleProofLengthMismatch, "the path does not fit leaf \(leafIndex) of \(treeSize)")
        }
        return root
    }
}

extension MerkleInclusionProof: Codable {
    enum CodingKeys: String, CodingKey {
        case kind, leaf, leafIndex, treeSize, siblings
    }

    /// Decodes `{"kind", "leaf" (hex), "leafIndex", "treeSize", "siblings" (hex)}` and checks the shape.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try ProofJSON.checkKind(container, .kind, expected: Self.kind)
        try self.init(
            leaf: ProofJSON.hexBytes(container, .leaf),
            leafIndex: container.decode(UInt64.self, forKey: .leafIndex),
            treeSize: container.decode(UInt64.self, forKey: .treeSize),
            siblings: ProofJSON.nodes(container, .siblings, limit: MerkleLimits.maximumDepth))
    }

    /// Encodes the JSON form with the `kind` tag.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.kind, forKey: .kind)
        try container.encode(ProofJSON.hexString(leaf), forKey: .leaf)
        try container.encode(leafIndex, forKey: .leafIndex)
        try container.encode(treeSize, forKey: .treeSize)
        try container.encode(siblings, forKey: .siblings)
    }
}

extension MerkleInclusionProof {
    /// The binary canonical form: version, tag `0x01`, hasher byte, `u64` tree size, `u64` index, `u32`-prefixed leaf,
    /// `u32`-prefixed siblings.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalWriter(tag: .merkleInclusion, hasher: Hash.binaryTag)
        writer.u64(treeSize)
        writer.u64(leafIndex)
        writer.data(leaf)
        writer.nodes(siblings)
        return writer.bytes
    }

    /// Decodes the binary canonical form.
    /// - Parameter bytes: exactly one encoded proof.
    /// - Throws: ``ConfirmationError`` `proof.invalid-encoding`, `proof.unknown-kind` or a shape error.
    public init(canonicalBytes bytes: [UInt8]) throws {
        var reader = try CanonicalReader(bytes, expecting: .merkleInclusion, hasher: Hash.binaryTag)
        let treeSize = try reader.u64()
        let leafIndex = try reader.u64()
        let leaf = try reader.data(limit: MerkleLimits.maximumLeafBytes)
        let siblings = try reader.nodes(limit: MerkleLimits.maximumDepth)
        try reader.finish()
        try self.init(leaf: leaf, leafIndex: leafIndex, treeSize: treeSize, siblings: siblings)
    }
}
