public import ConfirmationKit

/// A validator's consensus public key (`PublicKey` oneof: ed25519 = 1, secp256k1 = 2).
public enum CometBFTPublicKey: Sendable, Hashable {
    /// A 32-byte Ed25519 key; address = SHA-256(key)[0..<20].
    case ed25519(Ed25519PublicKey)
    /// A 33-byte compressed secp256k1 key; address = RIPEMD-160(SHA-256(key)).
    case secp256k1(Secp256k1PublicKey)

    /// Parses a key from its type name (`tendermint/PubKeyEd25519`, `tendermint/PubKeySecp256k1`,
    /// the `cometbft/` forms, or the bare `ed25519` / `secp256k1`) and raw bytes.
    /// - Throws: ``ConfirmationError`` `cometbft.unsupported-key-type`, `input.invalid-length`,
    ///   `key.invalid-public-key`.
    public init(typeName: String, bytes: [UInt8]) throws {
        switch typeName {
        case "tendermint/PubKeyEd25519", "cometbft/PubKeyEd25519", "ed25519":
            self = .ed25519(try Ed25519PublicKey(rawRepresentation: bytes))
        case "tendermint/PubKeySecp256k1", "cometbft/PubKeySecp256k1", "secp256k1":
            guard bytes.count == 33 else {
                throw ConfirmationError(.invalidLength, "a CometBFT secp256k1 key is 33 bytes (compressed); got \(bytes.count)")
            }
            self = .secp256k1(try Secp256k1PublicKey(serialized: bytes))
        default:
            throw ConfirmationError(.cometUnsupportedKeyType, "unsupported validator key type \"\(typeName.prefix(64))\"")
        }
    }

    /// The key bytes (32 for Ed25519, 33 compressed for secp256k1).
    public var rawBytes: [UInt8] {
        switch self {
        case .ed25519(let key): key.rawRepresentation
        case .secp256k1(let key): key.compressed
        }
    }

    /// The amino JSON type name CometBFT's RPC writes.
    public var typeName: String {
        switch self {
        case .ed25519: "tendermint/PubKeyEd25519"
        case .secp256k1: "tendermint/PubKeySecp256k1"
        }
    }

    /// The 20-byte validator address derived from the key.
    public var address: [UInt8] {
        switch self {
        case .ed25519(let key): Array(SHA256.hash(key.rawRepresentation).bytes.prefix(20))
        case .secp256k1(let key): RIPEMD160.hash(SHA256.hash(key.compressed).bytes)
        }
    }

    /// Checks a vote signature over the vote's sign bytes (Ed25519 over the bytes; secp256k1
    /// ECDSA over SHA-256 of the bytes, 64-byte `r ‖ s`, high `s` rejected).
    public func isValidSignature(_ signature: [UInt8], for signBytes: [UInt8]) -> Bool {
        switch self {
        case .ed25519(let key):
            return key.isValidSignature(signature, for: signBytes)
        case .secp256k1(let key):
            guard signature.count == 64, let sig = try? ECDSASignature(compact: signature) else { return false }
            return key.isValidSignature(sig, for: SHA256.hash(signBytes), allowHighS: false)
        }
    }

    /// The `PublicKey` protobuf encoding (the oneof field holding the key bytes).
    var protobuf: [UInt8] {
        var w = ProtoWriter()
        switch self {
        case .ed25519(let key): w.bytesField(1, key.rawRepresentation)
        case .secp256k1(let key): w.bytesField(2, key.compressed)
        }
        return w.bytes
    }
}

/// One validator: key, derived address and voting power.
public struct CometBFTValidator: Sendable, Hashable {
    /// The 20-byte address, always equal to ``publicKey``'s address.
    public let address: [UInt8]
    /// The consensus key.
    public let publicKey: CometBFTPublicKey
    /// The voting power, `0...CometBFTValidatorSet.maximumTotalVotingPower`.
    public let votingPower: Int64

