/// What the tracker follows: one rollup transaction, or an atomic bundle of transactions across
/// rollups that must all land in one certified block.
///
/// JSON: `{"kind": "transaction" | "bundle", "legs": [{"namespace": "0x…", "hash": "0x…"}]}`.
public enum TrackedSubject: Sendable, Hashable, Codable {
    /// A transaction, by namespace and hash (see ``TransactionHash``).
    case transaction(TransactionReference)
    /// An atomic bundle: every leg in the same certified block.
    case bundle([TransactionReference])

    private enum CodingKeys: String, CodingKey { case kind, legs }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let legs = try container.decode([TransactionReference].self, forKey: .legs)
        switch try container.decode(String.self, forKey: .kind) {
        case "transaction" where legs.count == 1:
            self = .transaction(legs[0])
        case "bundle" where !legs.isEmpty && legs.count <= MerkleLimits.maximumBundleLegs:
            self = .bundle(legs)
        default:
            throw ConfirmationError(.clocksInvalidSubject, "a subject is a transaction with one leg or a bundle of 1 – \(MerkleLimits.maximumBundleLegs) legs")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .transaction: try container.encode("transaction", forKey: .kind)
        case .bundle: try container.encode("bundle", forKey: .kind)
        }
        try container.encode(legs, forKey: .legs)
    }

    /// The legs: one for a transaction.
    public var legs: [TransactionReference] {
        switch self {
        case .transaction(let reference): [reference]
        case .bundle(let legs): legs
        }
    }

    /// The stable identifier the tracker files the subject under.
    ///
    /// A transaction's id is ``TransactionReference/subjectID`` (its namespace and hash under a domain
    /// tag, so the same bytes in two rollups are two subjects); a bundle's id is SHA-256 over another
    /// domain tag and its legs sorted, so the same set of legs always has the same id.
    public var id: Bytes32 {
        switch self {
        case .transaction(let reference):
            return reference.subjectID
        case .bundle(let legs):
            var bytes = Array("confirmationkit.bundle.v1".utf8)
            for leg in legs.sorted() {
                bytes += leg.namespace.bytes
                bytes += leg.hash.bytes
            }
            return SHA256.hash(bytes)
        }
    }
}

/// A transaction by namespace and hash.
public struct TransactionReference: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The rollup's namespace.
    public var namespace: NamespaceID
    /// ``TransactionHash/of(_:)`` of the transaction bytes.
    public var hash: Bytes32

    public init(namespace: NamespaceID, hash: Bytes32) {
        self.namespace = namespace
        self.hash = hash
    }

    /// The reference of a transaction's bytes.
    public init(namespace: NamespaceID, transaction: [UInt8]) {
        self.init(namespace: namespace, hash: TransactionHash.of(transaction))
    }

    public static func < (lhs: TransactionReference, rhs: TransactionReference) -> Bool {
        (lhs.namespace, lhs.hash) < (rhs.namespace, rhs.hash)
    }

    public var description: String { "\(namespace)/\(hash.hex.prefix(12))" }

    /// The id the tracker files this transaction under (``TrackedSubject/id``):
    /// SHA-256(`"confirmationkit.transaction.v2"` ‖ namespace (8 bytes) ‖ hash).
    public var subjectID: Bytes32 {
        SHA256.hash(Array("confirmationkit.transaction.v2".utf8) + namespace.bytes + hash.bytes)
    }
}

/// How the tracker names a transaction: SHA-256 of its bytes.
public enum TransactionHash {
    /// `SHA-256(transaction)`.
    public static func of(_ transaction: [UInt8]) -> Bytes32 { SHA256.hash(transaction) }
}

/// A certified block as the pre-confirmation clock records it; made only from a
/// ``VerifiedCertificate`` (see ``CertifiedBlock/init(_:)``).
public struct CertifiedBlock: Sendable, Hashable, Codable {
    /// The network that certified the block.
    public var network: NetworkID
    /// The stake-table epoch.
    public var epoch: UInt64
    /// The block height.
    public var height: UInt64
    /// The consensus view.
    public var view: UInt64
    /// The certified block commitment.
    public var blockCommitment: Bytes32
    /// The commitment of the stake table the certificate was verified against.
    public var stakeTableCommitment: Bytes32
    /// The stake that signed.
    public var signedStake: UInt256
    /// The table's total stake.
    public var totalStake: UInt256
    /// How many verified signers.
    public var signerCount: Int
    /// The time the statement carries, in seconds since the Unix epoch, if the profile signs one.
    public var signedTime: UInt64?

    /// Summarises a verified certificate. Only the verifier can make a ``VerifiedCertificate``,
    /// so a `CertifiedBlock` always stands for one that passed every rule.
    public init<Profile: QuorumProfile>(_ certificate: VerifiedCertificate<Profile>) {
        let statement = certificate.statement
        network = statement.networkID
        epoch = statement.epoch
        height = statement.height
        view = statement.view
        blockCommitment = statement.blockCommitment
        stakeTableCommitment = certificate.stakeTableCommitment
        signedStake = certificate.signedStake
        totalStake = certificate.totalStake
        signerCount = certificate.signers.count
        signedTime = statement.signedTime
    }

