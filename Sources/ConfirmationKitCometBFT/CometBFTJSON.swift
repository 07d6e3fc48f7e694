import ConfirmationKit
public import Foundation

/// Strict parsing of the JSON CometBFT's RPC and light-client fixtures use.
///
/// Accepted documents (a JSON-RPC 2.0 envelope `{"jsonrpc", "id", "result": …}` is unwrapped first):
/// - light blocks: `{signed_header, validator_set, next_validator_set?, provider?}`;
/// - `/commit` results: `{signed_header: {header, commit}, canonical}`;
/// - `/validators` results: `{block_height, validators, count, total}`; `/genesis` results
///   `{genesis: {validators, …}}` and bare genesis files `{validators, chain_id, …}`.
///
/// Rules: 64-bit integers may be JSON strings (as CometBFT writes them) or numbers; hashes and
/// addresses are hex (either case), signatures and keys are standard padded base64; times are
/// RFC 3339 with up to nine fraction digits; `signatures: null` and `last_block_id: null` mean
/// empty. Validator sets are validated and re-sorted into CometBFT order; `total_voting_power` is
/// recomputed, never read. Documents are at most ``maximumDocumentBytes``.
///
/// ```swift
/// let block = try CometBFTJSON.lightBlock(from: data)
/// let hash = block.header.hash()
/// ```
public enum CometBFTJSON {
    /// The largest document accepted (the 100-validator mocha-4 light block is 62 KB; the largest
    /// model-based fixture 1.6 MB).
    public static let maximumDocumentBytes = 32 << 20
    /// The most commit signatures accepted (`MaxVotesCount`).
    public static let maximumSignatures = 10_000

    /// Parses a light block (`signed_header`, `validator_set`, optional `next_validator_set`).
    /// - Throws: ``ConfirmationError`` with a `cometbft.*`, `hex.*`, `base64.*` or `key.*` code.
    public static func lightBlock(from data: Data) throws -> CometBFTLightBlock {
        try lightBlock(JSONNode(parsing: data).unwrappingRPC())
    }

    /// Parses a `/commit` response (or its `result`, or a bare `signed_header`).
    public static func signedHeader(from data: Data) throws -> CometBFTSignedHeader {
        var node = try JSONNode(parsing: data).unwrappingRPC()
        if let inner = node.optional("signed_header") { node = inner }
        return try signedHeader(node)
    }

    /// Parses a header object (`header_with_known_hash.json`, or `signed_header.header`).
    public static func header(from data: Data) throws -> CometBFTHeader {
        var node = try JSONNode(parsing: data).unwrappingRPC()
        if let inner = node.optional("signed_header") { node = inner }
        if let inner = node.optional("header") { node = inner }
        return try header(node)
    }

    /// Parses a `/validators` response, a `/genesis` response, a genesis file or a bare
    /// `{validators: […]}` / light block `validator_set` object.
    /// - Note: `/validators` pages at most 100 validators; pass the complete set.
    public static func validatorSet(from data: Data) throws -> CometBFTValidatorSet {
        var node = try JSONNode(parsing: data).unwrappingRPC()
        if let genesis = node.optional("genesis") { node = genesis }
        if let set = node.optional("validator_set") { node = set }
        return try validatorSet(node)
    }

    // MARK: Node-level parsers

    static func lightBlock(_ node: JSONNode) throws -> CometBFTLightBlock {
        let signed = try signedHeader(node.field("signed_header"))
        let vals = try node.optional("validator_set").map(validatorSet)
        let next = try node.optional("next_validator_set").map(validatorSet)
        let provider = try node.optional("provider").map { try $0.string() }
        return CometBFTLightBlock(signedHeader: signed, validatorSet: vals, nextValidatorSet: next, provider: provider)
    }

    static func signedHeader(_ node: JSONNode) throws -> CometBFTSignedHeader {
        CometBFTSignedHeader(header: try header(node.field("header")), commit: try commit(node.field("commit")))
    }

