/// Hash-linkage checks on L1 headers: is a block on the same chain as a finalized checkpoint?
///
/// A posting's L1 block counts as final only when it is an ancestor of (or equal to) a finalized
/// checkpoint, shown by a run of headers each naming the previous one's hash as its parent.
///
/// ```swift
/// // segment = [block, block+1, …, checkpoint], oldest first, each header already hash-verified
/// try L1Ancestry.verify(block, isAncestorOf: checkpoint, through: segment)
/// ```
public enum L1Ancestry {
    /// The longest segment accepted (a day of mainnet blocks).
    public static let maximumSegmentLength = 8192

    /// Checks that `segment` runs from `block` to `checkpoint` by parent-hash linkage.
    ///
    /// - Parameters:
    ///   - block: the block in question.
    ///   - checkpoint: the finalized checkpoint.
    ///   - segment: consecutive headers, oldest first, starting with `block` and ending with
    ///     `checkpoint` (a single header when they are the same block).
    /// - Throws: ``ConfirmationError`` `l1.not-ancestor` naming the first broken link, or
    ///   `input.too-long` for a segment over ``maximumSegmentLength``.
    public static func verify(_ block: L1BlockHeader, isAncestorOf checkpoint: L1BlockHeader,
                              through segment: [L1BlockHeader]) throws {
        guard segment.count <= maximumSegmentLength else {
            throw ConfirmationError(.inputTooLong, "ancestry segment of \(segment.count) headers exceeds \(maximumSegmentLength)")
        }
        guard let first = segment.first, let last = segment.last else {
            throw ConfirmationError(.l1NotAncestor, "empty ancestry segment")
        }
        guard first.hash == block.hash, first.number == block.number else {
            throw ConfirmationError(.l1NotAncestor, "the segment does not start at block \(block.number) \(block.hash)")
        }
        guard last.hash == checkpoint.hash, last.number == checkpoint.number else {
            throw ConfirmationError(.l1NotAncestor, "the segment does not end at checkpoint \(checkpoint.number) \(checkpoint.hash)")
        }
        for (parent, child) in zip(segment, segment.dropFirst()) {
            guard parent.number < UInt64.max, child.number == parent.number + 1, child.parentHash == parent.hash else {
                throw ConfirmationError(.l1NotAncestor, "block \(child.number) \(child.hash) does not link to block \(parent.number) \(parent.hash)")
            }
        }
    }

    /// Checks that a newly reported finalized block may replace the one already verified: it is not
    /// older, and it is at most `maximumDistance` blocks newer (so linking it fetches a bounded number of headers).
    ///
    /// - Parameters:
    ///   - previous: the newest finalized block already verified.
    ///   - next: the block now reported as finalized.
    ///   - maximumDistance: the most blocks `next` may be ahead of `previous`.
    /// - Throws: ``ConfirmationError`` `l1.finalized-regressed` if `next` is older than `previous`,
    ///   `l1.link-too-long` if it is more than `maximumDistance` blocks newer.
    public static func checkAdvance(from previous: L1BlockHeader, to next: L1BlockHeader, maximumDistance: UInt64) throws {
        guard next.number >= previous.number else {
            throw ConfirmationError(.l1FinalizedRegressed, "finalized block \(next.number) is older than verified finalized block \(previous.number)")
        }
        guard next.number - previous.number <= maximumDistance else {
            throw ConfirmationError(.l1LinkTooLong, "block \(next.number) is more than \(maximumDistance) blocks from verified block \(previous.number)")
        }
    }

    /// Checks that finality may advance from `previous` to `next`: ``checkAdvance(from:to:maximumDistance:)``,
    /// then that `segment` links `previous` to `next` (``verify(_:isAncestorOf:through:)``).
    ///
    /// ```swift
    /// // segment = [previous, …, next], oldest first
    /// try L1Ancestry.verifyAdvance(from: verifiedFinalized, to: reportedFinalized, through: segment, maximumDistance: 1024)
    /// ```
    /// - Throws: ``ConfirmationError`` `l1.finalized-regressed`, `l1.link-too-long` or `l1.not-ancestor`.
    public static func verifyAdvance(from previous: L1BlockHeader, to next: L1BlockHeader, through segment: [L1BlockHeader],
                                     maximumDistance: UInt64) throws {
        try checkAdvance(from: previous, to: next, maximumDistance: maximumDistance)
        try verify(previous, isAncestorOf: next, through: segment)
    }

    /// Whether `segment` links `block` to `checkpoint` (see ``verify(_:isAncestorOf:through:)``).
    public static func isAncestor(_ block: L1BlockHeader, of checkpoint: L1BlockHeader, through segment: [L1BlockHeader]) -> Bool {
        (try? verify(block, isAncestorOf: checkpoint, through: segment)) != nil
    }
}

extension ConfirmationError.Code {
    /// A block is not shown to be an ancestor of a checkpoint by hash linkage.
    public static let l1NotAncestor = Self("l1.not-ancestor")
    /// A block reported as finalized is older than one already verified as finalized.
    public static let l1FinalizedRegressed = Self("l1.finalized-regressed")
    /// A block is too far from the verified chain to link within the configured distance.
    public static let l1LinkTooLong = Self("l1.link-too-long")
}
