public import Foundation

/// Follows transactions and atomic bundles through two clocks — shared pre-confirmation and L1
/// settlement — from verified evidence only, and streams every change.
///
/// Inputs are values: verified certificates with verified inclusion proofs, verified equivocation
/// evidence, and verified L1 headers and postings (directly or from an ``L1Source``). Time is always
/// an argument. ``snapshot()`` encodes the whole state, and ``init(snapshot:)`` restores it exactly,
/// so an app that restarts loses nothing.
///
/// ```swift
/// let tracker = ConfirmationTracker()
/// let id = await tracker.track(.transaction(TransactionReference(namespace: 7, transaction: tx)), at: now)
/// Task { for await update in await tracker.updates(for: id) { render(update.clocks) } }
///
/// if case .verified(let certificate) = verifier.verify(qc, against: table) {
///     try await tracker.preconfirm(certificate, proof: proof, at: now)
/// }
/// await tracker.startSettlementClock(checkpoint: trustedFinalizedHeader)
/// try await tracker.follow(l1, at: now)          // one poll: new heads, postings, finality
/// ```
public actor ConfirmationTracker {
    private var core: TrackerCore
    private var subscribers: [Bytes32: [Int: AsyncStream<ClockUpdate>.Continuation]] = [:]
    private var allSubscribers: [Int: AsyncStream<ClockUpdate>.Continuation] = [:]
    private var nextSubscriber = 0

    /// An empty tracker.
    /// - Parameter retainsEvidence: keep certificates and proofs so ``exportBundle(for:profile:stakeTable:)`` works.
    public init(retainsEvidence: Bool = true) { core = TrackerCore(retainsEvidence: retainsEvidence) }

    /// Restores a tracker from ``snapshot()`` output.
    /// - Throws: a `DecodingError` when the data is not a tracker snapshot.
    public init(snapshot: Data) throws {
        core = try JSONDecoder().decode(TrackerCore.self, from: snapshot)
    }

    /// The whole state as JSON.
    public func snapshot() throws -> Data {
        try JSONEncoder().encode(core)
    }

    /// The state as a value (for inspection and tests).
    public var state: TrackerCore { core }

    // MARK: Inputs

    /// Starts following a subject (idempotent) and returns its id.
    @discardableResult
    public func track(_ subject: TrackedSubject, at time: Timestamp) -> Bytes32 {
        let clocks = core.track(subject, at: time)
        return clocks.id
    }

    /// Applies a verified certificate and an inclusion proof that must verify against its block.
    /// - Throws: ``ConfirmationError`` `clocks.proof-not-verified` or `clocks.proof-without-transactions`.
    @discardableResult
    public func preconfirm<Profile: QuorumProfile>(_ certificate: VerifiedCertificate<Profile>, proof: InclusionProof,
                                                   at time: Timestamp) throws -> [ClockUpdate] {
        publish(try core.preconfirm(certificate, certificate: nil, proof: proof, at: time))
    }

    /// As ``preconfirm(_:proof:at:)``, also keeping the certificate itself so a proof bundle can be
    /// exported later.
    /// - Throws: also `clocks.certificate-mismatch` when `certificate` is not the verified one.
    @discardableResult
    public func preconfirm<Profile: QuorumProfile>(_ verified: VerifiedCertificate<Profile>,
                                                   certificate: QuorumCertificate<Profile>, proof: InclusionProof,
                                                   at time: Timestamp) throws -> [ClockUpdate] {
        publish(try core.preconfirm(verified, certificate: certificate, proof: proof, at: time))
    }

    /// Applies a certified block and verified-on-arrival inclusion evidence (see ``InclusionEvidence``).
    @discardableResult
    func preconfirm(_ block: CertifiedBlock, evidence: some InclusionEvidence, at time: Timestamp) throws -> [ClockUpdate] {
        publish(try core.preconfirm(block, evidence: evidence, at: time))
    }

    /// Exports a proof bundle for a pre-confirmed subject (see ``TrackerCore/exportBundle(for:profile:stakeTable:)``).
    public func exportBundle<Profile: QuorumProfile>(for id: Bytes32, profile: Profile.Type,
                                                     stakeTable: StakeTableReference<Profile.Key>? = nil) throws -> ProofBundle<Profile> {
        try core.exportBundle(for: id, profile: profile, stakeTable: stakeTable)
    }

    /// Applies equivocation evidence after re-verifying it.
    /// - Throws: ``ConfirmationError`` `clocks.evidence-rejected`.
    @discardableResult
    public func applyEquivocation<Profile: QuorumProfile>(
        _ evidence: EquivocationEvidence<Profile>, profile: Profile, threshold: QuorumThreshold = .twoThirds,
        trustedStakeTableCommitment: Bytes32? = nil, at time: Timestamp
    ) throws -> [ClockUpdate] {
        publish(try core.applyEquivocation(evidence, profile: profile, threshold: threshold,
                                           trustedStakeTableCommitment: trustedStakeTableCommitment, at: time))
    }

    /// Starts the settlement clock from a trusted finalized L1 checkpoint.
    public func startSettlementClock(checkpoint: L1BlockHeader) {
        core.startSettlementClock(checkpoint: checkpoint)
    }

    /// Applies one verified L1 head with its proven postings.
    @discardableResult
    public func applyL1Head(_ header: L1BlockHeader, postings: [L1Posting], at time: Timestamp) throws -> [ClockUpdate] {
        publish(try core.applyL1Head(header, postings: postings, at: time))
    }

    /// Applies a new finalized checkpoint.
    @discardableResult
    public func applyL1Finalized(_ checkpoint: L1BlockHeader, at time: Timestamp) throws -> [ClockUpdate] {
        publish(try core.applyL1Finalized(checkpoint, at: time))
    }

    /// Polls `source` once: fetches the head, walks back by parent hash to a block the tracker
    /// knows (fetching each missing ancestor and checking the linkage), applies the new blocks
    /// lowest first with their postings, then applies the finalized checkpoint if it is on the chain.
    ///
    /// - Throws: the source's errors; ``ConfirmationError`` `l1.inconsistent-source` when the source's
    ///   headers do not link; `clocks.no-checkpoint` before ``startSettlementClock(checkpoint:)``.
    @discardableResult
    public func follow(_ source: some L1Source, at time: Timestamp) async throws -> [ClockUpdate] {
        guard let view = core.chain else {
            throw ConfirmationError(.clocksNoCheckpoint, "start the settlement clock from a finalized checkpoint first")
        }
        let head = try await source.latestHeader()
        var missing: [L1BlockHeader] = []
        if view.header(number: head.number)?.hash != head.hash {
            missing.append(head)
            while let lowest = missing.last, view.header(number: lowest.number &- 1)?.hash != lowest.parentHash {
                guard lowest.number > view.finalized.number + 1, missing.count < L1ChainView.maximumUnfinalizedBlocks else {
                    throw ConfirmationError(.l1InconsistentSource,
                                            "the source's chain does not link to the followed chain above the finalized block \(view.finalized.number)")
                }
                let parent = try await source.header(number: lowest.number - 1)
                guard parent.hash == lowest.parentHash, parent.number == lowest.number - 1 else {
                    throw ConfirmationError(.l1InconsistentSource,
                                            "the source's block \(parent.number) is not the parent of block \(lowest.number)")
                }
                missing.append(parent)
            }
        }
        var withPostings: [(L1BlockHeader, [L1Posting])] = []
        for header in missing.reversed() {
            withPostings.append((header, try await source.postings(in: header)))
        }
        let finalized = try await source.finalizedHeader()

        var updates: [ClockUpdate] = []
        for (header, postings) in withPostings {
            updates += try core.applyL1Head(header, postings: postings, at: time)
        }
        if let chain = core.chain, finalized.number > chain.finalized.number, chain.header(number: finalized.number) != nil {
            updates += try core.applyL1Finalized(finalized, at: time)
        }
        return publish(updates)
    }

    // MARK: Reading

    /// One subject's clocks, with the settlement depth at the current head.
    public func clocks(for id: Bytes32) -> TrackedClocks? { core.clocks(for: id) }

    /// Latency percentiles, reversions and counts per state.
    public func metrics() -> ClockMetrics { core.metrics() }

    /// Every future change of one subject.
    public func updates(for id: Bytes32) -> AsyncStream<ClockUpdate> {
        let (stream, continuation) = AsyncStream<ClockUpdate>.makeStream(bufferingPolicy: .unbounded)
        let key = nextSubscriber
        nextSubscriber += 1
        subscribers[id, default: [:]][key] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id: id, key: key) }
        }
        return stream
    }

    /// Every future change of every subject.
    public func allUpdates() -> AsyncStream<ClockUpdate> {
        let (stream, continuation) = AsyncStream<ClockUpdate>.makeStream(bufferingPolicy: .unbounded)
        let key = nextSubscriber
        nextSubscriber += 1
        allSubscribers[key] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id: nil, key: key) }
        }
        return stream
    }

    /// Ends every stream (for shutdown).
    public func finishUpdates() {
        for continuations in subscribers.values { continuations.values.forEach { $0.finish() } }
        allSubscribers.values.forEach { $0.finish() }
        subscribers = [:]
        allSubscribers = [:]
    }

    private func unsubscribe(id: Bytes32?, key: Int) {
        if let id {
            subscribers[id]?[key] = nil
            if subscribers[id]?.isEmpty ?? false { subscribers[id] = nil }
        } else {
            allSubscribers[key] = nil
        }
    }

    @discardableResult
    private func publish(_ updates: [ClockUpdate]) -> [ClockUpdate] {
        guard !subscribers.isEmpty || !allSubscribers.isEmpty else { return updates }
        for update in updates {
            subscribers[update.clocks.id]?.values.forEach { $0.yield(update) }
            allSubscribers.values.forEach { $0.yield(update) }
        }
        return updates
    }
}

extension ConfirmationError.Code {
    /// An L1 source returned headers that do not link by parent hash.
    public static let l1InconsistentSource = Self("l1.inconsistent-source")
}
