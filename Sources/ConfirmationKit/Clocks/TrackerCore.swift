/// The two-clock state machine, as a plain value: every input is a verified value and a time, every
/// output the list of clock changes it caused. ``ConfirmationTracker`` wraps it in an actor with
/// update streams; the value itself is what a snapshot stores.
///
/// Transitions (see `Docs/clocks.md`):
/// - pre-confirmation: `pending → preconfirmed` on a verified certificate plus a verified inclusion
///   proof; `preconfirmed → reverted` on verified equivocation evidence or a contradicting L1 posting.
/// - settlement: `notPosted → posted` when a verified L1 block carries the certified commitment;
///   `posted → finalized` when that block is at or below a finalized checkpoint of the followed chain;
///   `posted → reverted` when a reorg removes the block; `reverted → posted` when it is posted again;
///   any state → `reverted` when L1 records another commitment for the certified height.
public struct TrackerCore: Sendable, Codable, Equatable {
    /// Every tracked subject's clocks, by id.
    public private(set) var items: [Bytes32: TrackedClocks] = [:]
    /// Bundle ids waiting for each leg (transactions are found by their own hash).
    private var bundlesByLeg: [TransactionReference: [Bytes32]] = [:]
    /// For a bundle: the block commitment its legs were seen in, and which legs.
    private var bundleProgress: [Bytes32: BundleProgress] = [:]
    /// Subjects pre-confirmed by each certified block commitment.
    private var itemsByBlock: [Bytes32: [Bytes32]] = [:]
    /// The certified blocks that pre-confirmed a subject, by commitment.
    private var certifiedBlocks: [Bytes32: CertifiedBlock] = [:]
    /// Certified block commitments per slot (network, height).
    private var commitmentsBySlot: [BlockSlot: [Bytes32]] = [:]
    /// The posting currently recorded for each slot on the followed chain.
    private var postings: [BlockSlot: L1Posting] = [:]
    /// Slots posted in each unfinalized L1 block, by block hash.
    private var slotsByL1Block: [Bytes32: [BlockSlot]] = [:]
    /// The followed L1 chain (nil until ``startSettlementClock(checkpoint:)``).
    public private(set) var chain: L1ChainView?
    /// Latency samples and counters.
    private var recorder = LatencyRecorder()

    /// An empty tracker.
    public init() {}

    struct BundleProgress: Codable, Equatable, Sendable {
        var blockCommitment: Bytes32
        var seen: Set<TransactionReference>
    }

    // MARK: Subjects

    /// Starts following a subject (idempotent).
    /// - Returns: the subject's current clocks.
    @discardableResult
    public mutating func track(_ subject: TrackedSubject, at time: Timestamp) -> TrackedClocks {
        let id = subject.id
        if let existing = items[id] { return existing }
        let clocks = TrackedClocks(id: id, subject: subject, submittedAt: time, preconfirmation: .pending,
                                   settlement: .notPosted)
        items[id] = clocks
        if case .bundle(let legs) = subject {
            for leg in Set(legs) { bundlesByLeg[leg, default: []].append(id) }
        }
        recorder.tracked += 1
        return clocks
    }

    /// The clocks of one subject, with the settlement depth brought up to the current head.
    public func clocks(for id: Bytes32) -> TrackedClocks? {
        guard var clocks = items[id] else { return nil }
        if case .posted(var settlement) = clocks.settlement, let chain {
            settlement.depth = chain.depth(of: settlement.l1Block)
            clocks.settlement = .posted(settlement)
        }
        return clocks
    }

    // MARK: Pre-confirmation

    /// Applies a verified certificate and an inclusion proof verified against its block commitment.
    ///
    /// - Parameters:
    ///   - block: the certified block (from a ``VerifiedCertificate``).
    ///   - proof: a namespace inclusion, completeness or bundle proof.
    ///   - time: when the evidence was applied.
    /// - Returns: the clock changes.
    /// - Throws: ``ConfirmationError`` `clocks.proof-not-verified` when the proof does not verify
    ///   against the block commitment, `clocks.proof-without-transactions` for a proof that places
    ///   no namespaced transaction (absence, plain Merkle proofs).
    public mutating func preconfirm(_ block: CertifiedBlock, proof: InclusionProof, at time: Timestamp) throws -> [ClockUpdate] {
        guard proof.verify(against: block.blockCommitment) else {
            throw ConfirmationError(.clocksProofNotVerified,
                                    "the \(proof.kind) proof does not verify against block \(block.blockCommitment)")
        }
        let legs = try Self.transactions(in: proof)
        return apply(block, legs: legs, at: time)
    }