    static func header(_ node: JSONNode) throws -> CometBFTHeader {
        let version = try node.field("version")
        return CometBFTHeader(
            versionBlock: try version.uint64("block"),
            versionApp: try version.optional("app").map { try $0.uint64() } ?? 0,
            chainID: try node.field("chain_id").string(),
            height: try node.int64("height"),
            time: try node.field("time").time(),
            lastBlockID: try node.optional("last_block_id").map(blockID) ?? .zero,
            lastCommitHash: try node.hex("last_commit_hash", maximum: 32),
            dataHash: try node.hex("data_hash", maximum: 32),
            validatorsHash: try node.hex("validators_hash", maximum: 32),
            nextValidatorsHash: try node.hex("next_validators_hash", maximum: 32),
            consensusHash: try node.hex("consensus_hash", maximum: 32),
            appHash: try node.hex("app_hash", maximum: 1024),
            lastResultsHash: try node.hex("last_results_hash", maximum: 32),
            evidenceHash: try node.hex("evidence_hash", maximum: 32),
            proposerAddress: try node.hex("proposer_address", maximum: 20))
    }

    static func blockID(_ node: JSONNode) throws -> CometBFTBlockID {
        let parts = node.optional("parts") ?? node.optional("part_set_header")
        var header = CometBFTPartSetHeader(total: 0, hash: [])
        if let parts {
            let total = try parts.optional("total").map { try $0.uint64() } ?? 0
            guard total <= UInt64(UInt32.max) else {
                throw ConfirmationError(.cometMalformedJSON, "part_set_header.total does not fit in 32 bits")
            }
            header = CometBFTPartSetHeader(total: UInt32(total), hash: try parts.hex("hash", maximum: 32))
        }
        return CometBFTBlockID(hash: try node.hex("hash", maximum: 32), partSetHeader: header)
    }

    static func commit(_ node: JSONNode) throws -> CometBFTCommit {
        let round = try node.optional("round").map { try $0.int64() } ?? 0
        guard let round32 = Int32(exactly: round) else {
            throw ConfirmationError(.cometMalformedJSON, "commit round \(round) does not fit in 32 bits")
        }
        let list = try node.optional("signatures")?.array(maximum: maximumSignatures) ?? []
        return CometBFTCommit(height: try node.int64("height"), round: round32,
                              blockID: try blockID(node.field("block_id")),
                              signatures: try list.map(commitSig))
    }

    static func commitSig(_ node: JSONNode) throws -> CometBFTCommitSig {
        let raw = try node.field("block_id_flag").int64()
        guard let byte = UInt8(exactly: raw), let flag = CometBFTBlockIDFlag(rawValue: byte) else {
            throw ConfirmationError(.cometInvalidBlockIDFlag, "block_id_flag \(raw) is not ABSENT (1), COMMIT (2) or NIL (3)")
        }
        let time = try node.optional("timestamp").map { try $0.time() }
        let signature = try node.optional("signature").map { try $0.base64(maximum: 1024) } ?? []
        return CometBFTCommitSig(flag: flag, validatorAddress: try node.hex("validator_address", maximum: 20),
                                 timestamp: time, signature: signature)
    }

    static func validatorSet(_ node: JSONNode) throws -> CometBFTValidatorSet {
        let list = try node.field("validators").array(maximum: CometBFTValidatorSet.maximumValidators)
        // A `/validators` page says how many validators it holds and how many there are.
        if let total = try node.optional("total")?.int64(), total != Int64(list.count) {
            throw ConfirmationError(.cometIncompleteValidatorSet,
                                    "this /validators page holds \(list.count) of \(total) validators; fetch every page")
        }
        let validators = try list.map(validator)
        var proposer: [UInt8]?
        if let p = node.optional("proposer") {
            let address = try p.hex("address", maximum: 20)
            proposer = address.isEmpty ? nil : address
        }
        return try CometBFTValidatorSet(validators: validators, proposerAddress: proposer)
    }

    static func validator(_ node: JSONNode) throws -> CometBFTValidator {
        let keyNode = try node.field("pub_key")
        let key = try CometBFTPublicKey(typeName: keyNode.field("type").string(),
                                        bytes: keyNode.field("value").base64(maximum: 64))
        let powerNode = try node.optional("voting_power") ?? node.field("power")
        let address = try node.hex("address", maximum: 20)
        return try CometBFTValidator(publicKey: key, votingPower: try powerNode.int64(),
                                     address: address.isEmpty ? nil : address)
    }
}

