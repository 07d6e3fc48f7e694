public import ConfirmationKit

/// An Espresso protocol version, `major.minor` (headers 0.1 through 0.6 are supported).
public struct EspressoVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The major version (always 0 so far).
    public let major: UInt16
    /// The minor version.
    public let minor: UInt16

    /// Creates a version.
    public init(major: UInt16, minor: UInt16) {
        self.major = major
        self.minor = minor
    }

    /// The header versions whose commitment this module computes: 0.1 through 0.6.
    public static let supportedHeaderVersions = (1...6).map { EspressoVersion(major: 0, minor: $0) }

    public static func < (a: EspressoVersion, b: EspressoVersion) -> Bool { (a.major, a.minor) < (b.major, b.minor) }

    /// `0.5`.
    public var description: String { "\(major).\(minor)" }
}

/// The chain configuration a header commits to (`ChainConfig`), or only its commitment.
public enum EspressoChainConfig: Sendable, Hashable {
    /// The full configuration (`{"Left": {…}}`).
    case full(Fields)
    /// Only the commitment (`{"Right": "CHAIN_CONFIG~…"}`).
    case commitment(EspressoCommitment)

    /// The fields of a chain configuration.
    public struct Fields: Sendable, Hashable {
        /// The chain id.
        public var chainID: UInt256
        /// The largest block, in bytes.
        public var maxBlockSize: UInt64
        /// The base fee per byte.
        public var baseFee: UInt256
        /// The fee contract on L1, if any.
        public var feeContract: EthereumAddress?
        /// Who receives fees.
        public var feeRecipient: EthereumAddress
        /// The stake table contract on L1, if any.
        public var stakeTableContract: EthereumAddress?

        /// Creates a configuration.
        public init(chainID: UInt256, maxBlockSize: UInt64, baseFee: UInt256, feeContract: EthereumAddress?,
                    feeRecipient: EthereumAddress, stakeTableContract: EthereumAddress?) {
            self.chainID = chainID
            self.maxBlockSize = maxBlockSize
            self.baseFee = baseFee
            self.feeContract = feeContract
            self.feeRecipient = feeRecipient
            self.stakeTableContract = stakeTableContract
        }
    }

    /// `RCB("CHAIN_CONFIG")`: chain_id (u256), max_block_size (u64), base_fee (u256),
    /// fee_recipient (20 bytes), `fee_contract` 0 or 1 + address, `stake_table_contract` 1 + address when set.
    public var commitment: EspressoCommitment {
        switch self {
        case .commitment(let c): return c
        case .full(let f):
            var b = CommitmentBuilder("CHAIN_CONFIG")
                .u256Field("chain_id", f.chainID)
                .u64Field("max_block_size", f.maxBlockSize)
                .u256Field("base_fee", f.baseFee)
                .constant("fee_recipient").fixed(f.feeRecipient.bytes)
            if let contract = f.feeContract {
                b = b.u64Field("fee_contract", 1).fixed(contract.bytes)
            } else {
                b = b.u64Field("fee_contract", 0)
            }
            if let contract = f.stakeTableContract {
                b = b.u64Field("stake_table_contract", 1).fixed(contract.bytes)
            }
            return b.finalize()
        }
    }
}

/// An L1 block a header refers to (`L1BlockInfo`).
public struct EspressoL1Block: Sendable, Hashable {
    /// The L1 block number.
    public var number: UInt64
    /// Its timestamp.
    public var timestamp: UInt256
    /// Its hash.
    public var hash: Bytes32

    /// `RCB("L1BLOCK").u64_field("number").u256_field("timestamp").constant("hash") + 32 bytes`.
    public var commitment: EspressoCommitment {
        CommitmentBuilder("L1BLOCK").u64Field("number", number).u256Field("timestamp", timestamp)
            .constant("hash").fixed(hash.bytes).finalize()
    }
}

/// Who paid for a block (`FeeInfo`).
public struct EspressoFeeInfo: Sendable, Hashable {
    /// The paying account.
    public var account: EthereumAddress
    /// The amount paid.
    public var amount: UInt256

