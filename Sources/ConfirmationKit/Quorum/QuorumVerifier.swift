internal import Dispatch

/// How much of a certificate the verifier checks.
public enum VerificationMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Check signatures in descending stake order and stop as soon as the threshold is proven
    /// (for wallets: the fewest signature checks that establish the answer).
    case threshold
    /// Check every signature and report each invalid one (for bridges and evidence).
    case full
}

/// A certificate that passed every rule. Only ``QuorumVerifier`` can make one.
///
/// ```swift
/// switch verifier.verify(certificate, against: table) {
/// case .verified(let verified): print(verified.signedStake, verified.signers.count)
/// case .rejected(let failures): failures.forEach { print($0.code, $0.reason) }
/// }
/// ```
public struct VerifiedCertificate<Profile: QuorumProfile>: Sendable, Hashable {
    /// The certified statement.
    public let statement: Profile.Statement
    /// The commitment of the stake table it was verified against.
    public let stakeTableCommitment: Bytes32
    /// The stake of the signers whose signatures were verified.
    public let signedStake: UInt256
    /// The table's total stake.
    public let totalStake: UInt256
    /// The verified signers, in stake-table order. In threshold mode, only those checked before
    /// the threshold was proven.
    public let signers: [Profile.Key]
    /// Their stake-table indices, ascending.
    public let signerIndices: [Int]
    /// The mode the certificate was verified in.
    public let mode: VerificationMode
    /// How many signature checks were made (an aggregate counts as one).
    public let signatureChecks: Int

    fileprivate init(statement: Profile.Statement, stakeTableCommitment: Bytes32, signedStake: UInt256,
                     totalStake: UInt256, signers: [Profile.Key], signerIndices: [Int], mode: VerificationMode,
                     signatureChecks: Int) {
        self.statement = statement
        self.stakeTableCommitment = stakeTableCommitment
        self.signedStake = signedStake
        self.totalStake = totalStake
        self.signers = signers
        self.signerIndices = signerIndices
        self.mode = mode
        self.signatureChecks = signatureChecks
    }

    /// The signed fraction of the total stake in percent, for display only.
    public var signedPercentage: Double {
        totalStake.isZero ? 0 : signedStake.approximateDouble / totalStake.approximateDouble * 100
    }
}

/// The verifier's answer: a ``VerifiedCertificate``, or every rule the certificate failed.
public enum QuorumVerdict<Profile: QuorumProfile>: Sendable, Hashable {
    /// Every rule passed.
    case verified(VerifiedCertificate<Profile>)
    /// At least one rule failed; all failures are listed, in a deterministic order.
    case rejected([PolicyFailure])

    /// The verified certificate, if any.
    public var verified: VerifiedCertificate<Profile>? {
        if case .verified(let v) = self { return v }
        return nil
    }

    /// The failures (empty when verified).
    public var failures: [PolicyFailure] {
        if case .rejected(let f) = self { return f }
        return []
    }
}

/// Checks quorum certificates against stake tables under a composition of policies.
///
/// The verifier is pure: no I/O, no clock, no shared mutable state. It is generic over the
/// network profile (how signatures are checked) and over its policy composition (which rules
/// apply), so the whole check is statically dispatched.
///
/// Accounting rules, always applied (codes in `Docs/quorum-certificates.md`): the table must
/// be non-empty with non-zero total stake; listed signers must be in the table, listed once, in
/// ascending order; a bitmap must cover exactly the table; there must be one signature per
/// signer; zero-stake signers count nothing; every checked signature must be valid for the
/// exact statement.
///
/// ```swift
/// let verifier = QuorumVerifier(profile: Secp256k1QuorumProfile()) {
///     QuorumThreshold.twoThirds
///     EpochMatches()
/// }
/// let verdict = verifier.verify(certificate, against: table, mode: .full)
/// ```
public struct QuorumVerifier<Profile: QuorumProfile, Policy: QuorumPolicy>: Sendable {
    /// The network profile.
    public let profile: Profile
    /// The policy composition.
    public let policy: Policy
    /// How many threads check signatures in parallel (1 = on the calling thread only).
    public let workers: Int

    /// Creates a verifier.
    /// - Parameters:
    ///   - profile: the network profile.
    ///   - workers: the number of threads for signature checks (at least 1; default 1).
    ///   - policy: the rules, composed with ``QuorumPolicyBuilder``.
    public init(profile: Profile, workers: Int = 1, @QuorumPolicyBuilder policy: () -> Policy) {
        self.profile = profile
        self.policy = policy()
        self.workers = max(1, workers)
    }

