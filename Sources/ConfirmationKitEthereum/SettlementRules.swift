public import ConfirmationKit

/// Where a rollup or sequencer records its certified block commitments in an L1 log.
///
/// The generic convention is an event with the height as the first indexed topic and the
/// 32-byte commitment as the first data word, e.g.
/// `event BlockCommitted(uint256 indexed height, bytes32 commitment)`.
///
/// ```swift
/// let rule = LogPostingRule(network: "my-rollup", contract: inbox)
/// let postings = try rule.postings(receipts: receipts, in: verifiedHeader)
/// ```
public struct LogPostingRule: Sendable, Hashable {
    /// The network id the postings are for.
    public var network: String
    /// The contract whose logs count.
    public var contract: EthereumAddress
    /// The event's first topic (its signature hash).
    public var eventTopic: Bytes32

    /// `keccak256("BlockCommitted(uint256,bytes32)")`.
    public static let blockCommittedTopic = Keccak256.hash(Array("BlockCommitted(uint256,bytes32)".utf8))

    /// Creates a rule.
    public init(network: String, contract: EthereumAddress, eventTopic: Bytes32 = LogPostingRule.blockCommittedTopic) {
        self.network = network
        self.contract = contract
        self.eventTopic = eventTopic
    }

    /// Reads a posting from one log, or `nil` if the log is not this rule's event.
    /// - Throws: ``ConfirmationError`` `settlement.malformed-posting` when the event matches but its height or commitment is malformed.
    public func posting(from log: EthereumLog, in block: L1BlockHeader) throws -> L1Posting? {
        guard log.address == contract, log.topics.first == eventTopic else { return nil }
        guard log.topics.count >= 2, log.data.count >= 32 else {
            throw ConfirmationError(.settlementMalformedPosting, "posting event without a height topic or a commitment word")
        }
        let heightWord = log.topics[1].bytes
        guard heightWord.prefix(24).allSatisfy({ $0 == 0 }) else {
            throw ConfirmationError(.settlementMalformedPosting, "posted height does not fit in 64 bits")
        }
        let height = heightWord.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return L1Posting(network: network, height: height, blockCommitment: try Bytes32(log.data.prefix(32)),
                         l1Block: block, evidence: "receipt-log")
    }

    /// All postings in a block, from its complete list of receipts, after checking them against the header's receipts root.
    /// - Parameters:
    ///   - receipts: every receipt of the block, in transaction order (an `eth_getBlockReceipts` result).
    ///   - header: the block's verified header.
    /// - Throws: ``ConfirmationError`` `receipt.root-mismatch` if the receipts do not rebuild the header's receipts root.
    public func postings(receipts: [EthereumReceipt], in header: VerifiedBlockHeader) throws -> [L1Posting] {
        let root = EthereumReceipt.root(of: receipts)
        guard root == header.header.receiptsRoot else {
            throw ConfirmationError(.receiptsRootMismatch, "receipts of block \(header.header.number) rebuild root \(root), the header has \(header.header.receiptsRoot)")
        }
        var postings = [L1Posting]()
        for receipt in receipts {
            // A reverted transaction's logs are discarded by the EVM; receipts of failed transactions carry none.
            if case .status(false) = receipt.outcome { continue }
            for log in receipt.logs {
                if let posting = try posting(from: log, in: header.l1Header) { postings.append(posting) }
            }
        }
        return postings
    }

    /// The posting proven by one receipt proof and a log index.
    /// - Throws: ``ConfirmationError`` (`mpt.*`, `receipt.*`, `settlement.*`); `settlement.not-a-posting` if the log is not this rule's event.
    public func posting(proof: ReceiptProof, logIndex: Int, in header: VerifiedBlockHeader) throws -> L1Posting {
        let log = try proof.verifyLog(receiptsRoot: header.header.receiptsRoot, logIndex: logIndex)
        guard let posting = try posting(from: log, in: header.l1Header) else {
            throw ConfirmationError(.settlementNotAPosting, "log \(logIndex) of transaction \(proof.transactionIndex) is not a posting by \(contract)")
        }
        return posting
    }
}

