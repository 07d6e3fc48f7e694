public import ConfirmationKit
public import Foundation

/// The policies of one verification, as the CLI options and the vector files express them.
///
/// Every verification also applies ``EpochMatches``.
public struct QuorumPolicySpec: Codable, Sendable, Hashable {
    /// A threshold: `more-than` / `at-least` a fraction, or an `absolute` stake.
    public struct Threshold: Codable, Sendable, Hashable {
        /// `more-than`, `at-least` or `absolute`.
        public var kind: String
        /// The fraction's numerator (fraction kinds).
        public var numerator: UInt64?
        /// The fraction's denominator (fraction kinds).
        public var denominator: UInt64?
        /// The stake (absolute kind).
        public var stake: UInt256?

        /// Creates a threshold description.
        public init(kind: String, numerator: UInt64? = nil, denominator: UInt64? = nil, stake: UInt256? = nil) {
            self.kind = kind
            self.numerator = numerator
            self.denominator = denominator
            self.stake = stake
        }

        /// Strictly more than two thirds.
        public static let twoThirds = Threshold(kind: "more-than", numerator: 2, denominator: 3)

        /// The policy.
        /// - Throws: ``ConfirmationError`` `quorum.invalid-threshold`.
        public func make() throws -> QuorumThreshold {
            switch (kind, numerator, denominator, stake) {
            case ("more-than", let n?, let d?, nil): return try .moreThan(n, d)
            case ("at-least", let n?, let d?, nil): return try .atLeast(n, d)
            case ("absolute", nil, nil, let s?) where !s.isZero: return .atLeast(stake: s)
            default:
                throw ConfirmationError(.quorumInvalidThreshold,
                                        "a threshold is more-than/at-least with numerator and denominator, or absolute with a non-zero stake")
            }
        }
    }

    /// The stake threshold; `nil` means none (nothing can then be certified).
    public var threshold: Threshold?
    /// The network the certificate must be for.
    public var network: String?
    /// The verification time, seconds since the Unix epoch (needed by `maxAgeSeconds`).
    public var now: UInt64?
    /// The greatest certificate age in seconds.
    public var maxAgeSeconds: UInt64?
    /// Whether high-S signatures are accepted (`nil`: refused).
    public var allowHighS: Bool?
    /// The allowed key types (`nil`: any).
    public var allowedKeyTypes: [String]?

    /// Creates a spec (by default: more than 2/3, epoch must match).
    public init(threshold: Threshold? = .twoThirds, network: String? = nil, now: UInt64? = nil,
                maxAgeSeconds: UInt64? = nil, allowHighS: Bool? = nil, allowedKeyTypes: [String]? = nil) {
        self.threshold = threshold
        self.network = network
        self.now = now
        self.maxAgeSeconds = maxAgeSeconds
        self.allowHighS = allowHighS
        self.allowedKeyTypes = allowedKeyTypes
    }

    /// The verifier these policies describe.
    /// - Throws: ``ConfirmationError`` `quorum.invalid-threshold`, or `quorum.invalid-policy` when
    ///   `maxAgeSeconds` is given without `now`.
    public func verifier<Profile: QuorumProfile>(profile: Profile, workers: Int = 1)
        throws -> QuorumVerifier<Profile, some QuorumPolicy> {
        let threshold = try threshold?.make()
        if maxAgeSeconds != nil && now == nil {
            throw ConfirmationError(.quorumInvalidPolicy, "an age limit needs the verification time (now)")
        }
        let network = network.map(NetworkID.init)
        let age = maxAgeSeconds.flatMap { maxAge in now.map { NotOlderThan(seconds: maxAge, now: $0) } }
        let rules = allowHighS.map(SignatureRules.init(allowHighS:))
        let keyTypes = allowedKeyTypes.map { AllowedKeyTypes(Set($0.map(KeyType.init))) }
        return QuorumVerifier(profile: profile, workers: workers) {
            EpochMatches()
            if let threshold { threshold }
            if let network { NetworkMatches(network) }
            if let age { age }
            if let rules { rules }
            if let keyTypes { keyTypes }
        }
    }
}

/// The verdict as `confirm quorum verify --json` prints it and the vectors describe it.
public struct QuorumVerdictReport: Codable, Sendable, Hashable {
    /// Whether every rule passed.
    public var valid: Bool
    /// `threshold` or `full`.
    public var mode: VerificationMode
    /// The stake of the verified signers (valid only).
    public var signedStake: UInt256?
    /// The table's total stake.
    public var totalStake: UInt256
    /// The verified signers (valid only).
    public var signers: [String]?
    /// Signature checks made (valid only).
    public var signatureChecks: Int?
    /// The stake table's commitment.
    public var stakeTableCommitment: Bytes32
    /// Every failed rule (empty when valid).
    public var failures: [PolicyFailure]

    /// Describes a verdict.
    public init<Profile: QuorumProfile>(_ verdict: QuorumVerdict<Profile>, table: StakeTable<Profile.Key>,
                                        mode: VerificationMode) {
        self.mode = mode
        totalStake = table.totalStake
        stakeTableCommitment = table.commitment
        switch verdict {
        case .verified(let v):
            valid = true
            signedStake = v.signedStake
            signers = v.signers.map(\.description)
            signatureChecks = v.signatureChecks
            failures = []
        case .rejected(let f):
            valid = false
            failures = f
        }
    }
}

/// Decoding and verification entry points shared by the CLI, the vectors and the tests.
public enum QuorumJSON {
    /// Decodes `type` from JSON under `limits`, turning a shape error into `quorum.malformed-json`.
    /// - Throws: ``ConfirmationError`` with the decoder's own code, or `quorum.malformed-json`.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, limits: QuorumLimits = .standard) throws -> T {
        let decoder = JSONDecoder()
        decoder.userInfo[QuorumLimits.userInfoKey] = limits
        do {
            return try decoder.decode(type, from: data)
        } catch let error as ConfirmationError {
            throw error
        } catch let error as DecodingError {
            throw ConfirmationError(.quorumMalformedJSON, describe(error))
        } catch {
            throw ConfirmationError(.quorumMalformedJSON, "not valid JSON")
        }
    }

    /// Deterministic JSON (sorted keys, indented, final newline) for files a user reads.
    public static func encode(_ value: some Encodable) throws -> Data {
        try VectorJSON.encode(value)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(path(context)).\(key.stringValue)"
        case .typeMismatch(_, let context): return "wrong type at \(path(context))"
        case .valueNotFound(_, let context): return "missing value at \(path(context))"
        case .dataCorrupted(let context): return "malformed JSON at \(path(context))"
        @unknown default: return "malformed JSON"
        }
    }
}

extension ConfirmationError.Code {
    /// A quorum JSON document does not have the expected shape.
    public static let quorumMalformedJSON = Self("quorum.malformed-json")
    /// A verification policy is incomplete (an age limit without a verification time).
    public static let quorumInvalidPolicy = Self("quorum.invalid-policy")
}
