/// Checks a ``ProofBundle`` end to end — stake table, certificate, inclusion proofs, transactions,
/// settlement — and returns one verdict covering every layer.
///
/// ```swift
/// let verifier = ProofBundleVerifier(profile: Secp256k1QuorumProfile())
/// let verdict = verifier.verify(bundle, trustedStakeTables: [table])
/// for layer in verdict.layers { print(layer.isValid ? "✓" : "✗", layer.layer, layer.failures) }
/// ```
public struct ProofBundleVerifier<Profile: QuorumProfile, Policy: QuorumPolicy>: Sendable {
    /// The certificate verifier.
    public let certificateVerifier: QuorumVerifier<Profile, Policy>

    /// Uses a verifier with your own policies.
    public init(certificateVerifier: QuorumVerifier<Profile, Policy>) {
        self.certificateVerifier = certificateVerifier
    }

    /// Verifies a bundle.
    ///
    /// - Parameters:
    ///   - bundle: the bundle.
    ///   - trustedStakeTables: tables the caller trusts (from its own stake-table chain). An embedded
    ///     table is accepted when its commitment matches one of them.
    ///   - allowEmbeddedStakeTable: accept an embedded table no trusted table matches (the verdict
    ///     says so): only for looking at a bundle, never for deciding on it.
    ///   - trustedL1Checkpoints: hashes of finalized L1 blocks the caller trusts; settlement evidence
    ///     that reaches one of them counts as finalized.
    ///   - mode: how the certificate is checked (full by default: a cross-check checks everything).
    /// - Returns: one result per layer, every failure with its code.
    public func verify(_ bundle: ProofBundle<Profile>, trustedStakeTables: [StakeTable<Profile.Key>],
                       allowEmbeddedStakeTable: Bool = false, trustedL1Checkpoints: Set<Bytes32> = [],
                       mode: VerificationMode = .full) -> BundleVerdict {
        var layers: [BundleVerdict.Layer] = []
        let statement = bundle.certificate.statement
        var summary = BundleVerdict.Summary(profile: Profile.name, network: statement.networkID.rawValue,
                                            epoch: statement.epoch, height: statement.height, view: statement.view,
                                            blockCommitment: statement.blockCommitment,
                                            transactions: bundle.transactions.map(\.reference),
                                            preconfirmation: "pending", settlement: "notPosted")

        // 1. Stake table.
        var table: StakeTable<Profile.Key>?
        var tableLayer = BundleVerdict.Layer(layer: "stake-table")
        let reference = bundle.stakeTable
        if let trusted = trustedStakeTables.first(where: { $0.commitment == reference.commitment }) {
            table = trusted
            tableLayer.detail = "epoch \(trusted.epoch), commitment \(trusted.commitment) (trusted)"
        } else if case .embedded(let embedded) = reference {
            if allowEmbeddedStakeTable {
                table = embedded
                tableLayer.detail = "epoch \(embedded.epoch), commitment \(embedded.commitment) (embedded; not checked against a trusted table)"
                tableLayer.warnings.append("the stake table comes from the bundle itself")
            } else {
                tableLayer.failures.append(PolicyFailure(.bundleUntrustedStakeTable,
                                                         "the embedded table \(embedded.commitment) matches no trusted table"))
            }
        } else {
            tableLayer.failures.append(PolicyFailure(.bundleStakeTableUnavailable,
                                                     "the bundle names table \(reference.commitment); no trusted table has that commitment"))
        }
        layers.append(tableLayer)

        // 2. Certificate.
        var certificateLayer = BundleVerdict.Layer(layer: "certificate")
        if let table {
            switch certificateVerifier.verify(bundle.certificate, against: table, mode: mode) {
            case .verified(let verified):
                summary.signedStake = verified.signedStake
                summary.totalStake = verified.totalStake
                summary.signers = verified.signers.count
                summary.signedPercentage = verified.signedPercentage
                certificateLayer.detail = "\(verified.signers.count) signers, \(verified.signedStake) of \(verified.totalStake) stake"
            case .rejected(let failures):
                certificateLayer.failures = failures
            }
        } else {
            certificateLayer.failures.append(PolicyFailure(.bundleStakeTableUnavailable, "no stake table to check the certificate against"))
        }
        layers.append(certificateLayer)

        // 3. Inclusion proofs against the certified block commitment.
        var inclusionLayer = BundleVerdict.Layer(layer: "inclusion")
        var placed = Set<TransactionReference>()
        if bundle.proofs.isEmpty {
            inclusionLayer.failures.append(PolicyFailure(.bundleNoProofs, "the bundle carries no inclusion proof"))
        }
        for (index, proof) in bundle.proofs.enumerated() {
            let verdict = proof.verdict(against: statement.blockCommitment)
            guard verdict.isVerified else {
                inclusionLayer.failures.append(PolicyFailure(.bundleProofNotVerified,
                                                             "proof \(index) (\(proof.kind)) does not verify against the block: \(verdict)"))
                continue
            }
            placed.formUnion(proof.placedTransactions)
        }
        if inclusionLayer.failures.isEmpty {
            inclusionLayer.detail = "\(bundle.proofs.count) proof(s): \(bundle.proofs.map(\.kind).joined(separator: ", "))"
        }
        layers.append(inclusionLayer)

        // 4. Every vouched-for transaction is placed by a verified proof.
        var transactionLayer = BundleVerdict.Layer(layer: "transactions")
        if bundle.transactions.isEmpty {
            transactionLayer.failures.append(PolicyFailure(.bundleNoTransactions, "the bundle vouches for no transaction"))
        }
        for (index, transaction) in bundle.transactions.enumerated() where !placed.contains(transaction.reference) {
            transactionLayer.failures.append(PolicyFailure(.bundleTransactionNotProven,
                                                           "transaction \(index) (\(transaction.reference)) is not placed by a verified proof"))
        }
        if transactionLayer.failures.isEmpty { transactionLayer.detail = "\(bundle.transactions.count) transaction(s) in the block" }
        layers.append(transactionLayer)

        if layers.allSatisfy(\.isValid) { summary.preconfirmation = "preconfirmed" }

        // 5. Settlement, when carried.
        if let evidence = bundle.settlement {
            var settlementLayer = BundleVerdict.Layer(layer: "settlement")
            let posting = evidence.posting
            if posting.network != statement.networkID.rawValue || posting.height != statement.height
                || posting.blockCommitment != statement.blockCommitment {
                settlementLayer.failures.append(PolicyFailure(.bundleSettlementMismatch,
                                                              "the posting records \(posting.network) height \(posting.height) commitment \(posting.blockCommitment), not the certified block"))
            }
            if evidence.headers.count > SettlementEvidence.maximumHeaders {
                settlementLayer.failures.append(PolicyFailure(.bundleSettlementBrokenChain,
                                                              "more than \(SettlementEvidence.maximumHeaders) headers"))
            } else if evidence.headers.first != posting.l1Block {
                settlementLayer.failures.append(PolicyFailure(.bundleSettlementBrokenChain,
                                                              "the header chain does not start at the posting block"))
            } else {
                for (lower, upper) in zip(evidence.headers, evidence.headers.dropFirst())
                where upper.parentHash != lower.hash || upper.number != lower.number &+ 1 {
                    settlementLayer.failures.append(PolicyFailure(.bundleSettlementBrokenChain,
                                                                  "header \(upper.number) does not link to header \(lower.number)"))
                    break
                }
            }
            if posting.evidence == "simulated" {
                settlementLayer.warnings.append("the posting comes from a simulated L1")
            }
            var state = "posted"
            if let checkpoint = evidence.finalizedCheckpoint {
                if evidence.headers.last != checkpoint {
                    settlementLayer.failures.append(PolicyFailure(.bundleSettlementBrokenChain,
                                                                  "the header chain does not end at the claimed finalized checkpoint"))
                } else if trustedL1Checkpoints.contains(checkpoint.hash) {
                    state = "finalized"
                } else {
                    settlementLayer.warnings.append("finalized checkpoint \(checkpoint.number) is not one the caller trusts")
                }
            }
            if settlementLayer.failures.isEmpty {
                summary.settlement = state
                settlementLayer.detail = "posted in L1 block \(posting.l1Block.number) (\(posting.evidence)), \(evidence.headers.count) linked header(s), \(state)"
            }
            layers.append(settlementLayer)
        }

        return BundleVerdict(layers: layers, summary: summary)
    }
}