    /// The certificate id: SHA-256 over a domain tag, the network, epoch, height, view, block
    /// commitment and stake-table commitment. Two certificates share an id exactly when they
    /// certify the same block in the same slot against the same table.
    public var certificateID: Bytes32 {
        var bytes = Array("confirmationkit.certificate.v1".utf8)
        let name = Array(network.rawValue.utf8)
        bytes += withUnsafeBytes(of: UInt64(name.count).bigEndian) { Array($0) } + name
        for word in [epoch, height, view] { bytes += withUnsafeBytes(of: word.bigEndian) { Array($0) } }
        bytes += blockCommitment.bytes + stakeTableCommitment.bytes
        return SHA256.hash(bytes)
    }

    /// The signed share of the total stake, for display.
    public var signedFraction: Double {
        totalStake.isZero ? 0 : signedStake.approximateDouble / totalStake.approximateDouble
    }

    /// The slot the block occupies: two different commitments in one slot are an equivocation.
    var slot: BlockSlot { BlockSlot(network: network, height: height) }
}

/// A block position: network and height.
struct BlockSlot: Hashable, Codable, Sendable {
    var network: NetworkID
    var height: UInt64
}

/// The shared-sequencer clock.
public enum PreconfirmationClock: Sendable, Hashable, Codable {
    /// No verified certificate and inclusion proof yet.
    case pending
    /// A verified certificate and a verified inclusion proof place the subject in a block.
    case preconfirmed(Preconfirmation)
    /// Evidence showed the pre-confirmation no longer holds.
    case reverted(Reversion)

    /// `pending`, `preconfirmed` or `reverted`.
    public var name: String {
        switch self {
        case .pending: "pending"
        case .preconfirmed: "preconfirmed"
        case .reverted: "reverted"
        }
    }
}

/// A pre-confirmation: which certified block holds the subject, and when it was learnt.
public struct Preconfirmation: Sendable, Hashable, Codable {
    // Many subjects share one certified block: they share one immutable copy of it.
    private let shared: SharedBlock
    /// When the tracker applied it.
    public let at: Timestamp

    /// The certified block.
    public var block: CertifiedBlock { shared.block }
    /// The certificate id (``CertifiedBlock/certificateID``).
    public var certificateID: Bytes32 { shared.certificateID }

    init(shared: SharedBlock, at: Timestamp) {
        self.shared = shared
        self.at = at
    }

    private enum CodingKeys: String, CodingKey { case block, certificateID, at }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        shared = SharedBlock(try container.decode(CertifiedBlock.self, forKey: .block))
        at = try container.decode(Timestamp.self, forKey: .at)
        guard try container.decode(Bytes32.self, forKey: .certificateID) == shared.certificateID else {
            throw ConfirmationError(.clocksSnapshotInconsistent, "a pre-confirmation's certificate id does not match its block")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(block, forKey: .block)
        try container.encode(certificateID, forKey: .certificateID)
        try container.encode(at, forKey: .at)
    }

    public static func == (lhs: Preconfirmation, rhs: Preconfirmation) -> Bool {
        lhs.block == rhs.block && lhs.certificateID == rhs.certificateID && lhs.at == rhs.at
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(certificateID)
        hasher.combine(at)
    }
}

/// One immutable certified block shared by every subject it pre-confirms.
///
/// `@unchecked Sendable` is safe: both stored properties are `let` and `Sendable`.
final class SharedBlock: @unchecked Sendable {
    let block: CertifiedBlock
    let certificateID: Bytes32

    init(_ block: CertifiedBlock) {
        self.block = block
        self.certificateID = block.certificateID
    }
}

/// The L1 settlement clock.
public enum SettlementClock: Sendable, Hashable, Codable {
    /// The block's commitment is not on L1 yet.
    case notPosted
    /// The commitment is in an L1 block that is not finalized yet.
    case posted(Settlement)
    /// The L1 block holding the commitment is at or below a finalized checkpoint.
    case finalized(Settlement)
    /// Evidence showed the posting no longer holds (a reorg) or contradicts the certified block.
    case reverted(Reversion)

    /// `notPosted`, `posted`, `finalized` or `reverted`.
    public var name: String {
        switch self {
        case .notPosted: "notPosted"
        case .posted: "posted"
        case .finalized: "finalized"
        case .reverted: "reverted"
        }
    }
}

/// Where and when the subject's block was posted to L1.
public struct Settlement: Sendable, Hashable, Codable {
    /// The L1 block holding the posting.
    public var l1Block: L1BlockHeader
    /// How the posting was proven.
    public var evidence: String
    /// L1 confirmations when the clock last changed (1 = in the head).
    public var depth: UInt64
    /// When the posting was applied.
    public var postedAt: Timestamp
    /// When the L1 block was seen finalized.
    public var finalizedAt: Timestamp?

    public init(l1Block: L1BlockHeader, evidence: String, depth: UInt64, postedAt: Timestamp, finalizedAt: Timestamp?) {
        self.l1Block = l1Block
        self.evidence = evidence
        self.depth = depth
        self.postedAt = postedAt
        self.finalizedAt = finalizedAt
    }
}

