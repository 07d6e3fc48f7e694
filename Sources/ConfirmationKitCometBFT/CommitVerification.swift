public import ConfirmationKit
internal import Dispatch

/// A trust level: the fraction of the trusted voting power that must have signed a new header
/// for skipping verification (`light.DefaultTrustLevel` is 1/3; `ValidateTrustLevel` allows [1/3, 1]).
///
/// ```swift
/// let level = try CometBFTTrustLevel(numerator: 1, denominator: 2)
/// let parsed = try CometBFTTrustLevel(parsing: "1/3")
/// ```
public struct CometBFTTrustLevel: Sendable, Hashable, CustomStringConvertible {
    /// The numerator.
    public let numerator: UInt64
    /// The denominator (non-zero).
    public let denominator: UInt64

    /// One third, the default.
    public static let oneThird = CometBFTTrustLevel(unchecked: 1, 3)

    init(unchecked numerator: UInt64, _ denominator: UInt64) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Makes a trust level.
    /// - Throws: ``ConfirmationError`` `cometbft.invalid-trust-level` unless `1/3 ≤ n/d ≤ 1` and `d > 0`.
    public init(numerator: UInt64, denominator: UInt64) throws {
        // n/d >= 1/3  <=>  3n >= d ; n/d <= 1 <=> n <= d. Numerator and denominator are capped so
        // that the products below cannot overflow.
        guard denominator > 0, denominator <= UInt64(UInt32.max), numerator <= denominator, numerator * 3 >= denominator else {
            throw ConfirmationError(.cometInvalidTrustLevel, "trust level \(numerator)/\(denominator) is outside [1/3, 1]")
        }
        self.init(unchecked: numerator, denominator)
    }

    /// Parses `N/D`.
    /// - Throws: ``ConfirmationError`` `cometbft.invalid-trust-level`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let n = UInt64(parts[0]), let d = UInt64(parts[1]) else {
            throw ConfirmationError(.cometInvalidTrustLevel, "a trust level is written N/D, e.g. 1/3")
        }
        try self.init(numerator: n, denominator: d)
    }

    /// `N/D`.
    public var description: String { "\(numerator)/\(denominator)" }
}

/// Signatures already verified, so that no signature is checked twice (in skipping verification
/// the same vote is checked against the trusted and the untrusted set; cometbft PR #4322).
///
/// Entries are SHA-256 over the key, the sign bytes and the signature (with length prefixes), so a
/// hit proves the exact triple verified before. Only valid signatures are stored.
public struct CometBFTSignatureCache: Sendable {
    private var verified: Set<Bytes32> = []
    /// How many lookups were answered from the cache.
    public private(set) var hits = 0
    /// How many signatures were actually verified.
    public private(set) var verifications = 0

    /// An empty cache.
    public init() {}

    /// The number of remembered valid signatures.
    public var count: Int { verified.count }

    static func entryID(_ signature: [UInt8], _ key: CometBFTPublicKey, _ signBytes: [UInt8]) -> Bytes32 {
        let keyBytes = key.rawBytes
        var material: [UInt8] = []
        material.reserveCapacity(keyBytes.count + signBytes.count + signature.count + 3)
        material.append(UInt8(keyBytes.count))
        material += keyBytes
        material.append(UInt8(truncatingIfNeeded: signature.count))
        material += signature
        material += signBytes
        return SHA256.hash(material)
    }

    /// Verifies `signature` by `key` over `signBytes`, answering from the cache when possible.
    public mutating func isValid(_ signature: [UInt8], by key: CometBFTPublicKey, signBytes: [UInt8]) -> Bool {
        let id = Self.entryID(signature, key, signBytes)
        if verified.contains(id) {
            hits += 1
            return true
        }
        verifications += 1
        guard key.isValidSignature(signature, for: signBytes) else { return false }
        verified.insert(id)
        return true
    }

