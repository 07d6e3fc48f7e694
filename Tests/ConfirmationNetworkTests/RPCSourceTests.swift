import ConfirmationKit
import ConfirmationKitEthereum
import ConfirmationNetwork
import Foundation
import Testing

/// A recorded chain: blocks with real receipts tries and state tries, served as JSON-RPC results.
struct RecordedChain {
    struct Block {
        var header: EthereumBlockHeader
        var hash: Bytes32
        var receipts: [EthereumReceipt]
        var proof: AccountProof
    }

    static let inbox = (try? EthereumAddress(bytes: [UInt8](repeating: 0x1b, count: 20))) ?? EthereumAddress.zeroForTests
    static let lightClient = (try? EthereumAddress("0x95ca91cea73239b15e5d2e5a74d02d6b5e0ae458")) ?? EthereumAddress.zeroForTests

    var blocks: [UInt64: Block] = [:]
    var byHash: [Bytes32: Block] = [:]

    /// Blocks `range`, the first with parent `parent`; `salt` makes a different chain.
    init(range: ClosedRange<UInt64>, parent: Bytes32, salt: UInt8 = 0) throws {
        var parentHash = parent
        for number in range {
            let block = try Self.makeBlock(number: number, parent: parentHash, salt: salt)
            blocks[number] = block
            byHash[block.hash] = block
            parentHash = block.hash
        }
    }

    static func makeBlock(number: UInt64, parent: Bytes32, salt: UInt8) throws -> Block {
        // Receipts: every fifth block posts sequencer height number - 100 with commitment H(number).
        var receipts = [EthereumReceipt]()
        for index in 0..<3 {
            var logs = [EthereumLog]()
            if index == 1, number % 5 == 0 {
                let height = (try? Bytes32([UInt8](repeating: 0, count: 24) + withUnsafeBytes(of: (number - 100).bigEndian) { Array($0) })) ?? .zero
                logs.append(EthereumLog(address: inbox, topics: [LogPostingRule.blockCommittedTopic, height],
                                        data: Keccak256.hash([UInt8(truncatingIfNeeded: number)]).bytes))
            }
            receipts.append(EthereumReceipt(type: UInt8(index + 1), outcome: .status(true), cumulativeGasUsed: UInt64(21_000 * (index + 1)),
                                            logsBloom: [UInt8](repeating: 0, count: 256), logs: logs))
        }
        // State: the light client records height = number - 50 in slot 6 (bytes 16..<24) and a root in slot 7.
        var slot6 = [UInt8](repeating: 0, count: 32)
        slot6.replaceSubrange(16..<24, with: withUnsafeBytes(of: (number - 50).bigEndian) { Array($0) })
        slot6[31] = 9
        let root7 = Keccak256.hash(Array("root \(number)".utf8))
        var storage = MerklePatriciaTrie()
        let key6 = StoragePostingRule.slot(6), key7 = StoragePostingRule.slot(7)
        storage[Keccak256.hash(key6.bytes).bytes] = RLP.encodeString(RLP.trimmingLeadingZeros(slot6))
        storage[Keccak256.hash(key7.bytes).bytes] = RLP.encodeString(root7.bytes)
        let account = EthereumAccount(nonce: 1, balance: [], storageRoot: storage.root, codeHash: Keccak256.hash([1]))
        var state = MerklePatriciaTrie()
        state[Keccak256.hash(lightClient.bytes).bytes] = account.rlp
        for filler in 0..<8 {
            state[Keccak256.hash([UInt8(filler), salt]).bytes] = EthereumAccount(nonce: UInt64(filler), balance: [1], storageRoot: MerklePatriciaProof.emptyRoot,
                                                                                 codeHash: EthereumAccount.emptyCodeHash).rlp
        }
        let proof = AccountProof(address: lightClient, account: account,
                                 accountProof: state.proof(for: Keccak256.hash(lightClient.bytes).bytes),
                                 storageProofs: [
                                     StorageSlotProof(key: key6, value: slot6, proof: storage.proof(for: Keccak256.hash(key6.bytes).bytes)),
                                     StorageSlotProof(key: key7, value: root7.bytes, proof: storage.proof(for: Keccak256.hash(key7.bytes).bytes)),
                                 ])
        let header = EthereumBlockHeader(
            parentHash: parent, ommersHash: Keccak256.hash([0xc0]), coinbase: inbox, stateRoot: state.root,
            transactionsRoot: MerklePatriciaProof.emptyRoot, receiptsRoot: EthereumReceipt.root(of: receipts),
            logsBloom: [UInt8](repeating: 0, count: 256), difficulty: [], number: number, gasLimit: 36_000_000,
            gasUsed: 63_000, timestamp: 1_750_000_000 + number * 12, extraData: [salt], mixHash: Keccak256.hash([UInt8(truncatingIfNeeded: number)]),
            nonce: [UInt8](repeating: 0, count: 8), baseFeePerGas: [7], withdrawalsRoot: MerklePatriciaProof.emptyRoot,
            blobGasUsed: 0, excessBlobGas: 0, parentBeaconBlockRoot: Keccak256.hash([2]), requestsHash: SHA256.hash([]))
        return Block(header: header, hash: try header.hash(), receipts: receipts, proof: proof)
    }

