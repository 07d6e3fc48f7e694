public import Foundation
import ConfirmationKit
import ConfirmationKitEthereum

/// `ethereum-receipts-settlement.json`: receipt decoding and log inclusion, the log posting rule
/// (one receipt proof, or all receipts of a block against its receipts root), L1 ancestry by hash
/// linkage, and the rule for advancing a verified finalized block.
public struct EthereumSettlementVectors: VectorSuite {
    public init() {}
    public var fileName: String { "ethereum-receipts-settlement.json" }

    /// A log as JSON-RPC shows it.
    struct LogJSON: Codable, Sendable, Equatable {
        var address: String
        var topics: [String]
        var data: String

        init(_ log: EthereumLog) {
            address = "0x" + Hex.encode(log.address.bytes)
            topics = log.topics.map(\.description)
            data = "0x" + Hex.encode(log.data)
        }
    }

    /// The fields of a JSON-RPC receipt object the receipts root covers (clients add hashes, indices and addresses).
    struct ReceiptJSON: Codable, Sendable {
        var type: String
        var status: String?
        var root: String?
        var cumulativeGasUsed: String
        var logsBloom: String
        var logs: [LogJSON]

        init(_ receipt: EthereumReceipt) {
            type = EthereumJSON.quantityString(UInt64(receipt.type))
            switch receipt.outcome {
            case .status(let success): status = success ? "0x1" : "0x0"
            case .postState(let root): self.root = root.description
            }
            cumulativeGasUsed = EthereumJSON.quantityString(receipt.cumulativeGasUsed)
            logsBloom = "0x" + Hex.encode(receipt.logsBloom)
            logs = receipt.logs.map(LogJSON.init)
        }
    }

    /// A ``LogPostingRule``.
    struct RuleJSON: Codable, Sendable {
        var network: String
        var contract: String
        var eventTopic: String

        func rule() throws -> LogPostingRule {
            LogPostingRule(network: network, contract: try EthereumAddress(contract), eventTopic: try Bytes32(hex: eventTopic))
        }
    }

    struct Test: Codable, Sendable {
        var tcId: Int
        var comment: String
        var flags: [String]
        // ReceiptLog and LogPosting: one receipt proof.
        var root: String?
        var transactionIndex: UInt64?
        var proof: [String]?
        var logIndex: Int?
        /// ReceiptLog: the proven log.
        var log: LogJSON?
        // LogPosting and BlockReceipts.
        var block: [String: String]?
        var receipts: [ReceiptJSON]?
        /// The postings the rule finds, in order.
        var postings: [L1Posting]?
        // L1Ancestry and FinalityAdvance (headers already hash-verified).
        var blockHeader: L1BlockHeader?
        var checkpoint: L1BlockHeader?
        var finalized: L1BlockHeader?
        var segment: [L1BlockHeader]?
        var result: VectorResult
        var error: String?

        init(tcId: Int, comment: String, flags: [String], error: ConfirmationError.Code?) {
            self.tcId = tcId
            self.comment = comment
            self.flags = flags
            result = error == nil ? .valid : .invalid
            self.error = error?.rawValue
        }
    }

    struct Group: Codable, Sendable {
        var type: String
        /// LogPosting and BlockReceipts: the rule applied.
        var rule: RuleJSON?
        /// FinalityAdvance: the most blocks finality may advance in one step.
        var maximumDistance: UInt64?
        var tests: [Test]
    }

    static func hexList(_ nodes: [[UInt8]]) -> [String] { nodes.map { "0x" + Hex.encode($0) } }

    // MARK: Generation