    /// Makes a validator, checking what `Validator.ValidateBasic` checks.
    /// - Parameters:
    ///   - publicKey: the key.
    ///   - votingPower: the power; must not be negative.
    ///   - address: the claimed address, if any; it must match the key.
    /// - Throws: ``ConfirmationError`` `cometbft.negative-voting-power`, `cometbft.address-mismatch`.
    public init(publicKey: CometBFTPublicKey, votingPower: Int64, address: [UInt8]? = nil) throws {
        guard votingPower >= 0 else {
            throw ConfirmationError(.cometNegativeVotingPower, "a validator's voting power cannot be negative (\(votingPower))")
        }
        let derived = publicKey.address
        if let address, address != derived {
            throw ConfirmationError(.cometAddressMismatch,
                                    "validator address \(Hex.encode(address).uppercased()) is not the address of its key (\(Hex.encode(derived).uppercased()))")
        }
        self.address = derived
        self.publicKey = publicKey
        self.votingPower = votingPower
    }

    /// `SimpleValidator{pub_key = 1, voting_power = 2}`, the validator-set hash leaf.
    var simpleValidatorBytes: [UInt8] {
        var w = ProtoWriter()
        w.messageField(1, publicKey.protobuf)
        w.int64Field(2, votingPower)
        return w.bytes
    }
}

/// A validator set in CometBFT order (voting power descending, then address ascending), with
/// unique addresses and a total power within CometBFT's limit.
///
/// ```swift
/// let set = try CometBFTValidatorSet(validators: parsed)   // re-sorted as CometBFT does
/// set.hash()            // equals header.validatorsHash for the right set
/// ```
public struct CometBFTValidatorSet: Sendable, Hashable {
    /// `MaxTotalVotingPower` in `types/validator_set.go`: `Int64.max / 8`.
    public static let maximumTotalVotingPower: Int64 = Int64.max / 8
    /// The most validators a set may hold (CometBFT's `MaxVotesCount`).
    public static let maximumValidators = 10_000

    /// The validators in CometBFT order.
    public let validators: [CometBFTValidator]
    /// The sum of the voting powers (recomputed, never read from input).
    public let totalVotingPower: Int64
    /// The proposer's address, if the input named one (it must then be in the set).
    public let proposerAddress: [UInt8]?
    private let indexByAddress: [[UInt8]: Int]

    /// Validates and sorts a set.
    ///
    /// An empty set, or one naming a proposer it does not hold, can be represented (fixtures carry
    /// them) but never verifies anything: ``basicValidationFailure()`` reports it and the verifiers
    /// reject it, as `ValidatorSet.ValidateBasic` does.
    /// - Throws: ``ConfirmationError`` `cometbft.too-many-validators`,
    ///   `cometbft.duplicate-validator`, `cometbft.total-voting-power-overflow`.
    public init(validators: [CometBFTValidator], proposerAddress: [UInt8]? = nil) throws {
        guard validators.count <= Self.maximumValidators else {
            throw ConfirmationError(.cometTooManyValidators, "a validator set has at most \(Self.maximumValidators) validators; got \(validators.count)")
        }
        var total: Int64 = 0
        for v in validators {
            let (sum, overflow) = total.addingReportingOverflow(v.votingPower)
            guard !overflow, sum <= Self.maximumTotalVotingPower else {
                throw ConfirmationError(.cometTotalVotingPowerOverflow,
                                        "the total voting power exceeds MaxTotalVotingPower (\(Self.maximumTotalVotingPower))")
            }
            total = sum
        }
        let sorted = validators.sorted { a, b in
            a.votingPower != b.votingPower ? a.votingPower > b.votingPower : a.address.lexicographicallyPrecedes(b.address)
        }
        var index: [[UInt8]: Int] = [:]
        for (i, v) in sorted.enumerated() {
            if index.updateValue(i, forKey: v.address) != nil {
                throw ConfirmationError(.cometDuplicateValidator, "validator \(Hex.encode(v.address).uppercased()) appears twice")
            }
        }
        self.validators = sorted
        self.totalVotingPower = total
        self.proposerAddress = proposerAddress
        self.indexByAddress = index
    }

    /// The number of validators.
    public var count: Int { validators.count }

    /// The rule of `ValidatorSet.ValidateBasic` this set breaks, or `nil`: it must not be empty, and
    /// a named proposer must be in it (fixtures often name none; that is accepted).
    public func basicValidationFailure() -> PolicyFailure? {
        if validators.isEmpty {
            return PolicyFailure(.cometEmptyValidatorSet, "the validator set is empty")
        }
        if let proposerAddress, indexByAddress[proposerAddress] == nil {
            return PolicyFailure(.cometUnknownProposer, "the proposer \(Hex.encode(proposerAddress).uppercased()) is not in the set")
        }
        return nil
    }