    /// Creates a verifier from an already composed policy.
    public init(profile: Profile, policy: Policy, workers: Int = 1) {
        self.profile = profile
        self.policy = policy
        self.workers = max(1, workers)
    }

    /// Verifies a certificate against a stake table.
    ///
    /// - Parameters:
    ///   - certificate: the certificate to check.
    ///   - table: the stake table of the certificate's epoch (``EpochMatches`` checks that).
    ///   - mode: ``VerificationMode/threshold`` (default) or ``VerificationMode/full``.
    /// - Returns: a verified certificate, or every failed rule. Never throws, never traps.
    public func verify(_ certificate: QuorumCertificate<Profile>, against table: StakeTable<Profile.Key>,
                       mode: VerificationMode = .threshold) -> QuorumVerdict<Profile> {
        var failures: [PolicyFailure] = []
        if table.entries.isEmpty {
            failures.append(PolicyFailure(.quorumEmptyTable, "the stake table has no entries"))
        } else if table.totalStake.isZero {
            failures.append(PolicyFailure(.quorumZeroTotalStake, "every entry of the stake table has zero stake"))
        }

        // 1. Resolve the listed signers to table indices (certificate order).
        let listed = resolveSigners(certificate.signers, table, &failures)

        // 2. Check the signatures the mode needs.
        let allowHighS = policy.allowsHighS ?? false
        let message = profile.message(for: certificate.statement)
        var verifiedIndices: [Int] = []
        var checks = 0
        switch certificate.signatures {
        case .individual(let signatures):
            if Profile.usesAggregateSignatures {
                failures.append(PolicyFailure(.quorumSignatureFormMismatch,
                                              "profile \(Profile.name) expects one aggregate signature"))
            } else if signatures.count != listed.count {
                failures.append(PolicyFailure(.quorumSignatureCountMismatch,
                                              "\(listed.count) signers but \(signatures.count) signatures"))
            } else {
                (verifiedIndices, checks) = checkIndividual(signatures, listed, table, message, allowHighS, mode, &failures)
            }
        case .aggregate(let signature):
            if !Profile.usesAggregateSignatures {
                failures.append(PolicyFailure(.quorumSignatureFormMismatch,
                                              "profile \(Profile.name) expects one signature per signer"))
            } else {
                (verifiedIndices, checks) = checkAggregate(signature, listed, table, message, mode, &failures)
            }
        }
        verifiedIndices.sort()
        let signedStake = sumStake(verifiedIndices, table)

        // 3. Policies.
        let facts = CertificateFacts<Profile>(
            statement: certificate.statement, table: table,
            listedSignerIndices: listed.indices.sorted(), verifiedSignerIndices: verifiedIndices, signedStake: signedStake)
        if policy.isStakeSufficient(signedStake, of: table.totalStake) == nil {
            failures.append(PolicyFailure(.quorumNoThreshold, "the verifier has no threshold policy"))
        }
        if case .failsToMeetPolicy(let policyFailures) = policy.evaluate(facts) {
            failures += policyFailures
        }
        guard failures.isEmpty else { return .rejected(failures) }
        return .verified(VerifiedCertificate(
            statement: certificate.statement, stakeTableCommitment: table.commitment, signedStake: signedStake,
            totalStake: table.totalStake, signers: verifiedIndices.map { table.entries[$0].key },
            signerIndices: verifiedIndices, mode: mode, signatureChecks: checks))
    }

    // MARK: - Signer resolution

    /// The listed signers that are in the table: for each, its position in the certificate's list
    /// and its table index. Duplicates, unknown keys and order violations are reported and skipped.
    struct ListedSigners {
        var count = 0                      // how many signers the certificate lists
        var indices: [Int] = []            // the table index of each resolvable signer
        var resolvedPositions: [Int] = []  // the certificate position of each entry of `indices`
    }

