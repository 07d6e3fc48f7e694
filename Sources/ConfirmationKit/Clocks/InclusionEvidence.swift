/// Evidence that transactions are in a certified block, in any network's proof format.
///
/// The tracker never takes a list of transactions on trust: it hands the certified block commitment
/// to the evidence, which verifies itself and names what it places. ``InclusionProof`` (namespaced
/// blocks) conforms; profiles add their own (e.g. CometBFT transaction proofs into a block hash).
///
/// ```swift
/// let placed = evidence.verifiedTransactions(in: block.blockCommitment)   // nil: does not verify
/// ```
public protocol InclusionEvidence: Sendable {
    /// A short name of the proof format, for errors and logs.
    var kind: String { get }
    /// Verifies the evidence against `blockCommitment` and returns the transactions it places there,
    /// or `nil` when it does not verify.
    func verifiedTransactions(in blockCommitment: Bytes32) -> [TransactionReference]?
}

extension InclusionProof: InclusionEvidence {
    public func verifiedTransactions(in blockCommitment: Bytes32) -> [TransactionReference]? {
        verify(against: blockCommitment) ? placedTransactions : nil
    }
}

extension TrackerCore {
    /// Applies a verified certificate and inclusion evidence of any format (not kept for bundle
    /// export; use ``preconfirm(_:certificate:proof:at:)`` with an ``InclusionProof`` for that).
    ///
    /// - Throws: ``ConfirmationError`` `clocks.proof-not-verified` when the evidence does not verify
    ///   against the block commitment, `clocks.proof-without-transactions` when it places none.
    public mutating func preconfirm(_ block: CertifiedBlock, evidence: some InclusionEvidence,
                                    at time: Timestamp) throws -> [ClockUpdate] {
        guard let legs = evidence.verifiedTransactions(in: block.blockCommitment) else {
            throw ConfirmationError(.clocksProofNotVerified,
                                    "the \(evidence.kind) evidence does not verify against block \(block.blockCommitment)")
        }
        guard !legs.isEmpty else {
            throw ConfirmationError(.clocksProofWithoutTransactions, "the \(evidence.kind) evidence places no transaction")
        }
        return apply(block, legs: legs, at: time)
    }
}

extension ConfirmationTracker {
    /// Applies a verified certificate and inclusion evidence of any format; see
    /// ``TrackerCore/preconfirm(_:evidence:at:)``.
    @discardableResult
    public func preconfirm<Profile: QuorumProfile>(_ certificate: VerifiedCertificate<Profile>,
                                                   evidence: some InclusionEvidence, at time: Timestamp) throws -> [ClockUpdate] {
        try preconfirm(CertifiedBlock(certificate), evidence: evidence, at: time)
    }
}
