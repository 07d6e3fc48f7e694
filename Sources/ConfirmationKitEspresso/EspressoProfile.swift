public import ConfirmationKit

/// The statement a HotShot QC certifies, in the core model's terms.
///
/// The signed message is not a field: it is recomputed from ``data`` and ``view`` (the vote
/// commitment), so a certificate cannot carry a message that differs from what it claims to certify.
public struct HotShotStatement: CertifiedStatement {
    /// The quorum data.
    public var data: HotShotQuorumData
    /// The view.
    public var view: UInt64
    /// The epoch whose table signs: the data's epoch, plus one for a next-epoch certificate.
    public var epoch: UInt64

    /// Creates a statement.
    public init(data: HotShotQuorumData, view: UInt64, epoch: UInt64) {
        self.data = data
        self.view = view
        self.epoch = epoch
    }

    /// `espresso`: a QC signs no network id; the stake table identifies the network.
    public var networkID: NetworkID { EspressoProfile.network }
    /// The block number (0 before epochs, when the data has none).
    public var height: UInt64 { data.blockNumber ?? 0 }
    /// The certified leaf commitment.
    public var blockCommitment: Bytes32 { data.leafCommit.bytes }
    /// HotShot certificates sign no time.
    public var signedTime: UInt64? { nil }
}

/// Espresso HotShot quorum certificates in the core model: BLS over BN254 (keys in G2), one aggregate
/// signature over the vote commitment, signers as a bit vector over the epoch's stake table.
///
/// ```swift
/// let verifier = QuorumVerifier(profile: EspressoProfile()) { EspressoSupermajority(); EpochMatches() }
/// ```
public struct EspressoProfile: QuorumProfile {
    public typealias Key = EspressoStakeKey
    public typealias Statement = HotShotStatement
    public typealias Signature = HotShotAggregateSignature
    public typealias Message = [UInt8]

    /// Creates the profile.
    public init() {}

    /// `espresso-hotshot-bls-bn254-v1`.
    public static var name: String { "espresso-hotshot-bls-bn254-v1" }
    /// A bit vector over the table.
    public static var signerEncoding: SignerEncoding { .bitmap }
    /// One aggregate signature.
    public static var usesAggregateSignatures: Bool { true }
    /// The network id of statements.
    public static let network = NetworkID("espresso")

    /// The 32-byte vote commitment recomputed from the statement.
    public func message(for statement: HotShotStatement) -> [UInt8] {
        statement.data.voteCommitment(view: statement.view).bytes.bytes
    }

    /// `e(σ, −g2) · e(H(m ‖ CS_ID), Σ vk_i) = 1`, one multi-pairing.
    public func checkAggregateSignature(_ signature: HotShotAggregateSignature, by keys: [EspressoStakeKey],
                                        message: [UInt8]) -> SignatureCheck {
        EspressoBLS.verify(signature.signature, message: message, aggregateOf: keys.lazy.map(\.key)) ? .valid : .invalid
    }
}

/// Espresso's supermajority: signed stake ≥ `total·2/3 + 1` in 256-bit arithmetic, or
/// `(total/3)·2 + 2` when `total ≥ 2²⁵⁵ − 1` (where `total·2` would overflow), as
/// `supermajority_threshold` in `espresso-network` computes it.
///
/// For totals below `2²⁵⁵ − 1` this is the same set of outcomes as the core's
/// ``QuorumThreshold/twoThirds`` (`signed·3 > total·2`); above, Espresso's rounding asks up to one
/// unit more, and this policy follows Espresso.
public struct EspressoSupermajority: QuorumPolicy, Hashable {
    /// Creates the policy.
    public init() {}

    /// The least stake that certifies, for a table of `total`.
    public static func threshold(total: UInt256) -> UInt256 {
        let half = UInt256.max.quotientAndRemainder(dividingBy: 2).quotient
        if total < half {
            // total·2 < 2²⁵⁶ − 1: no overflow; the +1 cannot overflow either.
            let doubled = total.multipliedFullWidth(by: 2).low
            return doubled.quotientAndRemainder(dividingBy: 3).quotient.addingReportingOverflow(UInt256(1)).partialValue
        }
        let third = total.quotientAndRemainder(dividingBy: 3).quotient
        // third ≤ (2²⁵⁶−1)/3, so third·2 + 2 < 2²⁵⁶.
        return third.multipliedFullWidth(by: 2).low.addingReportingOverflow(UInt256(2)).partialValue
    }

    public func isStakeSufficient(_ signedStake: UInt256, of totalStake: UInt256) -> Bool? {
        guard !totalStake.isZero, !signedStake.isZero else { return false }
        return signedStake >= Self.threshold(total: totalStake)
    }

    public func evaluate<Profile: QuorumProfile>(_ facts: CertificateFacts<Profile>) -> PolicyResult {
        if isStakeSufficient(facts.signedStake, of: facts.table.totalStake) == true { return .meetsPolicy }
        return .failsToMeetPolicy([PolicyFailure(
            .quorumThresholdNotMet,
            "signers hold \(facts.signedStake) of \(facts.table.totalStake) stake; at least \(Self.threshold(total: facts.table.totalStake)) required")])
    }
}

