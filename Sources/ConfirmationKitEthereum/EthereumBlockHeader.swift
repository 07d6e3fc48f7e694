public import ConfirmationKit
public import Foundation

/// An Ethereum execution-layer block header with every field its hash covers.
///
/// The hash is `keccak256(rlp(fields))`. The first 15 fields are common to every fork; each
/// later fork appends fields, so the field count identifies the shape: 15 (before London),
/// 16 (London: `baseFeePerGas`), 17 (Shanghai: `withdrawalsRoot`), 20 (Cancun: `blobGasUsed`,
/// `excessBlobGas`, `parentBeaconBlockRoot`) and 21 (Prague: `requestsHash`).
///
/// ```swift
/// let header = try EthereumBlockHeader(json: blockObject)   // an eth_getBlockByNumber result
/// let verified = try header.verified()                     // throws unless the hash matches
/// ```
public struct EthereumBlockHeader: Sendable, Hashable {
    /// The header shapes, by the fork that introduced each.
    public enum Shape: Int, Sendable, Hashable, CaseIterable, Comparable {
        /// Frontier to Berlin: 15 fields.
        case frontier = 15
        /// London (EIP-1559): 16 fields.
        case london = 16
        /// Shanghai (EIP-4895): 17 fields.
        case shanghai = 17
        /// Cancun (EIP-4844, EIP-4788): 20 fields.
        case cancun = 20
        /// Prague (EIP-7685): 21 fields.
        case prague = 21

        /// Orders shapes by fork (and so by field count).
        public static func < (lhs: Shape, rhs: Shape) -> Bool { lhs.rawValue < rhs.rawValue }

        /// The shape's name, e.g. `cancun`.
        public var name: String { "\(self)" }
    }

    /// The parent block's hash.
    public var parentHash: Bytes32
    /// The hash of the ommers list (`sha3Uncles`; the empty list's hash after the merge).
    public var ommersHash: Bytes32
    /// The fee recipient (`miner` in JSON-RPC).
    public var coinbase: EthereumAddress
    /// The state-trie root after the block.
    public var stateRoot: Bytes32
    /// The transactions-trie root.
    public var transactionsRoot: Bytes32
    /// The receipts-trie root.
    public var receiptsRoot: Bytes32
    /// The 256-byte logs bloom.
    public var logsBloom: [UInt8]
    /// Minimal big-endian bytes (zero after the merge).
    public var difficulty: [UInt8]
    /// The block number.
    public var number: UInt64
    /// The gas limit.
    public var gasLimit: UInt64
    /// The gas used.
    public var gasUsed: UInt64
    /// Seconds since the Unix epoch.
    public var timestamp: UInt64
    /// Free-form bytes chosen by the proposer (at most ``maximumExtraDataBytes``).
    public var extraData: [UInt8]
    /// `mixHash` before the merge, `prevRandao` after.
    public var mixHash: Bytes32
    /// Eight bytes (zero after the merge).
    public var nonce: [UInt8]
    /// London and later: minimal big-endian bytes.
    public var baseFeePerGas: [UInt8]?
    /// Shanghai and later.
    public var withdrawalsRoot: Bytes32?
    /// Cancun and later.
    public var blobGasUsed: UInt64?
    /// Cancun and later.
    public var excessBlobGas: UInt64?
    /// Cancun and later.
    public var parentBeaconBlockRoot: Bytes32?
    /// Prague and later.
    public var requestsHash: Bytes32?

    /// The longest `extraData` accepted (mainnet allows 32 bytes; some chains use more).
    public static let maximumExtraDataBytes = 1024

