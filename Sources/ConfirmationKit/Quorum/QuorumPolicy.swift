/// One rule a certificate failed, with a stable code.
///
/// Codes share the namespace of ``ConfirmationError/Code`` and appear unchanged in the
/// published vectors and in `confirm quorum verify --json`.
public struct PolicyFailure: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The stable code, e.g. `quorum.threshold-not-met`.
    public let code: ConfirmationError.Code
    /// What exactly failed.
    public let reason: String
    /// The stake-table index of the signer concerned, when the failure is about one signer.
    public let signerIndex: Int?

    /// Creates a failure.
    public init(_ code: ConfirmationError.Code, _ reason: String, signerIndex: Int? = nil) {
        self.code = code
        self.reason = reason
        self.signerIndex = signerIndex
    }

    /// `code: reason`.
    public var description: String { "\(code): \(reason)" }
}

/// A policy's answer.
public enum PolicyResult: Sendable, Hashable {
    /// The certificate meets the policy.
    case meetsPolicy
    /// The certificate fails the policy, for these reasons.
    case failsToMeetPolicy([PolicyFailure])
}

/// What the verifier established about a certificate, handed to each policy.
///
/// By the time policies run, the signer set has been resolved against the table and the
/// signatures the mode required have been checked: ``signedStake`` counts only signers whose
/// signature verified.
public struct CertificateFacts<Profile: QuorumProfile>: Sendable {
    /// The certified statement.
    public let statement: Profile.Statement
    /// The stake table the certificate was checked against.
    public let table: StakeTable<Profile.Key>
    /// The stake-table indices of every listed signer that is in the table, ascending.
    public let listedSignerIndices: [Int]
    /// The stake-table indices of the signers whose signatures verified, ascending.
    public let verifiedSignerIndices: [Int]
    /// The stake of the verified signers.
    public let signedStake: UInt256
}

/// A rule a certificate must meet, evaluated after signature checks.
///
/// Policies never throw; they report every reason they fail. Compose them with
/// ``QuorumPolicyBuilder`` (the verifier stays generic over the composition, no type erasure):
///
/// ```swift
/// let verifier = QuorumVerifier(profile: Secp256k1QuorumProfile()) {
///     QuorumThreshold.twoThirds
///     EpochMatches()
///     NetworkMatches(NetworkID("eip155:31337"))
///     NotOlderThan(seconds: 60, now: nowSeconds)
///     SignatureRules(allowHighS: false)
/// }
/// ```
public protocol QuorumPolicy: Sendable {
    /// Judges the certificate.
    func evaluate<Profile: QuorumProfile>(_ facts: CertificateFacts<Profile>) -> PolicyResult

    /// Whether `signedStake` out of `totalStake` is enough for this policy; `nil` for policies that
    /// are not about stake. Threshold-mode verification stops as soon as this holds. A composition
    /// in which no policy has an opinion certifies nothing (`quorum.no-threshold`).
    func isStakeSufficient(_ signedStake: UInt256, of totalStake: UInt256) -> Bool?

    /// Whether high-S ECDSA signatures are acceptable: `nil` when the policy has no opinion.
    /// The verifier refuses high-S unless some policy allows it and none forbids it.
    var allowsHighS: Bool? { get }
}

extension QuorumPolicy {
    public func isStakeSufficient(_ signedStake: UInt256, of totalStake: UInt256) -> Bool? { nil }
    public var allowsHighS: Bool? { nil }
}

// MARK: - Threshold

/// The stake that must sign: a fraction of the total (exact integer arithmetic) or an absolute amount.
///
/// - ``twoThirds`` (the default): strictly more than 2/3 of the total, `signed × 3 > total × 2`.
///   This is the same set of outcomes as Espresso's `signed ≥ ⌊total × 2/3⌋ + 1` and CometBFT's
///   `+2/3`: exactly 2/3 is not enough, one unit more is.
/// - ``moreThan(_:_:)``, ``atLeast(_:_:)``: other fractions, strict or not.
/// - ``atLeast(stake:)``: an absolute amount, as EigenLayer's `ECDSAStakeRegistry` threshold weight.
///
/// ```swift
/// QuorumThreshold.twoThirds
/// try QuorumThreshold.atLeast(1, 2)                       // ≥ 50 %
/// QuorumThreshold.atLeast(stake: UInt256(1_000_000))      // absolute
/// ```
public struct QuorumThreshold: QuorumPolicy, Hashable {
    /// How the threshold is expressed.
    public enum Rule: Hashable, Sendable {
        /// `signed / total > numerator / denominator`.
        case fractionExceeding(numerator: UInt64, denominator: UInt64)
        /// `signed / total ≥ numerator / denominator`.
        case fractionAtLeast(numerator: UInt64, denominator: UInt64)
        /// `signed ≥ amount`.
        case absolute(UInt256)
    }