    private func resolveSigners(_ signers: SignerSet<Profile.Key>, _ table: StakeTable<Profile.Key>,
                                _ failures: inout [PolicyFailure]) -> ListedSigners {
        var listed = ListedSigners()
        switch signers {
        case .keys(let keys):
            if Profile.signerEncoding != .sortedKeys {
                failures.append(PolicyFailure(.quorumSignerEncodingMismatch,
                                              "profile \(Profile.name) lists signers as a bitmap"))
            }
            listed.count = keys.count
            var seen = Set<Int>()
            seen.reserveCapacity(keys.count)
            for (position, key) in keys.enumerated() {
                if position > 0 && key < keys[position - 1] {
                    failures.append(PolicyFailure(.quorumSignersNotSorted,
                                                  "signer \(position) (\(key)) is listed after a greater key"))
                }
                guard let index = table.index(of: key) else {
                    failures.append(PolicyFailure(.quorumUnknownSigner, "signer \(position) (\(key)) is not in the stake table"))
                    continue
                }
                guard seen.insert(index).inserted else {
                    failures.append(PolicyFailure(.quorumDuplicateSigner, "signer \(key) is listed twice", signerIndex: index))
                    continue
                }
                listed.indices.append(index)
                listed.resolvedPositions.append(position)
            }
        case .bitmap(let bitmap):
            if Profile.signerEncoding != .bitmap {
                failures.append(PolicyFailure(.quorumSignerEncodingMismatch,
                                              "profile \(Profile.name) lists signers as sorted keys"))
            }
            let set = bitmap.setIndices
            listed.count = set.count
            guard bitmap.count == table.count else {
                failures.append(PolicyFailure(.quorumBitmapLengthMismatch,
                                              "the signer bitmap covers \(bitmap.count) entries; the table has \(table.count)"))
                return listed
            }
            listed.indices = set
            listed.resolvedPositions = Array(set.indices)
        }
        return listed
    }

    // MARK: - Signature checks

    private func checkIndividual(_ signatures: [Profile.Signature], _ listed: ListedSigners,
                                 _ table: StakeTable<Profile.Key>, _ message: Profile.Message, _ allowHighS: Bool,
                                 _ mode: VerificationMode, _ failures: inout [PolicyFailure]) -> ([Int], Int) {
        // Candidates as (table index, signature position).
        var candidates = Array(zip(listed.indices, listed.resolvedPositions))
        if mode == .threshold {
            // Largest stake first; ties by table index so the order is deterministic.
            candidates.sort { a, b in
                let sa = table.stakes[a.0], sb = table.stakes[b.0]
                return sa != sb ? sa > sb : a.0 < b.0
            }
        }
        let order = candidates
        let check: (Int) -> SignatureCheck = { i in
            let (index, position) = order[i]
            return profile.checkSignature(signatures[position], by: table.entries[index].key,
                                          message: message, allowHighS: allowHighS)
        }

        var verified: [Int] = []
        var checks = 0
        var signed = UInt256.zero
        let record: (Int, SignatureCheck, inout [PolicyFailure]) -> Void = { i, result, failures in
            let index = order[i].0
            switch result {
            case .valid:
                verified.append(index)
                signed = Self.add(signed, table.stakes[index])
            case .invalid:
                failures.append(PolicyFailure(.quorumInvalidSignature,
                                              "the signature of \(table.entries[index].key) does not verify",
                                              signerIndex: index))
            case .highS:
                failures.append(PolicyFailure(.quorumSignatureHighS,
                                              "the signature of \(table.entries[index].key) has s > n/2",
                                              signerIndex: index))
            }
        }

        switch mode {
        case .full:
            let results = runChecks(count: order.count, check)
            for (i, result) in results.enumerated() { record(i, result, &failures) }
            checks = results.count
        case .threshold:
            // Batches of `workers × 4` in parallel; the outcome is the sequential one: results
            // after the point where the threshold is proven are discarded.
            let batch = workers == 1 ? 1 : workers * 4
            var start = 0
            scan: while start < order.count {
                let base = start, end = min(order.count, start + batch)
                let results = runChecks(count: end - base) { check(base + $0) }
                for (offset, result) in results.enumerated() {
                    record(start + offset, result, &failures)
                    checks += 1
                    if policy.isStakeSufficient(signed, of: table.totalStake) == true { break scan }
                }
                start = end
            }
        }
        return (verified, checks)
    }

