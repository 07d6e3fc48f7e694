public import ConfirmationKit

/// A HotStuff-2 finality proof for a leaf: its committing QC (view v) and a deciding QC (view v+1)
/// for a child leaf whose justify QC is the committing QC.
public struct HotStuff2FinalityProof: Sendable, Hashable {
    /// The QC for the finalized leaf, formed in the leaf's view.
    public var committingQC: HotShotCertificate
    /// The QC for the child leaf, formed in the next view.
    public var decidingQC: HotShotCertificate
    /// The child leaf (its parent commitment and justify QC tie the two QCs together).
    public var child: HotShotLeaf

    /// Creates a proof.
    public init(committingQC: HotShotCertificate, decidingQC: HotShotCertificate, child: HotShotLeaf) {
        self.committingQC = committingQC
        self.decidingQC = decidingQC
        self.child = child
    }

    /// The structural rules (the QCs' signatures are checked separately, against their epochs' tables):
    /// - the committing QC certifies `leafCommitment` in `leaf.view`;
    /// - the child's parent is the leaf and its justify QC is the committing QC;
    /// - the deciding QC certifies the child, in view `committing + 1`.
    /// - Returns: the failures (empty when the structure holds).
    public func structuralFailures(leaf: HotShotLeaf, leafCommitment: EspressoCommitment,
                                   childCommitment: EspressoCommitment) -> [PolicyFailure] {
        var failures: [PolicyFailure] = []
        if committingQC.data.leafCommit != leafCommitment || committingQC.view != leaf.view {
            failures.append(PolicyFailure(.espressoFinalityProofInvalid, "the committing QC does not certify the leaf in its view"))
        }
        if child.parentCommitment != leafCommitment || child.justifyQC != committingQC {
            failures.append(PolicyFailure(.espressoFinalityProofInvalid, "the child leaf is not justified by the committing QC"))
        }
        if decidingQC.data.leafCommit != childCommitment {
            failures.append(PolicyFailure(.espressoFinalityProofInvalid, "the deciding QC does not certify the child leaf"))
        }
        if committingQC.view == .max || decidingQC.view != committingQC.view + 1 {
            failures.append(PolicyFailure(.espressoFinalityProofInvalid,
                                          "the deciding QC is from view \(decidingQC.view), not \(committingQC.view) + 1"))
        }
        return failures
    }
}

/// The outcome of verifying one leaf of a chain.
public struct HotShotLeafReport: Sendable, Hashable {
    /// The position in the input.
    public let index: Int
    /// The header height.
    public let height: UInt64
    /// The leaf's view.
    public let view: UInt64
    /// The recomputed leaf commitment.
    public let leafCommitment: EspressoCommitment
    /// The recomputed header commitment (the block hash).
    public let headerCommitment: EspressoCommitment
    /// The epoch of the leaf's QC.
    public let epoch: UInt64
    /// The verified QC for the leaf (nil for the genesis certificate or when rejected).
    public let verified: VerifiedCertificate<EspressoProfile>?
    /// Every failed rule (empty when the leaf verified).
    public let failures: [PolicyFailure]
    /// Whether a HotStuff-2 proof (or a finalized descendant) finalizes the leaf.
    public internal(set) var finalized: Bool
    /// Whether the entry's payload re-encodes to the header's AvidM payload commitment: nil when the
    /// entry carries no payload or VID parameters (or another VID scheme); false is also a failure.
    public let payloadBound: Bool?
    /// Why a payload the entry carries was not checked (another VID scheme, or no VID common); nil
    /// when it was checked or there is none.
    public let payloadUncheckedReason: String?
}

/// The outcome of ``HotShotChainVerifier/verify(_:)``.
public struct HotShotChainReport: Sendable, Hashable {
    /// One report per input entry, in order.
    public let leaves: [HotShotLeafReport]

    /// How many leaves passed every rule.
    public var verifiedCount: Int { leaves.filter { $0.failures.isEmpty }.count }
    /// How many leaves are finalized.
    public var finalizedCount: Int { leaves.filter(\.finalized).count }
    /// The first leaf with a failure, if any.
    public var firstFailure: HotShotLeafReport? { leaves.first { !$0.failures.isEmpty } }
    /// How many entries' payloads re-encode to their headers' payload commitments.
    public var boundPayloadCount: Int { leaves.filter { $0.payloadBound == true }.count }
    /// How many entries carry a payload this verifier could not bind (see
    /// ``HotShotLeafReport/payloadUncheckedReason``).
    public var uncheckedPayloadCount: Int { leaves.filter { $0.payloadUncheckedReason != nil }.count }
}

