public import ConfirmationKit

/// The light client's answer for one untrusted block (`light.Verify`), with the three outcomes the
/// model-based tests use.
public enum CometBFTVerdict: Sendable, Hashable {
    /// The untrusted block is now trusted.
    case success
    /// Not enough of the trusted validators signed (`ErrNewValSetCantBeTrusted`): bisect to a closer height.
    case notEnoughTrust(PolicyFailure)
    /// The block is invalid or cannot be verified at all (`ErrInvalidHeader`, expired trust, future header…).
    case invalid(PolicyFailure)

    /// `"success"`, `"notEnoughTrust"` or `"invalid"`.
    public var name: String {
        switch self {
        case .success: "success"
        case .notEnoughTrust: "notEnoughTrust"
        case .invalid: "invalid"
        }
    }

    /// The failure, if any.
    public var failure: PolicyFailure? {
        switch self {
        case .success: nil
        case .notEnoughTrust(let f), .invalid(let f): f
        }
    }
}

/// The light client's options.
public struct CometBFTVerificationOptions: Sendable, Hashable {
    /// The trust level for skipping verification (default 1/3).
    public var trustLevel: CometBFTTrustLevel
    /// How long a trusted header stays trusted; must be shorter than the unbonding period minus the
    /// time needed to detect and punish misbehaviour.
    public var trustingPeriod: CometBFTDuration
    /// How far ahead of `now` a header's time may be (default 10 s).
    public var clockDrift: CometBFTDuration

    /// Makes options.
    public init(trustLevel: CometBFTTrustLevel = .oneThird, trustingPeriod: CometBFTDuration,
                clockDrift: CometBFTDuration = .defaultClockDrift) {
        self.trustLevel = trustLevel
        self.trustingPeriod = trustingPeriod
        self.clockDrift = clockDrift
    }
}

/// A trusted light block: a header whose next validator set is known to be right.
///
/// The set that signs height `h + 1` is the next validator set of `h`, so skipping verification counts
/// the trust level against ``nextValidators`` (as tendermint-rs does, and as the model-based fixtures
/// require; Go's `VerifyNonAdjacent` is handed the trusted height's own set).
public struct CometBFTTrustedState: Sendable, Hashable {
    /// The trusted signed header.
    public let signedHeader: CometBFTSignedHeader
    /// The validator set of the trusted height, when known.
    public let validators: CometBFTValidatorSet?
    /// The validator set of the next height; hashes to the header's `next_validators_hash`.
    public let nextValidators: CometBFTValidatorSet

    /// Trusts a light block (a trust anchor obtained out of band, or a block that verified).
    /// - Throws: ``ConfirmationError`` `cometbft.invalid-trusted-state` when the next validator set
    ///   is missing or does not hash to `next_validators_hash`, or the validator set does not hash
    ///   to `validators_hash`.
    public init(_ block: CometBFTLightBlock) throws {
        guard let next = block.nextValidatorSet else {
            throw ConfirmationError(.cometInvalidTrustedState, "a trusted light block needs its next validator set")
        }
        guard next.basicValidationFailure() == nil, next.hash().bytes == block.header.nextValidatorsHash else {
            throw ConfirmationError(.cometInvalidTrustedState, "the next validator set does not hash to next_validators_hash")
        }
        if let vals = block.validatorSet, vals.hash().bytes != block.header.validatorsHash {
            throw ConfirmationError(.cometInvalidTrustedState, "the validator set does not hash to validators_hash")
        }
        signedHeader = block.signedHeader
        validators = block.validatorSet
        nextValidators = next
    }

    /// The trusted header.
    public var header: CometBFTHeader { signedHeader.header }
}

/// CometBFT's light-client verification (`light/verifier.go`), time passed in.
///
/// ```swift
/// let verifier = CometBFTLightVerifier(options: .init(trustingPeriod: try .init(seconds: "1209600")))
/// var cache = CometBFTSignatureCache()
/// switch verifier.verify(untrusted, trusted: state, now: now, cache: &cache) {
/// case .success: state = try CometBFTTrustedState(untrusted)
/// case .notEnoughTrust: break   // bisect
/// case .invalid(let failure): print(failure)
/// }
/// ```
///
/// Order of checks (the first failure is the verdict): trusted header not expired
/// (`trusted.time + period > now`); `SignedHeader.ValidateBasic` against the trusted chain id;
/// height strictly increasing; time strictly increasing; `time < now + drift`; validator set
/// hashes to `validators_hash` and the next set (if given) to `next_validators_hash`. Then for
/// height `trusted + 1`: `validators_hash == trusted.next_validators_hash` and +2/3 of the new set
/// signed. For any other height: more than the trust level of the trusted next set signed (else
/// ``CometBFTVerdict/notEnoughTrust(_:)``), then +2/3 of the new set signed.
public struct CometBFTLightVerifier: Sendable {
    /// The options.
    public let options: CometBFTVerificationOptions