    /// The index and validator with `address`, if present (`GetByAddress`).
    public func validator(address: [UInt8]) -> (index: Int, validator: CometBFTValidator)? {
        guard let i = indexByAddress[address] else { return nil }
        return (i, validators[i])
    }

    /// The validator-set hash: the RFC 6962 root over `SimpleValidator` encodings in set order.
    public func hash() -> Bytes32 {
        MerkleTree<RFC6962SHA256>.root(leafHashes: validators.map { RFC6962SHA256.leafHash($0.simpleValidatorBytes) })
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.validators == rhs.validators && lhs.proposerAddress == rhs.proposerAddress
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(validators)
        hasher.combine(proposerAddress)
    }
}

/// `PartSetHeader{total uint32 = 1, hash bytes = 2}`.
public struct CometBFTPartSetHeader: Sendable, Hashable {
    /// The number of parts.
    public var total: UInt32
    /// The parts' Merkle root (empty or 32 bytes).
    public var hash: [UInt8]

    /// Makes a part-set header.
    public init(total: UInt32, hash: [UInt8]) {
        self.total = total
        self.hash = hash
    }

    var isZero: Bool { total == 0 && hash.isEmpty }

    var protobuf: [UInt8] {
        var w = ProtoWriter()
        w.varintField(1, UInt64(total))
        w.bytesField(2, hash)
        return w.bytes
    }
}

/// `BlockID{hash = 1, part_set_header = 2}`.
public struct CometBFTBlockID: Sendable, Hashable {
    /// The block (header) hash: empty or 32 bytes.
    public var hash: [UInt8]
    /// The part-set header.
    public var partSetHeader: CometBFTPartSetHeader

    /// The zero block id (a NIL vote's, or a first block's `last_block_id`).
    public static let zero = CometBFTBlockID(hash: [], partSetHeader: CometBFTPartSetHeader(total: 0, hash: []))

    /// Makes a block id.
    public init(hash: [UInt8], partSetHeader: CometBFTPartSetHeader) {
        self.hash = hash
        self.partSetHeader = partSetHeader
    }

    /// Whether both the hash and the part-set header are empty.
    public var isZero: Bool { hash.isEmpty && partSetHeader.isZero }

    /// `BlockID` as the header hashes it (`part_set_header` is non-nullable, so a zero id is `12 00`).
    var protobuf: [UInt8] {
        var w = ProtoWriter()
        w.bytesField(1, hash)
        w.messageField(2, partSetHeader.protobuf)
        return w.bytes
    }

    /// `CanonicalBlockID`, or `nil` for a zero id (`CanonicalizeBlockID`).
    var canonicalProtobuf: [UInt8]? {
        guard !isZero else { return nil }
        var w = ProtoWriter()
        w.bytesField(1, hash)
        w.messageField(2, partSetHeader.protobuf)  // CanonicalPartSetHeader has the same fields.
        return w.bytes
    }

    /// Whether the hashes have the sizes `BlockID.ValidateBasic` allows (empty or 32 bytes).
    var hasValidSizes: Bool {
        (hash.isEmpty || hash.count == 32) && (partSetHeader.hash.isEmpty || partSetHeader.hash.count == 32)
    }
}

/// A block header with its 14 hashed fields.
public struct CometBFTHeader: Sendable, Hashable {
    /// `version.block` (11 for CometBFT 0.34–1.0).
    public var versionBlock: UInt64
    /// `version.app`.
    public var versionApp: UInt64
    /// The chain id (at most 50 bytes).
    public var chainID: String
    /// The height (positive).
    public var height: Int64
    /// The block time.
    public var time: CometBFTTime
    /// The previous block's id.
    public var lastBlockID: CometBFTBlockID
    /// Hash of the previous commit.
    public var lastCommitHash: [UInt8]
    /// RFC 6962 root over SHA-256 of each transaction.
    public var dataHash: [UInt8]
    /// Hash of this block's validator set.
    public var validatorsHash: [UInt8]
    /// Hash of the next block's validator set.
    public var nextValidatorsHash: [UInt8]
    /// Hash of the consensus parameters.
    public var consensusHash: [UInt8]
    /// The application state hash (any length).
    public var appHash: [UInt8]
    /// Hash of the previous block's results.
    public var lastResultsHash: [UInt8]
    /// Hash of the evidence.
    public var evidenceHash: [UInt8]
    /// The proposer's 20-byte address.
    public var proposerAddress: [UInt8]