    /// Creates a header; the optional tail fields must be given as a prefix (a later one implies the earlier ones).
    public init(parentHash: Bytes32, ommersHash: Bytes32, coinbase: EthereumAddress, stateRoot: Bytes32,
                transactionsRoot: Bytes32, receiptsRoot: Bytes32, logsBloom: [UInt8], difficulty: [UInt8],
                number: UInt64, gasLimit: UInt64, gasUsed: UInt64, timestamp: UInt64, extraData: [UInt8],
                mixHash: Bytes32, nonce: [UInt8], baseFeePerGas: [UInt8]? = nil, withdrawalsRoot: Bytes32? = nil,
                blobGasUsed: UInt64? = nil, excessBlobGas: UInt64? = nil, parentBeaconBlockRoot: Bytes32? = nil,
                requestsHash: Bytes32? = nil) {
        self.parentHash = parentHash
        self.ommersHash = ommersHash
        self.coinbase = coinbase
        self.stateRoot = stateRoot
        self.transactionsRoot = transactionsRoot
        self.receiptsRoot = receiptsRoot
        self.logsBloom = logsBloom
        self.difficulty = RLP.trimmingLeadingZeros(difficulty)
        self.number = number
        self.gasLimit = gasLimit
        self.gasUsed = gasUsed
        self.timestamp = timestamp
        self.extraData = extraData
        self.mixHash = mixHash
        self.nonce = nonce
        self.baseFeePerGas = baseFeePerGas.map { RLP.trimmingLeadingZeros($0) }
        self.withdrawalsRoot = withdrawalsRoot
        self.blobGasUsed = blobGasUsed
        self.excessBlobGas = excessBlobGas
        self.parentBeaconBlockRoot = parentBeaconBlockRoot
        self.requestsHash = requestsHash
    }

    /// The shape implied by the optional fields present.
    /// - Throws: ``ConfirmationError`` `ethereum.header-field-gap` if a later fork's field is present without an earlier one's.
    public func shape() throws -> Shape {
        let present = [baseFeePerGas != nil, withdrawalsRoot != nil, blobGasUsed != nil, excessBlobGas != nil,
                       parentBeaconBlockRoot != nil, requestsHash != nil]
        let count = present.prefix { $0 }.count
        guard !present.dropFirst(count).contains(true) else {
            throw ConfirmationError(.ethereumHeaderFieldGap, "a header field of a later fork is present without an earlier fork's field")
        }
        switch count {
        case 0: return .frontier
        case 1: return .london
        case 2: return .shanghai
        case 5: return .cancun
        case 6: return .prague
        default:
            throw ConfirmationError(.ethereumHeaderFieldGap, "Cancun's blobGasUsed, excessBlobGas and parentBeaconBlockRoot must appear together")
        }
    }

    /// The RLP encoding the hash covers.
    /// - Throws: ``ConfirmationError`` `ethereum.header-field-gap` for an impossible set of optional fields.
    public func rlp() throws -> [UInt8] {
        let shape = try shape()
        var fields: [RLPItem] = [
            .bytes(parentHash.bytes), .bytes(ommersHash.bytes), .bytes(coinbase.bytes), .bytes(stateRoot.bytes),
            .bytes(transactionsRoot.bytes), .bytes(receiptsRoot.bytes), .bytes(logsBloom), .bytes(difficulty),
            .uint(number), .uint(gasLimit), .uint(gasUsed), .uint(timestamp), .bytes(extraData),
            .bytes(mixHash.bytes), .bytes(nonce),
        ]
        if let baseFeePerGas { fields.append(.bytes(baseFeePerGas)) }
        if let withdrawalsRoot { fields.append(.bytes(withdrawalsRoot.bytes)) }
        if let blobGasUsed, let excessBlobGas, let parentBeaconBlockRoot {
            fields += [.uint(blobGasUsed), .uint(excessBlobGas), .bytes(parentBeaconBlockRoot.bytes)]
        }
        if let requestsHash { fields.append(.bytes(requestsHash.bytes)) }
        assert(fields.count == shape.rawValue)
        return RLP.encode(.list(fields))
    }

    /// The block hash, `keccak256(rlp(header))`.
    public func hash() throws -> Bytes32 { Keccak256.hash(try rlp()) }