    /// The rule.
    public let rule: Rule

    /// Strictly more than two thirds of the total stake.
    public static let twoThirds = QuorumThreshold(rule: .fractionExceeding(numerator: 2, denominator: 3))

    private init(rule: Rule) { self.rule = rule }

    /// Strictly more than `numerator / denominator` of the total stake.
    /// - Throws: ``ConfirmationError`` `quorum.invalid-threshold` unless `0 ≤ numerator < denominator`.
    public static func moreThan(_ numerator: UInt64, _ denominator: UInt64) throws -> QuorumThreshold {
        guard denominator > 0, numerator < denominator else {
            throw ConfirmationError(.quorumInvalidThreshold, "a fraction threshold needs 0 ≤ numerator < denominator")
        }
        return QuorumThreshold(rule: .fractionExceeding(numerator: numerator, denominator: denominator))
    }

    /// At least `numerator / denominator` of the total stake.
    /// - Throws: ``ConfirmationError`` `quorum.invalid-threshold` unless `0 < numerator ≤ denominator`.
    public static func atLeast(_ numerator: UInt64, _ denominator: UInt64) throws -> QuorumThreshold {
        guard denominator > 0, numerator > 0, numerator <= denominator else {
            throw ConfirmationError(.quorumInvalidThreshold, "a fraction threshold needs 0 < numerator ≤ denominator")
        }
        return QuorumThreshold(rule: .fractionAtLeast(numerator: numerator, denominator: denominator))
    }

    /// At least `stake` signed, whatever the total (an absolute threshold). A zero amount is
    /// treated as 1, so that a certificate nobody signed never passes.
    public static func atLeast(stake: UInt256) -> QuorumThreshold {
        QuorumThreshold(rule: .absolute(stake.isZero ? UInt256(1) : stake))
    }

    public func isStakeSufficient(_ signedStake: UInt256, of totalStake: UInt256) -> Bool? {
        // An empty or zero-stake table never certifies anything.
        guard !totalStake.isZero, !signedStake.isZero else { return false }
        switch rule {
        case .fractionExceeding(let n, let d):
            return UInt256.compareProducts(signedStake, d, totalStake, n) > 0
        case .fractionAtLeast(let n, let d):
            return UInt256.compareProducts(signedStake, d, totalStake, n) >= 0
        case .absolute(let amount):
            return signedStake >= amount
        }
    }

    public func evaluate<Profile: QuorumProfile>(_ facts: CertificateFacts<Profile>) -> PolicyResult {
        if isStakeSufficient(facts.signedStake, of: facts.table.totalStake) == true { return .meetsPolicy }
        return .failsToMeetPolicy([PolicyFailure(
            .quorumThresholdNotMet,
            "verified signers hold \(facts.signedStake) of \(facts.table.totalStake) stake; \(self) required")])
    }
}

extension QuorumThreshold: CustomStringConvertible {
    /// `more than 2/3 of the total`, `at least 1000`…
    public var description: String {
        switch rule {
        case .fractionExceeding(let n, let d): "more than \(n)/\(d) of the total"
        case .fractionAtLeast(let n, let d): "at least \(n)/\(d) of the total"
        case .absolute(let amount): "at least \(amount)"
        }
    }
}

// MARK: - Statement policies

/// The certificate's epoch equals the stake table's epoch.
public struct EpochMatches: QuorumPolicy, Hashable {
    /// Creates the policy.
    public init() {}

    public func evaluate<Profile: QuorumProfile>(_ facts: CertificateFacts<Profile>) -> PolicyResult {
        if facts.statement.epoch == facts.table.epoch { return .meetsPolicy }
        return .failsToMeetPolicy([PolicyFailure(
            .quorumEpochMismatch, "the certificate is for epoch \(facts.statement.epoch), the table for epoch \(facts.table.epoch)")])
    }
}

/// The certificate is for the expected network.
public struct NetworkMatches: QuorumPolicy, Hashable {
    /// The network the caller expects.
    public let network: NetworkID

    /// Creates the policy.
    public init(_ network: NetworkID) { self.network = network }

    public func evaluate<Profile: QuorumProfile>(_ facts: CertificateFacts<Profile>) -> PolicyResult {
        if facts.statement.networkID == network { return .meetsPolicy }
        return .failsToMeetPolicy([PolicyFailure(
            .quorumNetworkMismatch, "the certificate is for network \(facts.statement.networkID), expected \(network)")])
    }
}

