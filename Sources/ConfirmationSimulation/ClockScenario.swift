public import ConfirmationKit

/// A full two-clock scenario in simulated time: users submit transactions (and atomic bundles)
/// to several rollups, the demo sequencer certifies a block every second, a batch poster puts the
/// certified commitments on a simulated L1 every third L1 block (12 s apart), L1 finalizes 64
/// blocks behind its head, and a ``ConfirmationTracker`` follows everything from verified evidence.
/// Optionally an L1 reorg removes a posting block, and validators equivocate on one height.
///
/// ```swift
/// let report = try await ClockScenario.run(.init(transactions: 20, validators: 7, reorg: true))
/// report.metrics.preconfirmation.p50      // milliseconds
/// ```
public enum ClockScenario {
    /// What to simulate.
    public struct Options: Sendable, Hashable, Codable {
        /// How many rollup transactions users submit.
        public var transactions: Int
        /// Validators in the sequencer set.
        public var validators: Int
        /// Rollups (namespaces) the transactions are spread over.
        public var rollups: Int
        /// Atomic cross-rollup bundles (two legs each), tracked as one subject.
        public var bundles: Int
        /// Reorganise L1 right after the first posting, removing the posting block.
        public var reorg: Bool
        /// Let validators sign a conflicting block for height 2.
        public var equivocate: Bool
        /// Seed for keys and transaction bytes.
        public var seed: UInt64
        /// Restart the tracker from a JSON snapshot at every `n`-th L1 block (a wallet killed and
        /// relaunched); `nil` never restarts.
        public var restartEveryL1Blocks: Int?

        public init(transactions: Int, validators: Int, rollups: Int = 3, bundles: Int? = nil, reorg: Bool = false,
                    equivocate: Bool = false, seed: UInt64 = 1, restartEveryL1Blocks: Int? = nil) {
            self.restartEveryL1Blocks = restartEveryL1Blocks
            self.transactions = max(0, transactions)
            self.validators = validators
            self.rollups = max(1, rollups)
            self.bundles = bundles ?? (rollups > 1 ? max(1, transactions / 100) : 0)
            self.reorg = reorg
            self.equivocate = equivocate
            self.seed = seed
        }
    }

    /// Something that happened, for live displays.
    public enum Event: Sendable {
        /// A subject was submitted and is tracked.
        case submitted(TrackedClocks)
        /// A subject's clocks changed.
        case update(ClockUpdate)
        /// A narrative line (blocks, postings, reorgs, equivocation).
        case note(String, Timestamp)
        /// An L1 block was mined: the simulated time, the sequencer's height, the L1 head and finalized numbers.
        case tick(Timestamp, sequencerHeight: UInt64, l1Head: UInt64, l1Finalized: UInt64)
    }

    /// One subject's outcome, compactly.
    public struct Outcome: Sendable, Hashable, Codable {
        public var id: Bytes32
        public var kind: String
        public var description: String
        public var preconfirmation: String
        public var settlement: String
        public var preconfirmedAfterMilliseconds: UInt64?
        public var postedAfterMilliseconds: UInt64?
        public var finalizedAfterMilliseconds: UInt64?
        public var reversions: [String]
    }

    /// What a scenario produced.
    public struct Report: Sendable, Codable {
        public var options: Options
        public var outcomes: [Outcome]
        public var metrics: ClockMetrics
        public var notes: [String]
        public var sequencerBlocks: Int
        public var l1Blocks: UInt64
        public var simulatedMilliseconds: UInt64
        /// How many times the tracker was restarted from a snapshot.
        public var restarts: Int
        /// The sequencer's stake table.
        public var stakeTable: StakeTable<EthereumAddress>
        /// The tracker's final state (for bundles and further checks).
        public var finalState: TrackerCore
    }

    /// The simulated start time: 2026-01-01T00:00:00Z.
    public static let start = Timestamp(seconds: 1_767_225_600)