    /// Decodes an RLP-encoded header strictly (any of the five shapes).
    /// - Throws: ``ConfirmationError`` with an `rlp.*` code or `ethereum.invalid-header`.
    public init(rlp bytes: [UInt8]) throws {
        let items = try RLP.decode(bytes, limits: RLPLimits(maximumBytes: 4096, maximumDepth: 2, maximumItems: 32)).listItems()
        guard Shape(rawValue: items.count) != nil else {
            throw ConfirmationError(.ethereumInvalidHeader, "header has \(items.count) fields (expected 15, 16, 17, 20 or 21)")
        }
        func uint256(_ item: RLPItem) throws -> [UInt8] {
            let bytes = try item.byteString()
            guard bytes.first != 0 else { throw ConfirmationError(.rlpNonCanonicalInteger, "header integer with a leading zero") }
            guard bytes.count <= 32 else { throw ConfirmationError(.rlpIntegerOverflow, "header integer wider than 256 bits") }
            return bytes
        }
        let bloom = try items[6].byteString()
        let nonce = try items[14].byteString()
        guard bloom.count == 256, nonce.count == 8 else {
            throw ConfirmationError(.ethereumInvalidHeader, "logsBloom must be 256 bytes and nonce 8 bytes")
        }
        let extra = try items[12].byteString()
        guard extra.count <= Self.maximumExtraDataBytes else {
            throw ConfirmationError(.ethereumInvalidHeader, "extraData longer than \(Self.maximumExtraDataBytes) bytes")
        }
        self.init(
            parentHash: try items[0].bytes32(), ommersHash: try items[1].bytes32(),
            coinbase: try EthereumAddress(bytes: try items[2].byteString()), stateRoot: try items[3].bytes32(),
            transactionsRoot: try items[4].bytes32(), receiptsRoot: try items[5].bytes32(), logsBloom: bloom,
            difficulty: try uint256(items[7]), number: try items[8].uint64(), gasLimit: try items[9].uint64(),
            gasUsed: try items[10].uint64(), timestamp: try items[11].uint64(), extraData: extra,
            mixHash: try items[13].bytes32(), nonce: nonce,
            baseFeePerGas: items.count > 15 ? try uint256(items[15]) : nil,
            withdrawalsRoot: items.count > 16 ? try items[16].bytes32() : nil,
            blobGasUsed: items.count > 17 ? try items[17].uint64() : nil,
            excessBlobGas: items.count > 18 ? try items[18].uint64() : nil,
            parentBeaconBlockRoot: items.count > 19 ? try items[19].bytes32() : nil,
            requestsHash: items.count > 20 ? try items[20].bytes32() : nil)
    }

    /// Parses a JSON-RPC block object (an `eth_getBlockByNumber` / `eth_getBlockByHash` result),
    /// ignoring the fields a header hash does not cover (`hash`, `size`, `transactions`, …).
    /// - Throws: ``ConfirmationError`` `ethereum.invalid-json` for a missing or malformed field.
    public init(json data: Data) throws {
        let block = try RPCBlock.decode(data)
        try self.init(rpc: block)
    }