    static func blockJSON(_ header: EthereumBlockHeader) throws -> [String: Any] {
        var object: [String: Any] = try header.jsonObject()
        object["transactions"] = [String]()
        object["uncles"] = [String]()
        return object
    }

    static func receiptsJSON(_ receipts: [EthereumReceipt]) -> [[String: Any]] {
        receipts.map { receipt in
            var outcome = "0x1"
            if case .status(false) = receipt.outcome { outcome = "0x0" }
            return ["type": EthereumJSON.quantityString(UInt64(receipt.type)), "status": outcome,
                    "cumulativeGasUsed": EthereumJSON.quantityString(receipt.cumulativeGasUsed),
                    "logsBloom": "0x" + Hex.encode(receipt.logsBloom),
                    "logs": receipt.logs.map { log -> [String: Any] in
                        ["address": "0x" + Hex.encode(log.address.bytes), "topics": log.topics.map(\.description), "data": "0x" + Hex.encode(log.data)]
                    }]
        }
    }

    static func proofJSON(_ proof: AccountProof) -> [String: Any] {
        ["address": "0x" + Hex.encode(proof.address.bytes),
         "accountProof": proof.accountProof.map { "0x" + Hex.encode($0) },
         "balance": EthereumJSON.quantityString(proof.account.balance), "nonce": EthereumJSON.quantityString(proof.account.nonce),
         "codeHash": proof.account.codeHash.description, "storageHash": proof.account.storageRoot.description,
         "storageProof": proof.storageProofs.map { slot -> [String: Any] in
             ["key": slot.key.description, "value": EthereumJSON.quantityString(slot.value), "proof": slot.proof.map { "0x" + Hex.encode($0) }]
         }]
    }

