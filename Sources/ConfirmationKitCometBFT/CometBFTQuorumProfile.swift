public import ConfirmationKit

/// A CometBFT validator key as a stake-table key (ordered by key type, then bytes).
public struct CometBFTValidatorKey: StakeTableKey {
    /// The key.
    public let publicKey: CometBFTPublicKey

    /// Wraps a key.
    public init(_ publicKey: CometBFTPublicKey) { self.publicKey = publicKey }

    /// `ed25519` or `secp256k1`.
    public var keyType: KeyType {
        switch publicKey {
        case .ed25519: .ed25519
        case .secp256k1: .secp256k1
        }
    }

    /// The raw key bytes (32 for Ed25519, 33 compressed for secp256k1).
    public var canonicalBytes: [UInt8] { publicKey.rawBytes }

    /// `type:hex`, also the JSON form.
    public var description: String { "\(keyType):\(Hex.encode(canonicalBytes))" }

    /// Orders by key type, then bytes.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.keyType.rawValue != rhs.keyType.rawValue ? lhs.keyType.rawValue < rhs.keyType.rawValue
            : lhs.canonicalBytes.lexicographicallyPrecedes(rhs.canonicalBytes)
    }

    /// Decodes `"ed25519:<hex>"` or `"secp256k1:<hex>"`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { throw ConfirmationError(.cometMalformedJSON, "a validator key is type:hex") }
        publicKey = try CometBFTPublicKey(typeName: String(parts[0]), bytes: Hex.decode(String(parts[1]), maximumBytes: 33))
    }

    /// Encodes `"type:hex"`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// What a CometBFT commit certifies, as the core model sees it: chain, height, round and block id.
/// The epoch is the height (a CometBFT validator set belongs to one height).
public struct CometBFTCommitStatement: CertifiedStatement {
    /// The chain id.
    public let chainID: String
    /// The height.
    public let height: UInt64
    /// The round.
    public let round: UInt64
    /// The block (header) hash.
    public let blockHash: Bytes32
    /// The part-set header of the block id.
    public let partSetTotal: UInt32
    /// The part-set hash (empty or 32 bytes).
    public let partSetHash: [UInt8]
    /// The header time, seconds since the Unix epoch.
    public let headerTime: Int64

    /// `cometbft:<chain id>`.
    public var networkID: NetworkID { NetworkID("cometbft:" + chainID) }
    /// The height: a CometBFT validator set belongs to one height.
    public var epoch: UInt64 { height }
    /// The round.
    public var view: UInt64 { round }
    /// The block hash.
    public var blockCommitment: Bytes32 { blockHash }
    /// The header time in seconds, when not before 1970.
    public var signedTime: UInt64? { UInt64(exactly: headerTime) }

    var blockID: CometBFTBlockID {
        CometBFTBlockID(hash: blockHash.bytes, partSetHeader: CometBFTPartSetHeader(total: partSetTotal, hash: partSetHash))
    }
}

/// A COMMIT vote's signature with the time it signed (each vote signs its own timestamp).
public struct CometBFTVoteSignature: Hashable, Sendable, Codable {
    /// The signature bytes.
    public let signature: [UInt8]
    /// The vote time: seconds since the Unix epoch.
    public let seconds: Int64
    /// The vote time: nanoseconds within the second.
    public let nanos: Int32
}

/// The CometBFT profile of the core quorum model, so that a verified commit becomes a
/// ``VerifiedCertificate`` and a `CertifiedBlock` for the two-clock tracker.
///
/// Only a commit that passed CometBFT's own rules should be mapped: use
/// ``CometBFTCertificateMapping/verify(_:validators:cache:)``, which runs
/// ``CometBFTCommitVerifier/verifySignedHeader(_:validators:cache:workers:)`` first and then the generic
/// verifier with a strict two-thirds threshold (the same rule: `3·signed > 2·total`).
public struct CometBFTQuorumProfile: QuorumProfile {
    /// Validators are identified by their consensus key.
    public typealias Key = CometBFTValidatorKey
    /// Chain, height, round and block id.
    public typealias Statement = CometBFTCommitStatement
    /// A vote signature with its time.
    public typealias Signature = CometBFTVoteSignature
    /// The statement (sign bytes are rebuilt per vote).
    public typealias Message = CometBFTCommitStatement

    /// Makes the profile.
    public init() {}

    /// `cometbft`.
    public static var name: String { "cometbft" }
    /// Signers are a bitmap over the validator set (commit slots are in set order).
    public static var signerEncoding: SignerEncoding { .bitmap }

    /// The statement itself: each vote's sign bytes also need its own time, carried by the signature.
    public func message(for statement: CometBFTCommitStatement) -> CometBFTCommitStatement { statement }

    /// Rebuilds the vote's canonical sign bytes (COMMIT, the statement's block id, the signature's
    /// time) and verifies the signature with the validator's key. `allowHighS` is ignored: CometBFT
    /// rejects high-S secp256k1 signatures.
    public func checkSignature(_ signature: CometBFTVoteSignature, by key: CometBFTValidatorKey,
                               message: CometBFTCommitStatement, allowHighS: Bool) -> SignatureCheck {
        guard let time = try? CometBFTTime(seconds: signature.seconds, nanos: signature.nanos),
              let height = Int64(exactly: message.height), let round = Int32(exactly: message.round) else { return .invalid }
        let bytes = CometBFTCommit.canonicalVoteSignBytes(chainID: message.chainID, height: height, round: round,
                                                          blockID: message.blockID, time: time)
        return key.publicKey.isValidSignature(signature.signature, for: bytes) ? .valid : .invalid
    }
}

