import ConfirmationKit
public import Foundation

extension CometBFTJSON {
    /// Encodes a light block in the shape CometBFT's light-client fixtures use (int64 as strings,
    /// hashes as uppercase hex, keys and signatures as base64, validators in set order), sorted keys.
    ///
    /// ```swift
    /// let data = try CometBFTJSON.encode(block)
    /// try CometBFTJSON.lightBlock(from: data) == block   // round trip
    /// ```
    public static func encode(_ block: CometBFTLightBlock) throws -> Data {
        try render(value(block))
    }

    /// Encodes a signed header (`{header, commit}`), sorted keys.
    public static func encode(_ signed: CometBFTSignedHeader) throws -> Data {
        try render(value(signed))
    }

    /// Encodes a validator set (`{validators, total_voting_power}`), sorted keys.
    public static func encode(_ set: CometBFTValidatorSet) throws -> Data {
        try render(value(set))
    }

    static func render(_ value: JSONValue) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    static func upperHex(_ bytes: [UInt8]) -> JSONValue { .string(Hex.encode(bytes).uppercased()) }

    static func value(_ block: CometBFTLightBlock) -> JSONValue {
        var o: [String: JSONValue] = ["signed_header": value(block.signedHeader)]
        o["validator_set"] = block.validatorSet.map(value) ?? .null
        o["next_validator_set"] = block.nextValidatorSet.map(value) ?? .null
        if let provider = block.provider { o["provider"] = .string(provider) }
        return .object(o)
    }

    static func value(_ signed: CometBFTSignedHeader) -> JSONValue {
        .object(["header": value(signed.header), "commit": value(signed.commit)])
    }

    static func value(_ h: CometBFTHeader) -> JSONValue {
        .object([
            "version": .object(["block": .string(String(h.versionBlock)), "app": .string(String(h.versionApp))]),
            "chain_id": .string(h.chainID),
            "height": .string(String(h.height)),
            "time": .string(h.time.rfc3339),
            "last_block_id": value(h.lastBlockID),
            "last_commit_hash": upperHex(h.lastCommitHash),
            "data_hash": upperHex(h.dataHash),
            "validators_hash": upperHex(h.validatorsHash),
            "next_validators_hash": upperHex(h.nextValidatorsHash),
            "consensus_hash": upperHex(h.consensusHash),
            "app_hash": upperHex(h.appHash),
            "last_results_hash": upperHex(h.lastResultsHash),
            "evidence_hash": upperHex(h.evidenceHash),
            "proposer_address": upperHex(h.proposerAddress),
        ])
    }

    static func value(_ id: CometBFTBlockID) -> JSONValue {
        .object([
            "hash": upperHex(id.hash),
            "parts": .object(["total": .integer(Int64(id.partSetHeader.total)), "hash": upperHex(id.partSetHeader.hash)]),
        ])
    }

    static func value(_ c: CometBFTCommit) -> JSONValue {
        .object([
            "height": .string(String(c.height)),
            "round": .integer(Int64(c.round)),
            "block_id": value(c.blockID),
            "signatures": .array(c.signatures.map { sig in
                .object([
                    "block_id_flag": .integer(Int64(sig.flag.rawValue)),
                    "validator_address": upperHex(sig.validatorAddress),
                    "timestamp": sig.timestamp.map { .string($0.rfc3339) } ?? .null,
                    "signature": sig.signature.isEmpty ? .null : .string(Base64.encode(sig.signature)),
                ])
            }),
        ])
    }

    static func value(_ set: CometBFTValidatorSet) -> JSONValue {
        var o: [String: JSONValue] = [
            "validators": .array(set.validators.map(value)),
            "total_voting_power": .string(String(set.totalVotingPower)),
        ]
        if let proposer = set.proposerAddress, let v = set.validator(address: proposer) {
            o["proposer"] = value(v.validator)
        }
        return .object(o)
    }

    static func value(_ v: CometBFTValidator) -> JSONValue {
        .object([
            "address": upperHex(v.address),
            "pub_key": .object(["type": .string(v.publicKey.typeName), "value": .string(Base64.encode(v.publicKey.rawBytes))]),
            "voting_power": .string(String(v.votingPower)),
        ])
    }
}

extension JSONValue: Encodable {
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let v): try c.encode(v)
        case .integer(let v): try c.encode(v)
        case .number(let v): try c.encode(v)
        case .string(let v): try c.encode(v)
        case .array(let v): try c.encode(v)
        case .object(let v): try c.encode(v)
        }
    }
}