/// Verifies a chain of leaves as the query service serves it, with the stake table of each epoch.
///
/// Per leaf, in order (each failure carries its code):
/// 1. Header: the leaf's header commitment equals the block's `hash`, and so does the block's own
///    header (`espresso.header-commitment-mismatch`).
/// 2. The leaf's QC certifies this leaf: its `leaf_commit` is the recomputed leaf commitment
///    (`espresso.leaf-commitment-mismatch`), its view is the leaf's (`espresso.view-mismatch`), its
///    block number is the header's height (`espresso.block-number-mismatch`) and its epoch is
///    `epoch(height)` (`quorum.epoch-mismatch`).
/// 3. The QC verifies against its epoch's table (``HotShotCertificateVerifier``; `espresso.unknown-epoch`
///    when no table is known).
/// 4. Chaining: the parent commitment is the previous leaf's commitment, and the justify QC certifies
///    the parent (`espresso.parent-mismatch`); the justify QC verifies (unless it is the previous leaf's
///    QC, already verified). Around epoch transitions, the next-epoch justify QC must be present
///    (`espresso.missing-next-epoch-qc`), certify the parent, and verify against the next epoch's table.
///
/// Finality (HotStuff-2): leaf i is final when leaf i+1 passed, is its child, and their QCs are from
/// consecutive views; a final leaf finalizes its verified ancestors in the input.
public struct HotShotChainVerifier: Sendable {
    /// The stake tables by epoch.
    public let tables: EspressoEpochTables
    /// The certificate verifier.
    public let certificates: HotShotCertificateVerifier

    /// Creates a chain verifier.
    public init(tables: EspressoEpochTables) {
        self.tables = tables
        certificates = HotShotCertificateVerifier(epochHeight: tables.epochHeight)
    }

    /// Whether a certificate for block `height` must come with a next-epoch certificate: the last three
    /// blocks of an epoch and the epoch's last block (`h mod H ≥ H − 3` or `h mod H = 0`, `h > 0`).
    public func isTransitionBlock(_ height: UInt64) -> Bool {
        let h = tables.epochHeight
        guard h > 3, height > 0 else { return false }
        let r = height % h
        return r == 0 || r >= h - 3
    }

    /// Verifies a HotStuff-2 finality proof for `leaf`: both QCs verify against their epochs' tables and
    /// fit together (``HotStuff2FinalityProof/structuralFailures(leaf:leafCommitment:childCommitment:)``).
    /// - Returns: every failed rule; empty when the proof finalizes the leaf.
    public func verify(_ proof: HotStuff2FinalityProof, for leaf: HotShotLeaf) -> [PolicyFailure] {
        var failures = proof.structuralFailures(leaf: leaf, leafCommitment: leaf.commitment, childCommitment: proof.child.commitment)
        for (qc, role) in [(proof.committingQC, "committing QC"), (proof.decidingQC, "deciding QC")] {
            do {
                let table = try tables.table(for: certificates.signingEpoch(of: qc))
                failures += certificates.verify(qc, against: table).failures.map { PolicyFailure($0.code, "\(role): \($0.reason)") }
            } catch let error as ConfirmationError {
                failures.append(PolicyFailure(error.code, "\(role): \(error.reason)"))
            } catch {
                failures.append(PolicyFailure(.espressoUnknownEpoch, "\(role): \(error)"))
            }
        }
        return failures
    }