    /// Verifies the signatures not yet cached on `workers` threads and remembers the valid ones, so
    /// that a following sequential tally only looks them up. Invalid signatures are not remembered
    /// (the tally re-checks them and reports the first in commit order), so results never depend on
    /// `workers`.
    mutating func prefetch(_ items: [(signature: [UInt8], key: CometBFTPublicKey, signBytes: [UInt8])], workers: Int) {
        var pending: [(id: Bytes32, item: (signature: [UInt8], key: CometBFTPublicKey, signBytes: [UInt8]))] = []
        var seen = Set<Bytes32>()
        for item in items {
            let id = Self.entryID(item.signature, item.key, item.signBytes)
            if !verified.contains(id), seen.insert(id).inserted { pending.append((id, item)) }
        }
        guard !pending.isEmpty else { return }
        var valid = [Bool](repeating: false, count: pending.count)
        let count = pending.count
        let chunks = min(count, max(1, workers) * 4)
        let work = PrefetchWork(items: pending.map(\.item))
        valid.withUnsafeMutableBufferPointer { buffer in
            let slots = PrefetchSlots(base: buffer.baseAddress)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for i in count * chunk / chunks..<count * (chunk + 1) / chunks {
                    let item = work.items[i]
                    slots.store(item.key.isValidSignature(item.signature, for: item.signBytes), at: i)
                }
            }
        }
        verifications += count
        for (i, entry) in pending.enumerated() where valid[i] { verified.insert(entry.id) }
    }
}

/// The signatures a prefetch verifies; immutable values only.
private struct PrefetchWork: Sendable {
    let items: [(signature: [UInt8], key: CometBFTPublicKey, signBytes: [UInt8])]
}

/// Disjoint output slots written by concurrent chunks.
///
/// Why `@unchecked Sendable` is safe: each index is written by exactly one chunk of
/// `concurrentPerform`, the buffer outlives the call, and it is read only after every chunk returned.
private struct PrefetchSlots: @unchecked Sendable {
    let base: UnsafeMutablePointer<Bool>?
    func store(_ value: Bool, at index: Int) { base?[index] = value }
}

/// The outcome of a commit tally.
public enum CometBFTCommitCheck: Sendable, Hashable {
    /// Enough voting power signed with valid signatures.
    case verified(CometBFTTally)
    /// Every counted signature was valid but the voting power did not exceed the threshold.
    case insufficientPower(PolicyFailure, CometBFTTally)
    /// A rule failed (count, address, signature, double vote…).
    case invalid(PolicyFailure)

    /// Whether the commit verified.
    public var isVerified: Bool {
        if case .verified = self { return true }
        return false
    }

    /// The failure, if any.
    public var failure: PolicyFailure? {
        switch self {
        case .verified: nil
        case .insufficientPower(let f, _), .invalid(let f): f
        }
    }
}

/// What a tally counted.
public struct CometBFTTally: Sendable, Hashable {
    /// The voting power of the valid COMMIT signatures counted.
    public let tallied: Int64
    /// The power that had to be exceeded.
    public let needed: Int64
    /// The total power of the set.
    public let total: Int64
    /// Indices (in validator-set order) of the validators whose COMMIT vote was counted, ascending.
    public let signerIndices: [Int]
    /// How many signatures were checked (cache hits included).
    public let signaturesChecked: Int
}

/// CometBFT's commit rules (`types/validation.go`), with every CometBFT deviation noted.
///
/// - ``verifyCommitLight(chainID:validators:blockID:height:commit:cache:)``: +2/3 of `validators`
///   signed `blockID`; slots matched by index **and** address; only COMMIT slots checked and counted;
///   stops as soon as the threshold is exceeded.
/// - ``verifyCommitLightTrusting(chainID:validators:commit:trustLevel:cache:)``: more than
///   `trustLevel` of `validators` signed; slots matched by address; unknown signers skipped; a
///   validator signing twice is rejected.
/// - ``verifyCommit(chainID:validators:blockID:height:commit:cache:workers:)``: every non-absent signature
///   (NIL included) verified, only COMMIT counted, no early stop (`VerifyCommit`).
///
/// Signatures are verified one by one in commit order, as CometBFT's non-batch path does: an invalid
/// signature met before the threshold is reached makes the commit invalid.
public enum CometBFTCommitVerifier {
    /// `VerifyCommitLight`.
    public static func verifyCommitLight(chainID: String, validators: CometBFTValidatorSet, blockID: CometBFTBlockID,
                                         height: Int64, commit: CometBFTCommit,
                                         cache: inout CometBFTSignatureCache) -> CometBFTCommitCheck {
        if let failure = basicChecks(validators, commit, height, blockID) { return .invalid(failure) }
        return tally(chainID: chainID, validators: validators, commit: commit,
                     needed: twoThirds(of: validators.totalVotingPower),
                     byIndex: true, checkAll: false, cache: &cache, insufficientCode: .cometInsufficientVotingPower)
    }

