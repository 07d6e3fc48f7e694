/// The settlement clock's view of Ethereum: the unfinalized blocks from the newest finalized
/// checkpoint to the head, linked by parent hash.
///
/// It is fed verified headers in order and reports what changed: an extension of the head, a
/// reorganisation (with the blocks it removed, as evidence), or a new finalized checkpoint. It never
/// accepts a header that does not link by parent hash to a block it already holds.
///
/// ```swift
/// var chain = L1ChainView(checkpoint: trustedFinalizedHeader)
/// let change = try chain.apply(head: next)            // .extended / .reorganized(...)
/// try chain.finalize(newCheckpoint)                    // must be on this chain
/// chain.isFinalized(postingBlock)                      // at or below the checkpoint, same chain
/// ```
public struct L1ChainView: Sendable, Codable, Equatable {
    /// The newest finalized checkpoint.
    public private(set) var finalized: L1BlockHeader
    /// Unfinalized blocks above the checkpoint, in order (`blocks[0].number == finalized.number + 1`).
    public private(set) var unfinalized: [L1BlockHeader]
    /// Finalized blocks the view has seen, by number, bounded by `finalizedHistoryLimit`.
    private var finalizedHistory: [UInt64: L1BlockHeader]
    /// How many finalized headers are remembered for ``isFinalized(_:)`` and ``headers(from:through:)``.
    public let finalizedHistoryLimit: Int

    /// The largest number of unfinalized blocks the view holds (Ethereum finalizes within ~64 blocks;
    /// a longer unfinalized chain is an error, not something to buffer without bound).
    public static let maximumUnfinalizedBlocks = 4096

    /// Starts from a trusted finalized checkpoint.
    public init(checkpoint: L1BlockHeader, finalizedHistoryLimit: Int = 8192) {
        finalized = checkpoint
        unfinalized = []
        finalizedHistory = [checkpoint.number: checkpoint]
        self.finalizedHistoryLimit = max(1, finalizedHistoryLimit)
    }

    /// The newest block.
    public var head: L1BlockHeader { unfinalized.last ?? finalized }

    /// What a new head did to the view.
    public enum Change: Sendable, Equatable {
        /// The head was already known; nothing changed.
        case unchanged
        /// The header extended the head.
        case extended
        /// Blocks were replaced: `removed` (lowest first) are no longer on the chain.
        case reorganized(L1ReorgEvidence)
    }

    /// The header at `number` on the current chain, if the view holds it.
    public func header(number: UInt64) -> L1BlockHeader? {
        if number == finalized.number { return finalized }
        guard number > finalized.number else { return nil }
        let offset = number - finalized.number - 1
        guard offset < UInt64(unfinalized.count) else { return nil }
        return unfinalized[Int(offset)]
    }

    /// Applies a verified header that links by parent hash to a block the view holds.
    ///
    /// - Returns: whether the head was extended or blocks were replaced.
    /// - Throws: ``ConfirmationError`` `l1.unlinked-header` when the header's parent is not on the
    ///   view (the caller fetches the missing ancestors first), `l1.below-finalized` when it would
    ///   replace a finalized block, `l1.too-many-unfinalized` past the limit.
    public mutating func apply(head header: L1BlockHeader) throws -> Change {
        if let known = self.header(number: header.number), known.hash == header.hash { return .unchanged }
        guard header.number > finalized.number else {
            throw ConfirmationError(.l1BelowFinalized,
                                    "header \(header.number) conflicts with the finalized checkpoint \(finalized.number)")
        }
        guard let parent = self.header(number: header.number - 1), parent.hash == header.parentHash else {
            throw ConfirmationError(.l1UnlinkedHeader,
                                    "header \(header.number) \(header.hash) does not link to a known parent")
        }
        let keep = Int(header.number - finalized.number - 1)
        let removed = Array(unfinalized[keep...])
        unfinalized.removeSubrange(keep...)
        guard unfinalized.count < Self.maximumUnfinalizedBlocks else {
            unfinalized.append(contentsOf: removed)
            throw ConfirmationError(.l1TooManyUnfinalized,
                                    "more than \(Self.maximumUnfinalizedBlocks) unfinalized blocks")
        }
        unfinalized.append(header)
        if removed.isEmpty { return .extended }
        return .reorganized(L1ReorgEvidence(forkPoint: parent, removed: removed, replacement: header))
    }

