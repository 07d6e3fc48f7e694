public import Foundation

/// A portable, self-describing proof that transactions were confirmed: the certificate, its stake
/// table (embedded, or referenced by commitment), the inclusion proofs, the transactions, and
/// optional L1 settlement evidence. Export one to let another team cross-check a balance change
/// with `confirm verify` or their own implementation (see `Docs/formats.md`).
///
/// ```swift
/// let bundle = ProofBundle(certificate: qc, stakeTable: .embedded(table), proofs: [proof],
///                          transactions: [BundledTransaction(namespace: 7, transaction: tx)])
/// let json = try bundle.jsonData()
/// let verdict = ProofBundleVerifier(profile: Secp256k1QuorumProfile()).verify(bundle, trustedStakeTables: [table])
/// ```
public struct ProofBundle<Profile: QuorumProfile>: Sendable, Hashable, Codable {
    /// `confirmationkit-proof-bundle`.
    public static var format: String { "confirmationkit-proof-bundle" }
    /// The format version this library writes and reads.
    public static var version: Int { 1 }

    /// The quorum certificate.
    public var certificate: QuorumCertificate<Profile>
    /// The stake table it is checked against.
    public var stakeTable: StakeTableReference<Profile.Key>
    /// Inclusion proofs against the certificate's block commitment.
    public var proofs: [InclusionProof]
    /// The transactions the bundle vouches for.
    public var transactions: [BundledTransaction]
    /// Optional L1 settlement evidence.
    public var settlement: SettlementEvidence?

    public init(certificate: QuorumCertificate<Profile>, stakeTable: StakeTableReference<Profile.Key>,
                proofs: [InclusionProof], transactions: [BundledTransaction], settlement: SettlementEvidence? = nil) {
        self.certificate = certificate
        self.stakeTable = stakeTable
        self.proofs = proofs
        self.transactions = transactions
        self.settlement = settlement
    }

    /// The default limits on what a bundle may carry (see ``BundleLimits``).
    public static var maximumProofs: Int { BundleLimits.standard.maximumProofs }
    public static var maximumTransactions: Int { BundleLimits.standard.maximumTransactions }
    /// The largest bundle document accepted (JSON or binary).
    public static var maximumBytes: Int { 16 << 20 }

    private enum CodingKeys: String, CodingKey {
        case format, version, profile, network, certificate, stakeTable, proofs, transactions, settlement
    }

