public import ConfirmationKit
public import Foundation

/// One log (event) in a transaction receipt.
public struct EthereumLog: Sendable, Hashable {
    /// The emitting contract.
    public var address: EthereumAddress
    /// Up to four topics; the first is usually the event signature hash.
    public var topics: [Bytes32]
    /// The non-indexed data.
    public var data: [UInt8]

    /// Creates a log.
    public init(address: EthereumAddress, topics: [Bytes32], data: [UInt8]) {
        self.address = address
        self.topics = topics
        self.data = data
    }

    var rlpItem: RLPItem {
        .list([.bytes(address.bytes), .list(topics.map { .bytes($0.bytes) }), .bytes(data)])
    }
}

/// A transaction receipt as the receipts trie stores it.
///
/// Legacy receipts are `rlp([status, cumulativeGasUsed, logsBloom, logs])`; typed receipts
/// (EIP-2718: types 1, 2, 3, 4) are the type byte followed by that encoding. Before Byzantium the
/// first field was an intermediate state root instead of a status.
public struct EthereumReceipt: Sendable, Hashable {
    /// The first field: a status or (before Byzantium) a post-transaction state root.
    public enum Outcome: Sendable, Hashable {
        /// Byzantium and later: success (encoded `0x01`) or failure (encoded as the empty string).
        case status(Bool)
        /// Before Byzantium: the state root after the transaction.
        case postState(Bytes32)
    }

    /// The transaction type: 0 legacy, 1 EIP-2930, 2 EIP-1559, 3 EIP-4844, 4 EIP-7702.
    public var type: UInt8
    /// Status or post-state root.
    public var outcome: Outcome
    /// Gas used by this and all earlier transactions in the block.
    public var cumulativeGasUsed: UInt64
    /// The 256-byte bloom of this receipt's logs.
    public var logsBloom: [UInt8]
    /// The logs, in order.
    public var logs: [EthereumLog]

    /// The largest typed-receipt type accepted (EIP-2718 reserves 0x00…0x7f).
    public static let maximumType: UInt8 = 0x7f

    /// Creates a receipt.
    public init(type: UInt8, outcome: Outcome, cumulativeGasUsed: UInt64, logsBloom: [UInt8], logs: [EthereumLog]) {
        self.type = type
        self.outcome = outcome
        self.cumulativeGasUsed = cumulativeGasUsed
        self.logsBloom = logsBloom
        self.logs = logs
    }

    /// The receipts-trie value: the (typed) encoding.
    public var encoded: [UInt8] {
        let first: RLPItem
        switch outcome {
        case .status(let success): first = .bytes(success ? [1] : [])
        case .postState(let root): first = .bytes(root.bytes)
        }
        let body = RLP.encode(.list([first, .uint(cumulativeGasUsed), .bytes(logsBloom), .list(logs.map(\.rlpItem))]))
        return type == 0 ? body : [type] + body
    }

    /// Decodes a receipts-trie value strictly.
    /// - Throws: ``ConfirmationError`` with an `rlp.*` code or `ethereum.invalid-receipt`.
    public init(encoded bytes: [UInt8]) throws {
        guard let first = bytes.first else {
            throw ConfirmationError(.ethereumInvalidReceipt, "empty receipt")
        }
        var body = bytes
        if first <= Self.maximumType {
            guard first != 0 else {
                throw ConfirmationError(.ethereumInvalidReceipt, "typed receipt with type 0 (legacy receipts carry no type byte)")
            }
            type = first
            body = Array(bytes.dropFirst())
        } else {
            type = 0
        }
        let items = try RLP.decode(body, limits: RLPLimits(maximumBytes: 16 << 20, maximumDepth: 4, maximumItems: 1 << 20)).listItems()
        guard items.count == 4 else {
            throw ConfirmationError(.ethereumInvalidReceipt, "receipt has \(items.count) fields (expected 4)")
        }
        let status = try items[0].byteString()
        switch status {
        case []: outcome = .status(false)
        case [1]: outcome = .status(true)
        default:
            guard status.count == 32, type == 0 else {
                throw ConfirmationError(.ethereumInvalidReceipt, "receipt status must be empty, 0x01 or a 32-byte legacy state root")
            }
            outcome = .postState(try Bytes32(status))
        }
        cumulativeGasUsed = try items[1].uint64()
        logsBloom = try items[2].byteString()
        guard logsBloom.count == 256 else {
            throw ConfirmationError(.ethereumInvalidReceipt, "logsBloom must be 256 bytes")
        }
        logs = try items[3].listItems().map { item in
            let fields = try item.listItems()
            guard fields.count == 3 else {
                throw ConfirmationError(.ethereumInvalidReceipt, "log has \(fields.count) fields (expected 3)")
            }
            let topics = try fields[1].listItems()
            guard topics.count <= 4 else {
                throw ConfirmationError(.ethereumInvalidReceipt, "log has \(topics.count) topics (at most 4)")
            }
            return EthereumLog(address: try EthereumAddress(bytes: try fields[0].byteString()),
                               topics: try topics.map { try $0.bytes32() }, data: try fields[2].byteString())
        }
    }

    /// The receipts-trie key of the transaction at `index`: `rlp(index)`.
    public static func trieKey(index: UInt64) -> [UInt8] { RLP.encode(index) }

    /// The receipts root of a block's receipts, in transaction order.
    public static func root(of receipts: [EthereumReceipt]) -> Bytes32 {
        trie(of: receipts).root
    }

    /// The receipts trie of a block's receipts, in transaction order (to build proofs).
    public static func trie(of receipts: [EthereumReceipt]) -> MerklePatriciaTrie {
        var trie = MerklePatriciaTrie()
        for (index, receipt) in receipts.enumerated() {
            trie[trieKey(index: UInt64(index))] = receipt.encoded
        }
        return trie
    }

