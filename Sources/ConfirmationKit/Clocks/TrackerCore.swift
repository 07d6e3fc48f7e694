import Foundation

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
    /// Bundle ids waiting for each leg (transactions are found by their own ``TransactionReference/subjectID``).
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
    /// Whether certificates and proofs are kept for ``exportBundle(for:profile:stakeTable:)``.
    public let retainsEvidence: Bool
    /// Kept evidence per certified block commitment.
    private var evidence: [Bytes32: BlockEvidence] = [:]

    /// An empty tracker.
    /// - Parameter retainsEvidence: keep each block's certificate and proofs so a proof bundle can
    ///   be exported for any pre-confirmed subject (costs the proofs' size per block).
    public init(retainsEvidence: Bool = false) {
        self.retainsEvidence = retainsEvidence
    }

    /// What was shown to pre-confirm subjects in one block.
    struct BlockEvidence: Codable, Equatable, Sendable {
        var profile: String
        var certificateJSON: [UInt8]
        var proofs: [InclusionProof]
    }

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
        try preconfirm(block, evidence: proof, at: time)
    }

    /// Applies a verified certificate (keeping the certificate itself for bundle export when the
    /// tracker retains evidence) and an inclusion proof verified against its block commitment.
    ///
    /// - Throws: as ``preconfirm(_:proof:at:)``, and `clocks.certificate-mismatch` when `certificate`
    ///   is not the one `verified` was made from.
    public mutating func preconfirm<Profile: QuorumProfile>(
        _ verified: VerifiedCertificate<Profile>, certificate: QuorumCertificate<Profile>?, proof: InclusionProof,
        at time: Timestamp
    ) throws -> [ClockUpdate] {
        let block = CertifiedBlock(verified)
        let keeps = retainsEvidence && certificate != nil
        var certificateJSON: [UInt8] = []
        if keeps, let certificate {
            guard certificate.statement == verified.statement else {
                throw ConfirmationError(.clocksCertificateMismatch, "the certificate is not the one that was verified")
            }
            // Encoded once per block: later proofs of the same block reuse the kept copy.
            if evidence[block.blockCommitment] == nil {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                certificateJSON = Array(try encoder.encode(certificate))
            }
        }
        let updates = try preconfirm(block, evidence: proof, at: time)
        if keeps, !updates.isEmpty {
            var kept = evidence[block.blockCommitment]
                ?? BlockEvidence(profile: Profile.name, certificateJSON: certificateJSON, proofs: [])
            if !kept.proofs.contains(proof) { kept.proofs.append(proof) }
            evidence[block.blockCommitment] = kept
        }
        return updates
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
            if let item = items[leg.subjectID], case .transaction(let reference) = item.subject, reference == leg {
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

    // MARK: Export

    /// A portable proof bundle for a pre-confirmed subject: the certificate, the stake table
    /// reference, the proofs that placed its transactions, and the L1 settlement evidence the
    /// tracker holds (posting and linked headers up to the finalized checkpoint or the head).
    ///
    /// - Parameters:
    ///   - id: the subject.
    ///   - profile: the certificate's profile type.
    ///   - stakeTable: the table to embed or reference; by default a reference by commitment.
    /// - Throws: ``ConfirmationError`` `clocks.unknown-subject`, `clocks.not-preconfirmed`,
    ///   `clocks.no-evidence` (the tracker does not retain evidence, or not for this block), or
    ///   `bundle.profile-mismatch`.
    public func exportBundle<Profile: QuorumProfile>(for id: Bytes32, profile: Profile.Type,
                                                     stakeTable: StakeTableReference<Profile.Key>? = nil) throws -> ProofBundle<Profile> {
        guard let item = items[id] else { throw ConfirmationError(.clocksUnknownSubject, "no tracked subject \(id)") }
        guard case .preconfirmed(let preconfirmation) = item.preconfirmation else {
            throw ConfirmationError(.clocksNotPreconfirmed, "subject \(id) is \(item.preconfirmation.name)")
        }
        let block = preconfirmation.block
        guard let kept = evidence[block.blockCommitment] else {
            throw ConfirmationError(.clocksNoEvidence, "the tracker kept no certificate and proofs for block \(block.blockCommitment)")
        }
        guard kept.profile == Profile.name else {
            throw ConfirmationError(.bundleProfileMismatch, "the block was certified under \(kept.profile), not \(Profile.name)")
        }
        let certificate = try JSONDecoder().decode(QuorumCertificate<Profile>.self, from: Data(kept.certificateJSON))
        let legs = Set(item.subject.legs)
        let proofs = kept.proofs.filter { !legs.isDisjoint(with: $0.placedTransactions) }
        var transactions: [BundledTransaction] = []
        for leg in item.subject.legs {
            let bytes = proofs.lazy.compactMap { Self.bytes(of: leg, in: $0) }.first
            transactions.append(bytes.map { BundledTransaction(namespace: leg.namespace, transaction: $0) }
                                ?? BundledTransaction(namespace: leg.namespace, hash: leg.hash))
        }
        var settlement: SettlementEvidence?
        if let posting = postings[block.slot], posting.blockCommitment == block.blockCommitment, let chain {
            let final = chain.isFinalized(posting.l1Block)
            let last = final ? chain.finalized.number : chain.head.number
            if let headers = chain.headers(from: posting.l1Block, through: last) {
                settlement = SettlementEvidence(posting: posting, headers: headers,
                                                finalizedCheckpoint: final ? chain.finalized : nil)
            }
        }
        return ProofBundle(certificate: certificate,
                           stakeTable: stakeTable ?? .commitment(epoch: block.epoch, commitment: block.stakeTableCommitment),
                           proofs: proofs, transactions: transactions, settlement: settlement)
    }

    private static func bytes(of leg: TransactionReference, in proof: InclusionProof) -> [UInt8]? {
        switch proof {
        case .namespaceInclusion(let p) where p.namespace == leg.namespace:
            return TransactionHash.of(p.transaction) == leg.hash ? p.transaction : nil
        case .namespaceCompleteness(let p) where p.namespace == leg.namespace:
            return p.transactions.first { TransactionHash.of($0) == leg.hash }
        case .namespaceBundle(let p):
            return p.groups.filter { $0.namespace == leg.namespace }.flatMap(\.legs).map(\.transaction)
                .first { TransactionHash.of($0) == leg.hash }
        default:
            return nil
        }
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
    /// A tracked subject's JSON is not a transaction with one leg or a bundle of legs.
    public static let clocksInvalidSubject = Self("clocks.invalid-subject")
    /// A certificate given with its verification result is not the one that was verified.
    public static let clocksCertificateMismatch = Self("clocks.certificate-mismatch")
    /// No tracked subject has this id.
    public static let clocksUnknownSubject = Self("clocks.unknown-subject")
    /// The subject is not pre-confirmed, so there is nothing to export.
    public static let clocksNotPreconfirmed = Self("clocks.not-preconfirmed")
    /// The tracker kept no evidence for the subject's block.
    public static let clocksNoEvidence = Self("clocks.no-evidence")
    /// A snapshot's contents contradict each other.
    public static let clocksSnapshotInconsistent = Self("clocks.snapshot-inconsistent")
    /// The settlement clock has no finalized checkpoint to start from.
    public static let clocksNoCheckpoint = Self("clocks.no-checkpoint")
    /// A posting does not belong to the L1 block it was delivered with.
    public static let clocksPostingMismatch = Self("clocks.posting-mismatch")
}