    /// Runs a scenario to the end (every subject final or reverted, or 40 simulated minutes).
    /// - Parameters:
    ///   - options: what to simulate.
    ///   - onEvent: called for every submission, clock change and narrative line, in order.
    public static func run(_ options: Options, onEvent: (@Sendable (Event) async -> Void)? = nil) async throws -> Report {
        var sequencer = try DemoSequencer(validators: options.validators, seed: options.seed)
        let network = sequencer.networkID
        var tracker = ConfirmationTracker()
        var restarts = 0
        let l1 = SimulatedL1(genesisTime: start)
        await tracker.startSettlementClock(checkpoint: await l1.finalizedHeader())
        var notes: [String] = []
        func note(_ text: String, _ time: Timestamp) async {
            notes.append(text)
            await onEvent?(.note(text, time))
        }
        func emit(_ updates: [ClockUpdate]) async {
            guard let onEvent else { return }
            for update in updates { await onEvent(.update(update)) }
        }

        // Plan the submissions: transactions spread over the first 30 seconds (at least 1 s apart when few).
        var rng = DeterministicRandom(seed: options.seed &+ 0x5EED)
        let namespaces = (0..<options.rollups).map { NamespaceID(UInt64(1000 + $0)) }
        let spreadMilliseconds: UInt64 = options.transactions <= 30 ? UInt64(max(options.transactions, 1)) * 1000 : 30_000
        struct Planned { var at: Timestamp; var namespace: NamespaceID; var bytes: [UInt8] }
        var planned: [Planned] = []
        for i in 0..<options.transactions {
            let offset = UInt64(i) * spreadMilliseconds / UInt64(max(options.transactions, 1)) + rng.next() % 700
            let namespace = namespaces[i % namespaces.count]
            planned.append(Planned(at: start.adding(milliseconds: offset + 250), namespace: namespace,
                                   bytes: Array("rollup \(namespace.rawValue) tx \(i) ".utf8) + rng.bytes(16)))
        }
        // Bundles: two legs in two different rollups, submitted together.
        var bundleLegs: [[Int]] = []
        if options.rollups > 1 {
            for b in 0..<options.bundles {
                let base = options.transactions + 2 * b
                let at = start.adding(milliseconds: UInt64(b) * spreadMilliseconds / UInt64(max(options.bundles, 1)) + 500)
                for leg in 0..<2 {
                    let namespace = namespaces[(b + leg) % namespaces.count]
                    planned.append(Planned(at: at, namespace: namespace,
                                           bytes: Array("bundle \(b) leg \(leg) ".utf8) + rng.bytes(16)))
                }
                bundleLegs.append([base, base + 1])
            }
        }
        var bundleOfLeg: [Int: Int] = [:]
        for (b, legs) in bundleLegs.enumerated() { for leg in legs { bundleOfLeg[leg] = b } }

        var nextSubmission = 0
        var mempool: [NamespaceID: [[UInt8]]] = [:]
        var locations: [Int: TransactionLocation] = [:]
        var producedBlocks: [UInt64: DemoSequencer.Block] = [:]
        var unposted: [UInt64] = []
        var postedIn: [UInt64: L1BlockHeader] = [:]  // height → L1 block holding its posting
        var l1Count: UInt64 = 0
        var reorgDone = false
        var time = start
        let order = planned.indices.sorted { planned[$0].at < planned[$1].at }
        let deadline = start.adding(milliseconds: 40 * 60 * 1000)

        while time < deadline {
            // 1. Submissions due by now.
            while nextSubmission < order.count, planned[order[nextSubmission]].at <= time {
                let index = order[nextSubmission]
                let item = planned[index]
                mempool[item.namespace, default: []].append(item.bytes)
                locations[index] = TransactionLocation(namespace: item.namespace,
                                                       index: UInt64(mempool[item.namespace, default: []].count - 1))
                if let b = bundleOfLeg[index] {
                    if index == bundleLegs[b][1] {
                        let legs = bundleLegs[b].map { TransactionReference(namespace: planned[$0].namespace, transaction: planned[$0].bytes) }
                        let id = await tracker.track(.bundle(legs), at: item.at)
                        if let clocks = await tracker.clocks(for: id) { await onEvent?(.submitted(clocks)) }
                    }
                } else {
                    let id = await tracker.track(.transaction(TransactionReference(namespace: item.namespace, transaction: item.bytes)), at: item.at)
                    if let clocks = await tracker.clocks(for: id) { await onEvent?(.submitted(clocks)) }
                }
                nextSubmission += 1
            }

            // 2. A sequencer block every second (certificate seen by the tracker one second later).
            if time.milliseconds % 1000 == 0, !mempool.isEmpty {
                let contents = mempool
                let blockLocations = locations
                mempool = [:]
                locations = [:]
                let produced = try sequencer.produceBlock(transactions: contents, at: time)
                producedBlocks[produced.height] = produced
                unposted.append(produced.height)
                // Certificates reach the tracker 0.6 – 1.4 s after the block time.
                let seenAt = time.adding(milliseconds: 600 + rng.next() % 800)
                let signed = produced.verified
                await note("block \(produced.height): \(contents.values.reduce(0) { $0 + $1.count }) transactions, certified by \(signed.signers.count)/\(sequencer.stakeTable.count) validators (\(formatPercent(signed.signedPercentage)) of stake)", seenAt)
                for namespace in contents.keys.sorted() {
                    let proof = InclusionProof.namespaceCompleteness(try produced.block.completenessProof(namespace: namespace))
                    await emit(try await tracker.preconfirm(signed, certificate: produced.certificate, proof: proof, at: seenAt))
                }
                for legs in bundleLegs {
                    let legLocations = legs.compactMap { blockLocations[$0] }
                    guard legLocations.count == legs.count else { continue }
                    let proof = InclusionProof.namespaceBundle(try produced.block.bundleProof(legs: legLocations))
                    await emit(try await tracker.preconfirm(signed, certificate: produced.certificate, proof: proof, at: seenAt))
                }

                // Staged equivocation: the quorum also signs another block for height 2.
                if options.equivocate, produced.height == 2 {
                    var conflicting = contents
                    conflicting[namespaces[0], default: []].append(Array("conflicting transaction".utf8))
                    let other = try sequencer.certify(try NamespacedBlock(transactions: conflicting), height: 2, view: 2,
                                                      at: time, signers: sequencer.signingKeys)
                    switch EquivocationEvidence.detect(first: produced.certificate, second: other.certificate,
                                                       table: sequencer.stakeTable, profile: Secp256k1QuorumProfile()) {
                    case .success(let evidence):
                        let at = time.adding(milliseconds: 2000)
                        await note("equivocation: \(evidence.doubleSigners.count) validators signed two blocks for height 2", at)
                        await emit(try await tracker.applyEquivocation(evidence, profile: Secp256k1QuorumProfile(), at: at))
                    case .failure(let rejection):
                        throw ConfirmationError(.simulationCertificateRejected,
                                                "staged equivocation is not evidence: \(rejection.failures.map(\.code.rawValue))")
                    }
                }
            }

            // 3. An L1 block every 12 seconds; the batch poster posts on every third one.
            if time.milliseconds % 12_000 == 0, time > start {
                l1Count += 1
                // A reorg may have removed earlier postings: re-post those heights.
                let head = await l1.latestHeader()
                for (height, block) in postedIn {
                    let onChain = (try? await l1.header(number: block.number))?.hash == block.hash
                    if !onChain {
                        postedIn[height] = nil
                        unposted.append(height)
                    }
                }
                var requests: [SimulatedL1.PostingRequest] = []
                if l1Count % 3 == 0 {
                    for height in unposted.sorted() {
                        guard let produced = producedBlocks[height] else { continue }
                        requests.append((network: network.rawValue, height: height, blockCommitment: produced.block.commitment))
                    }
                    unposted = []
                }
                let mined = await l1.mine(postings: requests, at: time)
                for request in requests { postedIn[request.height] = mined }
                if !requests.isEmpty {
                    await note("L1 block \(mined.number): batch posts heights \(requests.map(\.height).map(String.init).joined(separator: ", "))", time)
                }
                if options.reorg, !reorgDone, requests.isEmpty, postedIn.values.contains(head) {
                    // The head holds the first posting: replace it (and the block just mined).
                    let removed = await l1.reorganize(depth: 2, at: time)
                    reorgDone = true
                    await note("L1 reorg: blocks \(removed.map { String($0.number) }.joined(separator: ", ")) replaced", time)
                }
                if mined.number > 64 { await l1.finalize(through: mined.number - 64) }
                await emit(try await tracker.follow(l1, at: time))
                await onEvent?(.tick(time, sequencerHeight: sequencer.nextHeight - 1, l1Head: await l1.latestHeader().number,
                                     l1Finalized: await l1.finalizedHeader().number))
                if let every = options.restartEveryL1Blocks, every > 0, l1Count % UInt64(every) == 0 {
                    // A wallet restart: everything it knows comes back from the snapshot.
                    let snapshot = try await tracker.snapshot()
                    await tracker.finishUpdates()
                    tracker = try ConfirmationTracker(snapshot: snapshot)
                    restarts += 1
                }
            }

            // 4. Stop when every subject is final (or reverted with nothing left to learn).
            if nextSubmission == order.count, mempool.isEmpty, time.milliseconds % 12_000 == 0 {
                let state = await tracker.state
                let open = state.items.values.contains { !isSettled($0) }
                if !open { break }
            }
            time = time.adding(milliseconds: 250)
        }

        let state = await tracker.state
        let outcomes = state.items.values.map { outcome($0, core: state) }.sorted { ($0.kind, $0.description) < ($1.kind, $1.description) }
        await tracker.finishUpdates()
        return Report(options: options, outcomes: outcomes, metrics: await tracker.metrics(), notes: notes,
                      sequencerBlocks: producedBlocks.count, l1Blocks: await l1.latestHeader().number,
                      simulatedMilliseconds: time.milliseconds(since: start), restarts: restarts, stakeTable: sequencer.stakeTable, finalState: state)
    }