    /// Parses a JSON-RPC receipt object (`eth_getTransactionReceipt`, one element of `eth_getBlockReceipts`).
    /// - Throws: ``ConfirmationError`` `ethereum.invalid-json` for a malformed object.
    public init(json data: Data) throws {
        let raw: RPCReceipt
        do {
            raw = try JSONDecoder().decode(RPCReceipt.self, from: data)
        } catch {
            throw ConfirmationError(.ethereumInvalidJSON, "not a receipt object: \(AccountProof.describe(error))")
        }
        try self.init(rpc: raw)
    }

    /// Parses the result of `eth_getBlockReceipts`: a JSON array of receipt objects.
    public static func blockReceipts(json data: Data) throws -> [EthereumReceipt] {
        let raws: [RPCReceipt]
        do {
            raws = try JSONDecoder().decode([RPCReceipt].self, from: data)
        } catch {
            throw ConfirmationError(.ethereumInvalidJSON, "not an array of receipt objects: \(AccountProof.describe(error))")
        }
        return try raws.map { try EthereumReceipt(rpc: $0) }
    }

    init(rpc raw: RPCReceipt) throws {
        let type = try raw.type.map { try EthereumJSON.uint64($0, field: "type") } ?? 0
        guard type <= UInt64(Self.maximumType) else {
            throw ConfirmationError(.ethereumInvalidJSON, "receipt type \(type) is out of range")
        }
        let outcome: Outcome
        if let status = raw.status {
            switch try EthereumJSON.uint64(status, field: "status") {
            case 0: outcome = .status(false)
            case 1: outcome = .status(true)
            default: throw ConfirmationError(.ethereumInvalidJSON, "receipt status must be 0x0 or 0x1")
            }
        } else if let root = raw.root {
            outcome = .postState(try EthereumJSON.bytes32(root, field: "root"))
        } else {
            throw ConfirmationError(.ethereumInvalidJSON, "receipt has neither status nor root")
        }
        self.init(
            type: UInt8(type), outcome: outcome,
            cumulativeGasUsed: try EthereumJSON.uint64(raw.cumulativeGasUsed, field: "cumulativeGasUsed"),
            logsBloom: try EthereumJSON.data(raw.logsBloom, field: "logsBloom", count: 256),
            logs: try raw.logs.map { log in
                guard log.topics.count <= 4 else {
                    throw ConfirmationError(.ethereumInvalidJSON, "log has more than 4 topics")
                }
                return EthereumLog(address: try EthereumAddress(bytes: EthereumJSON.data(log.address, field: "log.address", count: 20)),
                                   topics: try log.topics.map { try EthereumJSON.bytes32($0, field: "log.topics") },
                                   data: try EthereumJSON.data(log.data, field: "log.data"))
            })
    }
}

/// A proof that a receipt sits at a transaction index in a block's receipts trie.
///
/// ```swift
/// let proof = ReceiptProof(transactionIndex: 3, proof: nodes)
/// let log = try proof.verifyLog(receiptsRoot: header.receiptsRoot, logIndex: 0)
/// ```
public struct ReceiptProof: Sendable, Hashable {
    /// The transaction's index in its block.
    public var transactionIndex: UInt64
    /// The receipts-trie nodes on the path of `rlp(transactionIndex)`, root first.
    public var proof: [[UInt8]]

    /// Creates a proof.
    public init(transactionIndex: UInt64, proof: [[UInt8]]) {
        self.transactionIndex = transactionIndex
        self.proof = proof
    }

    /// Verifies the proof and decodes the receipt it proves.
    /// - Parameter receiptsRoot: the receipts root of a verified header.
    /// - Throws: ``ConfirmationError``: `mpt.*`, `receipt.absent` if the proof shows no receipt at the index, or a decoding code.
    public func verify(receiptsRoot: Bytes32) throws -> EthereumReceipt {
        let value = try MerklePatriciaProof.verify(root: receiptsRoot, key: EthereumReceipt.trieKey(index: transactionIndex), proof: proof)
        guard let value else {
            throw ConfirmationError(.receiptAbsent, "the proof shows no receipt at transaction index \(transactionIndex)")
        }
        return try EthereumReceipt(encoded: value)
    }

    /// Verifies the proof and returns the log at `logIndex` (its position inside this receipt).
    /// - Throws: as ``verify(receiptsRoot:)``, and `receipt.log-absent` if the receipt has no such log.
    public func verifyLog(receiptsRoot: Bytes32, logIndex: Int) throws -> EthereumLog {
        let receipt = try verify(receiptsRoot: receiptsRoot)
        guard logIndex >= 0, logIndex < receipt.logs.count else {
            throw ConfirmationError(.receiptLogAbsent, "receipt \(transactionIndex) has \(receipt.logs.count) logs; no log \(logIndex)")
        }
        return receipt.logs[logIndex]
    }
}

struct RPCReceipt: Decodable {
    var type: String?
    var status: String?
    var root: String?
    var cumulativeGasUsed: String
    var logsBloom: String
    var logs: [RPCLog]
}

struct RPCLog: Decodable {
    var address: String
    var topics: [String]
    var data: String
}

extension ConfirmationError.Code {
    /// A receipts-trie value is not a valid (typed) receipt.
    public static let ethereumInvalidReceipt = Self("ethereum.invalid-receipt")
    /// A receipt proof shows that no receipt exists at the index.
    public static let receiptAbsent = Self("receipt.absent")
    /// The proven receipt has no log at the requested index.
    public static let receiptLogAbsent = Self("receipt.log-absent")
    /// Receipts do not hash to the header's receipts root.
    public static let receiptsRootMismatch = Self("receipt.root-mismatch")
}