    /// The honest routes: every block by hash and number, `finalized` and `latest`, receipts and proofs.
    func routes(finalized: UInt64, latest: UInt64) throws -> [String: LoopbackServer.Entry] {
        var routes = [String: LoopbackServer.Entry]()
        for (number, block) in blocks {
            let json = try Self.blockJSON(block.header)
            routes["eth_getBlockByHash \(block.hash)"] = .init(result: json)
            routes["eth_getBlockByNumber \(EthereumJSON.quantityString(number))"] = .init(result: json)
            routes["eth_getBlockReceipts \(block.hash)"] = .init(result: Self.receiptsJSON(block.receipts))
            routes["eth_getProof \(block.hash)"] = .init(result: Self.proofJSON(block.proof))
        }
        routes["eth_getBlockByNumber finalized"] = .init(result: try Self.blockJSON(try #require(blocks[finalized]).header))
        routes["eth_getBlockByNumber latest"] = .init(result: try Self.blockJSON(try #require(blocks[latest]).header))
        return routes
    }
}

extension EthereumAddress {
    static var zeroForTests: EthereumAddress {
        // Twenty bytes always parse.
        (try? EthereumAddress(bytes: [UInt8](repeating: 0, count: 20))).unsafelyUnwrapped
    }
}

@Suite("Verified JSON-RPC L1 source against a loopback server", .serialized,
       .enabled(if: LoopbackServer.isAvailable, "python3 not found; skipping the loopback JSON-RPC tests"))
struct RPCSourceTests {
    static let chain: RecordedChain? = try? RecordedChain(range: 100...140, parent: Keccak256.hash(Array("genesis".utf8)))
    static let fork: RecordedChain? = {
        // A different chain from block 106 on, branching off block 105.
        guard let chain else { return nil }
        return try? RecordedChain(range: 106...140, parent: chain.blocks[105]?.hash ?? .zero, salt: 7)
    }()

    func source(_ server: LoopbackServer, _ path: String, checkpoint: Bytes32, timeout: Duration = .seconds(5), attempts: Int = 2,
                logRules: Bool = true, storageRules: Bool = true) -> EthereumRPCSource {
        EthereumRPCSource(configuration: .init(
            endpoint: server.url(path), trustedCheckpoint: checkpoint, requestTimeout: timeout, maximumAttempts: attempts,
            retryDelay: .milliseconds(50), maximumLinkDistance: 64,
            logRules: logRules ? [LogPostingRule(network: "rollup", contract: RecordedChain.inbox)] : [],
            storageRules: storageRules ? [.espressoLightClient(contract: RecordedChain.lightClient)] : []))
    }

    func expectCode(_ code: ConfirmationError.Code, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(code), got success")
        } catch let error as ConfirmationError {
            #expect(error.code == code, "\(error)")
        } catch {
            Issue.record("expected \(code), got \(error)")
        }
    }

    @Test("honest, lying, forging, forked, flaky and slow endpoints")
    func scenarios() async throws {
        let chain = try #require(Self.chain)
        let fork = try #require(Self.fork)
        let checkpoint = try #require(chain.blocks[110]).hash
        let honest = try chain.routes(finalized: 130, latest: 140)

        // Lying header: `latest` with a changed field but the original hash.
        var lyingHeader = honest
        var doctored = try RecordedChain.blockJSON(try #require(chain.blocks[140]).header)
        doctored["gasUsed"] = "0x1"
        lyingHeader["eth_getBlockByNumber latest"] = .init(result: doctored)

        // Forged evidence: a storage proof claiming another height; receipts with one dropped.
        var forged = honest
        let block125 = try #require(chain.blocks[125])
        var forgedProof = block125.proof
        forgedProof.storageProofs[0].value = [0x01] + forgedProof.storageProofs[0].value.dropFirst()
        forged["eth_getProof \(block125.hash)"] = .init(result: RecordedChain.proofJSON(forgedProof))
        forged["eth_getBlockReceipts \(block125.hash)"] = .init(result: RecordedChain.receiptsJSON(Array(block125.receipts.dropLast())))

        // A `finalized` block on a chain that branched off below the checkpoint.
        var forked = honest
        for (hash, block) in fork.byHash {
            forked["eth_getBlockByHash \(hash)"] = .init(result: try RecordedChain.blockJSON(block.header))
        }
        forked["eth_getBlockByNumber finalized"] = .init(result: try RecordedChain.blockJSON(try #require(fork.blocks[130]).header))

        // A regressing `finalized` (older than the checkpoint).
        var regressing = honest
        regressing["eth_getBlockByNumber finalized"] = .init(result: try RecordedChain.blockJSON(try #require(chain.blocks[108]).header))

        // Pre-merge-style refusal of the finalized tag, and a garbage body.
        var refusing = honest
        refusing["eth_getBlockByNumber finalized"] = .init(result: NSNull(), error: ["code": -39001, "message": "Unknown block"])
        var garbage = honest
        garbage["eth_getBlockByNumber finalized"] = .init(result: NSNull(), raw: "<html>bad gateway</html>")

        // Flaky: every answer is preceded by two HTTP 503s. Slow: every answer takes 3 s.
        let flaky = honest.mapValues { LoopbackServer.Entry(result: $0.result, failFirst: 2) }
        let slow = honest.mapValues { LoopbackServer.Entry(result: $0.result, delay: 3) }

        let server = try LoopbackServer(routes: ["/honest": honest, "/lying-header": lyingHeader, "/forged": forged,
                                                 "/forked": forked, "/regressing": regressing, "/flaky": flaky, "/flaky-once": flaky, "/slow": slow,
                                                 "/refusing": refusing, "/garbage": garbage])
        defer { server.stop() }

        // Honest: finalized and latest link to the checkpoint; postings are proven.
        let good = source(server, "/honest", checkpoint: checkpoint)
        let finalized = try await good.finalizedHeader()
        #expect(finalized.number == 130 && finalized.hash == chain.blocks[130]?.hash)
        let latest = try await good.latestHeader()
        #expect(latest.number == 140 && latest.parentHash == chain.blocks[139]?.hash)
        let old = try await good.header(number: 112)
        #expect(old.hash == chain.blocks[112]?.hash)
        let newer = try await good.header(number: 135)
        #expect(newer.hash == chain.blocks[135]?.hash)
        let postings = try await good.postings(in: try await good.header(number: 125))
        #expect(postings.count == 2)
        #expect(postings.contains { $0.network == "rollup" && $0.height == 25 && $0.evidence == "receipt-log" })
        #expect(postings.contains { $0.network == "espresso" && $0.height == 75 && $0.evidence == "espresso-light-client" })
        // Ancestry of a posting's block to the finalized checkpoint, by the core helper.
        var segment = [L1BlockHeader]()
        for number in UInt64(125)...130 { segment.append(try await good.header(number: number)) }
        try L1Ancestry.verify(segment[0], isAncestorOf: finalized, through: segment)

        // The verified source feeds the two-clock tracker: one poll links 111…140 to the checkpoint by
        // parent hash and applies the finalized block; a lying endpoint is refused and changes nothing.
        let tracker = ConfirmationTracker()
        await tracker.startSettlementClock(checkpoint: try await good.header(number: 110))
        _ = try await tracker.follow(good, at: Timestamp(seconds: 1_767_225_600))
        let view = try #require(await tracker.state.chain)
        #expect(view.head.number == 140 && view.head.hash == chain.blocks[140]?.hash)
        #expect(view.finalized.number == 130 && view.finalized.hash == chain.blocks[130]?.hash)
        let liar = source(server, "/lying-header", checkpoint: checkpoint)
        await expectCode(.ethereumHeaderHashMismatch) { _ = try await tracker.follow(liar, at: Timestamp(seconds: 1_767_225_612)) }
        #expect(await tracker.state.chain == view)

        // A wrong checkpoint: the endpoint cannot produce a block with that hash.
        await expectCode(.rpcNotFound) { _ = try await source(server, "/honest", checkpoint: Keccak256.hash([7])).finalizedHeader() }
        // Lies are caught.
        await expectCode(.ethereumHeaderHashMismatch) { _ = try await source(server, "/lying-header", checkpoint: checkpoint).latestHeader() }
        await expectCode(.l1NotAncestor) { _ = try await source(server, "/forked", checkpoint: checkpoint).finalizedHeader() }
        await expectCode(.l1FinalizedRegressed) { _ = try await source(server, "/regressing", checkpoint: checkpoint).finalizedHeader() }
        let forging = source(server, "/forged", checkpoint: checkpoint, logRules: true, storageRules: false)
        await expectCode(.receiptsRootMismatch) { _ = try await forging.postings(in: try await forging.header(number: 125)) }
        let forgingStorage = source(server, "/forged", checkpoint: checkpoint, logRules: false, storageRules: true)
        await expectCode(.eip1186StorageMismatch) { _ = try await forgingStorage.postings(in: try await forgingStorage.header(number: 125)) }

        // Endpoint errors and unreadable answers are clear errors, never answers.
        await expectCode(.rpcErrorResponse) { _ = try await source(server, "/refusing", checkpoint: checkpoint).finalizedHeader() }
        await expectCode(.rpcMalformedResponse) { _ = try await source(server, "/garbage", checkpoint: checkpoint).finalizedHeader() }
        // A finalized block further from the checkpoint than the configured link distance.
        let shortReach = EthereumRPCSource(configuration: .init(endpoint: server.url("/honest"), trustedCheckpoint: checkpoint,
                                                                 retryDelay: .milliseconds(10), maximumLinkDistance: 10))
        await expectCode(.l1LinkTooLong) { _ = try await shortReach.finalizedHeader() }

        // Flaky: retries get through.
        let retrying = source(server, "/flaky", checkpoint: checkpoint, attempts: 3)
        #expect(try await retrying.finalizedHeader().number == 130)
        // ...but not with too few attempts.
        await expectCode(.rpcTransport) { _ = try await source(server, "/flaky-once", checkpoint: checkpoint, attempts: 1).finalizedHeader() }

        // Slow: the time limit ends each attempt; two attempts take well under the server's delay twice over.
        let clock = ContinuousClock()
        let start = clock.now
        await expectCode(.rpcTimeout) {
            _ = try await source(server, "/slow", checkpoint: checkpoint, timeout: .milliseconds(400), attempts: 2).finalizedHeader()
        }
        #expect(clock.now - start < .milliseconds(2900))
    }
}