    /// Makes a header from its fields (no checks: see ``basicValidationFailure()``).
    public init(versionBlock: UInt64, versionApp: UInt64, chainID: String, height: Int64, time: CometBFTTime,
                lastBlockID: CometBFTBlockID, lastCommitHash: [UInt8], dataHash: [UInt8], validatorsHash: [UInt8],
                nextValidatorsHash: [UInt8], consensusHash: [UInt8], appHash: [UInt8], lastResultsHash: [UInt8],
                evidenceHash: [UInt8], proposerAddress: [UInt8]) {
        self.versionBlock = versionBlock
        self.versionApp = versionApp
        self.chainID = chainID
        self.height = height
        self.time = time
        self.lastBlockID = lastBlockID
        self.lastCommitHash = lastCommitHash
        self.dataHash = dataHash
        self.validatorsHash = validatorsHash
        self.nextValidatorsHash = nextValidatorsHash
        self.consensusHash = consensusHash
        self.appHash = appHash
        self.lastResultsHash = lastResultsHash
        self.evidenceHash = evidenceHash
        self.proposerAddress = proposerAddress
    }

    /// The block version CometBFT 0.34 to 1.0 require (`version.BlockProtocol`).
    public static let blockProtocol: UInt64 = 11
    /// The longest chain id (`MaxChainIDLen`).
    public static let maximumChainIDBytes = 50

    /// The header hash (`Header.Hash`): the RFC 6962 root over the 14 field encodings, or `nil`
    /// when `validators_hash` is empty, as CometBFT returns.
    public func hash() -> Bytes32? {
        guard !validatorsHash.isEmpty else { return nil }
        return MerkleTree<RFC6962SHA256>.root(leafHashes: hashLeaves().map { RFC6962SHA256.leafHash($0) })
    }

    /// The 14 leaf values in field order (before RFC 6962 leaf hashing).
    public func hashLeaves() -> [[UInt8]] {
        var version = ProtoWriter()
        version.varintField(1, versionBlock)
        version.varintField(2, versionApp)
        func wrapped(_ bytes: [UInt8]) -> [UInt8] {  // gogotypes.BytesValue / StringValue, empty -> nothing
            var w = ProtoWriter()
            w.bytesField(1, bytes)
            return w.bytes
        }
        var heightValue = ProtoWriter()  // gogotypes.Int64Value
        heightValue.int64Field(1, height)
        return [
            version.bytes,
            wrapped(Array(chainID.utf8)),
            heightValue.bytes,
            time.protobuf,
            lastBlockID.protobuf,
            wrapped(lastCommitHash),
            wrapped(dataHash),
            wrapped(validatorsHash),
            wrapped(nextValidatorsHash),
            wrapped(consensusHash),
            wrapped(appHash),
            wrapped(lastResultsHash),
            wrapped(evidenceHash),
            wrapped(proposerAddress),
        ]
    }

    /// The first rule of `Header.ValidateBasic` this header breaks, or `nil`.
    public func basicValidationFailure() -> PolicyFailure? {
        if versionBlock != Self.blockProtocol {
            return PolicyFailure(.cometInvalidHeader, "block protocol version \(versionBlock), expected \(Self.blockProtocol)")
        }
        if chainID.utf8.count > Self.maximumChainIDBytes {
            return PolicyFailure(.cometInvalidHeader, "chain id longer than \(Self.maximumChainIDBytes) bytes")
        }
        if height <= 0 {
            return PolicyFailure(.cometInvalidHeader, "height \(height) is not positive")
        }
        if !lastBlockID.hasValidSizes {
            return PolicyFailure(.cometInvalidHeader, "last_block_id hashes must be empty or 32 bytes")
        }
        let hashes: [(String, [UInt8])] = [
            ("last_commit_hash", lastCommitHash), ("data_hash", dataHash), ("validators_hash", validatorsHash),
            ("next_validators_hash", nextValidatorsHash), ("consensus_hash", consensusHash),
            ("last_results_hash", lastResultsHash), ("evidence_hash", evidenceHash),
        ]
        for (name, value) in hashes where !(value.isEmpty || value.count == 32) {
            return PolicyFailure(.cometInvalidHeader, "\(name) must be empty or 32 bytes; got \(value.count)")
        }
        if proposerAddress.count != 20 {
            return PolicyFailure(.cometInvalidHeader, "proposer_address must be 20 bytes; got \(proposerAddress.count)")
        }
        return nil
    }
}