    init(rpc block: RPCBlock) throws {
        func required(_ value: String?, _ name: String) throws -> String {
            guard let value else { throw ConfirmationError(.ethereumInvalidJSON, "block object has no \(name)") }
            return value
        }
        self.init(
            parentHash: try EthereumJSON.bytes32(required(block.parentHash, "parentHash"), field: "parentHash"),
            ommersHash: try EthereumJSON.bytes32(required(block.sha3Uncles, "sha3Uncles"), field: "sha3Uncles"),
            coinbase: try EthereumAddress(bytes: EthereumJSON.data(required(block.miner, "miner"), field: "miner", count: 20)),
            stateRoot: try EthereumJSON.bytes32(required(block.stateRoot, "stateRoot"), field: "stateRoot"),
            transactionsRoot: try EthereumJSON.bytes32(required(block.transactionsRoot, "transactionsRoot"), field: "transactionsRoot"),
            receiptsRoot: try EthereumJSON.bytes32(required(block.receiptsRoot, "receiptsRoot"), field: "receiptsRoot"),
            logsBloom: try EthereumJSON.data(required(block.logsBloom, "logsBloom"), field: "logsBloom", count: 256),
            difficulty: try EthereumJSON.quantity(required(block.difficulty, "difficulty"), field: "difficulty"),
            number: try EthereumJSON.uint64(required(block.number, "number"), field: "number"),
            gasLimit: try EthereumJSON.uint64(required(block.gasLimit, "gasLimit"), field: "gasLimit"),
            gasUsed: try EthereumJSON.uint64(required(block.gasUsed, "gasUsed"), field: "gasUsed"),
            timestamp: try EthereumJSON.uint64(required(block.timestamp, "timestamp"), field: "timestamp"),
            extraData: try EthereumJSON.data(required(block.extraData, "extraData"), field: "extraData", maximumBytes: Self.maximumExtraDataBytes),
            mixHash: try EthereumJSON.bytes32(required(block.mixHash, "mixHash"), field: "mixHash"),
            nonce: try EthereumJSON.data(required(block.nonce, "nonce"), field: "nonce", count: 8),
            baseFeePerGas: try block.baseFeePerGas.map { try EthereumJSON.quantity($0, field: "baseFeePerGas") },
            withdrawalsRoot: try block.withdrawalsRoot.map { try EthereumJSON.bytes32($0, field: "withdrawalsRoot") },
            blobGasUsed: try block.blobGasUsed.map { try EthereumJSON.uint64($0, field: "blobGasUsed") },
            excessBlobGas: try block.excessBlobGas.map { try EthereumJSON.uint64($0, field: "excessBlobGas") },
            parentBeaconBlockRoot: try block.parentBeaconBlockRoot.map { try EthereumJSON.bytes32($0, field: "parentBeaconBlockRoot") },
            requestsHash: try block.requestsHash.map { try EthereumJSON.bytes32($0, field: "requestsHash") })
        _ = try shape()
    }

    /// The header as a JSON-RPC block object (header fields plus `hash`; no transactions).
    public func jsonObject() throws -> [String: String] {
        var object: [String: String] = [
            "parentHash": "\(parentHash)", "sha3Uncles": "\(ommersHash)", "miner": "0x" + Hex.encode(coinbase.bytes),
            "stateRoot": "\(stateRoot)", "transactionsRoot": "\(transactionsRoot)", "receiptsRoot": "\(receiptsRoot)",
            "logsBloom": "0x" + Hex.encode(logsBloom), "difficulty": EthereumJSON.quantityString(difficulty),
            "number": EthereumJSON.quantityString(number), "gasLimit": EthereumJSON.quantityString(gasLimit),
            "gasUsed": EthereumJSON.quantityString(gasUsed), "timestamp": EthereumJSON.quantityString(timestamp),
            "extraData": "0x" + Hex.encode(extraData), "mixHash": "\(mixHash)", "nonce": "0x" + Hex.encode(nonce),
            "hash": "\(try hash())",
        ]
        object["baseFeePerGas"] = baseFeePerGas.map(EthereumJSON.quantityString)
        object["withdrawalsRoot"] = withdrawalsRoot?.description
        object["blobGasUsed"] = blobGasUsed.map(EthereumJSON.quantityString)
        object["excessBlobGas"] = excessBlobGas.map(EthereumJSON.quantityString)
        object["parentBeaconBlockRoot"] = parentBeaconBlockRoot?.description
        object["requestsHash"] = requestsHash?.description
        return object
    }

    /// The compact view the settlement clock uses. Only meaningful for a header whose hash was checked.
    public func l1Header() throws -> L1BlockHeader {
        L1BlockHeader(number: number, hash: try hash(), parentHash: parentHash, timestamp: timestamp)
    }
}

/// A block header whose recomputed hash equals the hash the block claims.
///
/// Only ``EthereumBlockHeader/verified(claimedHash:)`` and ``EthereumBlockHeader/verifiedBlock(json:)`` make one.
public struct VerifiedBlockHeader: Sendable, Hashable {
    /// The header fields.
    public let header: EthereumBlockHeader
    /// The recomputed (and matching) hash.
    public let hash: Bytes32