    /// The namespaced transactions a verified proof places in its block.
    static func transactions(in proof: InclusionProof) throws -> [TransactionReference] {
        switch proof {
        case .namespaceInclusion(let p):
            return [TransactionReference(namespace: p.namespace, transaction: p.transaction)]
        case .namespaceCompleteness(let p):
            return p.transactions.map { TransactionReference(namespace: p.namespace, transaction: $0) }
        case .namespaceBundle(let p):
            return p.groups.flatMap { group in
                group.legs.map { TransactionReference(namespace: group.namespace, transaction: $0.transaction) }
            }
        case .namespaceAbsence, .rfc6962SHA256, .rfc6962Keccak256, .rfc6962SHA256Multi, .rfc6962Keccak256Multi:
            throw ConfirmationError(.clocksProofWithoutTransactions,
                                    "a \(proof.kind) proof does not place a namespaced transaction in the block")
        }
    }

    /// Records `legs` as included in `block` (both already verified).
    mutating func apply(_ block: CertifiedBlock, legs: [TransactionReference], at time: Timestamp) -> [ClockUpdate] {
        var updates: [ClockUpdate] = []
        var shared: SharedBlock?
        func sharedBlock() -> SharedBlock {
            if let shared { return shared }
            let made = SharedBlock(block)
            shared = made
            return made
        }
        for leg in legs {
            if let item = items[leg.hash], case .transaction(let reference) = item.subject, reference == leg {
                if let update = markPreconfirmed(item.id, sharedBlock(), at: time) { updates.append(update) }
            }
            for bundleID in bundlesByLeg[leg] ?? [] {
                guard let bundle = items[bundleID], case .pending = bundle.preconfirmation else { continue }
                var progress = bundleProgress[bundleID] ?? BundleProgress(blockCommitment: block.blockCommitment, seen: [])
                if progress.blockCommitment != block.blockCommitment {
                    progress = BundleProgress(blockCommitment: block.blockCommitment, seen: [])
                }
                progress.seen.insert(leg)
                if Set(bundle.subject.legs).isSubset(of: progress.seen) {
                    bundleProgress[bundleID] = nil
                    if let update = markPreconfirmed(bundleID, sharedBlock(), at: time) { updates.append(update) }
                } else {
                    bundleProgress[bundleID] = progress
                }
            }
        }
        return updates
    }

    private mutating func markPreconfirmed(_ id: Bytes32, _ shared: SharedBlock, at time: Timestamp) -> ClockUpdate? {
        guard var item = items[id], case .pending = item.preconfirmation else { return nil }
        let block = shared.block
        item.preconfirmation = .preconfirmed(Preconfirmation(shared: shared, at: time))
        itemsByBlock[block.blockCommitment, default: []].append(id)
        if certifiedBlocks[block.blockCommitment] == nil { certifiedBlocks[block.blockCommitment] = block }
        if !(commitmentsBySlot[block.slot]?.contains(block.blockCommitment) ?? false) {
            commitmentsBySlot[block.slot, default: []].append(block.blockCommitment)
        }
        recorder.record(.preconfirmation, from: item.submittedAt, to: time)
        // The block may already be on L1 (a subject first seen after its posting).
        if let posting = postings[block.slot], case .notPosted = item.settlement {
            if posting.blockCommitment == block.blockCommitment {
                item.settlement = .posted(settlementRecord(posting, at: time))
                recorder.record(.posted, from: item.submittedAt, to: time)
                if chain?.isFinalized(posting.l1Block) ?? false {
                    item.settlement = .finalized(finalizedRecord(item.settlement, at: time))
                    recorder.record(.finalized, from: item.submittedAt, to: time)
                }
            } else {
                revert(&item, .settlementConflict(SettlementConflict(certified: block, posting: posting)), at: time,
                       preconfirmation: true, settlement: true)
            }
        }
        items[id] = item
        return ClockUpdate(clocks: item, at: time)
    }

    // MARK: Equivocation