/// A parsed JSON value with the path it was found at, for error messages.
struct JSONNode {
    let value: JSONValue
    let path: String

    init(parsing data: Data) throws {
        guard data.count <= CometBFTJSON.maximumDocumentBytes else {
            throw ConfirmationError(.inputTooLong, "a CometBFT JSON document is at most \(CometBFTJSON.maximumDocumentBytes) bytes")
        }
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let error as ConfirmationError {
            throw error
        } catch {
            throw ConfirmationError(.cometMalformedJSON, "not valid JSON")
        }
        path = "$"
    }

    init(_ value: JSONValue, path: String) {
        self.value = value
        self.path = path
    }

    func fail(_ what: String) -> ConfirmationError {
        ConfirmationError(.cometMalformedJSON, "\(path): \(what)")
    }

    /// Unwraps a JSON-RPC 2.0 envelope.
    func unwrappingRPC() throws -> JSONNode {
        if case .object(let o) = value, o["jsonrpc"] != nil {
            if let error = o["error"], error != .null { throw fail("the RPC response is an error") }
            return try field("result")
        }
        return self
    }

    /// A member that may be absent or null.
    func optional(_ key: String) -> JSONNode? {
        guard case .object(let o) = value, let member = o[key], member != .null else { return nil }
        return JSONNode(member, path: path + "." + key)
    }

    func field(_ key: String) throws -> JSONNode {
        guard case .object = value else { throw fail("expected an object") }
        guard let node = optional(key) else { throw fail("missing \"\(key)\"") }
        return node
    }

    func string() throws -> String {
        guard case .string(let s) = value else { throw fail("expected a string") }
        return s
    }

    func array(maximum: Int) throws -> [JSONNode] {
        guard case .array(let a) = value else { throw fail("expected an array") }
        guard a.count <= maximum else {
            throw ConfirmationError(.cometTooManyEntries, "\(path): at most \(maximum) entries; got \(a.count)")
        }
        return a.enumerated().map { JSONNode($1, path: "\(path)[\($0)]") }
    }

    /// An integer written as a JSON number or a decimal string (CometBFT writes int64 as strings).
    func int64() throws -> Int64 {
        switch value {
        case .integer(let v): return v
        case .string(let s):
            let body = s.hasPrefix("-") ? s.dropFirst() : Substring(s)
            guard !body.isEmpty, body.count <= 19, body.utf8.allSatisfy({ (48...57).contains($0) }), let v = Int64(s) else {
                throw fail("expected a decimal 64-bit integer")
            }
            return v
        default: throw fail("expected an integer")
        }
    }

    func uint64() throws -> UInt64 {
        let v = try int64()
        guard v >= 0 else { throw fail("expected a non-negative integer") }
        return UInt64(v)
    }

    func int64(_ key: String) throws -> Int64 { try field(key).int64() }
    func uint64(_ key: String) throws -> UInt64 { try field(key).uint64() }

    /// A hex member; absent, null and "" mean empty.
    func hex(_ key: String, maximum: Int) throws -> [UInt8] {
        guard let node = optional(key) else { return [] }
        do {
            return try Hex.decode(try node.string(), maximumBytes: maximum)
        } catch let error as ConfirmationError {
            throw ConfirmationError(error.code, "\(node.path): \(error.reason)")
        }
    }

    func base64(maximum: Int) throws -> [UInt8] {
        do {
            return try Base64.decode(try string(), maximumBytes: maximum)
        } catch let error as ConfirmationError {
            throw ConfirmationError(error.code, "\(path): \(error.reason)")
        }
    }

    func time() throws -> CometBFTTime {
        do {
            return try CometBFTTime(rfc3339: try string())
        } catch let error as ConfirmationError {
            throw ConfirmationError(error.code, "\(path): \(error.reason)")
        }
    }
}

/// A JSON value; integers are kept exact.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        guard decoder.codingPath.count <= 32 else {
            throw ConfirmationError(.cometMalformedJSON, "JSON nested deeper than 32 levels")
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .integer(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }
}