/// Where a contract records the latest settled height and its commitment in storage.
///
/// The height sits in `heightSlot`, as a 64-bit field `heightByteOffset` bytes above the
/// slot's low end (Solidity packs the first member in the lowest bytes); the commitment fills
/// `commitmentSlot`. Both are read by an EIP-1186 storage proof against a verified state root,
/// so a posting read this way says "settled at or before this L1 block".
public struct StoragePostingRule: Sendable, Hashable {
    /// The network id the postings are for.
    public var network: String
    /// The contract holding the slots.
    public var contract: EthereumAddress
    /// The slot holding the height.
    public var heightSlot: Bytes32
    /// The height's byte offset from the low end of its slot (0…24).
    public var heightByteOffset: Int
    /// The slot holding the 32-byte commitment.
    public var commitmentSlot: Bytes32
    /// The `evidence` label of the postings.
    public var evidence: String

    /// Creates a rule.
    public init(network: String, contract: EthereumAddress, heightSlot: Bytes32, heightByteOffset: Int = 0,
                commitmentSlot: Bytes32, evidence: String = "storage-slot") {
        self.network = network
        self.contract = contract
        self.heightSlot = heightSlot
        self.heightByteOffset = max(0, min(heightByteOffset, 24))
        self.commitmentSlot = commitmentSlot
        self.evidence = evidence
    }

    /// Espresso's LightClient proxy: `finalizedState` packs `viewNum` (low 8 bytes) and `blockHeight`
    /// (next 8 bytes) in slot 6 and holds `blockCommRoot` in slot 7.
    ///
    /// The commitment is the Rescue digest of the block Merkle tree root of the header at that height,
    /// not a header commitment; checking it against a header needs a Rescue-over-BN254 port
    /// (see `Docs/ethereum-l1.md`).
    public static func espressoLightClient(contract: EthereumAddress, network: String = "espresso") -> StoragePostingRule {
        StoragePostingRule(network: network, contract: contract, heightSlot: slot(6), heightByteOffset: 8,
                           commitmentSlot: slot(7), evidence: "espresso-light-client")
    }

    /// A slot number as a 32-byte key.
    public static func slot(_ index: UInt64) -> Bytes32 {
        (try? Bytes32([UInt8](repeating: 0, count: 24) + (0..<8).map { UInt8(truncatingIfNeeded: index >> (56 - 8 * $0)) })) ?? .zero
    }

    /// The storage keys to request with `eth_getProof`.
    public var storageKeys: [Bytes32] { [heightSlot, commitmentSlot] }

    /// Reads the posting from a verified account proof of ``contract`` at `block`.
    /// - Returns: the posting, or `nil` when nothing was recorded yet (height and commitment both zero).
    /// - Throws: ``ConfirmationError`` `settlement.not-a-posting` if the proof is for another address or lacks a slot.
    public func posting(from proof: VerifiedAccountProof, in block: L1BlockHeader) throws -> L1Posting? {
        guard proof.address == contract else {
            throw ConfirmationError(.settlementNotAPosting, "storage proof is for \(proof.address), not \(contract)")
        }
        guard let heightWord = proof.value(at: heightSlot), let commitment = proof.value(at: commitmentSlot) else {
            throw ConfirmationError(.settlementNotAPosting, "the storage proof lacks the height or commitment slot")
        }
        let bytes = heightWord.bytes
        let end = 32 - heightByteOffset
        let height = bytes[(end - 8)..<end].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        if height == 0, commitment == .zero { return nil }
        return L1Posting(network: network, height: height, blockCommitment: commitment, l1Block: block, evidence: evidence)
    }
}

extension ConfirmationError.Code {
    /// A posting event or slot matches the rule but its contents are malformed.
    public static let settlementMalformedPosting = Self("settlement.malformed-posting")
    /// The proven log or storage is not a posting under the rule.
    public static let settlementNotAPosting = Self("settlement.not-a-posting")
}