    /// Makes a verifier.
    public init(options: CometBFTVerificationOptions) {
        self.options = options
    }

    /// Whether `trusted` is still within the trusting period at `now` (`!HeaderExpired`).
    public func isWithinTrustingPeriod(_ trusted: CometBFTHeader, now: CometBFTTime) -> Bool {
        trusted.time.adding(options.trustingPeriod) > now
    }

    /// `light.Verify`: adjacent or non-adjacent verification by height.
    public func verify(_ untrusted: CometBFTLightBlock, trusted: CometBFTTrustedState, now: CometBFTTime,
                       cache: inout CometBFTSignatureCache) -> CometBFTVerdict {
        let trustedHeader = trusted.header
        guard isWithinTrustingPeriod(trustedHeader, now: now) else {
            return .invalid(PolicyFailure(.cometTrustedHeaderExpired,
                                          "the trusted header (\(trustedHeader.time)) expired before \(now)"))
        }
        let header = untrusted.header
        if let failure = untrusted.signedHeader.basicValidationFailure(chainID: trustedHeader.chainID) {
            return .invalid(failure)
        }
        guard header.height > trustedHeader.height else {
            return .invalid(PolicyFailure(.cometNonIncreasingHeight,
                                          "height \(header.height) is not above the trusted height \(trustedHeader.height)"))
        }
        guard header.time > trustedHeader.time else {
            return .invalid(PolicyFailure(.cometNonIncreasingTime,
                                          "time \(header.time) is not after the trusted time \(trustedHeader.time)"))
        }
        guard header.time < now.adding(options.clockDrift) else {
            return .invalid(PolicyFailure(.cometHeaderFromFuture,
                                          "time \(header.time) is not before now (\(now)) + drift \(options.clockDrift)"))
        }
        guard let validators = untrusted.validatorSet else {
            return .invalid(PolicyFailure(.cometMissingValidatorSet, "the light block has no validator set"))
        }
        if let failure = validators.basicValidationFailure() { return .invalid(failure) }
        guard validators.hash().bytes == header.validatorsHash else {
            return .invalid(PolicyFailure(.cometValidatorsHashMismatch, "the validator set does not hash to validators_hash"))
        }
        if let next = untrusted.nextValidatorSet, let failure = next.basicValidationFailure() {
            return .invalid(failure)
        }
        if let next = untrusted.nextValidatorSet, next.hash().bytes != header.nextValidatorsHash {
            return .invalid(PolicyFailure(.cometNextValidatorsHashMismatch,
                                          "the next validator set does not hash to next_validators_hash"))
        }
        let commit = untrusted.signedHeader.commit
        if header.height != trustedHeader.height + 1 {
            // Non-adjacent: enough of the validators we trust must have signed.
            let trusting = CometBFTCommitVerifier.verifyCommitLightTrusting(
                chainID: trustedHeader.chainID, validators: trusted.nextValidators, commit: commit,
                trustLevel: options.trustLevel, cache: &cache)
            switch trusting {
            case .verified: break
            case .insufficientPower(let failure, _): return .notEnoughTrust(failure)
            case .invalid(let failure): return .invalid(failure)
            }
        } else if header.validatorsHash != trustedHeader.nextValidatorsHash {
            return .invalid(PolicyFailure(.cometAdjacentValidatorsMismatch,
                                          "validators_hash is not the trusted header's next_validators_hash"))
        }
        // Last, as in CometBFT: the untrusted set may be inflated to make this expensive.
        let light = CometBFTCommitVerifier.verifyCommitLight(
            chainID: trustedHeader.chainID, validators: validators, blockID: commit.blockID, height: header.height,
            commit: commit, cache: &cache)
        if let failure = light.failure { return .invalid(failure) }
        return .success
    }
}