    /// `RCB("FEE_INFO").constant("account") + 20 bytes + u256_field("amount")`.
    public var commitment: EspressoCommitment {
        CommitmentBuilder("FEE_INFO").constant("account").fixed(account.bytes).u256Field("amount", amount).finalize()
    }
}

/// A HotShot block header, versions 0.1 through 0.6.
///
/// JSON: v0.1 is the flat field object; later versions are
/// `{"version": {"Version": {"major": 0, "minor": N}}, "fields": {…}}`. Parsing is strict: every
/// field the version has must be present, and no other (so no field can escape the commitment,
/// except `builder_signature`, which upstream does not commit to either).
///
/// ```swift
/// let header = try EspressoHeader(json: EspressoJSON(parsing: data))
/// print(header.commitment.taggedBase64(tag: "BLOCK"))
/// ```
public struct EspressoHeader: Sendable, Hashable {
    /// The header version.
    public var version: EspressoVersion
    /// The chain configuration.
    public var chainConfig: EspressoChainConfig
    /// The block height.
    public var height: UInt64
    /// Seconds since the Unix epoch.
    public var timestamp: UInt64
    /// Milliseconds since the Unix epoch (0.4+).
    public var timestampMillis: UInt64?
    /// The L1 head the block saw.
    public var l1Head: UInt64
    /// The last finalized L1 block the block saw.
    public var l1Finalized: EspressoL1Block?
    /// The VID commitment to the payload (32 bytes).
    public var payloadCommitment: [UInt8]
    /// The VID scheme's tag of ``payloadCommitment``: `HASH` (ADVZ), `AvidMCommit` or `AvidmGf2Commit`.
    public var payloadCommitmentTag: String
    /// The builder's commitment.
    public var builderCommitment: [UInt8]
    /// The namespace table bytes.
    public var namespaceTable: [UInt8]
    /// The block Merkle tree root (`MERKLE_COMM~`, over headers 0…height−1).
    public var blockMerkleTreeRoot: [UInt8]
    /// The fee Merkle tree root.
    public var feeMerkleTreeRoot: [UInt8]
    /// The fee payment.
    public var feeInfo: EspressoFeeInfo
    /// The reward Merkle tree root (0.3+).
    public var rewardMerkleTreeRoot: [UInt8]?
    /// The rewards distributed so far (0.4+).
    public var totalRewardDistributed: UInt256?
    /// The commitment to the next stake table state (0.4+, when set).
    public var nextStakeTableHash: EspressoCommitment?
    /// How many views each validator led (0.5+, 100 entries).
    public var leaderCounts: [UInt16]?

    /// The number of `leader_counts` entries.
    public static let leaderCountEntries = 100
    /// The longest Merkle root or namespace table accepted, in bytes.
    public static let maximumRootBytes = 1024
    /// The longest namespace table accepted, in bytes (4 + 8 × 65,536).
    public static let maximumNamespaceTableBytes = 4 + 8 * 65_536