    /// `VerifyCommit`: like ``verifyCommitLight(chainID:validators:blockID:height:commit:cache:)`` but
    /// checks every COMMIT and NIL signature and never stops early.
    ///
    /// With `workers > 1` the signatures are first verified on that many threads (into `cache`); the
    /// tally that follows is the same sequential one, so the verdict does not depend on `workers`.
    public static func verifyCommit(chainID: String, validators: CometBFTValidatorSet, blockID: CometBFTBlockID,
                                    height: Int64, commit: CometBFTCommit,
                                    cache: inout CometBFTSignatureCache, workers: Int = 1) -> CometBFTCommitCheck {
        if let failure = basicChecks(validators, commit, height, blockID) { return .invalid(failure) }
        if workers > 1 {
            var items: [(signature: [UInt8], key: CometBFTPublicKey, signBytes: [UInt8])] = []
            for (i, sig) in commit.signatures.enumerated() where sig.flag != .absent {
                let validator = validators.validators[i]
                guard validator.address == sig.validatorAddress,
                      let bytes = commit.voteSignBytes(chainID: chainID, index: i) else { continue }
                items.append((sig.signature, validator.publicKey, bytes))
            }
            cache.prefetch(items, workers: workers)
        }
        return tally(chainID: chainID, validators: validators, commit: commit,
                     needed: twoThirds(of: validators.totalVotingPower),
                     byIndex: true, checkAll: true, cache: &cache, insufficientCode: .cometInsufficientVotingPower)
    }

    /// `VerifyCommitLightTrusting`.
    public static func verifyCommitLightTrusting(chainID: String, validators: CometBFTValidatorSet, commit: CometBFTCommit,
                                                 trustLevel: CometBFTTrustLevel,
                                                 cache: inout CometBFTSignatureCache) -> CometBFTCommitCheck {
        // total ≤ Int64.max / 8 and numerator ≤ 2^32, so the product fits in UInt64 exactly when
        // CometBFT's safeMul would not overflow int64; report overflow as CometBFT does.
        if let failure = validators.basicValidationFailure() { return .invalid(failure) }
        let (product, overflow) = validators.totalVotingPower.multipliedReportingOverflow(by: Int64(trustLevel.numerator))
        guard !overflow else {
            return .invalid(PolicyFailure(.cometInvalidTrustLevel, "total power × trust numerator overflows int64"))
        }
        return tally(chainID: chainID, validators: validators, commit: commit,
                     needed: product / Int64(trustLevel.denominator),
                     byIndex: false, checkAll: false, cache: &cache, insufficientCode: .cometNotEnoughTrust)
    }

    /// Verifies a signed header as a full node would with a known validator set: the header and
    /// commit rules (`SignedHeader.ValidateBasic` with the header's own chain id), the set's own rules,
    /// `validators_hash`, then ``verifyCommit(chainID:validators:blockID:height:commit:cache:workers:)``.
    ///
    /// ```swift
    /// let signed = try CometBFTJSON.signedHeader(from: commitResponse)
    /// let set = try CometBFTJSON.validatorSet(from: validatorsResponse)
    /// var cache = CometBFTSignatureCache()
    /// CometBFTCommitVerifier.verifySignedHeader(signed, validators: set, cache: &cache).isVerified
    /// ```
    /// - Parameter workers: threads for signature checks (see ``verifyCommit(chainID:validators:blockID:height:commit:cache:workers:)``).
    public static func verifySignedHeader(_ signed: CometBFTSignedHeader, validators: CometBFTValidatorSet,
                                          cache: inout CometBFTSignatureCache, workers: Int = 1) -> CometBFTCommitCheck {
        let header = signed.header
        if let failure = signed.basicValidationFailure(chainID: header.chainID) { return .invalid(failure) }
        if let failure = validators.basicValidationFailure() { return .invalid(failure) }
        guard validators.hash().bytes == header.validatorsHash else {
            return .invalid(PolicyFailure(.cometValidatorsHashMismatch, "the validator set does not hash to validators_hash"))
        }
        return verifyCommit(chainID: header.chainID, validators: validators, blockID: signed.commit.blockID,
                            height: header.height, commit: signed.commit, cache: &cache, workers: workers)
    }