    /// Applies equivocation evidence after re-verifying it in full.
    ///
    /// Every subject pre-confirmed by either certified block of the slot is reverted: neither
    /// pre-confirmation can be relied on once the quorum signed both.
    /// - Throws: ``ConfirmationError`` `clocks.evidence-rejected` (naming the failed rules) when the
    ///   evidence does not verify.
    public mutating func applyEquivocation<Profile: QuorumProfile>(
        _ evidence: EquivocationEvidence<Profile>, profile: Profile, threshold: QuorumThreshold = .twoThirds,
        trustedStakeTableCommitment: Bytes32? = nil, workers: Int = 1, at time: Timestamp
    ) throws -> [ClockUpdate] {
        let failures = evidence.verify(profile: profile, threshold: threshold,
                                       trustedStakeTableCommitment: trustedStakeTableCommitment, workers: workers)
        guard failures.isEmpty else {
            throw ConfirmationError(.clocksEvidenceRejected,
                                    "equivocation evidence does not verify: \(failures.map(\.code.rawValue).joined(separator: ", "))")
        }
        let a = evidence.first.statement
        let summary = EquivocationSummary(
            network: a.networkID, epoch: a.epoch, height: a.height, view: a.view,
            commitments: [a.blockCommitment, evidence.second.statement.blockCommitment],
            doubleSignerCount: evidence.doubleSigners.count, doubleSignedStake: evidence.doubleSignedStake,
            totalStake: evidence.totalStake)
        var updates: [ClockUpdate] = []
        for commitment in summary.commitments {
            for id in itemsByBlock[commitment] ?? [] {
                guard var item = items[id], case .preconfirmed = item.preconfirmation else { continue }
                revert(&item, .equivocation(summary), at: time, preconfirmation: true, settlement: false)
                items[id] = item
                updates.append(ClockUpdate(clocks: item, at: time))
            }
        }
        return updates
    }

    // MARK: Settlement

    /// Starts (or restarts) the settlement clock from a trusted finalized L1 checkpoint.
    public mutating func startSettlementClock(checkpoint: L1BlockHeader) {
        chain = L1ChainView(checkpoint: checkpoint)
        slotsByL1Block = [:]
    }

    /// Applies a verified L1 head and the proven postings it carries.
    ///
    /// - Returns: the clock changes (postings, reorg reversions, conflicts).
    /// - Throws: ``ConfirmationError`` `clocks.no-checkpoint` before ``startSettlementClock(checkpoint:)``,
    ///   `clocks.posting-mismatch` for a posting of another block, or the chain view's linkage errors.
    public mutating func applyL1Head(_ header: L1BlockHeader, postings newPostings: [L1Posting],
                                     at time: Timestamp) throws -> [ClockUpdate] {
        guard var view = chain else {
            throw ConfirmationError(.clocksNoCheckpoint, "start the settlement clock from a finalized checkpoint first")
        }
        for posting in newPostings where posting.l1Block != header {
            throw ConfirmationError(.clocksPostingMismatch,
                                    "a posting names L1 block \(posting.l1Block.number) \(posting.l1Block.hash), not the head \(header.hash)")
        }
        let change = try view.apply(head: header)
        chain = view
        var updates: [ClockUpdate] = []
        switch change {
        case .unchanged:
            return []
        case .extended:
            break
        case .reorganized(let evidence):
            for removed in evidence.removed {
                for slot in slotsByL1Block.removeValue(forKey: removed.hash) ?? [] {
                    guard let posting = postings[slot], posting.l1Block.hash == removed.hash else { continue }
                    postings[slot] = nil
                    for commitment in commitmentsBySlot[slot] ?? [] {
                        for id in itemsByBlock[commitment] ?? [] {
                            guard var item = items[id], case .posted(let settlement) = item.settlement,
                                  settlement.l1Block.hash == removed.hash else { continue }
                            revert(&item, .l1Reorg(evidence), at: time, preconfirmation: false, settlement: true)
                            items[id] = item
                            updates.append(ClockUpdate(clocks: item, at: time))
                        }
                    }
                }
            }
        }
        for posting in newPostings {
            let slot = BlockSlot(network: NetworkID(posting.network), height: posting.height)
            postings[slot] = posting
            slotsByL1Block[header.hash, default: []].append(slot)
            for commitment in commitmentsBySlot[slot] ?? [] {
                for id in itemsByBlock[commitment] ?? [] {
                    guard var item = items[id] else { continue }
                    if commitment == posting.blockCommitment {
                        switch item.settlement {
                        case .notPosted:
                            recorder.record(.posted, from: item.submittedAt, to: time)
                        case .reverted:
                            break
                        case .posted, .finalized:
                            continue
                        }
                        item.settlement = .posted(settlementRecord(posting, at: time))
                    } else {
                        if case .reverted(let r) = item.settlement, case .settlementConflict = r.reason { continue }
                        guard let block = certifiedBlocks[commitment] else { continue }
                        revert(&item, .settlementConflict(SettlementConflict(certified: block, posting: posting)), at: time,
                               preconfirmation: true, settlement: true)
                    }
                    items[id] = item
                    updates.append(ClockUpdate(clocks: item, at: time))
                }
            }
        }
        return updates
    }

