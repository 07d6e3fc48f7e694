public import ConfirmationKit

/// The root of Espresso's block Merkle tree as a header carries it (`MERKLE_COMM~`, 48 bytes):
/// the 32-byte digest, the tree height (u64 LE) and the number of leaves (u64 LE).
///
/// The root in the header at height `h` commits to the headers `0…h−1`.
public struct BlockMerkleRoot: Sendable, Hashable {
    /// The root digest.
    public let digest: Bytes32
    /// The tree height (32 for the block tree).
    public let height: UInt64
    /// How many leaves (headers) the tree holds.
    public let leafCount: UInt64

    /// Parses the 48-byte serialization.
    /// - Throws: ``ConfirmationError`` `input.invalid-length` for another size.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == 48 else {
            throw ConfirmationError(.invalidLength, "a block Merkle root is 48 bytes; got \(bytes.count)")
        }
        digest = try Bytes32(bytes[0..<32])
        height = bytes[32..<40].reversed().reduce(0) { $0 << 8 | UInt64($1) }
        leafCount = bytes[40..<48].reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Parses `MERKLE_COMM~…`.
    /// - Throws: as ``init(bytes:)``, plus the tagged-base64 errors.
    public init(taggedBase64 text: String) throws {
        try self.init(bytes: TaggedBase64(parsing: text, tag: "MERKLE_COMM").value)
    }
}

/// An inclusion proof in Espresso's block Merkle tree (`LightWeightSHA3MerkleTree<Commitment<Header>>`):
/// arity 3, height 32, SHA3-256, no domain separators.
///
/// - Leaf hash: `SHA3(header commitment)` (the position is not hashed).
/// - Node hash: `SHA3(c0 ‖ c1 ‖ c2)`; an empty subtree hashes to 32 zero bytes.
/// - The path digits are the position in base 3, least significant first.
///
/// JSON: `[{"Leaf": {"value", "pos", "elem"}}, {"Branch": {"value", "children": [3 children]}} × 32]`,
/// leaf first, with `FIELD~` values; a child is `{"ForgettenSubtree": {"value"}}` (upstream's spelling),
/// `{"Leaf": {"value", …}}`, `{"Branch": {"value", …}}` or `"Empty"`.
///
/// ```swift
/// let proof = try BlockMerkleProof(json: json["proof"])
/// try proof.verify(header: header, against: laterHeader.blockMerkleRoot!)
/// ```
public struct BlockMerkleProof: Sendable, Hashable {
    /// The proved position (the header's height).
    public let position: UInt64
    /// The proved element: a header commitment.
    public let element: EspressoCommitment
    /// The sibling triples, from the leaf's parent up to the root; the entry at the path digit is
    /// replaced by the recomputed hash during verification.
    public let levels: [[Bytes32]]

    /// The block tree's height.
    public static let treeHeight = 32
    /// The number of positions of a tree of arity 3 and height 32: 3³².
    public static let capacity: UInt64 = (0..<32).reduce(1) { acc, _ in acc * 3 }

    /// Parses the proof JSON.
    /// - Throws: ``ConfirmationError`` `espresso.malformed` or the tagged-base64 errors.
    public init(json: EspressoJSON) throws {
        let entries = try JSONCursor(json, path: "$.proof").array(maximumCount: Self.treeHeight + 1)
        guard entries.count == Self.treeHeight + 1, let first = entries.first else {
            throw ConfirmationError(.espressoMalformed, "a block Merkle proof has \(Self.treeHeight + 1) entries")
        }
        let leaf = try first["Leaf"]
        let posBytes = try leaf["pos"].tagged("FIELD", maximumBytes: 8)
        guard posBytes.count == 8 else { throw leaf.fail("pos is 8 bytes") }
        position = posBytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
        element = try leaf["elem"].commitment(tags: ["FIELD"])
        levels = try entries.dropFirst().map { entry in
            let children = try entry["Branch"]["children"].array(maximumCount: 3)
            guard children.count == 3 else { throw entry.fail("a branch has 3 children") }
            return try children.map(Self.childDigest)
        }
    }

    private static func childDigest(_ child: JSONCursor) throws -> Bytes32 {
        if case .string("Empty") = child.value { return .zero }
        let object = try child.object()
        guard object.count == 1, let kind = object.keys.first else { throw child.fail("a child has one variant") }
        switch kind {
        case "Empty": return .zero
        case "ForgettenSubtree", "Leaf", "Branch": return try child[kind]["value"].commitment(tags: ["FIELD"]).bytes
        default: throw child.fail("unknown child variant \(kind)")
        }
    }