    /// Moves the finalized checkpoint to `checkpoint`, which must be on the view's chain.
    ///
    /// - Returns: the blocks that became finalized (lowest first).
    /// - Throws: ``ConfirmationError`` `l1.finalized-conflict` when the checkpoint is not on this chain
    ///   (the view holds another block at that height), `l1.unlinked-header` when the view does not reach it yet.
    @discardableResult
    public mutating func finalize(_ checkpoint: L1BlockHeader) throws -> [L1BlockHeader] {
        if checkpoint.number <= finalized.number {
            if let known = finalizedHistory[checkpoint.number], known.hash != checkpoint.hash {
                throw ConfirmationError(.l1FinalizedConflict, "finalized block \(checkpoint.number) differs from one already finalized")
            }
            return []
        }
        guard let known = header(number: checkpoint.number) else {
            throw ConfirmationError(.l1UnlinkedHeader, "finalized block \(checkpoint.number) is above the view's head \(head.number)")
        }
        guard known.hash == checkpoint.hash else {
            throw ConfirmationError(.l1FinalizedConflict,
                                    "finalized block \(checkpoint.number) is not on the followed chain")
        }
        let count = Int(checkpoint.number - finalized.number)
        let newlyFinalized = Array(unfinalized.prefix(count))
        unfinalized.removeFirst(count)
        finalized = checkpoint
        for block in newlyFinalized { finalizedHistory[block.number] = block }
        if finalizedHistory.count > finalizedHistoryLimit {
            let cutoff = checkpoint.number &- UInt64(finalizedHistoryLimit)
            finalizedHistory = finalizedHistory.filter { $0.key > cutoff }
        }
        return newlyFinalized
    }

    /// Whether `block` is at or below the finalized checkpoint on this chain.
    public func isFinalized(_ block: L1BlockHeader) -> Bool {
        guard block.number <= finalized.number else { return false }
        return finalizedHistory[block.number]?.hash == block.hash
    }

    /// Whether `block` is on the view's current chain (finalized history or unfinalized part).
    public func contains(_ block: L1BlockHeader) -> Bool {
        if block.number <= finalized.number { return finalizedHistory[block.number]?.hash == block.hash }
        return header(number: block.number)?.hash == block.hash
    }

    /// The linked headers from `block` up to the header numbered `last` (inclusive), when the view
    /// still holds all of them; `nil` otherwise.
    public func headers(from block: L1BlockHeader, through last: UInt64) -> [L1BlockHeader]? {
        guard contains(block), last >= block.number, last - block.number < UInt64(Self.maximumUnfinalizedBlocks) * 4 else {
            return nil
        }
        var out: [L1BlockHeader] = []
        for number in block.number...last {
            guard let header = number <= finalized.number ? finalizedHistory[number] : header(number: number) else { return nil }
            out.append(header)
        }
        return out
    }

    /// Confirmations of `block` on the current chain: 1 for the head, 0 when not on the chain.
    public func depth(of block: L1BlockHeader) -> UInt64 {
        guard contains(block), head.number >= block.number else { return 0 }
        return head.number - block.number + 1
    }
}

/// Evidence that L1 reorganised: `replacement` and `removed.first` share the parent `forkPoint`,
/// so both cannot be on one chain.
public struct L1ReorgEvidence: Sendable, Hashable, Codable {
    /// The last block both chains share.
    public var forkPoint: L1BlockHeader
    /// The blocks no longer on the followed chain, lowest first.
    public var removed: [L1BlockHeader]
    /// The new block at `removed.first.number`.
    public var replacement: L1BlockHeader

    public init(forkPoint: L1BlockHeader, removed: [L1BlockHeader], replacement: L1BlockHeader) {
        self.forkPoint = forkPoint
        self.removed = removed
        self.replacement = replacement
    }

    /// Checks the evidence on its own: two different blocks at one height with the same parent,
    /// and the removed blocks linked to each other.
    public var isConsistent: Bool {
        guard let first = removed.first else { return false }
        guard first.number == replacement.number, first.hash != replacement.hash,
              first.parentHash == forkPoint.hash, replacement.parentHash == forkPoint.hash,
              forkPoint.number &+ 1 == first.number else { return false }
        for (lower, upper) in zip(removed, removed.dropFirst()) {
            guard upper.parentHash == lower.hash, upper.number == lower.number &+ 1 else { return false }
        }
        return true
    }
}

extension ConfirmationError.Code {
    /// An L1 header does not link by parent hash to any block the view holds.
    public static let l1UnlinkedHeader = Self("l1.unlinked-header")
    /// An L1 header would replace a finalized block.
    public static let l1BelowFinalized = Self("l1.below-finalized")
    /// A finalized checkpoint is not on the followed chain.
    public static let l1FinalizedConflict = Self("l1.finalized-conflict")
    /// The unfinalized part of the chain grew past its limit.
    public static let l1TooManyUnfinalized = Self("l1.too-many-unfinalized")
}
