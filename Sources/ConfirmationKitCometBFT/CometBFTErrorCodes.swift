public import ConfirmationKit

/// Stable error and failure codes of the CometBFT profile (see `Docs/cometbft-astria.md`).
extension ConfirmationError.Code {
    // Parsing (thrown: malformed input).
    /// Not JSON, or a member has the wrong type or is missing.
    public static let cometMalformedJSON = Self("cometbft.malformed-json")
    /// A timestamp is not RFC 3339, or lies outside years 0001-9999.
    public static let cometInvalidTime = Self("cometbft.invalid-time")
    /// A duration is negative or not decimal seconds.
    public static let cometInvalidDuration = Self("cometbft.invalid-duration")
    /// A list has more entries than allowed.
    public static let cometTooManyEntries = Self("cometbft.too-many-entries")
    /// `block_id_flag` is not 1, 2 or 3.
    public static let cometInvalidBlockIDFlag = Self("cometbft.invalid-block-id-flag")
    /// A key type other than Ed25519 or secp256k1.
    public static let cometUnsupportedKeyType = Self("cometbft.unsupported-key-type")
    /// A validator's address is not its key's address.
    public static let cometAddressMismatch = Self("cometbft.address-mismatch")
    /// A negative voting power.
    public static let cometNegativeVotingPower = Self("cometbft.negative-voting-power")
    /// The total voting power exceeds `MaxTotalVotingPower` (Int64.max / 8).
    public static let cometTotalVotingPowerOverflow = Self("cometbft.total-voting-power-overflow")
    /// Two validators share an address.
    public static let cometDuplicateValidator = Self("cometbft.duplicate-validator")
    /// More validators than `MaxVotesCount`.
    public static let cometTooManyValidators = Self("cometbft.too-many-validators")
    /// A `/validators` page that does not hold the whole set (`count` < `total`).
    public static let cometIncompleteValidatorSet = Self("cometbft.incomplete-validator-set")
    /// A trust level outside [1/3, 1].
    public static let cometInvalidTrustLevel = Self("cometbft.invalid-trust-level")
    /// A trusted state whose next validator set does not hash to its header's `next_validators_hash`.
    public static let cometInvalidTrustedState = Self("cometbft.invalid-trusted-state")

    // Verification failures (verdicts: well-formed input that does not verify).
    /// `Header.ValidateBasic` failed.
    public static let cometInvalidHeader = Self("cometbft.invalid-header")
    /// `Commit.ValidateBasic` failed.
    public static let cometInvalidCommit = Self("cometbft.invalid-commit")
    /// `CommitSig.ValidateBasic` failed.
    public static let cometInvalidCommitSig = Self("cometbft.invalid-commit-sig")
    /// The header is for another chain.
    public static let cometChainIDMismatch = Self("cometbft.chain-id-mismatch")
    /// The commit is for another height.
    public static let cometCommitHeightMismatch = Self("cometbft.commit-height-mismatch")
    /// The commit signs another block than this header.
    public static let cometCommitBlockMismatch = Self("cometbft.commit-block-mismatch")
    /// The commit does not have one slot per validator.
    public static let cometSignatureCountMismatch = Self("cometbft.signature-count-mismatch")
    /// The slot at index i is signed by another address than validator i.
    public static let cometValidatorAddressMismatch = Self("cometbft.validator-address-mismatch")
    /// A counted signature does not verify.
    public static let cometInvalidSignature = Self("cometbft.invalid-signature")
    /// A validator signed twice (trusting path).
    public static let cometDoubleVote = Self("cometbft.double-vote")
    /// Not more than 2/3 of the voting power signed.
    public static let cometInsufficientVotingPower = Self("cometbft.insufficient-voting-power")
    /// Not more than the trust level of the trusted validators signed (`ErrNewValSetCantBeTrusted`).
    public static let cometNotEnoughTrust = Self("cometbft.not-enough-trust")
    /// The trusted header is outside the trusting period.
    public static let cometTrustedHeaderExpired = Self("cometbft.trusted-header-expired")
    /// The new header's time is not before `now + clock drift`.
    public static let cometHeaderFromFuture = Self("cometbft.header-from-future")
    /// The new header is not higher than the trusted one.
    public static let cometNonIncreasingHeight = Self("cometbft.non-increasing-height")
    /// The new header's time is not after the trusted one's.
    public static let cometNonIncreasingTime = Self("cometbft.non-increasing-time")
    /// The validator set does not hash to `validators_hash`.
    public static let cometValidatorsHashMismatch = Self("cometbft.validators-hash-mismatch")
    /// The next validator set does not hash to `next_validators_hash`.
    public static let cometNextValidatorsHashMismatch = Self("cometbft.next-validators-hash-mismatch")
    /// Adjacent headers: `validators_hash` is not the trusted `next_validators_hash`.
    public static let cometAdjacentValidatorsMismatch = Self("cometbft.adjacent-validators-mismatch")
    /// An empty validator set (`ValidatorSet.ValidateBasic`).
    public static let cometEmptyValidatorSet = Self("cometbft.empty-validator-set")
    /// The named proposer is not in the set.
    public static let cometUnknownProposer = Self("cometbft.unknown-proposer")
    /// A light block lacks the validator set needed.
    public static let cometMissingValidatorSet = Self("cometbft.missing-validator-set")
}
