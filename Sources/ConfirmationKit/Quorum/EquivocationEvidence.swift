/// Proof that validators signed two different blocks for the same slot (network, epoch, height, view).
///
/// Built from two certificates that each verify in full mode against the same stake table, it
/// names every validator whose valid signature is in both, and their combined stake. If each
/// certificate carries more than 2/3 of the stake, the double signers hold more than 1/3: the
/// safety assumption of the protocol is broken and those validators are accountable.
///
/// The evidence is self-contained (both certificates and the stake table), encodes to JSON, and
/// ``verify(profile:threshold:trustedStakeTableCommitment:workers:)`` re-derives everything it claims.
///
/// ```swift
/// switch EquivocationEvidence.detect(first: a, second: b, table: table, profile: profile) {
/// case .success(let evidence): publish(try JSONEncoder().encode(evidence))
/// case .failure(let reasons): print(reasons.failures)
/// }
/// ```
public struct EquivocationEvidence<Profile: QuorumProfile>: Hashable, Sendable, Codable {
    /// The stake table both certificates were verified against.
    public let stakeTable: StakeTable<Profile.Key>
    /// The first certificate.
    public let first: QuorumCertificate<Profile>
    /// The second certificate, for the same slot and a different block.
    public let second: QuorumCertificate<Profile>
    /// The validators with a valid signature in both, in stake-table order.
    public let doubleSigners: [Profile.Key]
    /// Their combined stake.
    public let doubleSignedStake: UInt256
    /// The table's total stake.
    public let totalStake: UInt256

    /// Why two certificates are not evidence of equivocation.
    public struct Rejection: Error, Hashable, Sendable {
        /// Every reason, with stable codes.
        public let failures: [PolicyFailure]
    }

    /// Checks two certificates and builds the evidence.
    ///
    /// - Parameters:
    ///   - first: one certificate.
    ///   - second: another certificate.
    ///   - table: the stake table of their epoch.
    ///   - profile: the network profile.
    ///   - threshold: the threshold each certificate must meet (default: more than 2/3).
    ///   - workers: threads for signature checks.
    /// - Returns: the evidence, or every reason the pair is not evidence.
    public static func detect(first: QuorumCertificate<Profile>, second: QuorumCertificate<Profile>,
                              table: StakeTable<Profile.Key>, profile: Profile,
                              threshold: QuorumThreshold = .twoThirds,
                              workers: Int = 1) -> Result<EquivocationEvidence, Rejection> {
        switch analyse(first, second, table, profile, threshold, workers) {
        case .success(let (signers, stake)):
            return .success(EquivocationEvidence(stakeTable: table, first: first, second: second,
                                                 doubleSigners: signers, doubleSignedStake: stake,
                                                 totalStake: table.totalStake))
        case .failure(let rejection):
            return .failure(rejection)
        }
    }

    /// Re-verifies the evidence on its own: both certificates, the slot, the different blocks,
    /// and the claimed double signers and stake.
    ///
    /// - Parameters:
    ///   - profile: the network profile.
    ///   - threshold: the threshold each certificate must meet.
    ///   - trustedStakeTableCommitment: when given, the enclosed table must have this commitment
    ///     (the caller's own record of the epoch's table).
    ///   - workers: threads for signature checks.
    /// - Returns: every failed rule; empty when the evidence holds.
    public func verify(profile: Profile, threshold: QuorumThreshold = .twoThirds,
                       trustedStakeTableCommitment: Bytes32? = nil, workers: Int = 1) -> [PolicyFailure] {
        var failures: [PolicyFailure] = []
        if let trusted = trustedStakeTableCommitment, trusted != stakeTable.commitment {
            failures.append(PolicyFailure(.equivocationTableMismatch,
                                          "the evidence's table is \(stakeTable.commitment), the trusted one \(trusted)"))
        }
        switch Self.analyse(first, second, stakeTable, profile, threshold, workers) {
        case .failure(let rejection):
            failures += rejection.failures
        case .success(let (signers, stake)):
            if signers != doubleSigners || stake != doubleSignedStake || totalStake != stakeTable.totalStake {
                failures.append(PolicyFailure(.equivocationClaimMismatch,
                                              "the evidence claims \(doubleSigners.count) double signers with \(doubleSignedStake) stake; the certificates show \(signers.count) with \(stake)"))
            }
        }
        return failures
    }

    private static func analyse(_ first: QuorumCertificate<Profile>, _ second: QuorumCertificate<Profile>,
                                _ table: StakeTable<Profile.Key>, _ profile: Profile, _ threshold: QuorumThreshold,
                                _ workers: Int) -> Result<([Profile.Key], UInt256), Rejection> {
        var failures: [PolicyFailure] = []
        let a = first.statement, b = second.statement
        if a.networkID != b.networkID || a.epoch != b.epoch || a.height != b.height || a.view != b.view {
            failures.append(PolicyFailure(.equivocationDifferentSlot,
                                          "the certificates are for (\(a.networkID), \(a.epoch), \(a.height), \(a.view)) and (\(b.networkID), \(b.epoch), \(b.height), \(b.view))"))
        }
        if a.blockCommitment == b.blockCommitment {
            failures.append(PolicyFailure(.equivocationSameBlock, "both certificates are for block \(a.blockCommitment)"))
        }
        let verifier = QuorumVerifier(profile: profile, workers: workers) {
            threshold
            EpochMatches()
        }
        var verified: [VerifiedCertificate<Profile>] = []
        for (label, certificate) in [("first", first), ("second", second)] {
            switch verifier.verify(certificate, against: table, mode: .full) {
            case .verified(let v):
                verified.append(v)
            case .rejected(let reasons):
                failures.append(PolicyFailure(.equivocationInvalidCertificate,
                                              "the \(label) certificate does not verify: \(reasons.map(\.code.rawValue).joined(separator: ", "))"))
            }
        }
        guard failures.isEmpty, verified.count == 2 else { return .failure(Rejection(failures: failures)) }
        let both = Set(verified[0].signerIndices).intersection(verified[1].signerIndices).sorted()
        guard !both.isEmpty else {
            return .failure(Rejection(failures: [PolicyFailure(.equivocationNoDoubleSigners,
                                                               "no validator signed both certificates")]))
        }
        var stake = UInt256.zero
        for index in both {
            // Distinct entries of a table whose total fits in 256 bits: cannot overflow.
            stake = stake.addingReportingOverflow(table.stakes[index]).partialValue
        }
        return .success((both.map { table.entries[$0].key }, stake))
    }
}

extension ConfirmationError.Code {
    /// The two certificates are not for the same network, epoch, height and view.
    public static let equivocationDifferentSlot = Self("equivocation.different-slot")
    /// The two certificates are for the same block: no conflict.
    public static let equivocationSameBlock = Self("equivocation.same-block")
    /// One of the certificates does not verify in full mode.
    public static let equivocationInvalidCertificate = Self("equivocation.invalid-certificate")
    /// No validator has a valid signature in both certificates.
    public static let equivocationNoDoubleSigners = Self("equivocation.no-double-signers")
    /// The evidence's claimed double signers or stake differ from what its certificates show.
    public static let equivocationClaimMismatch = Self("equivocation.claim-mismatch")
    /// The evidence's stake table is not the one the verifier trusts for that epoch.
    public static let equivocationTableMismatch = Self("equivocation.table-mismatch")
}