    /// Applies a new finalized checkpoint; it must be on the followed chain.
    /// - Returns: the subjects whose posting became final.
    /// - Throws: ``ConfirmationError`` `clocks.no-checkpoint`, or the chain view's errors
    ///   (`l1.finalized-conflict` when the checkpoint is on another chain).
    public mutating func applyL1Finalized(_ checkpoint: L1BlockHeader, at time: Timestamp) throws -> [ClockUpdate] {
        guard var view = chain else {
            throw ConfirmationError(.clocksNoCheckpoint, "start the settlement clock from a finalized checkpoint first")
        }
        let newlyFinal = try view.finalize(checkpoint)
        chain = view
        var updates: [ClockUpdate] = []
        for block in newlyFinal {
            for slot in slotsByL1Block.removeValue(forKey: block.hash) ?? [] {
                for commitment in commitmentsBySlot[slot] ?? [] {
                    for id in itemsByBlock[commitment] ?? [] {
                        guard var item = items[id], case .posted(let settlement) = item.settlement,
                              settlement.l1Block.hash == block.hash else { continue }
                        item.settlement = .finalized(finalizedRecord(item.settlement, at: time))
                        recorder.record(.finalized, from: item.submittedAt, to: time)
                        items[id] = item
                        updates.append(ClockUpdate(clocks: item, at: time))
                    }
                }
            }
        }
        return updates
    }

    // MARK: Metrics

    /// Latency percentiles per clock, reversions and counts per state.
    public func metrics() -> ClockMetrics {
        var preconfirmationStates: [String: Int] = [:]
        var settlementStates: [String: Int] = [:]
        for item in items.values {
            preconfirmationStates[item.preconfirmation.name, default: 0] += 1
            settlementStates[item.settlement.name, default: 0] += 1
        }
        return recorder.metrics(preconfirmationStates: preconfirmationStates, settlementStates: settlementStates)
    }

    // MARK: Helpers

    private func settlementRecord(_ posting: L1Posting, at time: Timestamp) -> Settlement {
        Settlement(l1Block: posting.l1Block, evidence: posting.evidence,
                   depth: chain?.depth(of: posting.l1Block) ?? 0, postedAt: time, finalizedAt: nil)
    }

    private func finalizedRecord(_ clock: SettlementClock, at time: Timestamp) -> Settlement {
        guard case .posted(var settlement) = clock else {
            preconditionFailure("only a posted settlement becomes final")
        }
        settlement.depth = chain?.depth(of: settlement.l1Block) ?? settlement.depth
        settlement.finalizedAt = time
        return settlement
    }

    private mutating func revert(_ item: inout TrackedClocks, _ reason: ReversionReason, at time: Timestamp,
                                 preconfirmation: Bool, settlement: Bool) {
        let wasReverted = isReverted(item)
        let reversion = Reversion(reason: reason, at: time)
        if preconfirmation, case .preconfirmed = item.preconfirmation { item.preconfirmation = .reverted(reversion) }
        if settlement { item.settlement = .reverted(reversion) }
        item.reversionHistory.append(reversion)
        recorder.reversionEvents += 1
        if !wasReverted && isReverted(item) { recorder.revertedSubjects += 1 }
    }

    private func isReverted(_ item: TrackedClocks) -> Bool {
        if case .reverted = item.preconfirmation { return true }
        if case .reverted = item.settlement { return true }
        return false
    }
}

extension ConfirmationError.Code {
    /// An inclusion proof does not verify against the certified block commitment.
    public static let clocksProofNotVerified = Self("clocks.proof-not-verified")
    /// A proof that places no namespaced transaction was given as pre-confirmation evidence.
    public static let clocksProofWithoutTransactions = Self("clocks.proof-without-transactions")
    /// Reversion evidence did not verify.
    public static let clocksEvidenceRejected = Self("clocks.evidence-rejected")
    /// A snapshot's contents contradict each other.
    public static let clocksSnapshotInconsistent = Self("clocks.snapshot-inconsistent")
    /// The settlement clock has no finalized checkpoint to start from.
    public static let clocksNoCheckpoint = Self("clocks.no-checkpoint")
    /// A posting does not belong to the L1 block it was delivered with.
    public static let clocksPostingMismatch = Self("clocks.posting-mismatch")
}