    /// Decodes a bundle, checking format, version, profile and counts.
    /// - Throws: ``ConfirmationError`` `bundle.wrong-format`, `bundle.unsupported-version`,
    ///   `bundle.profile-mismatch`, `bundle.network-mismatch`, `bundle.too-many-proofs`,
    ///   `bundle.too-many-transactions`, or the errors of the parts' decoders.
    public init(from decoder: any Decoder) throws {
        let limits = decoder.userInfo[BundleLimits.userInfoKey] as? BundleLimits ?? .standard
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard try container.decode(String.self, forKey: .format) == Self.format else {
            throw ConfirmationError(.bundleWrongFormat, "not a \(Self.format) document")
        }
        let version = try container.decode(Int.self, forKey: .version)
        guard version == Self.version else {
            throw ConfirmationError(.bundleUnsupportedVersion, "bundle version \(version); this library reads version \(Self.version)")
        }
        let profile = try container.decode(String.self, forKey: .profile)
        guard profile == Profile.name else {
            throw ConfirmationError(.bundleProfileMismatch, "the bundle is for profile \(profile), not \(Profile.name)")
        }
        certificate = try container.decode(QuorumCertificate<Profile>.self, forKey: .certificate)
        let network = try container.decode(NetworkID.self, forKey: .network)
        guard network == certificate.statement.networkID else {
            throw ConfirmationError(.bundleNetworkMismatch,
                                    "the bundle names network \(network); its certificate is for \(certificate.statement.networkID)")
        }
        stakeTable = try container.decode(StakeTableReference<Profile.Key>.self, forKey: .stakeTable)
        proofs = try container.decode([InclusionProof].self, forKey: .proofs)
        guard proofs.count <= limits.maximumProofs else {
            throw ConfirmationError(.bundleTooManyProofs, "\(proofs.count) proofs; the limit is \(limits.maximumProofs)")
        }
        transactions = try container.decode([BundledTransaction].self, forKey: .transactions)
        guard transactions.count <= limits.maximumTransactions else {
            throw ConfirmationError(.bundleTooManyTransactions,
                                    "\(transactions.count) transactions; the limit is \(limits.maximumTransactions)")
        }
        settlement = try container.decodeIfPresent(SettlementEvidence.self, forKey: .settlement)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.format, forKey: .format)
        try container.encode(Self.version, forKey: .version)
        try container.encode(Profile.name, forKey: .profile)
        try container.encode(certificate.statement.networkID, forKey: .network)
        try container.encode(certificate, forKey: .certificate)
        try container.encode(stakeTable, forKey: .stakeTable)
        try container.encode(proofs, forKey: .proofs)
        try container.encode(transactions, forKey: .transactions)
        try container.encodeIfPresent(settlement, forKey: .settlement)
    }

    /// The JSON form: sorted keys, pretty-printed.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Parses the JSON form.
    /// - Throws: ``ConfirmationError`` `input.too-long`, or a typed error from the decoders
    ///   (malformed JSON surfaces as `bundle.malformed-json`).
    public init(jsonData data: Data, limits: BundleLimits = .standard) throws {
        guard data.count <= Self.maximumBytes else {
            throw ConfirmationError(.inputTooLong, "a bundle is at most \(Self.maximumBytes) bytes; got \(data.count)")
        }
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[BundleLimits.userInfoKey] = limits
            self = try decoder.decode(Self.self, from: data)
        } catch let error as ConfirmationError {
            throw error
        } catch {
            throw ConfirmationError(.bundleMalformedJSON, "the bundle is not well-formed: \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \(([key] + context.codingPath).map(\.stringValue).reversed().joined(separator: "."))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted(let context):
            if let underlying = context.underlyingError as? ConfirmationError { return underlying.description }
            return "invalid data at \(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}

/// How many proofs and transactions a bundle may carry; pass other limits to a `JSONDecoder`
/// through ``userInfoKey`` or to ``ProofBundle/init(jsonData:limits:)``.
public struct BundleLimits: Sendable, Hashable {
    /// The most inclusion proofs (default 1,024).
    public var maximumProofs: Int
    /// The most transactions (default 4,096).
    public var maximumTransactions: Int

    public init(maximumProofs: Int = 1024, maximumTransactions: Int = 4096) {
        self.maximumProofs = maximumProofs
        self.maximumTransactions = maximumTransactions
    }

    /// The defaults.
    public static let standard = BundleLimits()

    /// The `Decoder.userInfo` key under which bundle decoding looks for limits.
    public static let userInfoKey = CodingUserInfoKey(rawValue: "confirmationkit.bundle-limits")!
}

/// The stake table a bundle is checked against: carried whole, or named by epoch and commitment
/// (the verifier must then be given the table).
public enum StakeTableReference<Key: StakeTableKey>: Sendable, Hashable, Codable {
    /// The whole table.
    case embedded(StakeTable<Key>)
    /// Only the epoch and the commitment.
    case commitment(epoch: UInt64, commitment: Bytes32)

    /// The referenced table's epoch.
    public var epoch: UInt64 {
        switch self {
        case .embedded(let table): table.epoch
        case .commitment(let epoch, _): epoch
        }
    }

    /// The referenced table's commitment.
    public var commitment: Bytes32 {
        switch self {
        case .embedded(let table): table.commitment
        case .commitment(_, let commitment): commitment
        }
    }

    private enum CodingKeys: String, CodingKey { case embedded, epoch, commitment }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let table = try container.decodeIfPresent(StakeTable<Key>.self, forKey: .embedded) {
            self = .embedded(table)
        } else {
            self = .commitment(epoch: try container.decode(UInt64.self, forKey: .epoch),
                               commitment: try container.decode(Bytes32.self, forKey: .commitment))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .embedded(let table):
            try container.encode(table, forKey: .embedded)
        case .commitment(let epoch, let commitment):
            try container.encode(epoch, forKey: .epoch)
            try container.encode(commitment, forKey: .commitment)
        }
    }
}

/// A transaction a bundle vouches for: its namespace and bytes (or only its hash).
public struct BundledTransaction: Sendable, Hashable, Codable {
    /// The rollup namespace.
    public var namespace: NamespaceID
    /// The transaction bytes, when carried.
    public var transaction: [UInt8]?
    /// ``TransactionHash/of(_:)``; must match the bytes when both are present.
    public var hash: Bytes32

    /// A transaction with its bytes.
    public init(namespace: NamespaceID, transaction: [UInt8]) {
        self.namespace = namespace
        self.transaction = transaction
        self.hash = TransactionHash.of(transaction)
    }

    /// A transaction by hash only.
    public init(namespace: NamespaceID, hash: Bytes32) {
        self.namespace = namespace
        self.transaction = nil
        self.hash = hash
    }

    /// The reference the proofs are matched against.
    public var reference: TransactionReference { TransactionReference(namespace: namespace, hash: hash) }

    private enum CodingKeys: String, CodingKey { case namespace, transaction, hash }

    /// Decodes; when both bytes and hash are present they must agree (`bundle.transaction-hash-mismatch`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        namespace = try container.decode(NamespaceID.self, forKey: .namespace)
        if let hex = try container.decodeIfPresent(String.self, forKey: .transaction) {
            let bytes = try Hex.decode(hex, maximumBytes: MerkleLimits.maximumLeafBytes)
            transaction = bytes
            hash = TransactionHash.of(bytes)
            if let claimed = try container.decodeIfPresent(Bytes32.self, forKey: .hash), claimed != hash {
                throw ConfirmationError(.bundleTransactionHashMismatch, "the transaction's hash is \(hash), not \(claimed)")
            }
        } else {
            transaction = nil
            hash = try container.decode(Bytes32.self, forKey: .hash)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(namespace, forKey: .namespace)
        if let transaction { try container.encode("0x" + Hex.encode(transaction), forKey: .transaction) }
        try container.encode(hash, forKey: .hash)
    }
}

/// L1 settlement evidence carried by a bundle: the posting and the chain of headers from the
/// posting block up to a finalized checkpoint.
public struct SettlementEvidence: Sendable, Hashable, Codable {
    /// The posting of the certified commitment.
    public var posting: L1Posting
    /// Headers from the posting block (first) upwards, each the parent of the next.
    public var headers: [L1BlockHeader]
    /// The finalized checkpoint the headers reach, if the bundle claims finality.
    public var finalizedCheckpoint: L1BlockHeader?

    /// The most headers a bundle may carry.
    public static var maximumHeaders: Int { 8192 }

    public init(posting: L1Posting, headers: [L1BlockHeader], finalizedCheckpoint: L1BlockHeader?) {
        self.posting = posting
        self.headers = headers
        self.finalizedCheckpoint = finalizedCheckpoint
    }
}

extension ConfirmationError.Code {
    /// The document is not a proof bundle.
    public static let bundleWrongFormat = Self("bundle.wrong-format")
    /// The bundle's version is not supported.
    public static let bundleUnsupportedVersion = Self("bundle.unsupported-version")
    /// The bundle is for another profile than the verifier's.
    public static let bundleProfileMismatch = Self("bundle.profile-mismatch")
    /// The bundle's network differs from its certificate's.
    public static let bundleNetworkMismatch = Self("bundle.network-mismatch")
    /// More proofs than ``ProofBundle/maximumProofs``.
    public static let bundleTooManyProofs = Self("bundle.too-many-proofs")
    /// More transactions than ``ProofBundle/maximumTransactions``.
    public static let bundleTooManyTransactions = Self("bundle.too-many-transactions")
    /// A transaction's bytes and hash disagree.
    public static let bundleTransactionHashMismatch = Self("bundle.transaction-hash-mismatch")
    /// The bundle JSON is malformed.
    public static let bundleMalformedJSON = Self("bundle.malformed-json")
}