extension ProofBundleVerifier where Policy == BothPolicies<QuorumThreshold, EpochMatches> {
    /// The default verifier: more than 2/3 of the stake, epoch matches the table.
    public init(profile: Profile, workers: Int = 1) {
        self.init(certificateVerifier: QuorumVerifier(profile: profile, workers: workers) {
            QuorumThreshold.twoThirds
            EpochMatches()
        })
    }
}

/// The outcome of checking a ``ProofBundle``: one entry per layer, and a summary.
public struct BundleVerdict: Sendable, Hashable, Codable {
    /// One layer's result.
    public struct Layer: Sendable, Hashable, Codable {
        /// `stake-table`, `certificate`, `inclusion`, `transactions` or `settlement`.
        public var layer: String
        /// Every failed rule (empty when the layer holds).
        public var failures: [PolicyFailure] = []
        /// Things a reader should know that do not fail the layer.
        public var warnings: [String] = []
        /// What was established, when the layer holds.
        public var detail: String = ""

        /// Whether the layer holds.
        public var isValid: Bool { failures.isEmpty }

        init(layer: String) { self.layer = layer }
    }

    /// What the bundle says and what was established.
    public struct Summary: Sendable, Hashable, Codable {
        public var profile: String
        public var network: String
        public var epoch: UInt64
        public var height: UInt64
        public var view: UInt64
        public var blockCommitment: Bytes32
        public var transactions: [TransactionReference]
        public var signedStake: UInt256?
        public var totalStake: UInt256?
        public var signers: Int?
        public var signedPercentage: Double?
        /// `preconfirmed` when every layer up to the transactions holds, else `pending`.
        public var preconfirmation: String
        /// `notPosted`, `posted` or `finalized` (finalized only against a trusted checkpoint).
        public var settlement: String
    }