/// The answer of ``HotShotCertificateVerifier``.
public enum HotShotVerdict: Sendable, Hashable {
    /// The genesis certificate: view 0, no signatures, accepted without a check.
    case genesis
    /// Every rule passed.
    case verified(VerifiedCertificate<EspressoProfile>)
    /// The rules that failed, in order.
    case rejected([PolicyFailure])

    /// Whether the certificate is accepted (genesis or verified).
    public var isAccepted: Bool {
        if case .rejected = self { return false }
        return true
    }

    /// The failures (empty when accepted).
    public var failures: [PolicyFailure] {
        if case .rejected(let f) = self { return f }
        return []
    }
}

/// Verifies HotShot QCs through the core ``QuorumVerifier``.
///
/// Rules, in order (codes in `Docs/espresso.md`):
/// 1. No signatures: accepted only as the genesis certificate (view 0), else `espresso.unsigned-certificate`.
/// 2. The stated vote commitment equals the one recomputed from data and view (`espresso.vote-commitment-mismatch`).
/// 3. The core rules with ``EspressoSupermajority`` and ``EpochMatches``: the bit vector covers the table
///    exactly, the signers' stake meets the threshold, the aggregate signature verifies under the sum of
///    their keys (one multi-pairing), and the table is the certificate's epoch's.
///
/// ```swift
/// let verdict = HotShotCertificateVerifier(epochHeight: 10).verify(qc, against: table)
/// ```
public struct HotShotCertificateVerifier: Sendable {
    /// Blocks per epoch, to derive the epoch of certificates without one (0: no epochs).
    public let epochHeight: UInt64
    /// The core verifier.
    public let core: QuorumVerifier<EspressoProfile, BothPolicies<EspressoSupermajority, EpochMatches>>

    /// Creates a verifier.
    public init(epochHeight: UInt64) {
        self.epochHeight = epochHeight
        core = QuorumVerifier(profile: EspressoProfile()) {
            EspressoSupermajority()
            EpochMatches()
        }
    }

    /// The epoch whose table signs `qc`: its data's epoch (or the epoch of its block number), plus one
    /// when it is a next-epoch certificate.
    public func signingEpoch(of qc: HotShotCertificate, nextEpoch: Bool = false) -> UInt64 {
        let tables = EspressoEpochTables(epochHeight: epochHeight, genesis: [])
        let base = qc.data.epoch ?? tables.epoch(ofHeight: qc.data.blockNumber ?? 0)
        return nextEpoch ? base &+ 1 : base
    }

    /// The core model's certificate for `qc` (nil without signatures).
    public func coreCertificate(_ qc: HotShotCertificate, nextEpoch: Bool = false) -> QuorumCertificate<EspressoProfile>? {
        guard let signatures = qc.signatures else { return nil }
        return QuorumCertificate(statement: HotShotStatement(data: qc.data, view: qc.view, epoch: signingEpoch(of: qc, nextEpoch: nextEpoch)),
                                 signers: .bitmap(signatures.signers.bitmap), signatures: .aggregate(signatures.signature))
    }

    /// Verifies `qc` against `table`.
    /// - Parameters:
    ///   - qc: the certificate.
    ///   - table: the stake table of its signing epoch, in source order.
    ///   - nextEpoch: whether `qc` is a next-epoch certificate (signed by the following epoch's table).
    /// - Returns: the verdict; never throws, never traps.
    public func verify(_ qc: HotShotCertificate, against table: StakeTable<EspressoStakeKey>,
                       nextEpoch: Bool = false) -> HotShotVerdict {
        guard let certificate = coreCertificate(qc, nextEpoch: nextEpoch) else {
            if qc.view == 0 { return .genesis }
            return .rejected([PolicyFailure(.espressoUnsignedCertificate,
                                            "the certificate of view \(qc.view) has no signatures; only view 0 may")])
        }
        var failures: [PolicyFailure] = []
        let recomputed = qc.recomputedVoteCommitment
        if recomputed != qc.voteCommitment {
            failures.append(PolicyFailure(.espressoVoteCommitmentMismatch,
                                          "the certificate states vote commitment \(qc.voteCommitment); its data and view give \(recomputed)"))
        }
        switch core.verify(certificate, against: table, mode: .threshold) {
        case .verified(let verified):
            return failures.isEmpty ? .verified(verified) : .rejected(failures)
        case .rejected(let coreFailures):
            return .rejected(failures + coreFailures)
        }
    }
}

extension ConfirmationError.Code {
    /// A certificate's stated vote commitment is not the one its data and view give.
    public static let espressoVoteCommitmentMismatch = Self("espresso.vote-commitment-mismatch")
    /// A certificate other than the genesis one (view 0) has no signatures.
    public static let espressoUnsignedCertificate = Self("espresso.unsigned-certificate")
}
