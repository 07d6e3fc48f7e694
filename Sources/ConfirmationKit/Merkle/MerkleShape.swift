public import ConfirmationCrypto

/// Path arithmetic and root computation for RFC 6962-shaped trees.
///
/// RFC 6962 defines the tree recursively (split `n` leaves at the largest power of two below `n`).
/// The same tree, level by level: pair neighbours left to right; an unpaired last node moves up
/// unchanged. These functions walk that level form, which needs no recursion and no allocation
/// for a single path. All arithmetic is on `UInt64` and cannot overflow: `w` is halved rounding
/// up as `(w >> 1) + (w & 1)` and `p < w - 1` is evaluated only when `w > 1`.
@usableFromInline
enum MerkleShape {
    /// The number of siblings on the path of leaf `index` in a tree of `treeSize` leaves.
    /// - Precondition: `index < treeSize` (callers check it first).
    @inlinable
    static func pathLength(index: UInt64, treeSize: UInt64) -> Int {
        var position = index
        var width = treeSize
        var count = 0
        while width > 1 {
            if position & 1 == 1 || position < width - 1 { count += 1 }
            position >>= 1
            width = (width >> 1) + (width & 1)
        }
        return count
    }

    /// The root that `siblings` lead to from `leafHash` at `index`, or `nil` when the sibling
    /// count does not fit the path (checked as it walks, so no index is ever out of range).
    @inlinable
    static func root<Hash: MerkleHasher>(
        _: Hash.Type, leafHash: Bytes32, index: UInt64, treeSize: UInt64, siblings: [Bytes32]
    ) -> Bytes32? {
        guard index < treeSize else { return nil }
        return siblings.withUnsafeBufferPointer { path -> Bytes32? in
            var hash = leafHash
            var position = index
            var width = treeSize
            var next = 0
            while width > 1 {
                if position & 1 == 1 {
                    guard next < path.count else { return nil }
                    hash = Hash.nodeHash(path[next], hash)
                    next += 1
                } else if position < width - 1 {
                    guard next < path.count else { return nil }
                    hash = Hash.nodeHash(hash, path[next])
                    next += 1
                }
                position >>= 1
                width = (width >> 1) + (width & 1)
            }
            return next == path.count ? hash : nil
        }
    }

    /// The number of siblings a multi-proof for `indices` (strictly increasing, all below
    /// `treeSize`) needs: the nodes adjacent to the union of the paths that the paths themselves
    /// do not produce.
    static func multiProofSiblingCount(indices: [UInt64], treeSize: UInt64) -> Int {
        var current = indices
        var width = treeSize
        var count = 0
        var parents: [UInt64] = []
        parents.reserveCapacity(current.count)
        while width > 1 {
            parents.removeAll(keepingCapacity: true)
            var i = 0
            while i < current.count {
                let position = current[i]
                if position & 1 == 1 {
                    count += 1
                } else if position < width - 1 {
                    if i + 1 < current.count, current[i + 1] == position + 1 {
                        i += 1
                    } else {
                        count += 1
                    }
                }
                parents.append(position >> 1)
                i += 1
            }
            swap(&current, &parents)
            width = (width >> 1) + (width & 1)
        }
        return count
    }

    /// The root a multi-proof leads to, or `nil` when the siblings do not fit.
    ///
    /// - Parameters:
    ///   - leaves: `(index, leaf hash)` pairs with strictly increasing indices below `treeSize`.
    ///   - siblings: the missing nodes, level by level from the leaves up, left to right within a level.
    static func multiRoot<Hash: MerkleHasher>(
        _: Hash.Type, leaves: [(index: UInt64, hash: Bytes32)], treeSize: UInt64, siblings: [Bytes32]
    ) -> Bytes32? {
        guard !leaves.isEmpty else { return nil }
        var current = leaves
        var parents: [(index: UInt64, hash: Bytes32)] = []
        parents.reserveCapacity(current.count)
        var width = treeSize
        var next = 0
        while width > 1 {
            parents.removeAll(keepingCapacity: true)
            var i = 0
            while i < current.count {
                let (position, hash) = current[i]
                guard position < width else { return nil }
                let parent: Bytes32
                if position & 1 == 1 {
                    guard next < siblings.count else { return nil }
                    parent = Hash.nodeHash(siblings[next], hash)
                    next += 1
                } else if position < width - 1 {
                    if i + 1 < current.count, current[i + 1].index == position + 1 {
                        parent = Hash.nodeHash(hash, current[i + 1].hash)
                        i += 1
                    } else {
                        guard next < siblings.count else { return nil }
                        parent = Hash.nodeHash(hash, siblings[next])
                        next += 1
                    }
                } else {
                    parent = hash
                }
                parents.append((position >> 1, parent))
                i += 1
            }
            swap(&current, &parents)
            width = (width >> 1) + (width & 1)
        }
        guard next == siblings.count, current.count == 1 else { return nil }
        return current[0].hash
    }

