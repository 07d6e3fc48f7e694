public import ConfirmationKit
internal import Foundation

// JSON encoders: the inverse of the parsers, in the query service's shapes. Used to publish
// vectors and to re-serialize what was parsed; `parse(encode(x)) == x` for every parsed value.

func lowercaseAddress(_ address: EthereumAddress) -> EspressoJSON { .string("0x" + Hex.encode(address.bytes)) }

func tagged(_ tag: String, _ bytes: [UInt8]) -> EspressoJSON { .string(TaggedBase64(knownTag: tag, value: bytes).description) }

extension EspressoChainConfig {
    /// `{"chain_config": {"Left": {…}}}` or `{"chain_config": {"Right": "CHAIN_CONFIG~…"}}`.
    public var json: EspressoJSON {
        switch self {
        case .commitment(let c):
            return .object(["chain_config": .object(["Right": .string(c.taggedBase64(tag: "CHAIN_CONFIG"))])])
        case .full(let f):
            let left: [String: EspressoJSON] = [
                "chain_id": .string(f.chainID.description), "max_block_size": .string(String(f.maxBlockSize)),
                "base_fee": .string(f.baseFee.description), "fee_contract": f.feeContract.map(lowercaseAddress) ?? .null,
                "fee_recipient": lowercaseAddress(f.feeRecipient),
                "stake_table_contract": f.stakeTableContract.map(lowercaseAddress) ?? .null,
            ]
            return .object(["chain_config": .object(["Left": .object(left)])])
        }
    }
}

extension EspressoHeader {
    /// The header JSON: the flat fields for v0.1, `{"version", "fields"}` after. `builder_signature`
    /// (not committed, not kept) is written as null.
    public var json: EspressoJSON {
        var f: [String: EspressoJSON] = [
            "chain_config": chainConfig.json,
            "height": .unsigned(height), "timestamp": .unsigned(timestamp), "l1_head": .unsigned(l1Head),
            "l1_finalized": l1Finalized.map { .object([
                "number": .unsigned($0.number), "timestamp": .string($0.timestamp.hexString), "hash": .string($0.hash.description),
            ]) } ?? .null,
            "payload_commitment": tagged(payloadCommitmentTag, payloadCommitment),
            "builder_commitment": tagged("BUILDER_COMMITMENT", builderCommitment),
            "ns_table": .object(["bytes": .string(Base64.encode(namespaceTable))]),
            "block_merkle_tree_root": tagged("MERKLE_COMM", blockMerkleTreeRoot),
            "fee_merkle_tree_root": tagged("MERKLE_COMM", feeMerkleTreeRoot),
            "fee_info": .object(["account": lowercaseAddress(feeInfo.account), "amount": .string(feeInfo.amount.description)]),
            "builder_signature": .null,
        ]
        if version.minor >= 3 { f["reward_merkle_tree_root"] = tagged("MERKLE_COMM", rewardMerkleTreeRoot ?? []) }
        if version.minor >= 4 {
            f["timestamp_millis"] = .unsigned(timestampMillis ?? 0)
            f["total_reward_distributed"] = .string((totalRewardDistributed ?? .zero).description)
            f["next_stake_table_hash"] = nextStakeTableHash.map { .string($0.description) } ?? .null
        }
        if version.minor >= 5 { f["leader_counts"] = .array((leaderCounts ?? []).map { .unsigned(UInt64($0)) }) }
        guard version.minor >= 2 else { return .object(f) }
        return .object([
            "version": .object(["Version": .object(["major": .unsigned(UInt64(version.major)), "minor": .unsigned(UInt64(version.minor))])]),
            "fields": .object(f),
        ])
    }
}