/// The certificate's signed timestamp is at most `seconds` before `now`, and not after
/// `now + allowedClockSkew`. The time is an argument: the library never reads a clock.
public struct NotOlderThan: QuorumPolicy, Hashable {
    /// The greatest acceptable age in seconds.
    public let seconds: UInt64
    /// The verification time, seconds since the Unix epoch.
    public let now: UInt64
    /// How far in the future a timestamp may be, for clock differences.
    public let allowedClockSkew: UInt64

    /// Creates the policy.
    /// - Parameters:
    ///   - seconds: the greatest acceptable age.
    ///   - now: the verification time in seconds since the Unix epoch.
    ///   - allowedClockSkew: tolerance for timestamps ahead of `now` (default 15 s).
    public init(seconds: UInt64, now: UInt64, allowedClockSkew: UInt64 = 15) {
        self.seconds = seconds
        self.now = now
        self.allowedClockSkew = allowedClockSkew
    }

    public func evaluate<Profile: QuorumProfile>(_ facts: CertificateFacts<Profile>) -> PolicyResult {
        guard let timestamp = facts.statement.signedTime else {
            return .failsToMeetPolicy([PolicyFailure(.quorumMissingTimestamp, "the statement carries no signed time")])
        }
        if timestamp > now {
            let ahead = timestamp - now
            if ahead > allowedClockSkew {
                return .failsToMeetPolicy([PolicyFailure(
                    .quorumCertificateFromFuture, "the certificate is dated \(ahead) s after the verification time")])
            }
            return .meetsPolicy
        }
        let age = now - timestamp
        if age <= seconds { return .meetsPolicy }
        return .failsToMeetPolicy([PolicyFailure(
            .quorumCertificateTooOld, "the certificate is \(age) s old; at most \(seconds) s accepted")])
    }
}

/// Every listed signer's key is of an allowed type.
public struct AllowedKeyTypes: QuorumPolicy, Hashable {
    /// The accepted key types.
    public let types: Set<KeyType>

    /// Creates the policy.
    public init(_ types: Set<KeyType>) { self.types = types }

    public func evaluate<Profile: QuorumProfile>(_ facts: CertificateFacts<Profile>) -> PolicyResult {
        var failures: [PolicyFailure] = []
        for index in facts.listedSignerIndices {
            guard let entry = facts.table.entry(at: index), !types.contains(entry.key.keyType) else { continue }
            failures.append(PolicyFailure(
                .quorumKeyTypeNotAllowed, "signer \(entry.key) has key type \(entry.key.keyType)", signerIndex: index))
        }
        return failures.isEmpty ? .meetsPolicy : .failsToMeetPolicy(failures)
    }
}

/// ECDSA signature rules: whether a signature with `s > n/2` counts.
///
/// The verifier refuses high-S signatures (code `quorum.signature-high-s`) unless a
/// `SignatureRules(allowHighS: true)` is among the policies.
public struct SignatureRules: QuorumPolicy, Hashable {
    /// Whether high-S signatures are accepted.
    public let allowHighS: Bool

    /// Creates the policy.
    public init(allowHighS: Bool) { self.allowHighS = allowHighS }

    public var allowsHighS: Bool? { allowHighS }

    public func evaluate<Profile: QuorumProfile>(_ facts: CertificateFacts<Profile>) -> PolicyResult { .meetsPolicy }
}

// MARK: - Composition

/// Two policies that must both hold.
public struct BothPolicies<First: QuorumPolicy, Second: QuorumPolicy>: QuorumPolicy {
    let first: First
    let second: Second

    public func evaluate<Profile: QuorumProfile>(_ facts: CertificateFacts<Profile>) -> PolicyResult {
        switch (first.evaluate(facts), second.evaluate(facts)) {
        case (.meetsPolicy, .meetsPolicy): .meetsPolicy
        case (.failsToMeetPolicy(let a), .meetsPolicy): .failsToMeetPolicy(a)
        case (.meetsPolicy, .failsToMeetPolicy(let b)): .failsToMeetPolicy(b)
        case (.failsToMeetPolicy(let a), .failsToMeetPolicy(let b)): .failsToMeetPolicy(a + b)
        }
    }

    public func isStakeSufficient(_ signedStake: UInt256, of totalStake: UInt256) -> Bool? {
        switch (first.isStakeSufficient(signedStake, of: totalStake), second.isStakeSufficient(signedStake, of: totalStake)) {
        case (nil, let b): b
        case (let a, nil): a
        case (let a?, let b?): a && b
        }
    }

