public import ConfirmationKit

extension HotShotLeafReport {
    /// The leaf as the two-clock tracker's ``CertifiedBlock``: present when the leaf's QC verified against
    /// its epoch's table and a HotStuff-2 proof finalizes the leaf.
    ///
    /// The block commitment is the leaf commitment (which commits to the header, and through it to the
    /// payload's VID commitment and namespace table). ``TrackerCore`` pre-confirms transactions with
    /// ``InclusionEvidence`` verified against that commitment; the payload's VID binding (AvidM) is not
    /// implemented yet, so the tracker can record the block, but no Espresso transaction is placed in it
    /// by proof (see `Docs/espresso.md`, "What remains").
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