extension HotShotCertificate {
    /// The certificate JSON.
    public var json: EspressoJSON {
        var signaturesJSON = EspressoJSON.null
        if let signatures {
            signaturesJSON = .array([
                .string(signatures.signature.taggedBase64),
                .object([
                    "order": .string("bitvec::order::Lsb0"),
                    "head": .object(["width": .unsigned(64), "index": .unsigned(0)]),
                    "bits": .unsigned(UInt64(signatures.signers.count)),
                    "data": .array(signatures.signers.words.map { .unsigned($0) }),
                ]),
            ])
        }
        return .object([
            "data": .object([
                "leaf_commit": .string(data.leafCommit.description),
                "epoch": data.epoch.map { .unsigned($0) } ?? .null,
                "block_number": data.blockNumber.map { .unsigned($0) } ?? .null,
            ]),
            "vote_commitment": .string(voteCommitment.description),
            "view_number": .unsigned(view),
            "signatures": signaturesJSON,
            "_pd": .null,
        ])
    }
}

extension HotShotLeaf {
    /// The leaf JSON (`block_payload`, `upgrade_certificate` and `view_change_evidence` null).
    public var json: EspressoJSON {
        .object([
            "view_number": .unsigned(view),
            "justify_qc": justifyQC.json,
            "next_epoch_justify_qc": nextEpochJustifyQC?.json ?? .null,
            "parent_commitment": .string(parentCommitment.description),
            "block_header": header.json,
            "upgrade_certificate": .null,
            "block_payload": .null,
            "view_change_evidence": .null,
            "next_drb_result": nextDRBResult.map { .array($0.map { .unsigned(UInt64($0)) }) } ?? .null,
            "with_epoch": .bool(withEpoch),
        ])
    }
}

extension HotShotChainEntry {
    /// `{"leaf": {"leaf", "qc"}, "block": {"hash", "header"?, "payload"?}, "vid_common"?: {"common": {"V1": …}}}`.
    public var json: EspressoJSON {
        var entry: [String: EspressoJSON] = ["leaf": .object(["leaf": leaf.json, "qc": qc.json])]
        if let blockHash {
            var block: [String: EspressoJSON] = ["hash": .string(blockHash.taggedBase64(tag: "BLOCK"))]
            if let blockHeader { block["header"] = blockHeader.json }
            if let payload {
                block["payload"] = .object([
                    "raw_payload": .string(Base64.encode(payload)),
                    "ns_table": .object(["bytes": .string(Base64.encode(leaf.header.namespaceTable))]),
                ])
            }
            entry["block"] = .object(block)
        }
        if let vidParameters { entry["vid_common"] = .object(["common": vidParameters.json]) }
        return .object(entry)
    }

    /// Creates an entry from parts (the block's header is the leaf's, so it is not repeated).
    public init(leaf: HotShotLeaf, qc: HotShotCertificate, blockHash: EspressoCommitment?, payload: [UInt8]? = nil,
                vidParameters: AvidMParameters? = nil) {
        self.leaf = leaf
        self.qc = qc
        self.blockHeader = nil
        self.blockHash = blockHash
        self.payload = payload
        self.vidParameters = vidParameters
    }
}

extension EspressoStakeTables {
    /// An ordered `PeerConfig` list with only the stake-table entries.
    public static func peerConfigsJSON(_ entries: [StakeTableEntry<EspressoStakeKey>]) -> EspressoJSON {
        .array(entries.map { entry in
            .object(["stake_table_entry": .object([
                "stake_key": .string(entry.key.description), "stake_amount": .string(entry.stake.hexString),
            ])])
        })
    }

    /// A minimal network config: `{"config": {"known_nodes_with_stake": […], "epoch_height": H}}`.
    public static func networkConfigJSON(genesis: [StakeTableEntry<EspressoStakeKey>], epochHeight: UInt64) -> EspressoJSON {
        .object(["config": .object(["known_nodes_with_stake": peerConfigsJSON(genesis), "epoch_height": .unsigned(epochHeight)])])
    }
}

extension EspressoJSON {
    /// Compact JSON with sorted keys.
    public var encoded: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(self))) ?? []
    }
}