    /// `total * 2 / 3` in integer arithmetic; `total ≤ Int64.max / 8`, so `total * 2` cannot overflow.
    static func twoThirds(of total: Int64) -> Int64 { total * 2 / 3 }

    /// `verifyBasicValsAndCommit`.
    static func basicChecks(_ validators: CometBFTValidatorSet, _ commit: CometBFTCommit, _ height: Int64,
                            _ blockID: CometBFTBlockID) -> PolicyFailure? {
        if let failure = validators.basicValidationFailure() { return failure }
        if validators.count != commit.signatures.count {
            return PolicyFailure(.cometSignatureCountMismatch,
                                 "the commit has \(commit.signatures.count) signatures for \(validators.count) validators")
        }
        if height != commit.height {
            return PolicyFailure(.cometCommitHeightMismatch, "commit height \(commit.height), expected \(height)")
        }
        if blockID != commit.blockID {
            return PolicyFailure(.cometCommitBlockMismatch, "the commit is for another block id")
        }
        return nil
    }

    static func tally(chainID: String, validators: CometBFTValidatorSet, commit: CometBFTCommit, needed: Int64,
                      byIndex: Bool, checkAll: Bool, cache: inout CometBFTSignatureCache,
                      insufficientCode: ConfirmationError.Code) -> CometBFTCommitCheck {
        var tallied: Int64 = 0
        var signers: [Int] = []
        var checked = 0
        var seen: [Int: Int] = [:]
        for (index, sig) in commit.signatures.enumerated() {
            // Light paths look at COMMIT slots only; the full path verifies NIL votes too.
            if sig.flag == .absent || (!checkAll && sig.flag != .commit) { continue }
            if let failure = sig.basicValidationFailure(index: index) { return .invalid(failure) }
            let validatorIndex: Int
            let validator: CometBFTValidator
            if byIndex {
                // basicChecks made the counts equal, so `index` is a valid validator index.
                validatorIndex = index
                validator = validators.validators[index]
                guard validator.address == sig.validatorAddress else {
                    return .invalid(PolicyFailure(.cometValidatorAddressMismatch,
                                                  "signature #\(index) is from \(Hex.encode(sig.validatorAddress).uppercased()), validator #\(index) is \(Hex.encode(validator.address).uppercased())",
                                                  signerIndex: index))
                }
            } else {
                guard let found = validators.validator(address: sig.validatorAddress) else { continue }
                if let first = seen.updateValue(index, forKey: found.index) {
                    return .invalid(PolicyFailure(.cometDoubleVote,
                                                  "validator \(Hex.encode(found.validator.address).uppercased()) signed twice (#\(first) and #\(index))",
                                                  signerIndex: index))
                }
                (validatorIndex, validator) = found
            }
            guard let signBytes = commit.voteSignBytes(chainID: chainID, index: index) else { continue }
            checked += 1
            guard cache.isValid(sig.signature, by: validator.publicKey, signBytes: signBytes) else {
                return .invalid(PolicyFailure(.cometInvalidSignature, "signature #\(index) does not verify", signerIndex: index))
            }
            if sig.flag == .commit {
                // Each power ≤ total ≤ Int64.max / 8, and each validator is counted at most once.
                tallied += validator.votingPower
                signers.append(validatorIndex)
            }
            if !checkAll && tallied > needed { break }
        }
        let result = CometBFTTally(tallied: tallied, needed: needed, total: validators.totalVotingPower,
                                   signerIndices: signers.sorted(), signaturesChecked: checked)
        guard tallied > needed else {
            return .insufficientPower(PolicyFailure(insufficientCode,
                                                    "signed voting power \(tallied) does not exceed \(needed) of \(validators.totalVotingPower)"),
                                      result)
        }
        return .verified(result)
    }
}