    /// The layers in the order checked.
    public var layers: [Layer]
    /// The summary.
    public var summary: Summary

    /// Whether every layer holds.
    public var isValid: Bool { layers.allSatisfy(\.isValid) }

    /// Every failure code, in layer order.
    public var failureCodes: [ConfirmationError.Code] { layers.flatMap { $0.failures.map(\.code) } }
}

extension InclusionProof {
    /// The namespaced transactions this proof places in its block (call after verifying it).
    /// Absence proofs and plain Merkle proofs place none.
    public var placedTransactions: [TransactionReference] {
        switch self {
        case .namespaceInclusion(let p):
            return [TransactionReference(namespace: p.namespace, transaction: p.transaction)]
        case .namespaceCompleteness(let p):
            return p.transactions.map { TransactionReference(namespace: p.namespace, transaction: $0) }
        case .namespaceBundle(let p):
            return p.groups.flatMap { group in
                group.legs.map { TransactionReference(namespace: group.namespace, transaction: $0.transaction) }
            }
        case .namespaceAbsence, .rfc6962SHA256, .rfc6962Keccak256, .rfc6962SHA256Multi, .rfc6962Keccak256Multi:
            return []
        }
    }
}

extension ConfirmationError.Code {
    /// The embedded stake table matches no trusted table.
    public static let bundleUntrustedStakeTable = Self("bundle.untrusted-stake-table")
    /// The referenced stake table was not given to the verifier.
    public static let bundleStakeTableUnavailable = Self("bundle.stake-table-unavailable")
    /// The bundle carries no inclusion proof.
    public static let bundleNoProofs = Self("bundle.no-proofs")
    /// An inclusion proof does not verify against the certified block commitment.
    public static let bundleProofNotVerified = Self("bundle.proof-not-verified")
    /// The bundle vouches for no transaction.
    public static let bundleNoTransactions = Self("bundle.no-transactions")
    /// A vouched-for transaction is not placed by any verified proof.
    public static let bundleTransactionNotProven = Self("bundle.transaction-not-proven")
    /// The settlement posting does not record the certified block.
    public static let bundleSettlementMismatch = Self("bundle.settlement-mismatch")
    /// The settlement headers do not form a chain from the posting block to the checkpoint.
    public static let bundleSettlementBrokenChain = Self("bundle.settlement-broken-chain")
}