    public func generate() throws -> Data {
        var random = DeterministicRandom(seed: 0x5345_544c)
        var tcId = 0
        func newTest(_ comment: String, _ flags: [String], _ error: ConfirmationError.Code?) -> Test {
            tcId += 1
            return Test(tcId: tcId, comment: comment, flags: flags, error: error)
        }
        let contract = try EthereumAddress(bytes: random.bytes(20))
        let otherContract = try EthereumAddress(bytes: random.bytes(20))
        let rule = LogPostingRule(network: "example-rollup", contract: contract)
        let ruleJSON = RuleJSON(network: rule.network, contract: "0x" + Hex.encode(contract.bytes), eventTopic: rule.eventTopic.description)
        /// A uint256 topic holding `height`.
        func heightTopic(_ height: UInt64) throws -> Bytes32 {
            try Bytes32([UInt8](repeating: 0, count: 24) + (0..<8).map { UInt8(truncatingIfNeeded: height >> (56 - 8 * $0)) })
        }
        func posting(_ height: UInt64, _ commitment: Bytes32, from address: EthereumAddress = contract,
                     topic: Bytes32 = LogPostingRule.blockCommittedTopic) throws -> EthereumLog {
            EthereumLog(address: address, topics: [topic, try heightTopic(height)], data: commitment.bytes)
        }
        var cumulative: UInt64 = 0
        func receipt(_ type: UInt8, _ success: Bool, _ logs: [EthereumLog]) -> EthereumReceipt {
            cumulative += 21_000 + random.next() % 80_000
            return EthereumReceipt(type: type, outcome: .status(success), cumulativeGasUsed: cumulative, logsBloom: random.bytes(256), logs: logs)
        }

        // Block A: two postings, a foreign event, another event of the contract, a failed transaction and one without logs.
        let commitments = (0..<3).map { _ in Keccak256.hash(random.bytes(32)) }
        let otherEvent = Keccak256.hash(Array("Transfer(address,address,uint256)".utf8))
        let goodReceipts = [
            receipt(0, true, [try posting(41, commitments[0])]),
            receipt(2, true, [try posting(42, commitments[1], from: otherContract), try posting(42, commitments[1]),
                              EthereumLog(address: contract, topics: [otherEvent, Keccak256.hash([1]), Keccak256.hash([2])], data: random.bytes(32))]),
            receipt(2, false, [try posting(43, commitments[2])]),
            receipt(3, true, []),
        ]
        // Block B: block A's receipts followed by malformed postings.
        cumulative = goodReceipts.last?.cumulativeGasUsed ?? 0
        var wideHeight = [UInt8](repeating: 0, count: 32)
        wideHeight[23] = 1
        let badReceipts = goodReceipts + [
            receipt(2, true, [EthereumLog(address: contract, topics: [LogPostingRule.blockCommittedTopic, try Bytes32(wideHeight)], data: commitments[2].bytes)]),
            receipt(2, true, [EthereumLog(address: contract, topics: [LogPostingRule.blockCommittedTopic], data: commitments[2].bytes)]),
            receipt(2, true, [EthereumLog(address: contract, topics: [LogPostingRule.blockCommittedTopic, try heightTopic(44)], data: random.bytes(31))]),
        ]
        var headerA = try EthereumHeaderVectors.header(.prague, number: 7000, parent: Keccak256.hash([7]), random: &random)
        headerA.receiptsRoot = EthereumReceipt.root(of: goodReceipts)
        var headerB = try EthereumHeaderVectors.header(.prague, number: 7001, parent: try headerA.hash(), random: &random)
        headerB.receiptsRoot = EthereumReceipt.root(of: badReceipts)
        let blockA = try headerA.verified(claimedHash: headerA.hash())
        let blockB = try headerB.verified(claimedHash: headerB.hash())

        // MARK: ReceiptLog
        var logTests = [Test]()
        let goodTrie = EthereumReceipt.trie(of: goodReceipts)
        func logCase(_ comment: String, _ flags: [String], trie: MerklePatriciaTrie, index: UInt64, logIndex: Int, error: ConfirmationError.Code?) {
            var test = newTest(comment, flags, error)
            test.root = trie.root.description
            test.transactionIndex = index
            test.proof = Self.hexList(trie.proof(for: EthereumReceipt.trieKey(index: index)))
            test.logIndex = logIndex
            if error == nil, let value = trie[EthereumReceipt.trieKey(index: index)], let receipt = try? EthereumReceipt(encoded: value) {
                test.log = LogJSON(receipt.logs[logIndex])
            }
            logTests.append(test)
        }
        logCase("legacy receipt 0, log 0", ["LogInclusion", "LegacyReceipt"], trie: goodTrie, index: 0, logIndex: 0, error: nil)
        logCase("type-2 receipt 1, log 2", ["LogInclusion", "TypedReceipt"], trie: goodTrie, index: 1, logIndex: 2, error: nil)
        logCase("receipt 1 has 3 logs; no log 3", ["LogAbsent"], trie: goodTrie, index: 1, logIndex: 3, error: .receiptLogAbsent)
        logCase("receipt 3 has no logs; no log 0", ["LogAbsent"], trie: goodTrie, index: 3, logIndex: 0, error: .receiptLogAbsent)

        // Receipts-trie values that are not valid receipts, each under a valid proof.
        let bloom = random.bytes(256)
        let goodLog = RLPItem.list([.bytes(contract.bytes), .list([.bytes(otherEvent.bytes)]), .bytes(random.bytes(8))])
        func body(status: RLPItem = .bytes([1]), gas: RLPItem = .uint(50_000), bloom logsBloom: RLPItem? = nil,
                  logs: RLPItem? = nil) -> [UInt8] {
            RLP.encode(.list([status, gas, logsBloom ?? .bytes(bloom), logs ?? .list([goodLog])]))
        }
        let malformed: [(String, [String], [UInt8], ConfirmationError.Code)] = [
            ("type byte 0 before a legacy receipt", ["InvalidReceipt"], [0x00] + body(), .ethereumInvalidReceipt),
            ("3 fields (logs missing)", ["InvalidReceipt"],
             RLP.encode(.list([.bytes([1]), .uint(50_000), .bytes(bloom)])), .ethereumInvalidReceipt),
            ("status 0x02", ["InvalidReceipt"], [0x02] + body(status: .bytes([2])), .ethereumInvalidReceipt),
            ("a 32-byte post-state root in a typed receipt (legacy only)", ["InvalidReceipt"],
             [0x02] + body(status: .bytes(random.bytes(32))), .ethereumInvalidReceipt),
            ("logsBloom of 255 bytes", ["InvalidReceipt"], [0x02] + body(bloom: .bytes(random.bytes(255))), .ethereumInvalidReceipt),
            ("a log with 5 topics", ["InvalidReceipt"],
             [0x02] + body(logs: .list([.list([.bytes(contract.bytes), .list((0..<5).map { _ in .bytes(random.bytes(32)) }), .bytes([])])])),
             .ethereumInvalidReceipt),
            ("a log with 2 fields", ["InvalidReceipt"],
             [0x02] + body(logs: .list([.list([.bytes(contract.bytes), .list([])])])), .ethereumInvalidReceipt),
            ("cumulativeGasUsed with a leading zero byte", ["NonCanonicalInteger"], [0x02] + body(gas: .bytes([0x00, 0xc3, 0x50])),
             .rlpNonCanonicalInteger),
            ("cumulativeGasUsed of 9 bytes: wider than 64 bits", ["IntegerOverflow"],
             [0x02] + body(gas: .bytes([0x01] + [UInt8](repeating: 0, count: 8))), .rlpIntegerOverflow),
            ("logs as a byte string instead of a list", ["UnexpectedShape"], [0x02] + body(logs: .bytes(random.bytes(4))), .rlpUnexpectedShape),
            ("a topic of 31 bytes", ["UnexpectedShape"],
             [0x02] + body(logs: .list([.list([.bytes(contract.bytes), .list([.bytes(random.bytes(31))]), .bytes([])])])), .rlpUnexpectedShape),
        ]
        var rawTrie = MerklePatriciaTrie()
        for (index, entry) in malformed.enumerated() {
            rawTrie[EthereumReceipt.trieKey(index: UInt64(index))] = entry.2
        }
        for (index, entry) in malformed.enumerated() {
            logCase("receipt value: \(entry.0)", entry.1, trie: rawTrie, index: UInt64(index), logIndex: 0, error: entry.3)
        }

        // MARK: LogPosting: one receipt proof against a verified header.
        var postingTests = [Test]()
        let trieB = EthereumReceipt.trie(of: badReceipts)
        let blockObjectB = try headerB.jsonObject()
        func postingCase(_ comment: String, _ flags: [String], index: UInt64, logIndex: Int, error: ConfirmationError.Code?) throws {
            var test = newTest(comment, flags, error)
            test.block = blockObjectB
            test.transactionIndex = index
            test.proof = Self.hexList(trieB.proof(for: EthereumReceipt.trieKey(index: index)))
            test.logIndex = logIndex
            if error == nil {
                let proof = ReceiptProof(transactionIndex: index, proof: trieB.proof(for: EthereumReceipt.trieKey(index: index)))
                test.postings = [try rule.posting(proof: proof, logIndex: logIndex, in: blockB)]
            }
            postingTests.append(test)
        }
        try postingCase("transaction 1, log 1: height 42", ["Posting"], index: 1, logIndex: 1, error: nil)
        try postingCase("transaction 0, log 0: height 41", ["Posting", "LegacyReceipt"], index: 0, logIndex: 0, error: nil)
        try postingCase("the same event emitted by another contract", ["NotAPosting"], index: 1, logIndex: 0, error: .settlementNotAPosting)
        try postingCase("another event of the posting contract", ["NotAPosting"], index: 1, logIndex: 2, error: .settlementNotAPosting)
        try postingCase("height topic above 2^64 - 1", ["MalformedPosting"], index: 4, logIndex: 0, error: .settlementMalformedPosting)
        try postingCase("posting event without a height topic", ["MalformedPosting"], index: 5, logIndex: 0, error: .settlementMalformedPosting)
        try postingCase("posting event with 31 bytes of data (no commitment word)", ["MalformedPosting"], index: 6, logIndex: 0,
                        error: .settlementMalformedPosting)
        try postingCase("log index past the receipt's logs", ["LogAbsent"], index: 3, logIndex: 0, error: .receiptLogAbsent)

        // MARK: BlockReceipts: every receipt of a block, checked against its receipts root.
        var blockTests = [Test]()
        @discardableResult
        func blockCase(_ comment: String, _ flags: [String], header: EthereumBlockHeader, verified: VerifiedBlockHeader,
                       receipts: [EthereumReceipt], error: ConfirmationError.Code?) throws -> [L1Posting]? {
            var test = newTest(comment, flags, error)
            test.block = try header.jsonObject()
            test.receipts = receipts.map(ReceiptJSON.init)
            if error == nil { test.postings = try rule.postings(receipts: receipts, in: verified) }
            blockTests.append(test)
            return test.postings
        }
        let found = try blockCase("all receipts of block A: two postings (the failed transaction's is skipped)", ["Posting", "FailedTransaction"],
                                  header: headerA, verified: blockA, receipts: goodReceipts, error: nil)
        // The generator's own check that block A says what the comment says.
        guard found?.map(\.height) == [41, 42], found?.map(\.blockCommitment) == Array(commitments[0..<2]) else {
            throw ConfirmationError(.invalidLength, "block A's postings are not heights 41 and 42")
        }
        var forged = goodReceipts
        forged[1].logs[1].data = commitments[2].bytes
        try blockCase("a posting's commitment changed", ["RootMismatch"], header: headerA, verified: blockA, receipts: forged,
                      error: .receiptsRootMismatch)
        forged = goodReceipts
        forged[2].outcome = .status(true)
        try blockCase("the failed transaction reported as successful", ["RootMismatch"], header: headerA, verified: blockA, receipts: forged,
                      error: .receiptsRootMismatch)
        try blockCase("the last receipt withheld", ["RootMismatch"], header: headerA, verified: blockA, receipts: Array(goodReceipts.dropLast()),
                      error: .receiptsRootMismatch)
        forged = goodReceipts
        forged.swapAt(0, 1)
        try blockCase("two receipts swapped", ["RootMismatch"], header: headerA, verified: blockA, receipts: forged, error: .receiptsRootMismatch)
        try blockCase("all receipts of block B: a malformed posting among them", ["MalformedPosting"], header: headerB, verified: blockB,
                      receipts: badReceipts, error: .settlementMalformedPosting)

        // MARK: L1Ancestry and FinalityAdvance (compact headers, hashes taken as verified).
        var chain = [L1BlockHeader]()
        var parent = Keccak256.hash(Array("l1-ancestry".utf8))
        for number in UInt64(100)...107 {
            let header = L1BlockHeader(number: number, hash: Keccak256.hash(parent.bytes + RLP.minimalBigEndian(number)), parentHash: parent,
                                       timestamp: 1_700_000_000 + 12 * number)
            chain.append(header)
            parent = header.hash
        }
        func at(_ number: UInt64) -> L1BlockHeader { chain[Int(number - 100)] }
        func fork(of header: L1BlockHeader) -> L1BlockHeader {
            L1BlockHeader(number: header.number, hash: Keccak256.hash(header.hash.bytes), parentHash: header.parentHash, timestamp: header.timestamp + 1)
        }
        func range(_ numbers: ClosedRange<UInt64>) -> [L1BlockHeader] { numbers.map(at) }
        var ancestryTests = [Test]()
        func ancestryCase(_ comment: String, _ flags: [String], _ block: L1BlockHeader, _ checkpoint: L1BlockHeader, _ segment: [L1BlockHeader],
                          error: ConfirmationError.Code?) {
            var test = newTest(comment, flags, error)
            test.blockHeader = block
            test.checkpoint = checkpoint
            test.segment = segment
            ancestryTests.append(test)
        }
        ancestryCase("block 102 under checkpoint 106", ["Ancestor"], at(102), at(106), range(102...106), error: nil)
        ancestryCase("the checkpoint itself", ["Ancestor"], at(106), at(106), [at(106)], error: nil)
        ancestryCase("a sibling replaces block 104 (105 names the original)", ["NotAncestor"], at(102), at(106),
                     range(102...103) + [fork(of: at(104))] + range(105...106), error: .l1NotAncestor)
        ancestryCase("block 104 missing from the segment", ["NotAncestor"], at(102), at(106), range(102...103) + range(105...106), error: .l1NotAncestor)
        let forked = fork(of: at(102))
        ancestryCase("block 102 of another fork", ["NotAncestor"], forked, at(106), [forked] + range(103...106), error: .l1NotAncestor)
        ancestryCase("the segment stops at 105, before the checkpoint", ["NotAncestor"], at(102), at(106), range(102...105), error: .l1NotAncestor)
        ancestryCase("a block after the checkpoint", ["NotAncestor"], at(107), at(106), [at(106), at(107)], error: .l1NotAncestor)
        ancestryCase("an empty segment", ["NotAncestor"], at(102), at(106), [], error: .l1NotAncestor)

        let maximumDistance: UInt64 = 4
        var advanceTests = [Test]()
        func advanceCase(_ comment: String, _ flags: [String], _ previous: L1BlockHeader, _ next: L1BlockHeader, _ segment: [L1BlockHeader],
                         error: ConfirmationError.Code?) {
            var test = newTest(comment, flags, error)
            test.checkpoint = previous
            test.finalized = next
            test.segment = segment
            advanceTests.append(test)
        }
        advanceCase("100 to 104: the most one step may advance", ["Advance"], at(100), at(104), range(100...104), error: nil)
        advanceCase("104 to 104: no advance", ["Advance"], at(104), at(104), [at(104)], error: nil)
        advanceCase("104 to 102: finality went backwards", ["Regressed"], at(104), at(102), range(102...104), error: .l1FinalizedRegressed)
        advanceCase("100 to 105: one block beyond the distance", ["LinkTooLong"], at(100), at(105), range(100...105), error: .l1LinkTooLong)
        let stranger = L1BlockHeader(number: 103, hash: Keccak256.hash(Array("stranger-103".utf8)),
                                     parentHash: Keccak256.hash(Array("stranger-102".utf8)), timestamp: at(103).timestamp)
        advanceCase("100 to a block 103 of a chain that left before 100 (its parent is not 102)", ["NotAncestor"], at(100), stranger,
                    range(100...102) + [stranger], error: .l1NotAncestor)

        let groups = [
            Group(type: "ReceiptLog", tests: logTests),
            Group(type: "LogPosting", rule: ruleJSON, tests: postingTests),
            Group(type: "BlockReceipts", rule: ruleJSON, tests: blockTests),
            Group(type: "L1Ancestry", tests: ancestryTests),
            Group(type: "FinalityAdvance", maximumDistance: maximumDistance, tests: advanceTests),
        ]
        let file = VectorFile(
            schema: "confirmationkit-ethereum-receipts-settlement-v1", algorithm: "Ethereum receipts, log posting rule, L1 ancestry",
            header: ["ReceiptLog: prove the receipt at transactionIndex under root (receipts-trie key rlp(index)), decode it strictly and",
                     "return its log at logIndex. LogPosting: the same against the receiptsRoot of `block` (a JSON-RPC block object whose",
                     "hash must verify), then read a posting with the group's rule: a log of `contract` whose first topic is `eventTopic`,",
                     "height = topic 1 (must fit in 64 bits), commitment = the first 32 data bytes. BlockReceipts: `receipts` (the",
                     "root-relevant fields of an eth_getBlockReceipts result) must rebuild the block's receiptsRoot; postings of failed",
                     "transactions are skipped. L1Ancestry: `segment` (oldest first, hashes taken as verified) must run from blockHeader",
                     "to checkpoint with consecutive numbers and parent hashes. FinalityAdvance: the finalized block may move from",
                     "`checkpoint` to `finalized` if it is not older, at most maximumDistance blocks newer, and linked by `segment`.",
                     "See Docs/ethereum-l1.md."],
            notes: ["LogInclusion": "The proof leads to a receipt holding the log.",
                    "LegacyReceipt": "A type-0 receipt (plain RLP list).",
                    "TypedReceipt": "An EIP-2718 typed receipt (type byte then RLP).",
                    "LogAbsent": "The proven receipt has no log at logIndex.",
                    "InvalidReceipt": "The proven receipts-trie value is not a valid receipt.",
                    "NonCanonicalInteger": "An integer field starts with a zero byte.",
                    "IntegerOverflow": "An integer field is wider than 64 bits.",
                    "UnexpectedShape": "A byte string where a list is expected (or the reverse), or a topic that is not 32 bytes.",
                    "Posting": "The log is a posting under the rule.",
                    "FailedTransaction": "A failed transaction's receipt carries a posting-shaped log that must not count.",
                    "NotAPosting": "The log is another contract's or another event's.",
                    "MalformedPosting": "The event matches the rule but its height or commitment is malformed.",
                    "RootMismatch": "The receipts do not rebuild the header's receipts root.",
                    "Ancestor": "The segment links the block to the checkpoint.",
                    "NotAncestor": "The segment does not link the block (or the new finalized block) to the checkpoint.",
                    "Advance": "Finality may advance to the new block.",
                    "Regressed": "The new finalized block is older than the verified one.",
                    "LinkTooLong": "The new finalized block is more than maximumDistance blocks ahead."],
            testGroups: groups, numberOfTests: tcId)
        return try VectorJSON.encode(file)
    }