    /// The root digest the proof leads to for its own element and position.
    public func computedRoot() -> Bytes32 {
        var hash = SHA3_256.hash(element.bytes.bytes)
        var rest = position
        for level in levels {
            let digit = Int(rest % 3)
            rest /= 3
            var children = level
            children[digit] = hash
            hash = SHA3_256.hash(children.flatMap(\.bytes))
        }
        return hash
    }

    /// Verifies that `header` is the leaf at its height in the tree with `root`.
    /// - Parameters:
    ///   - header: the proved header; its commitment must be the proof's element and its height the position.
    ///   - root: the root from a later header (whose leaf count must exceed the position).
    /// - Throws: ``ConfirmationError`` `espresso.merkle-element-mismatch`, `espresso.merkle-position-out-of-range`
    ///   or `espresso.merkle-root-mismatch`.
    public func verify(header: EspressoHeader, against root: BlockMerkleRoot) throws {
        try verify(commitment: header.commitment, height: header.height, against: root)
    }

    /// Verifies that `commitment` is the header commitment at `height` in the tree with `root`.
    /// - Throws: as ``verify(header:against:)``.
    public func verify(commitment: EspressoCommitment, height: UInt64, against root: BlockMerkleRoot) throws {
        guard element == commitment else {
            throw ConfirmationError(.espressoMerkleElementMismatch,
                                    "the proof is for \(element.taggedBase64(tag: "BLOCK")), not \(commitment.taggedBase64(tag: "BLOCK"))")
        }
        // 3³² positions fit the tree; the leaf count of a trusted root is below that, but check anyway.
        guard position == height, root.height == UInt64(Self.treeHeight), position < root.leafCount,
              position < Self.capacity else {
            throw ConfirmationError(.espressoMerklePositionOutOfRange,
                                    "position \(position) for height \(height) in a tree of height \(root.height) with \(root.leafCount) leaves")
        }
        guard computedRoot() == root.digest else {
            throw ConfirmationError(.espressoMerkleRootMismatch, "the proof leads to \(computedRoot()), the root is \(root.digest)")
        }
    }
}

/// A block's namespace table: `u32 LE count`, then `(u32 namespace id, u32 end offset)` per namespace.
///
/// ```swift
/// let table = try EspressoNamespaceTable(bytes: header.namespaceTable)
/// let txs = try table.transactions(in: 101, payload: payloadBytes)
/// ```
public struct EspressoNamespaceTable: Sendable, Hashable {
    /// One namespace: its id and the end of its bytes in the payload.
    public struct Entry: Sendable, Hashable {
        /// The namespace id (a rollup).
        public let namespace: UInt32
        /// The end offset of its bytes in the payload (exclusive).
        public let end: UInt32
    }

    /// The entries, in table order.
    public let entries: [Entry]
    /// The raw bytes.
    public let bytes: [UInt8]

    /// Parses the table strictly: exact length, no namespace twice, offsets non-decreasing.
    /// - Throws: ``ConfirmationError`` `espresso.malformed`.
    public init(bytes: [UInt8]) throws {
        guard bytes.count >= 4 else { throw ConfirmationError(.espressoMalformed, "a namespace table starts with a u32 count") }
        let count = Int(readU32(bytes, 0))
        guard count <= (bytes.count - 4) / 8, bytes.count == 4 + 8 * count else {
            throw ConfirmationError(.espressoMalformed, "a namespace table of \(count) entries is \(4 + 8 * min(count, 1 << 28)) bytes; got \(bytes.count)")
        }
        var entries: [Entry] = []
        var seen = Set<UInt32>()
        for i in 0..<count {
            let entry = Entry(namespace: readU32(bytes, 4 + 8 * i), end: readU32(bytes, 8 + 8 * i))
            guard seen.insert(entry.namespace).inserted else {
                throw ConfirmationError(.espressoMalformed, "namespace \(entry.namespace) appears twice in the table")
            }
            guard entry.end >= (entries.last?.end ?? 0) else {
                throw ConfirmationError(.espressoMalformed, "namespace offsets decrease at entry \(i)")
            }
            entries.append(entry)
        }
        self.entries = entries
        self.bytes = bytes
    }

    /// `RCB("NSTABLE").var_size_bytes(bytes)`.
    public static func commitment(of bytes: [UInt8]) -> EspressoCommitment {
        CommitmentBuilder("NSTABLE").varSize(bytes).finalize()
    }