/// `BlockIDFlag`: 1 ABSENT, 2 COMMIT, 3 NIL (0 UNKNOWN is rejected when parsing).
public enum CometBFTBlockIDFlag: UInt8, Sendable, Hashable {
    /// No vote was received.
    case absent = 1
    /// A precommit for the commit's block.
    case commit = 2
    /// A precommit for nil.
    case `nil` = 3
}

/// One slot of a commit (`CommitSig`).
public struct CometBFTCommitSig: Sendable, Hashable {
    /// The flag.
    public var flag: CometBFTBlockIDFlag
    /// The signer's address (20 bytes unless absent).
    public var validatorAddress: [UInt8]
    /// The vote time (`nil` when the input had none).
    public var timestamp: CometBFTTime?
    /// The signature (1–64 bytes unless absent).
    public var signature: [UInt8]

    /// Makes a commit signature.
    public init(flag: CometBFTBlockIDFlag, validatorAddress: [UInt8], timestamp: CometBFTTime?, signature: [UInt8]) {
        self.flag = flag
        self.validatorAddress = validatorAddress
        self.timestamp = timestamp
        self.signature = signature
    }

    /// The largest signature CometBFT v0.38 accepts (`MaxSignatureSize`).
    public static let maximumSignatureBytes = 64

    /// The rule of `CommitSig.ValidateBasic` this slot breaks, if any.
    func basicValidationFailure(index: Int) -> PolicyFailure? {
        switch flag {
        case .absent:
            if !validatorAddress.isEmpty || !signature.isEmpty || !(timestamp?.isZeroLike ?? true) {
                return PolicyFailure(.cometInvalidCommitSig, "absent signature #\(index) must have no address, time or signature",
                                     signerIndex: index)
            }
        case .commit, .nil:
            if validatorAddress.count != 20 {
                return PolicyFailure(.cometInvalidCommitSig, "signature #\(index) has a \(validatorAddress.count)-byte address",
                                     signerIndex: index)
            }
            if signature.isEmpty || signature.count > Self.maximumSignatureBytes {
                return PolicyFailure(.cometInvalidCommitSig, "signature #\(index) has \(signature.count) bytes (1-64 allowed)",
                                     signerIndex: index)
            }
        }
        return nil
    }
}

/// A commit: +2/3 precommits for a block.
public struct CometBFTCommit: Sendable, Hashable {
    /// The height.
    public var height: Int64
    /// The round.
    public var round: Int32
    /// The committed block.
    public var blockID: CometBFTBlockID
    /// One slot per validator, in validator-set order.
    public var signatures: [CometBFTCommitSig]

    /// Makes a commit.
    public init(height: Int64, round: Int32, blockID: CometBFTBlockID, signatures: [CometBFTCommitSig]) {
        self.height = height
        self.round = round
        self.blockID = blockID
        self.signatures = signatures
    }

    /// The canonical vote sign bytes of slot `index` (`Commit.VoteSignBytes`): a length-delimited
    /// `CanonicalVote` for a PRECOMMIT at the commit's height and round, carrying the commit's block
    /// id for a COMMIT slot and none otherwise, the slot's time and `chainID`.
    /// - Returns: `nil` when `index` is out of range.
    public func voteSignBytes(chainID: String, index: Int) -> [UInt8]? {
        guard signatures.indices.contains(index) else { return nil }
        let sig = signatures[index]
        let blockID = sig.flag == .commit ? blockID : .zero
        return Self.canonicalVoteSignBytes(chainID: chainID, height: height, round: round, blockID: blockID,
                                           time: sig.timestamp ?? .goZero)
    }