    private static func isSettled(_ clocks: TrackedClocks) -> Bool {
        switch clocks.settlement {
        case .finalized: return true
        case .reverted(let reversion):
            if case .settlementConflict = reversion.reason { return true }
            return false
        case .notPosted, .posted: return false
        }
    }

    static func outcome(_ clocks: TrackedClocks, core: TrackerCore) -> Outcome {
        var reversions: [String] = []
        var preconfirmedAfter: UInt64?
        var postedAfter: UInt64?
        var finalizedAfter: UInt64?
        for reversion in clocks.reversionHistory where !reversions.contains(reversion.reason.code) {
            reversions.append(reversion.reason.code)
        }
        if case .preconfirmed(let p) = clocks.preconfirmation { preconfirmedAfter = p.at.milliseconds(since: clocks.submittedAt) }
        switch clocks.settlement {
        case .posted(let s):
            postedAfter = s.postedAt.milliseconds(since: clocks.submittedAt)
        case .finalized(let s):
            postedAfter = s.postedAt.milliseconds(since: clocks.submittedAt)
            finalizedAfter = s.finalizedAt?.milliseconds(since: clocks.submittedAt)
        case .reverted, .notPosted: break
        }
        let kind: String
        let description: String
        switch clocks.subject {
        case .transaction(let reference):
            kind = "transaction"
            description = reference.description
        case .bundle(let legs):
            kind = "bundle"
            description = legs.map(\.description).joined(separator: " + ")
        }
        return Outcome(id: clocks.id, kind: kind, description: description, preconfirmation: clocks.preconfirmation.name,
                       settlement: clocks.settlement.name, preconfirmedAfterMilliseconds: preconfirmedAfter,
                       postedAfterMilliseconds: postedAfter, finalizedAfterMilliseconds: finalizedAfter, reversions: reversions)
    }

    static func formatPercent(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
