public import ConfirmationKit

extension HotShotLeafReport {
    /// The leaf as the two-clock tracker's ``CertifiedBlock``: present when the leaf's QC verified against
    /// its epoch's table and a HotStuff-2 proof finalizes the leaf.
    ///
    /// The block commitment is the leaf commitment (which commits to the header, and through it to the
    /// payload's AvidM commitment and namespace table). Transactions are placed in the block with an
    /// ``EspressoNamespaceEvidence``.
    ///
    /// ```swift
    /// let report = HotShotChainVerifier(tables: tables).verify(entries)
    /// let blocks = report.leaves.compactMap(\.certifiedBlock)
    /// ```
    public var certifiedBlock: CertifiedBlock? {
        guard finalized, failures.isEmpty, let verified else { return nil }
        return CertifiedBlock(verified)
    }
}

/// Inclusion evidence for the two-clock tracker: a namespace's transactions are in a finalized leaf's
/// block. The leaf must commit to the certified block commitment (the leaf commitment); its header's
/// AvidM payload commitment must be reached by the namespace proof.
///
/// ```swift
/// let block = try #require(report.leaves[i].certifiedBlock)
/// let evidence = EspressoNamespaceEvidence(leaf: entry.leaf, proof: proof, parameters: parameters)
/// try tracker.preconfirm(block, evidence: evidence, at: now)
/// ```
public struct EspressoNamespaceEvidence: InclusionEvidence, Hashable {
    /// The leaf whose header holds the payload commitment.
    public let leaf: HotShotLeaf
    /// The namespace proof against that header.
    public let proof: EspressoNamespaceProof
    /// The block's AvidM parameters (its VID common).
    public let parameters: AvidMParameters

    public init(leaf: HotShotLeaf, proof: EspressoNamespaceProof, parameters: AvidMParameters) {
        self.leaf = leaf
        self.proof = proof
        self.parameters = parameters
    }

    /// Evidence whose VID parameters come from the stake table of the leaf's epoch, not from a server's
    /// VID common (see ``AvidMParameters/espresso(stakeTable:height:)``).
    /// - Throws: as ``AvidMParameters/espresso(stakeTable:height:)``.
    public init(leaf: HotShotLeaf, proof: EspressoNamespaceProof, stakeTable: StakeTable<EspressoStakeKey>,
                withEpochs: Bool = true) throws {
        self.init(leaf: leaf, proof: proof,
                  parameters: try AvidMParameters.espresso(stakeTable: stakeTable, height: leaf.header.height,
                                                           withEpochs: withEpochs))
    }

    public var kind: String { "espresso AvidM namespace" }

    /// Verifies the evidence, reporting why it fails.
    /// - Throws: ``ConfirmationError`` `espresso.leaf-commitment-mismatch` when the leaf is not the
    ///   certified one, or the errors of ``EspressoNamespaceProof/verify(against:parameters:)``.
    public func verify(against blockCommitment: Bytes32) throws -> EspressoNamespaceTransactions {
        let commitment = leaf.commitment
        guard commitment.bytes == blockCommitment else {
            throw ConfirmationError(.espressoLeafCommitmentMismatch,
                                    "the evidence's leaf commits to \(commitment), the certified block is \(blockCommitment)")
        }
        return try proof.verify(against: leaf.header, parameters: parameters)
    }

    public func verifiedTransactions(in blockCommitment: Bytes32) -> [TransactionReference]? {
        (try? verify(against: blockCommitment))?.references
    }
}