    /// Parses a header, bare or wrapped as `{"header": …}`.
    /// - Throws: ``ConfirmationError`` `espresso.malformed`, `espresso.unsupported` (another version)
    ///   or the errors of the tagged-base64, address and integer parsers.
    public init(json: EspressoJSON) throws {
        var root = JSONCursor(json)
        if try root.has("header") { root = try root["header"] }
        let fields: JSONCursor
        if try root.has("version") {
            let v = try root["version"]["Version"]
            version = EspressoVersion(major: try v["major"].u16(), minor: try v["minor"].u16())
            guard version.major == 0, (2...6).contains(version.minor) else {
                throw ConfirmationError(.espressoUnsupported, "header version \(version) (supported: 0.1 to 0.6)")
            }
            guard Set(try root.object().keys) == ["version", "fields"] else {
                throw root.fail("a versioned header has exactly the members version and fields")
            }
            fields = try root["fields"]
        } else {
            version = EspressoVersion(major: 0, minor: 1)
            fields = root
        }
        let minor = version.minor
        var expected: Set<String> = [
            "chain_config", "height", "timestamp", "l1_head", "l1_finalized", "payload_commitment",
            "builder_commitment", "ns_table", "block_merkle_tree_root", "fee_merkle_tree_root", "fee_info",
            "builder_signature",
        ]
        if minor >= 3 { expected.insert("reward_merkle_tree_root") }
        if minor >= 4 { expected.formUnion(["timestamp_millis", "total_reward_distributed", "next_stake_table_hash"]) }
        if minor >= 5 { expected.insert("leader_counts") }
        let present = Set(try fields.object().keys)
        if let missing = expected.subtracting(present).sorted().first { throw fields.fail("missing member \"\(missing)\"") }
        if let extra = present.subtracting(expected).sorted().first {
            throw fields.fail("unexpected member \"\(extra)\" for header version \(version)")
        }

        chainConfig = try Self.chainConfig(try fields["chain_config"]["chain_config"])
        height = try fields["height"].u64()
        timestamp = try fields["timestamp"].u64()
        timestampMillis = minor >= 4 ? try fields["timestamp_millis"].u64() : nil
        l1Head = try fields["l1_head"].u64()
        l1Finalized = try fields.optional("l1_finalized").map(EspressoL1Block.init)
        let payload = try fields["payload_commitment"]
        payloadCommitment = try Self.anyTag(payload, ["HASH", "AvidMCommit", "AvidmGf2Commit"])
        payloadCommitmentTag = String(try payload.string().prefix { $0 != "~" })
        builderCommitment = try Self.anyTag(fields["builder_commitment"], ["BUILDER_COMMITMENT"])
        namespaceTable = try fields["ns_table"]["bytes"].base64(maximumBytes: Self.maximumNamespaceTableBytes)
        blockMerkleTreeRoot = try fields["block_merkle_tree_root"].tagged("MERKLE_COMM", maximumBytes: Self.maximumRootBytes)
        feeMerkleTreeRoot = try fields["fee_merkle_tree_root"].tagged("MERKLE_COMM", maximumBytes: Self.maximumRootBytes)
        feeInfo = try EspressoFeeInfo(try fields["fee_info"])
        rewardMerkleTreeRoot = minor >= 3
            ? try fields["reward_merkle_tree_root"].tagged("MERKLE_COMM", maximumBytes: Self.maximumRootBytes) : nil
        totalRewardDistributed = minor >= 4 ? try fields["total_reward_distributed"].u256() : nil
        if minor >= 4, let next = try fields.optional("next_stake_table_hash") {
            let tagged = try TaggedBase64(parsing: try next.string())
            guard tagged.value.count == 32 else { throw next.fail("a commitment is 32 bytes") }
            nextStakeTableHash = EspressoCommitment(try Bytes32(tagged.value))
        } else {
            nextStakeTableHash = nil
        }
        if minor >= 5 {
            let counts = try fields["leader_counts"].array(maximumCount: Self.leaderCountEntries)
            guard counts.count == Self.leaderCountEntries else {
                throw fields.fail("leader_counts has \(Self.leaderCountEntries) entries; got \(counts.count)")
            }
            leaderCounts = try counts.map { try $0.u16() }
        } else {
            leaderCounts = nil
        }
    }

    static func chainConfig(_ cursor: JSONCursor) throws -> EspressoChainConfig {
        let keys = try cursor.object().keys
        guard keys.count == 1 else { throw cursor.fail("expected exactly one of Left and Right") }
        if let right = try cursor.optional("Right") {
            return .commitment(try right.commitment(tags: ["CHAIN_CONFIG", "COMMIT"]))
        }
        let c = try cursor["Left"]
        let known: Set<String> = ["chain_id", "max_block_size", "base_fee", "fee_contract", "fee_recipient", "stake_table_contract"]
        if let extra = Set(try c.object().keys).subtracting(known).sorted().first {
            // E.g. the marketplace-era `bid_recipient`, whose commitment layout is not implemented.
            throw c.fail("unexpected member \"\(extra)\" in the chain config")
        }
        return .full(EspressoChainConfig.Fields(
            chainID: try c["chain_id"].u256(), maxBlockSize: try c["max_block_size"].u64String(),
            baseFee: try c["base_fee"].u256(), feeContract: try c.optional("fee_contract")?.address(),
            feeRecipient: try c["fee_recipient"].address(),
            stakeTableContract: try c.optional("stake_table_contract")?.address()))
    }