    /// Checks that `indices` are strictly increasing and below `treeSize`.
    static func checkIndices(_ indices: [UInt64], treeSize: UInt64) throws {
        var previous: UInt64?
        for index in indices {
            guard index < treeSize else {
                throw ConfirmationError(.merkleIndexOutOfRange, "leaf index \(index) is not below the tree size \(treeSize)")
            }
            if let previous {
                guard index != previous else {
                    throw ConfirmationError(.merkleDuplicateIndex, "leaf index \(index) appears twice")
                }
                guard index > previous else {
                    throw ConfirmationError(.merkleIndicesNotSorted, "leaf index \(index) follows \(previous): indices must increase")
                }
            }
            previous = index
        }
    }

    /// Checks a single path's shape: a non-empty tree, an index inside it, and exactly the
    /// number of siblings the index and size require.
    static func checkPath(index: UInt64, treeSize: UInt64, siblingCount: Int) throws {
        guard treeSize > 0 else {
            throw ConfirmationError(.merkleEmptyTree, "a tree of zero leaves has no inclusion proofs")
        }
        guard index < treeSize else {
            throw ConfirmationError(.merkleIndexOutOfRange, "leaf index \(index) is not below the tree size \(treeSize)")
        }
        guard siblingCount <= MerkleLimits.maximumDepth else {
            throw ConfirmationError(.merkleProofTooLong, "\(siblingCount) siblings; the limit is \(MerkleLimits.maximumDepth)")
        }
        let expected = pathLength(index: index, treeSize: treeSize)
        guard siblingCount == expected else {
            throw ConfirmationError(
                .merkleProofLengthMismatch,
                "leaf \(index) of a tree of \(treeSize) needs \(expected) siblings, the proof has \(siblingCount)")
        }
    }

    /// Checks each leaf against ``MerkleLimits/maximumLeafBytes`` and their sum against
    /// ``MerkleLimits/maximumProofPayloadBytes``.
    static func checkPayload(_ sizes: some Sequence<Int>) throws {
        var total = 0
        for size in sizes {
            guard size <= MerkleLimits.maximumLeafBytes else {
                throw ConfirmationError(.merkleLeafTooLarge, "a leaf of \(size) bytes; the limit is \(MerkleLimits.maximumLeafBytes)")
            }
            total += size
            guard total <= MerkleLimits.maximumProofPayloadBytes else {
                throw ConfirmationError(
                    .merkleLeafTooLarge, "leaves total more than \(MerkleLimits.maximumProofPayloadBytes) bytes")
            }
        }
    }

    /// Checks a multi-proof's sibling count against the limit and against the exact count that
    /// `indices` (already checked: strictly increasing, below `treeSize`) require.
    static func checkSiblingCount(_ count: Int, indices: [UInt64], treeSize: UInt64) throws {
        guard count <= MerkleLimits.maximumMultiProofSiblings else {
            throw ConfirmationError(.merkleProofTooLong, "\(count) siblings; the limit is \(MerkleLimits.maximumMultiProofSiblings)")
        }
        let expected = MerkleShape.multiProofSiblingCount(indices: indices, treeSize: treeSize)
        guard count == expected else {
            throw ConfirmationError(
                .merkleProofLengthMismatch,
                "\(indices.count) leaves of a tree of \(treeSize) need \(expected) siblings, the proof has \(count)")
        }
    }
}