/// A reversion and the evidence for it. Reversions never follow from an unverified claim.
public struct Reversion: Sendable, Hashable, Codable {
    /// Why.
    public var reason: ReversionReason
    /// When the tracker applied the evidence.
    public var at: Timestamp

    public init(reason: ReversionReason, at: Timestamp) {
        self.reason = reason
        self.at = at
    }
}

/// The evidence behind a reversion (held indirectly: it is rare and large, and clocks stay small).
public indirect enum ReversionReason: Sendable, Hashable, Codable {
    /// Two verified certificates certify different blocks in the same slot.
    case equivocation(EquivocationSummary)
    /// L1 replaced the block holding the posting before it was finalized.
    case l1Reorg(L1ReorgEvidence)
    /// L1 records a different commitment for the certified block's height.
    case settlementConflict(SettlementConflict)

    /// `equivocation`, `l1-reorg` or `settlement-conflict`.
    public var code: String {
        switch self {
        case .equivocation: "equivocation"
        case .l1Reorg: "l1-reorg"
        case .settlementConflict: "settlement-conflict"
        }
    }
}

/// The essentials of verified ``EquivocationEvidence``.
public struct EquivocationSummary: Sendable, Hashable, Codable {
    /// The network.
    public var network: NetworkID
    /// The epoch, height and view shared by both certificates.
    public var epoch: UInt64, height: UInt64, view: UInt64
    /// The two certified block commitments.
    public var commitments: [Bytes32]
    /// How many validators signed both.
    public var doubleSignerCount: Int
    /// Their combined stake.
    public var doubleSignedStake: UInt256
    /// The table's total stake.
    public var totalStake: UInt256

    public init(network: NetworkID, epoch: UInt64, height: UInt64, view: UInt64, commitments: [Bytes32],
                doubleSignerCount: Int, doubleSignedStake: UInt256, totalStake: UInt256) {
        self.network = network
        self.epoch = epoch
        self.height = height
        self.view = view
        self.commitments = commitments
        self.doubleSignerCount = doubleSignerCount
        self.doubleSignedStake = doubleSignedStake
        self.totalStake = totalStake
    }
}

/// A posting on L1 that contradicts a certified block: same network and height, other commitment.
public struct SettlementConflict: Sendable, Hashable, Codable {
    /// The certified block.
    public var certified: CertifiedBlock
    /// The posting that contradicts it.
    public var posting: L1Posting

    public init(certified: CertifiedBlock, posting: L1Posting) {
        self.certified = certified
        self.posting = posting
    }
}

/// Both clocks of one subject.
public struct TrackedClocks: Sendable, Hashable, Codable {
    /// The subject's id (``TrackedSubject/id``).
    public var id: Bytes32
    /// What is tracked.
    public var subject: TrackedSubject
    /// When tracking started (submission or first sighting).
    public var submittedAt: Timestamp
    /// The shared-sequencer clock.
    public var preconfirmation: PreconfirmationClock
    /// The L1 clock.
    public var settlement: SettlementClock
    /// Every reversion applied to this subject, oldest first (a settlement reverted by a reorg
    /// and later finalized keeps its record here).
    public var reversionHistory: [Reversion] = []

    init(id: Bytes32, subject: TrackedSubject, submittedAt: Timestamp, preconfirmation: PreconfirmationClock,
         settlement: SettlementClock, reversionHistory: [Reversion] = []) {
        self.id = id
        self.subject = subject
        self.submittedAt = submittedAt
        self.preconfirmation = preconfirmation
        self.settlement = settlement
        self.reversionHistory = reversionHistory
    }

    private enum CodingKeys: String, CodingKey {
        case id, subject, submittedAt, preconfirmation, settlement, reversionHistory
    }

    /// Decodes the clocks and checks that the id is the subject's.
    /// - Throws: ``ConfirmationError`` `clocks.snapshot-inconsistent` otherwise (e.g. a snapshot written
    ///   before transaction ids included the namespace).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Bytes32.self, forKey: .id)
        subject = try c.decode(TrackedSubject.self, forKey: .subject)
        submittedAt = try c.decode(Timestamp.self, forKey: .submittedAt)
        preconfirmation = try c.decode(PreconfirmationClock.self, forKey: .preconfirmation)
        settlement = try c.decode(SettlementClock.self, forKey: .settlement)
        reversionHistory = try c.decodeIfPresent([Reversion].self, forKey: .reversionHistory) ?? []
        guard id == subject.id else {
            throw ConfirmationError(.clocksSnapshotInconsistent,
                                    "a subject's id \(id) is not \(subject.id) (snapshots from before namespaced transaction ids cannot be restored)")
        }
    }
}

/// One change to one subject's clocks, as delivered by the tracker's update streams.
public struct ClockUpdate: Sendable, Hashable, Codable {
    /// The clocks after the change.
    public var clocks: TrackedClocks
    /// When the change was applied.
    public var at: Timestamp

    public init(clocks: TrackedClocks, at: Timestamp) {
        self.clocks = clocks
        self.at = at
    }
}