    // MARK: Verification

    public func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<Group>.self, from: data)
        var outcomes = [VectorOutcome]()
        for group in file.testGroups {
            for test in group.tests {
                do {
                    let passed = try run(group, test)
                    outcomes.append(VectorOutcome(tcId: test.tcId, passed: passed && test.result == .valid,
                                                  detail: test.result == .valid ? "the answer differs from the vector's" : "accepted an invalid case"))
                } catch let error as ConfirmationError {
                    let passed = test.result == .invalid && error.code.rawValue == test.error
                    outcomes.append(VectorOutcome(tcId: test.tcId, passed: passed, detail: passed ? "" : "got \(error.code)"))
                }
            }
        }
        return outcomes
    }

    /// Runs one case; returns whether a successful answer matches the vector.
    private func run(_ group: Group, _ test: Test) throws -> Bool {
        func receiptProof() throws -> ReceiptProof {
            ReceiptProof(transactionIndex: test.transactionIndex ?? 0, proof: try (test.proof ?? []).map { try Hex.decode($0) })
        }
        func block() throws -> VerifiedBlockHeader {
            try EthereumBlockHeader.verifiedBlock(json: VectorJSON.encode(test.block ?? [:]))
        }
        switch group.type {
        case "ReceiptLog":
            let log = try receiptProof().verifyLog(receiptsRoot: Bytes32(hex: test.root ?? ""), logIndex: test.logIndex ?? 0)
            return LogJSON(log) == test.log
        case "LogPosting":
            guard let rule = group.rule else { return false }
            let posting = try rule.rule().posting(proof: receiptProof(), logIndex: test.logIndex ?? 0, in: block())
            return [posting] == test.postings
        case "BlockReceipts":
            guard let rule = group.rule else { return false }
            let receipts = try EthereumReceipt.blockReceipts(json: VectorJSON.encode(test.receipts ?? []))
            return try rule.rule().postings(receipts: receipts, in: block()) == test.postings
        case "L1Ancestry":
            guard let header = test.blockHeader, let checkpoint = test.checkpoint else { return false }
            try L1Ancestry.verify(header, isAncestorOf: checkpoint, through: test.segment ?? [])
            return true
        case "FinalityAdvance":
            guard let previous = test.checkpoint, let next = test.finalized, let distance = group.maximumDistance else { return false }
            try L1Ancestry.verifyAdvance(from: previous, to: next, through: test.segment ?? [], maximumDistance: distance)
            return true
        default:
            return false
        }
    }
}