    private static func anyTag(_ cursor: JSONCursor, _ tags: Set<String>) throws -> [UInt8] {
        try cursor.commitment(tags: tags).bytes.bytes
    }

    /// The fields commitment `F` (the whole header commitment for v0.1).
    public var fieldsCommitment: EspressoCommitment {
        let minor = version.minor
        var b = CommitmentBuilder("BLOCK")
            .field("chain_config", chainConfig.commitment)
            .u64Field("height", height)
            .u64Field("timestamp", timestamp)
        if let millis = timestampMillis { b = b.u64Field("timestamp_millis", millis) }
        b = b.u64Field("l1_head", l1Head)
            .optional("l1_finalized", l1Finalized?.commitment)
            .constant("payload_commitment").fixed(payloadCommitment)
            .constant("builder_commitment").fixed(builderCommitment)
            .field("ns_table", EspressoNamespaceTable.commitment(of: namespaceTable))
            .varSizeField("block_merkle_tree_root", blockMerkleTreeRoot)
            .varSizeField("fee_merkle_tree_root", feeMerkleTreeRoot)
            .field("fee_info", feeInfo.commitment)
        if minor >= 3, let reward = rewardMerkleTreeRoot { b = b.varSizeField("reward_merkle_tree_root", reward) }
        if minor >= 4, let total = totalRewardDistributed {
            b = b.varSizeField("total_reward_distributed", total.bigEndianBytes.reversed())
        }
        if minor >= 5, let counts = leaderCounts {
            b = b.varSizeField("leader_counts", counts.flatMap(littleEndian))
        }
        if let next = nextStakeTableHash { b = b.field("next_stake_table_hash", next) }
        return b.finalize()
    }

    /// The header commitment (`BLOCK~…`, the block hash): for v0.2+
    /// `RCB("BLOCK").u64_field("version_major").u64_field("version_minor").field("fields", F)`; for v0.1, `F`.
    public var commitment: EspressoCommitment {
        guard version.minor >= 2 else { return fieldsCommitment }
        return CommitmentBuilder("BLOCK").u64Field("version_major", UInt64(version.major))
            .u64Field("version_minor", UInt64(version.minor)).field("fields", fieldsCommitment).finalize()
    }

    /// The block Merkle tree root's digest and leaf count, when it has the 48-byte `MERKLE_COMM` form.
    public var blockMerkleRoot: BlockMerkleRoot? { try? BlockMerkleRoot(bytes: blockMerkleTreeRoot) }
}

extension EspressoChainConfig {
    /// Parses `{"chain_config": {"Left": {…}}}` or `{"chain_config": {"Right": "CHAIN_CONFIG~…"}}`.
    /// - Throws: ``ConfirmationError`` `espresso.malformed` or the field parsers' errors.
    public init(json: EspressoJSON) throws {
        self = try EspressoHeader.chainConfig(JSONCursor(json)["chain_config"])
    }
}

extension EspressoL1Block {
    /// Parses `{"number", "timestamp": "0x…", "hash": "0x…"}`.
    /// - Throws: ``ConfirmationError`` `espresso.malformed` or the field parsers' errors.
    public init(json: EspressoJSON) throws { try self.init(JSONCursor(json)) }

    init(_ c: JSONCursor) throws {
        number = try c["number"].u64()
        timestamp = try c["timestamp"].u256()
        hash = try c["hash"].bytes32Hex()
    }
}

extension EspressoFeeInfo {
    /// Parses `{"account": "0x…", "amount": "…"}`.
    /// - Throws: ``ConfirmationError`` `espresso.malformed` or the field parsers' errors.
    public init(json: EspressoJSON) throws { try self.init(JSONCursor(json)) }

    init(_ c: JSONCursor) throws {
        account = try c["account"].address()
        amount = try c["amount"].u256()
    }
}