    /// The transactions of `namespace` in `payload`: its byte range holds `u32 count`, `count` u32 end
    /// offsets (relative to the end of that table), then the transactions.
    /// - Returns: the transactions, or nil when the table has no such namespace.
    /// - Throws: ``ConfirmationError`` `espresso.malformed` when the ranges do not fit the payload.
    public func transactions(in namespace: UInt32, payload: [UInt8]) throws -> [[UInt8]]? {
        guard let index = entries.firstIndex(where: { $0.namespace == namespace }) else { return nil }
        let range = range(ofIndex: index)
        guard range.upperBound <= payload.count else {
            throw ConfirmationError(.espressoMalformed, "namespace \(namespace) ends at \(range.upperBound), past the \(payload.count)-byte payload")
        }
        return try Self.transactions(inNamespacePayload: Array(payload[range]), namespace: namespace)
    }

    /// The transactions of one namespace's bytes: `u32 count`, `count` u32 end offsets (relative to
    /// the end of that table), then the transactions, back to back.
    /// - Parameter namespace: the namespace id, for error messages.
    /// - Throws: ``ConfirmationError`` `espresso.malformed` when the table does not fit the bytes.
    public static func transactions(inNamespacePayload ns: [UInt8], namespace: UInt32) throws -> [[UInt8]] {
        guard ns.count >= 4 else { throw ConfirmationError(.espressoMalformed, "namespace \(namespace) has no transaction table") }
        let count = Int(readU32(ns, 0))
        guard count <= (ns.count - 4) / 4 else {
            throw ConfirmationError(.espressoMalformed, "namespace \(namespace) claims \(count) transactions in \(ns.count) bytes")
        }
        let body = 4 + 4 * count
        var previous = 0
        var out: [[UInt8]] = []
        for i in 0..<count {
            let txEnd = Int(readU32(ns, 4 + 4 * i))
            guard txEnd >= previous, body + txEnd <= ns.count else {
                throw ConfirmationError(.espressoMalformed, "transaction \(i) of namespace \(namespace) is out of range")
            }
            out.append(Array(ns[(body + previous)..<(body + txEnd)]))
            previous = txEnd
        }
        return out
    }

    /// The byte range of the namespace at `index` in the payload the table describes.
    public func range(ofIndex index: Int) -> Range<Int> {
        (index == 0 ? 0 : Int(entries[index - 1].end))..<Int(entries[index].end)
    }
}

func readU32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    guard offset >= 0, offset + 4 <= bytes.count else { return 0 }
    return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
}

extension ConfirmationError.Code {
    /// A block Merkle proof is for another header commitment than the one to prove.
    public static let espressoMerkleElementMismatch = Self("espresso.merkle-element-mismatch")
    /// A block Merkle proof's position is not the header's height, or is not below the root's leaf count.
    public static let espressoMerklePositionOutOfRange = Self("espresso.merkle-position-out-of-range")
    /// A block Merkle proof does not lead to the root.
    public static let espressoMerkleRootMismatch = Self("espresso.merkle-root-mismatch")
}

extension BlockMerkleRoot {
    /// The root of the block tree over `commitments` (the headers 0…n−1, in order): what the header at
    /// height n carries. Empty subtrees hash to 32 zero bytes, so only the occupied prefix is hashed.
    ///
    /// ```swift
    /// let root = BlockMerkleRoot.computed(over: headers.prefix(h).map(\.commitment))
    /// root == headerH.blockMerkleRoot   // the chain's tree is consistent
    /// ```
    /// - Parameter commitments: the header commitments, at most 3³² of them.
    /// - Returns: the root with height 32 and leaf count n.
    public static func computed(over commitments: [EspressoCommitment]) -> BlockMerkleRoot {
        var level = commitments.map { SHA3_256.hash($0.bytes.bytes) }
        for _ in 0..<BlockMerkleProof.treeHeight {
            var next: [Bytes32] = []
            next.reserveCapacity((level.count + 2) / 3)
            var i = 0
            while i < level.count {
                var node: [UInt8] = []
                node.reserveCapacity(96)
                for k in 0..<3 { node += (i + k < level.count ? level[i + k] : Bytes32.zero).bytes }
                next.append(SHA3_256.hash(node))
                i += 3
            }
            level = next
        }
        // With no leaf at all the root is the empty tree's: 32 zero bytes.
        let digest = level.first ?? .zero
        return BlockMerkleRoot(digest: digest, height: UInt64(BlockMerkleProof.treeHeight), leafCount: UInt64(commitments.count))
    }

    init(digest: Bytes32, height: UInt64, leafCount: UInt64) {
        self.digest = digest
        self.height = height
        self.leafCount = leafCount
    }
}