    private func checkAggregate(_ signature: Profile.Signature, _ listed: ListedSigners, _ table: StakeTable<Profile.Key>,
                                _ message: Profile.Message, _ mode: VerificationMode,
                                _ failures: inout [PolicyFailure]) -> ([Int], Int) {
        let indices = listed.indices.sorted()
        guard !indices.isEmpty else { return ([], 0) }
        // In threshold mode an aggregate too small to meet the threshold is not worth a pairing.
        if mode == .threshold, policy.isStakeSufficient(sumStake(indices, table), of: table.totalStake) == false {
            return ([], 0)
        }
        let keys = indices.map { table.entries[$0].key }
        switch profile.checkAggregateSignature(signature, by: keys, message: message) {
        case .valid:
            return (indices, 1)
        case .invalid, .highS:
            failures.append(PolicyFailure(.quorumInvalidAggregateSignature,
                                          "the aggregate signature does not verify for the \(indices.count) listed signers"))
            return ([], 1)
        }
    }

    /// Runs `count` checks, on `workers` threads when it pays; results are in index order.
    private func runChecks(count: Int, _ check: (Int) -> SignatureCheck) -> [SignatureCheck] {
        guard workers > 1, count >= 2 else {
            return (0..<count).map(check)
        }
        var results = [SignatureCheck](repeating: .invalid, count: count)
        let chunks = min(count, workers * 4)
        results.withUnsafeMutableBufferPointer { buffer in
            let output = ResultSlots(base: buffer.baseAddress)
            withoutActuallyEscaping(check) { check in
                let work = ChunkedWork(check: check)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    let lower = count * chunk / chunks
                    let upper = count * (chunk + 1) / chunks
                    for i in lower..<upper { output.store(work.check(i), at: i) }
                }
            }
        }
        return results
    }

    private func sumStake(_ indices: [Int], _ table: StakeTable<Profile.Key>) -> UInt256 {
        indices.reduce(UInt256.zero) { Self.add($0, table.stakes[$1]) }
    }

    /// Adds stakes of distinct table entries. Their sum is at most the table's total, which the
    /// table checked fits in 256 bits, so this cannot overflow; it saturates rather than wraps
    /// should that reasoning ever be broken.
    private static func add(_ a: UInt256, _ b: UInt256) -> UInt256 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }
}

/// Disjoint output slots written by concurrent chunks.
///
/// Why `@unchecked Sendable` is safe: each index is written by exactly one chunk of
/// `concurrentPerform`, the buffer outlives the call, and it is read only after every chunk returned.
private struct ResultSlots: @unchecked Sendable {
    let base: UnsafeMutablePointer<SignatureCheck>?
    func store(_ value: SignatureCheck, at index: Int) { base?[index] = value }
}

/// The check closure shared by the chunks.
///
/// Why `@unchecked Sendable` is safe: the closure reads only immutable values (the certificate,
/// table, prepared message and profile, all `Sendable` value types) and is not retained after
/// `concurrentPerform` returns.
private struct ChunkedWork: @unchecked Sendable {
    let check: (Int) -> SignatureCheck
}

extension ConfirmationError.Code {
    // Accounting rules, always applied by the verifier.
    /// The stake table has no entries.
    public static let quorumEmptyTable = Self("quorum.empty-table")
    /// Every entry of the stake table has zero stake.
    public static let quorumZeroTotalStake = Self("quorum.zero-total-stake")
    /// A signer is listed twice.
    public static let quorumDuplicateSigner = Self("quorum.duplicate-signer")
    /// A listed signer is not in the stake table.
    public static let quorumUnknownSigner = Self("quorum.unknown-signer")
    /// Listed signers are not in strictly ascending order.
    public static let quorumSignersNotSorted = Self("quorum.signers-not-sorted")
    /// A signer bitmap's length differs from the stake table's entry count.
    public static let quorumBitmapLengthMismatch = Self("quorum.bitmap-length-mismatch")
    /// The certificate uses the signer form the profile does not use.
    public static let quorumSignerEncodingMismatch = Self("quorum.signer-encoding-mismatch")
    /// The number of signatures differs from the number of listed signers.
    public static let quorumSignatureCountMismatch = Self("quorum.signature-count-mismatch")
    /// The certificate carries individual signatures where the profile aggregates, or the reverse.
    public static let quorumSignatureFormMismatch = Self("quorum.signature-form-mismatch")
    /// A signature does not verify for its signer and the statement.
    public static let quorumInvalidSignature = Self("quorum.invalid-signature")
    /// A signature has `s > n/2` and no policy allows high-S.
    public static let quorumSignatureHighS = Self("quorum.signature-high-s")
    /// The aggregate signature does not verify for the listed signers.
    public static let quorumInvalidAggregateSignature = Self("quorum.invalid-aggregate-signature")
}