    public var allowsHighS: Bool? {
        switch (first.allowsHighS, second.allowsHighS) {
        case (nil, let b): b
        case (let a, nil): a
        case (let a?, let b?): a && b
        }
    }
}

/// A policy present only under a condition (`if` in a ``QuorumPolicyBuilder`` block).
public struct OptionalPolicy<Wrapped: QuorumPolicy>: QuorumPolicy {
    let wrapped: Wrapped?

    public func evaluate<Profile: QuorumProfile>(_ facts: CertificateFacts<Profile>) -> PolicyResult {
        wrapped?.evaluate(facts) ?? .meetsPolicy
    }

    public func isStakeSufficient(_ signedStake: UInt256, of totalStake: UInt256) -> Bool? {
        wrapped?.isStakeSufficient(signedStake, of: totalStake)
    }

    public var allowsHighS: Bool? { wrapped?.allowsHighS }
}

/// One of two policies (`if`/`else` in a ``QuorumPolicyBuilder`` block).
public enum EitherPolicy<First: QuorumPolicy, Second: QuorumPolicy>: QuorumPolicy {
    case first(First)
    case second(Second)

    public func evaluate<Profile: QuorumProfile>(_ facts: CertificateFacts<Profile>) -> PolicyResult {
        switch self {
        case .first(let p): p.evaluate(facts)
        case .second(let p): p.evaluate(facts)
        }
    }

    public func isStakeSufficient(_ signedStake: UInt256, of totalStake: UInt256) -> Bool? {
        switch self {
        case .first(let p): p.isStakeSufficient(signedStake, of: totalStake)
        case .second(let p): p.isStakeSufficient(signedStake, of: totalStake)
        }
    }

    public var allowsHighS: Bool? {
        switch self {
        case .first(let p): p.allowsHighS
        case .second(let p): p.allowsHighS
        }
    }
}

/// No rule at all (an empty builder block).
public struct NoPolicy: QuorumPolicy, Hashable {
    /// Creates the empty policy.
    public init() {}
    public func evaluate<Profile: QuorumProfile>(_ facts: CertificateFacts<Profile>) -> PolicyResult { .meetsPolicy }
}

/// Builds a composition of policies that must all hold, statically typed.
@resultBuilder
public enum QuorumPolicyBuilder {
    public static func buildBlock() -> NoPolicy { NoPolicy() }

    public static func buildPartialBlock<P: QuorumPolicy>(first: P) -> P { first }

    public static func buildPartialBlock<A: QuorumPolicy, B: QuorumPolicy>(accumulated: A, next: B) -> BothPolicies<A, B> {
        BothPolicies(first: accumulated, second: next)
    }

    public static func buildOptional<P: QuorumPolicy>(_ component: P?) -> OptionalPolicy<P> {
        OptionalPolicy(wrapped: component)
    }

    public static func buildEither<A: QuorumPolicy, B: QuorumPolicy>(first component: A) -> EitherPolicy<A, B> {
        .first(component)
    }

    public static func buildEither<A: QuorumPolicy, B: QuorumPolicy>(second component: B) -> EitherPolicy<A, B> {
        .second(component)
    }
}

extension ConfirmationError.Code {
    // Policy rules.
    /// The verified signers' stake is below the threshold.
    public static let quorumThresholdNotMet = Self("quorum.threshold-not-met")
    /// The certificate's epoch is not the stake table's epoch.
    public static let quorumEpochMismatch = Self("quorum.epoch-mismatch")
    /// The certificate is for another network.
    public static let quorumNetworkMismatch = Self("quorum.network-mismatch")
    /// The certificate is older than the policy accepts.
    public static let quorumCertificateTooOld = Self("quorum.certificate-too-old")
    /// The certificate is dated after the verification time (beyond the allowed skew).
    public static let quorumCertificateFromFuture = Self("quorum.certificate-from-future")
    /// An age policy applies but the statement has no signed time.
    public static let quorumMissingTimestamp = Self("quorum.missing-timestamp")
    /// A signer's key type is not allowed.
    public static let quorumKeyTypeNotAllowed = Self("quorum.key-type-not-allowed")
    /// No policy of the verifier sets a stake threshold, so nothing can be certified.
    public static let quorumNoThreshold = Self("quorum.no-threshold")
    /// A threshold was configured with an impossible fraction.
    public static let quorumInvalidThreshold = Self("quorum.invalid-threshold")
}