    /// Verifies every entry; never throws.
    public func verify(_ entries: [HotShotChainEntry]) -> HotShotChainReport {
        var reports: [HotShotLeafReport] = []
        reports.reserveCapacity(entries.count)
        var tableCache: [UInt64: Result<StakeTable<EspressoStakeKey>, ConfirmationError>] = [:]
        func table(_ epoch: UInt64) -> Result<StakeTable<EspressoStakeKey>, ConfirmationError> {
            if let cached = tableCache[epoch] { return cached }
            let result: Result<StakeTable<EspressoStakeKey>, ConfirmationError>
            do { result = .success(try tables.table(for: epoch)) } catch let error as ConfirmationError {
                result = .failure(error)
            } catch {
                result = .failure(ConfirmationError(.espressoUnknownEpoch, "\(error)"))
            }
            tableCache[epoch] = result
            return result
        }
        func check(_ qc: HotShotCertificate, nextEpoch: Bool, role: String, _ failures: inout [PolicyFailure])
            -> VerifiedCertificate<EspressoProfile>? {
            let epoch = certificates.signingEpoch(of: qc, nextEpoch: nextEpoch)
            if qc.signatures == nil, qc.view == 0 { return nil }  // genesis: accepted unchecked
            switch table(epoch) {
            case .failure(let error):
                failures.append(PolicyFailure(error.code, "\(role): \(error.reason)"))
                return nil
            case .success(let t):
                switch certificates.verify(qc, against: t, nextEpoch: nextEpoch) {
                case .genesis: return nil
                case .verified(let v): return v
                case .rejected(let f):
                    failures += f.map { PolicyFailure($0.code, "\(role): \($0.reason)", signerIndex: $0.signerIndex) }
                    return nil
                }
            }
        }

        var previous: (commitment: EspressoCommitment, qc: HotShotCertificate)?
        for (index, entry) in entries.enumerated() {
            var failures: [PolicyFailure] = []
            let leaf = entry.leaf
            let header = leaf.header
            let headerCommitment = header.commitment
            if let hash = entry.blockHash {
                if headerCommitment != hash {
                    failures.append(PolicyFailure(.espressoHeaderCommitmentMismatch,
                                                  "the leaf's header commits to \(headerCommitment.taggedBase64(tag: "BLOCK")), the block hash is \(hash.taggedBase64(tag: "BLOCK"))"))
                } else if let blockHeader = entry.blockHeader, blockHeader.commitment != hash {
                    failures.append(PolicyFailure(.espressoHeaderCommitmentMismatch, "the block's header does not commit to the block hash"))
                }
            }
            let leafCommitment = leaf.commitment(headerCommitment: headerCommitment)
            let qc = entry.qc
            if qc.data.leafCommit != leafCommitment {
                failures.append(PolicyFailure(.espressoLeafCommitmentMismatch,
                                              "the QC certifies \(qc.data.leafCommit); the leaf commits to \(leafCommitment)"))
            }
            if qc.view != leaf.view {
                failures.append(PolicyFailure(.espressoViewMismatch, "the QC is from view \(qc.view); the leaf is in view \(leaf.view)"))
            }
            if let number = qc.data.blockNumber, number != header.height {
                failures.append(PolicyFailure(.espressoBlockNumberMismatch, "the QC is for block \(number); the header is at height \(header.height)"))
            }
            let expectedEpoch = tables.epoch(ofHeight: header.height)
            if let epoch = qc.data.epoch, tables.epochHeight > 0, epoch != expectedEpoch {
                failures.append(PolicyFailure(.quorumEpochMismatch, "the QC is for epoch \(epoch); height \(header.height) is in epoch \(expectedEpoch)"))
            }
            let verified = check(qc, nextEpoch: false, role: "qc", &failures)
            let payload = bindPayload(of: entry, table: try? table(expectedEpoch).get(), &failures)

            // Chaining to the parent.
            let justify = leaf.justifyQC
            if justify.data.leafCommit != leaf.parentCommitment {
                failures.append(PolicyFailure(.espressoParentMismatch, "the justify QC certifies \(justify.data.leafCommit), not the parent \(leaf.parentCommitment)"))
            }
            if let previous, previous.commitment != leaf.parentCommitment {
                failures.append(PolicyFailure(.espressoParentMismatch, "the parent commitment \(leaf.parentCommitment) is not the previous leaf's \(previous.commitment)"))
            }
            if previous?.qc != justify {
                _ = check(justify, nextEpoch: false, role: "justify_qc", &failures)
            }
            if let next = leaf.nextEpochJustifyQC {
                if next.data.leafCommit != leaf.parentCommitment {
                    failures.append(PolicyFailure(.espressoParentMismatch, "the next-epoch justify QC certifies \(next.data.leafCommit), not the parent"))
                }
                _ = check(next, nextEpoch: true, role: "next_epoch_justify_qc", &failures)
            } else if leaf.withEpoch, let parentHeight = justify.data.blockNumber, isTransitionBlock(parentHeight) {
                failures.append(PolicyFailure(.espressoMissingNextEpochQC,
                                              "the parent (block \(parentHeight)) is in an epoch transition; its next-epoch QC is missing"))
            }

            reports.append(HotShotLeafReport(index: index, height: header.height, view: leaf.view, leafCommitment: leafCommitment,
                                             headerCommitment: headerCommitment, epoch: certificates.signingEpoch(of: qc),
                                             verified: verified, failures: failures, finalized: false,
                                             payloadBound: payload.bound, payloadUncheckedReason: payload.uncheckedReason))
            previous = (leafCommitment, qc)
        }

        // HotStuff-2 finality, then ancestors of final leaves.
        var finalizedUpTo: Int?
        for i in reports.indices.dropLast() {
            let child = entries[i + 1]
            guard reports[i].failures.isEmpty, reports[i + 1].failures.isEmpty else { continue }
            let proof = HotStuff2FinalityProof(committingQC: entries[i].qc, decidingQC: child.qc, child: child.leaf)
            if proof.structuralFailures(leaf: entries[i].leaf, leafCommitment: reports[i].leafCommitment,
                                        childCommitment: reports[i + 1].leafCommitment).isEmpty {
                finalizedUpTo = i
            }
        }
        if let last = finalizedUpTo {
            var i = last
            while i >= 0, reports[i].failures.isEmpty {
                reports[i].finalized = true
                i -= 1
            }
        }
        return HotShotChainReport(leaves: reports)
    }
}