/// Maps CometBFT commits into the core model.
public enum CometBFTCertificateMapping {
    /// The certificate (COMMIT slots as a bitmap over the validator set) and the stake table
    /// (validators in set order, stake = voting power) of a signed header.
    public static func certificate(for signed: CometBFTSignedHeader, validators: CometBFTValidatorSet) throws
        -> (QuorumCertificate<CometBFTQuorumProfile>, StakeTable<CometBFTValidatorKey>) {
        let header = signed.header
        let commit = signed.commit
        guard let height = UInt64(exactly: header.height), let round = UInt64(exactly: commit.round) else {
            throw ConfirmationError(.cometInvalidHeader, "negative height or round")
        }
        let statement = CometBFTCommitStatement(
            chainID: header.chainID, height: height, round: round, blockHash: try Bytes32(commit.blockID.hash),
            partSetTotal: commit.blockID.partSetHeader.total, partSetHash: commit.blockID.partSetHeader.hash,
            headerTime: header.time.seconds)
        var signers: [Int] = []
        var signatures: [CometBFTVoteSignature] = []
        for (i, sig) in commit.signatures.enumerated() where sig.flag == .commit && i < validators.count {
            signers.append(i)
            let t = sig.timestamp ?? .goZero
            signatures.append(CometBFTVoteSignature(signature: sig.signature, seconds: t.seconds, nanos: t.nanos))
        }
        let table = try StakeTable(epoch: height, entries: validators.validators.map {
            StakeTableEntry(key: CometBFTValidatorKey($0.publicKey), stake: UInt256(UInt64(clamping: $0.votingPower)))
        })
        let certificate = QuorumCertificate<CometBFTQuorumProfile>(
            statement: statement, signers: .bitmap(SignerBitmap(count: validators.count, setting: signers)),
            signatures: .individual(signatures))
        return (certificate, table)
    }

    /// Verifies a signed header with CometBFT's rules, then through the generic verifier, giving a
    /// ``VerifiedCertificate`` (hence a `CertifiedBlock` whose `blockCommitment` is the block hash).
    /// - Returns: the verified certificate, or every failure (CometBFT's first, or the generic verifier's).
    public static func verify(_ signed: CometBFTSignedHeader, validators: CometBFTValidatorSet,
                              cache: inout CometBFTSignatureCache) -> QuorumVerdict<CometBFTQuorumProfile> {
        if let failure = CometBFTCommitVerifier.verifySignedHeader(signed, validators: validators, cache: &cache).failure {
            return .rejected([failure])
        }
        do {
            let (certificate, table) = try certificate(for: signed, validators: validators)
            let verifier = QuorumVerifier(profile: CometBFTQuorumProfile()) {
                QuorumThreshold.twoThirds
                EpochMatches()
            }
            return verifier.verify(certificate, against: table)
        } catch let error as ConfirmationError {
            return .rejected([PolicyFailure(error.code, error.reason)])
        } catch {
            return .rejected([PolicyFailure(.cometInvalidHeader, "\(error)")])
        }
    }
}

/// A transaction proved all the way to a CometBFT block hash: the transaction's leaf (SHA-256(tx)) in
/// `data_hash`, then `data_hash`'s leaf (field 7, `BytesValue`) among the header's 14 leaves.
///
/// ```swift
/// let proof = try CometBFTTransactionProof(transactions: txs, index: 3, header: header)
/// proof.verify(against: certifiedBlock.blockCommitment)   // the header hash
/// ```
public struct CometBFTTransactionProof: Sendable, Hashable {
    /// The transaction.
    public let transaction: [UInt8]
    /// The proof of SHA-256(tx) in `data_hash`.
    public let dataProof: MerkleInclusionProof<RFC6962SHA256>
    /// The proof of the `data_hash` field in the header hash tree (leaf 6 of 14).
    public let headerProof: MerkleInclusionProof<RFC6962SHA256>

    /// Builds the proof for transaction `index` of a block.
    /// - Throws: ``ConfirmationError`` `merkle.index-out-of-range`, `astria.block-mismatch` when
    ///   `transactions` do not hash to the header's `data_hash`.
    public init(transactions: [[UInt8]], index: Int, header: CometBFTHeader) throws {
        guard transactions.indices.contains(index) else {
            throw ConfirmationError(.merkleIndexOutOfRange, "transaction \(index) of \(transactions.count)")
        }
        guard CometBFTBlockData.dataHash(transactions).bytes == header.dataHash else {
            throw ConfirmationError(.astriaBlockMismatch, "the transactions do not hash to data_hash")
        }
        transaction = transactions[index]
        dataProof = try CometBFTBlockData.inclusionProof(transactions, index: index)
        headerProof = try MerkleTree<RFC6962SHA256>(leaves: header.hashLeaves()).inclusionProof(index: 6)
    }

    /// CometBFT blocks have no namespaces: their transactions are tracked in namespace 0.
    public static let namespace = NamespaceID(0)

    /// Whether the transaction is in the block whose hash is `blockHash`.
    public func verify(against blockHash: Bytes32) -> Bool {
        guard dataProof.leaf == SHA256.hash(transaction).bytes, headerProof.leafIndex == 6, headerProof.treeSize == 14,
              headerProof.leaf == [0x0a, 0x20] + dataProof.root.bytes else { return false }
        return headerProof.verify(against: blockHash)
    }
}

extension CometBFTTransactionProof: InclusionEvidence {
    /// `cometbft-transaction`.
    public var kind: String { "cometbft-transaction" }

    /// The transaction (in namespace 0) when the proof verifies against the block hash.
    public func verifiedTransactions(in blockCommitment: Bytes32) -> [TransactionReference]? {
        verify(against: blockCommitment) ? [TransactionReference(namespace: Self.namespace, transaction: transaction)] : nil
    }
}
