public import ConfirmationCrypto

/// An RFC 6962-shaped Merkle tree over a list of leaves, kept in memory to produce proofs.
///
/// All levels are stored in one contiguous buffer (about `2n` nodes), built bottom-up with one
/// leaf hash per leaf and one node hash per interior node, and no other allocation.
///
/// ```swift
/// let tree = try MerkleTree<RFC6962SHA256>(leaves: transactions)
/// let proof = try tree.inclusionProof(index: 3)
/// assert(proof.verify(against: tree.root))
/// ```
public struct MerkleTree<Hash: MerkleHasher>: Sendable {
    /// The leaves, in order.
    public let leaves: [[UInt8]]
    /// The root (``MerkleHasher/emptyTreeRoot`` for no leaves).
    public let root: Bytes32

    /// Every level, leaves first; level `l` starts at `levelStarts[l]`.
    let nodes: [Bytes32]
    let levelStarts: [Int]

    /// Builds the tree.
    /// - Parameter leaves: the leaf data, in order; each at most ``MerkleLimits/maximumLeafBytes``.
    /// - Throws: ``ConfirmationError`` `merkle.leaf-too-large`.
    public init(leaves: [[UInt8]]) throws {
        for (i, leaf) in leaves.enumerated() where leaf.count > MerkleLimits.maximumLeafBytes {
            throw ConfirmationError(
                .merkleLeafTooLarge, "leaf \(i) has \(leaf.count) bytes; the limit is \(MerkleLimits.maximumLeafBytes)")
        }
        self.leaves = leaves
        (nodes, levelStarts) = Self.build(leaves)
        root = nodes.last ?? Hash.emptyTreeRoot
    }

    /// The number of leaves.
    public var count: Int { leaves.count }

    /// The hash of leaf `index`.
    /// - Throws: ``ConfirmationError`` `merkle.index-out-of-range`.
    public func leafHash(at index: Int) throws -> Bytes32 {
        try checkIndex(index)
        return nodes[index]
    }

    /// The inclusion proof of leaf `index`.
    /// - Parameter index: a leaf index below ``count``.
    /// - Returns: a proof carrying the leaf data and its authentication path.
    /// - Throws: ``ConfirmationError`` `merkle.index-out-of-range`.
    public func inclusionProof(index: Int) throws -> MerkleInclusionProof<Hash> {
        try checkIndex(index)
        return try MerkleInclusionProof(
            leaf: leaves[index], leafIndex: UInt64(index), treeSize: UInt64(count), siblings: path(index: index))
    }

    /// One proof for several leaves, sharing the siblings their paths have in common.
    ///
    /// The indices may come in any order and may repeat: the proof covers each distinct index
    /// once, in increasing order (a duplicate asks for the same leaf twice, which proves nothing more).
    /// - Parameter indices: leaf indices below ``count``; at most ``MerkleLimits/maximumMultiProofLeaves`` distinct.
    /// - Returns: the multi-proof.
    /// - Throws: ``ConfirmationError`` `merkle.index-out-of-range`, `merkle.no-leaves` or `merkle.too-many-leaves`.
    public func multiProof(indices: [Int]) throws -> MerkleMultiProof<Hash> {
        for index in indices { try checkIndex(index) }
        let sorted = Array(Set(indices)).sorted()
        let entries = sorted.map { MerkleMultiProof<Hash>.Leaf(index: UInt64($0), data: leaves[$0]) }
        return try MerkleMultiProof(treeSize: UInt64(count), leaves: entries, siblings: multiPath(indices: sorted))
    }

    func checkIndex(_ index: Int) throws {
        guard index >= 0, index < count else {
            throw ConfirmationError(.merkleIndexOutOfRange, "leaf index \(index) is not below the tree size \(count)")
        }
    }

    /// The siblings on the path of leaf `index`, leaf level first. `index` must be valid.
    func path(index: Int) -> [Bytes32] {
        var siblings: [Bytes32] = []
        var position = index
        var width = count
        var level = 0
        while width > 1 {
            if position & 1 == 1 {
                siblings.append(nodes[levelStarts[level] + position - 1])
            } else if position < width - 1 {
                siblings.append(nodes[levelStarts[level] + position + 1])
            }
            position >>= 1
            width = (width + 1) >> 1
            level += 1
        }
        return siblings
    }

    /// The siblings of a multi-proof for strictly increasing valid `indices`, in the order
    /// ``MerkleShape/multiRoot(_:leaves:treeSize:siblings:)`` consumes them.
    func multiPath(indices: [Int]) -> [Bytes32] {
        var siblings: [Bytes32] = []
        var current = indices
        var parents: [Int] = []
        var width = count
        var level = 0
        while width > 1 {
            parents.removeAll(keepingCapacity: true)
            let start = levelStarts[level]
            var i = 0
            while i < current.count {
                let position = current[i]
                if position & 1 == 1 {
                    siblings.append(nodes[start + position - 1])
                } else if position < width - 1 {
                    if i + 1 < current.count, current[i + 1] == position + 1 {
                        i += 1
                    } else {
                        siblings.append(nodes[start + position + 1])
                    }
                }
                parents.append(position >> 1)
                i += 1
            }
            swap(&current, &parents)
            width = (width + 1) >> 1
            level += 1
        }
        return siblings
    }

    /// Hashes the leaves and every level into one exactly sized buffer.
    static func build(_ leaves: [[UInt8]]) -> (nodes: [Bytes32], levelStarts: [Int]) {
        let n = leaves.count
        var levelStarts: [Int] = []
        var total = 0
        var width = n
        while width > 0 {
            levelStarts.append(total)
            total += width
            if width == 1 { break }
            width = (width + 1) >> 1
        }
        let nodes = [Bytes32](unsafeUninitializedCapacity: total) { buffer, initialized in
            guard let base = buffer.baseAddress else {
                initialized = 0
                return
            }
            for i in 0..<n {
                (base + i).initialize(to: leaves[i].withUnsafeBytes { Hash.leafHash($0) })
            }
            var width = n
            var start = 0
            while width > 1 {
                let parentStart = start + width
                var out = parentStart
                var i = 0
                while i + 1 < width {
                    (base + out).initialize(to: Hash.nodeHash(base[start + i], base[start + i + 1]))
                    out += 1
                    i += 2
                }
                if i < width {
                    (base + out).initialize(to: base[start + i])
                }
                start = parentStart
                width = (width + 1) >> 1
            }
            initialized = total
        }
        return (nodes, levelStarts)
    }
}

extension MerkleTree {
    /// The root of `leafHashes` without keeping the tree: the same rules, reduced in place.
    /// - Parameter leafHashes: the leaf hashes in order.
    /// - Returns: the root, or ``MerkleHasher/emptyTreeRoot`` for no leaves.
    public static func root(leafHashes: [Bytes32]) -> Bytes32 {
        guard !leafHashes.isEmpty else { return Hash.emptyTreeRoot }
        var level = leafHashes
        var width = level.count
        level.withUnsafeMutableBufferPointer { buffer in
            while width > 1 {
                var out = 0
                var i = 0
                while i + 1 < width {
                    buffer[out] = Hash.nodeHash(buffer[i], buffer[i + 1])
                    out += 1
                    i += 2
                }
                if i < width {
                    buffer[out] = buffer[i]
                }
                width = (width + 1) >> 1
            }
        }
        return level[0]
    }
}