extension HotShotChainVerifier {
    /// What became of an entry's payload: not carried, not bindable here (with the reason), or
    /// re-encoded (bound or not).
    enum PayloadOutcome {
        case absent
        case unchecked(String)
        case checked(bound: Bool)

        var bound: Bool? {
            if case .checked(let bound) = self { return bound }
            return nil
        }

        var uncheckedReason: String? {
            if case .unchecked(let reason) = self { return reason }
            return nil
        }
    }

    /// Re-encodes the entry's payload (AvidM) with the parameters the epoch's stake table gives, and
    /// compares the result with the header's payload commitment; the entry's VID common must agree.
    func bindPayload(of entry: HotShotChainEntry, table: StakeTable<EspressoStakeKey>?,
                     _ failures: inout [PolicyFailure]) -> PayloadOutcome {
        let header = entry.leaf.header
        guard let payload = entry.payload else { return .absent }
        guard header.payloadCommitmentTag == "AvidMCommit" else {
            return .unchecked("the header commits with \(header.payloadCommitmentTag)~ (only AvidM is implemented)")
        }
        guard let served = entry.vidParameters else { return .unchecked("the entry has no V1 (AvidM) VID common") }
        do {
            var parameters = served
            if let table {
                parameters = try AvidMParameters.espresso(stakeTable: table, height: header.height,
                                                          withEpochs: tables.epochHeight > 0)
                guard parameters == served else {
                    failures.append(PolicyFailure(.espressoVIDParametersInvalid,
                                                  "the VID common says \(served); epoch \(table.epoch)'s stake table gives \(parameters)"))
                    return .checked(bound: false)
                }
            } else if !served.followsEspressoRule {
                failures.append(PolicyFailure(.espressoVIDParametersInvalid, "\(served): Espresso's recovery threshold is ⌈n/3⌉"))
                return .checked(bound: false)
            }
            let commitment = try AvidM.payloadCommitment(payload: payload, namespaceTable: header.namespaceTable,
                                                         parameters: parameters)
            guard commitment.bytes == header.payloadCommitment else {
                failures.append(PolicyFailure(.espressoVIDCommitmentMismatch,
                                              "the \(payload.count)-byte payload encodes to \(commitment.hex.prefix(16))…, not the header's payload commitment"))
                return .checked(bound: false)
            }
            return .checked(bound: true)
        } catch let error as ConfirmationError {
            failures.append(PolicyFailure(error.code, "payload: \(error.reason)"))
            return .checked(bound: false)
        } catch {
            failures.append(PolicyFailure(.espressoMalformed, "payload: \(error)"))
            return .checked(bound: false)
        }
    }
}

extension ConfirmationError.Code {
    /// A header's commitment is not the block hash it is served with.
    public static let espressoHeaderCommitmentMismatch = Self("espresso.header-commitment-mismatch")
    /// A leaf's QC certifies another leaf commitment.
    public static let espressoLeafCommitmentMismatch = Self("espresso.leaf-commitment-mismatch")
    /// A leaf's QC is from another view than the leaf.
    public static let espressoViewMismatch = Self("espresso.view-mismatch")
    /// A leaf's QC is for another block number than the header's height.
    public static let espressoBlockNumberMismatch = Self("espresso.block-number-mismatch")
    /// A leaf's parent commitment or justify QC does not match its parent.
    public static let espressoParentMismatch = Self("espresso.parent-mismatch")
    /// A leaf whose parent is in an epoch transition lacks the parent's next-epoch QC.
    public static let espressoMissingNextEpochQC = Self("espresso.missing-next-epoch-qc")
    /// A HotStuff-2 finality proof's QCs do not fit together.
    public static let espressoFinalityProofInvalid = Self("espresso.finality-proof-invalid")
}
