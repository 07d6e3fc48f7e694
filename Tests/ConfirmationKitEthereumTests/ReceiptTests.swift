import ConfirmationKit
import ConfirmationKitEthereum
import Foundation
import Testing

/// A deterministic block's worth of receipts of every type, some carrying postings.
func sampleReceipts(count: Int, inbox: EthereumAddress, seed: UInt64 = 0x52435054) throws -> [EthereumReceipt] {
    var random = DeterministicRandom(seed: seed)
    var cumulative: UInt64 = 0
    return try (0..<count).map { index in
        cumulative += 21_000 + random.next() % 100_000
        let type = UInt8([0, 1, 2, 3, 4][index % 5])
        var logs = [EthereumLog]()
        if index % 7 == 3 {
            var heightWord = [UInt8](repeating: 0, count: 24)
            heightWord += RLP.minimalBigEndian(UInt64(1000 + index)).reversed().padded(to: 8).reversed()
            logs.append(EthereumLog(address: inbox, topics: [LogPostingRule.blockCommittedTopic, try Bytes32(heightWord)],
                                    data: Keccak256.hash(random.bytes(8)).bytes))
        }
        for _ in 0..<Int(random.next() % 3) {
            logs.append(EthereumLog(address: try EthereumAddress(bytes: random.bytes(20)), topics: [Keccak256.hash(random.bytes(4))], data: random.bytes(Int(random.next() % 70))))
        }
        return EthereumReceipt(type: type, outcome: .status(index % 11 != 5), cumulativeGasUsed: cumulative,
                               logsBloom: random.bytes(256), logs: logs)
    }
}

extension Array where Element == UInt8 {
    func padded(to count: Int) -> [UInt8] { self + [UInt8](repeating: 0, count: Swift.max(0, count - self.count)) }
}

@Suite("Receipts and settlement rules")
struct ReceiptTests {
    let inbox = try! EthereumAddress(bytes: [UInt8](repeating: 0x1b, count: 20))

    @Test("typed and legacy receipts round-trip; proofs at every index, including 0 and ≥ 0x80")
    func receiptProofs() throws {
        let receipts = try sampleReceipts(count: 150, inbox: inbox)
        let trie = EthereumReceipt.trie(of: receipts)
        let root = trie.root
        #expect(root == EthereumReceipt.root(of: receipts))
        for (index, receipt) in receipts.enumerated() {
            #expect(try EthereumReceipt(encoded: receipt.encoded) == receipt)
            let proof = ReceiptProof(transactionIndex: UInt64(index), proof: trie.proof(for: EthereumReceipt.trieKey(index: UInt64(index))))
            #expect(try proof.verify(receiptsRoot: root) == receipt)
        }
        // Absent index: a verified exclusion becomes receipt.absent.
        let absent = ReceiptProof(transactionIndex: 150, proof: trie.proof(for: EthereumReceipt.trieKey(index: 150)))
        #expect(throws: ConfirmationError(.receiptAbsent, "")) { try absent.verify(receiptsRoot: root) }
        // A proof for index 3 presented as index 4 fails.
        let moved = ReceiptProof(transactionIndex: 4, proof: trie.proof(for: EthereumReceipt.trieKey(index: 3)))
        #expect(throws: ConfirmationError.self) { try moved.verify(receiptsRoot: root) }
        // Typed receipts start with their type byte; legacy ones with an RLP list prefix.
        #expect(receipts[1].encoded.first == 1)
        #expect(receipts[0].encoded.first.map { $0 >= 0xc0 } == true)
        #expect(throws: ConfirmationError(.ethereumInvalidReceipt, "")) { try EthereumReceipt(encoded: [0x00] + receipts[0].encoded) }
        #expect(throws: ConfirmationError(.ethereumInvalidReceipt, "")) { try EthereumReceipt(encoded: []) }
    }

    @Test("log rule: postings from all receipts (root checked) and from one receipt proof")
    func logPostings() throws {
        let receipts = try sampleReceipts(count: 40, inbox: inbox)
        var header = try sampleHeader(.prague)
        header.receiptsRoot = EthereumReceipt.root(of: receipts)
        let verified = try header.verified(claimedHash: header.hash())
        let rule = LogPostingRule(network: "rollup-a", contract: inbox)
        let postings = try rule.postings(receipts: receipts, in: verified)
        // Indices 3, 10, 17, 24, 31, 38 post; none of them failed (index % 11 == 5 fails: 5, 16, 27, 38).
        #expect(postings.map(\.height) == [1003, 1010, 1017, 1024, 1031])
        #expect(postings.allSatisfy { $0.l1Block == verified.l1Header && $0.evidence == "receipt-log" })

        var dropped = receipts
        dropped.remove(at: 10)
        #expect(throws: ConfirmationError(.receiptsRootMismatch, "")) { try rule.postings(receipts: dropped, in: verified) }

        let trie = EthereumReceipt.trie(of: receipts)
        let proof = ReceiptProof(transactionIndex: 17, proof: trie.proof(for: EthereumReceipt.trieKey(index: 17)))
        let single = try rule.posting(proof: proof, logIndex: 0, in: verified)
        #expect(single == postings[2])
        #expect(throws: ConfirmationError(.receiptLogAbsent, "")) { try rule.posting(proof: proof, logIndex: 9, in: verified) }
        let other = LogPostingRule(network: "rollup-b", contract: try EthereumAddress(bytes: [UInt8](repeating: 2, count: 20)))
        #expect(throws: ConfirmationError(.settlementNotAPosting, "")) { try other.posting(proof: proof, logIndex: 0, in: verified) }
    }

    @Test("Espresso light client: height and commitment root from slots 6 and 7 by storage proof")
    func espressoStorage() throws {
        let contract = try EthereumAddress("0x95ca91cea73239b15e5d2e5a74d02d6b5e0ae458")
        // Slot 6 packs viewNum (low 8 bytes) = 0x0102 and blockHeight (next 8 bytes) = 123456.
        var slot6 = [UInt8](repeating: 0, count: 32)
        slot6[16..<24] = ArraySlice(RLP.minimalBigEndian(123_456).reversed().padded(to: 8).reversed())
        slot6[30] = 0x01
        slot6[31] = 0x02
        let root = Keccak256.hash(Array("block comm root".utf8))
        let (state, account, storageTrie) = try AccountProofTests.makeState(storage: [6: slot6, 7: root.bytes], address: contract)
        let rule = StoragePostingRule.espressoLightClient(contract: contract)
        let proof = AccountProof(address: contract, account: account,
                                 accountProof: state.proof(for: Keccak256.hash(contract.bytes).bytes),
                                 storageProofs: rule.storageKeys.map { key in
                                     StorageSlotProof(key: key, value: RLP.trimmingLeadingZeros(key == rule.heightSlot ? slot6 : root.bytes),
                                                      proof: storageTrie.proof(for: Keccak256.hash(key.bytes).bytes))
                                 })
        var header = try sampleHeader(.cancun)
        header.stateRoot = state.root
        let verified = try header.verified(claimedHash: header.hash())
        let posting = try #require(try rule.posting(from: proof.verify(stateRoot: verified.header.stateRoot), in: verified.l1Header))
        #expect(posting.height == 123_456)
        #expect(posting.blockCommitment == root)
        #expect(posting.network == "espresso" && posting.evidence == "espresso-light-client")
    }
}