    /// `protoio.MarshalDelimited(CanonicalVote{PRECOMMIT, height, round, block_id, timestamp, chain_id})`.
    public static func canonicalVoteSignBytes(chainID: String, height: Int64, round: Int32, blockID: CometBFTBlockID,
                                              time: CometBFTTime) -> [UInt8] {
        var w = ProtoWriter()
        w.varintField(1, 2)  // SignedMsgType PRECOMMIT
        w.sfixed64Field(2, height)
        w.sfixed64Field(3, Int64(round))
        if let canonical = blockID.canonicalProtobuf { w.messageField(4, canonical) }
        w.messageField(5, time.protobuf)
        w.bytesField(6, Array(chainID.utf8))
        return ProtoWriter.delimited(w.bytes)
    }

    /// The first rule of `Commit.ValidateBasic` this commit breaks, or `nil`.
    public func basicValidationFailure() -> PolicyFailure? {
        if height < 0 { return PolicyFailure(.cometInvalidCommit, "negative commit height") }
        if round < 0 { return PolicyFailure(.cometInvalidCommit, "negative commit round") }
        if height >= 1 {
            if blockID.isZero { return PolicyFailure(.cometInvalidCommit, "a commit cannot be for a nil block") }
            if !blockID.hasValidSizes || blockID.hash.count != 32 {
                return PolicyFailure(.cometInvalidCommit, "the commit's block id hashes must be 32 bytes")
            }
            if signatures.isEmpty { return PolicyFailure(.cometInvalidCommit, "a commit has no signatures") }
            for (i, sig) in signatures.enumerated() {
                if let failure = sig.basicValidationFailure(index: i) { return failure }
            }
        }
        return nil
    }
}

/// A header with the commit that signs it.
public struct CometBFTSignedHeader: Sendable, Hashable {
    /// The header.
    public var header: CometBFTHeader
    /// Its commit.
    public var commit: CometBFTCommit

    /// Pairs a header and a commit.
    public init(header: CometBFTHeader, commit: CometBFTCommit) {
        self.header = header
        self.commit = commit
    }

    /// The first rule of `SignedHeader.ValidateBasic(chainID)` this breaks, or `nil`: header and
    /// commit rules, chain id, `commit.height == header.height` and `header.Hash() == commit.block_id.hash`.
    public func basicValidationFailure(chainID: String) -> PolicyFailure? {
        if let failure = header.basicValidationFailure() { return failure }
        if let failure = commit.basicValidationFailure() { return failure }
        if header.chainID != chainID {
            return PolicyFailure(.cometChainIDMismatch, "header chain id \"\(header.chainID)\" is not \"\(chainID)\"")
        }
        if commit.height != header.height {
            return PolicyFailure(.cometCommitHeightMismatch, "commit height \(commit.height) is not header height \(header.height)")
        }
        guard let hash = header.hash(), hash.bytes == commit.blockID.hash else {
            return PolicyFailure(.cometCommitBlockMismatch, "the commit signs block \(Hex.encode(commit.blockID.hash).uppercased()), not this header")
        }
        return nil
    }
}

/// A light block: a signed header, its validator set and (optionally) the next validator set.
public struct CometBFTLightBlock: Sendable, Hashable {
    /// The signed header.
    public var signedHeader: CometBFTSignedHeader
    /// The validators of this height (`validators_hash`). `nil` for a trusted state given only by
    /// header and next set (the model-based fixtures).
    public var validatorSet: CometBFTValidatorSet?
    /// The validators of the next height (`next_validators_hash`), if provided.
    public var nextValidatorSet: CometBFTValidatorSet?
    /// The provider's id, informational.
    public var provider: String?

    /// Makes a light block.
    public init(signedHeader: CometBFTSignedHeader, validatorSet: CometBFTValidatorSet?,
                nextValidatorSet: CometBFTValidatorSet?, provider: String? = nil) {
        self.signedHeader = signedHeader
        self.validatorSet = validatorSet
        self.nextValidatorSet = nextValidatorSet
        self.provider = provider
    }

    /// The header.
    public var header: CometBFTHeader { signedHeader.header }
    /// The height.
    public var height: Int64 { signedHeader.header.height }
}