    fileprivate init(header: EthereumBlockHeader, hash: Bytes32) {
        self.header = header
        self.hash = hash
    }

    /// The compact view the settlement clock uses.
    public var l1Header: L1BlockHeader {
        L1BlockHeader(number: header.number, hash: hash, parentHash: header.parentHash, timestamp: header.timestamp)
    }
}

extension EthereumBlockHeader {
    /// Checks the header against the hash claimed for it.
    /// - Throws: ``ConfirmationError`` `ethereum.header-hash-mismatch` if the recomputed hash differs.
    public func verified(claimedHash: Bytes32) throws -> VerifiedBlockHeader {
        let computed = try hash()
        guard computed == claimedHash else {
            throw ConfirmationError(.ethereumHeaderHashMismatch, "block \(number): fields hash to \(computed), not the claimed \(claimedHash)")
        }
        return VerifiedBlockHeader(header: self, hash: computed)
    }

    /// Parses a JSON-RPC block object and checks its fields against its `hash`.
    /// - Throws: ``ConfirmationError`` `ethereum.invalid-json` or `ethereum.header-hash-mismatch`.
    public static func verifiedBlock(json data: Data) throws -> VerifiedBlockHeader {
        let block = try RPCBlock.decode(data)
        guard let claimed = block.hash else {
            throw ConfirmationError(.ethereumInvalidJSON, "block object has no hash")
        }
        let header = try EthereumBlockHeader(rpc: block)
        return try header.verified(claimedHash: try EthereumJSON.bytes32(claimed, field: "hash"))
    }

    /// Checks that `headers` (oldest first) form a chain by parent-hash linkage.
    /// - Throws: ``ConfirmationError`` `ethereum.parent-hash-mismatch` at the first broken link
    ///   (a number that does not increase by one, or a parent hash that differs).
    public static func checkChain(_ headers: [VerifiedBlockHeader]) throws {
        for (parent, child) in zip(headers, headers.dropFirst()) {
            guard child.header.number == parent.header.number &+ 1, child.header.parentHash == parent.hash else {
                throw ConfirmationError(.ethereumParentHashMismatch, "block \(child.header.number) does not link to block \(parent.header.number) \(parent.hash)")
            }
        }
    }
}

/// The JSON-RPC block object's header fields (everything else is ignored).
struct RPCBlock: Decodable {
    var hash: String?
    var parentHash: String?
    var sha3Uncles: String?
    var miner: String?
    var stateRoot: String?
    var transactionsRoot: String?
    var receiptsRoot: String?
    var logsBloom: String?
    var difficulty: String?
    var number: String?
    var gasLimit: String?
    var gasUsed: String?
    var timestamp: String?
    var extraData: String?
    var mixHash: String?
    var nonce: String?
    var baseFeePerGas: String?
    var withdrawalsRoot: String?
    var blobGasUsed: String?
    var excessBlobGas: String?
    var parentBeaconBlockRoot: String?
    var requestsHash: String?

    static func decode(_ data: Data) throws -> RPCBlock {
        guard data.count <= 64 << 20 else {
            throw ConfirmationError(.inputTooLong, "block object larger than 64 MiB")
        }
        do {
            return try JSONDecoder().decode(RPCBlock.self, from: data)
        } catch {
            throw ConfirmationError(.ethereumInvalidJSON, "not a JSON-RPC block object: \(AccountProof.describe(error))")
        }
    }
}

extension ConfirmationError.Code {
    /// A header's fields do not hash to the hash claimed for it.
    public static let ethereumHeaderHashMismatch = Self("ethereum.header-hash-mismatch")
    /// A header carries a later fork's field without an earlier fork's field.
    public static let ethereumHeaderFieldGap = Self("ethereum.header-field-gap")
    /// An RLP header has the wrong number or size of fields.
    public static let ethereumInvalidHeader = Self("ethereum.invalid-header")
    /// A header does not link to its claimed parent (hash or number).
    public static let ethereumParentHashMismatch = Self("ethereum.parent-hash-mismatch")
}
