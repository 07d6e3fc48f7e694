public import Foundation
import ConfirmationKit
import ConfirmationKitEthereum

/// `ethereum-mpt-proofs.json`: EIP-1186 account and storage proofs, receipt proofs and raw trie
/// proofs, built from deterministic tries; inclusion, exclusion and tampered cases.
public struct EthereumProofVectors: VectorSuite {
    public init() {}
    public var fileName: String { "ethereum-mpt-proofs.json" }

    /// An `eth_getProof` result, field for field.
    struct GetProofResult: Codable, Sendable {
        struct Slot: Codable, Sendable {
            var key: String
            var value: String
            var proof: [String]
        }
        var address: String
        var accountProof: [String]
        var balance: String
        var codeHash: String
        var nonce: String
        var storageHash: String
        var storageProof: [Slot]

        init(_ proof: AccountProof) {
            address = "0x" + Hex.encode(proof.address.bytes)
            accountProof = proof.accountProof.map { "0x" + Hex.encode($0) }
            balance = EthereumJSON.quantityString(proof.account.balance)
            codeHash = proof.account.codeHash.description
            nonce = EthereumJSON.quantityString(proof.account.nonce)
            storageHash = proof.account.storageRoot.description
            storageProof = proof.storageProofs.map {
                Slot(key: $0.key.description, value: EthereumJSON.quantityString($0.value), proof: $0.proof.map { "0x" + Hex.encode($0) })
            }
        }
    }

    struct Test: Codable, Sendable {
        var tcId: Int
        var comment: String
        var flags: [String]
        // AccountProof
        var stateRoot: String?
        var getProof: GetProofResult?
        // ReceiptProof and TrieProof
        var root: String?
        var transactionIndex: UInt64?
        var key: String?
        var proof: [String]?
        /// The proven value (hex) or `null` for a proven absence (TrieProof); the proven receipt's encoding (ReceiptProof).
        var value: String?
        var result: VectorResult
        var error: String?
    }

    struct Group: Codable, Sendable {
        var type: String
        /// TrieProof only, when set: `maximumNodeBytes` (otherwise the library's 65,536).
        var limits: [String: Int]?
        var tests: [Test]
    }

    static func hexList(_ nodes: [[UInt8]]) -> [String] { nodes.map { "0x" + Hex.encode($0) } }

    public func generate() throws -> Data {
        var tcId = 0
        func next() -> Int { tcId += 1; return tcId }
        var random = DeterministicRandom(seed: 0x4d50_5456)

        // MARK: A state with one contract holding three slots, plus filler accounts.
        let contract = try EthereumAddress(bytes: random.bytes(20))
        var storage = MerklePatriciaTrie()
        let slots: [(UInt64, [UInt8])] = [(0, [0x2a]), (6, random.bytes(16)), (7, random.bytes(32))]
        for (slot, value) in slots {
            storage[Keccak256.hash(StoragePostingRule.slot(slot).bytes).bytes] = RLP.encodeString(RLP.trimmingLeadingZeros(value))
        }
        let account = EthereumAccount(nonce: 3, balance: random.bytes(9), storageRoot: storage.root, codeHash: Keccak256.hash(random.bytes(40)))
        var state = MerklePatriciaTrie()
        state[Keccak256.hash(contract.bytes).bytes] = account.rlp
        for _ in 0..<300 {
            let other = EthereumAccount(nonce: random.next() % 50, balance: RLP.trimmingLeadingZeros(random.bytes(6)),
                                        storageRoot: MerklePatriciaProof.emptyRoot, codeHash: EthereumAccount.emptyCodeHash)
            state[Keccak256.hash(random.bytes(20)).bytes] = other.rlp
        }
        let stateRoot = state.root
        func slotProof(_ slot: UInt64, claim: [UInt8]) -> StorageSlotProof {
            let key = StoragePostingRule.slot(slot)
            return StorageSlotProof(key: key, value: claim, proof: storage.proof(for: Keccak256.hash(key.bytes).bytes))
        }
        let honest = AccountProof(address: contract, account: account, accountProof: state.proof(for: Keccak256.hash(contract.bytes).bytes),
                                  storageProofs: slots.map { slotProof($0.0, claim: $0.1) } + [slotProof(1, claim: [])])
        var accountTests = [Test]()
        func accountCase(_ comment: String, _ flags: [String], _ proof: AccountProof, root: Bytes32 = stateRoot, error: ConfirmationError.Code? = nil) {
            accountTests.append(Test(tcId: next(), comment: comment, flags: flags, stateRoot: root.description, getProof: GetProofResult(proof),
                                     result: error == nil ? .valid : .invalid, error: error?.rawValue))
        }
        accountCase("account with three set slots and one empty slot (exclusion)", ["Inclusion", "StorageExclusion"], honest)
        let missing = try EthereumAddress(bytes: random.bytes(20))
        let exclusion = state.proof(for: Keccak256.hash(missing.bytes).bytes)
        accountCase("missing account reported with zero hashes", ["AccountExclusion", "ZeroHashes"],
                    AccountProof(address: missing, account: EthereumAccount(nonce: 0, balance: [], storageRoot: .zero, codeHash: .zero),
                                 accountProof: exclusion, storageProofs: [StorageSlotProof(key: .zero, value: [], proof: [])]))
        accountCase("missing account reported with the canonical empty hashes", ["AccountExclusion", "EmptyHashes"],
                    AccountProof(address: missing, account: EthereumAccount(nonce: 0, balance: [], storageRoot: MerklePatriciaProof.emptyRoot,
                                                                            codeHash: EthereumAccount.emptyCodeHash),
                                 accountProof: exclusion, storageProofs: []))
        accountCase("missing account claimed to have a nonce", ["AccountExclusion", "Tampered"],
                    AccountProof(address: missing, account: EthereumAccount(nonce: 1, balance: [], storageRoot: .zero, codeHash: .zero),
                                 accountProof: exclusion, storageProofs: []), error: .eip1186AccountMismatch)
        var lie = honest
        lie.account.balance = [1]
        accountCase("claimed balance differs from the proven account", ["Tampered"], lie, error: .eip1186AccountMismatch)
        lie = honest
        lie.storageProofs[1].value = [0x01] + lie.storageProofs[1].value
        accountCase("claimed slot value differs from the proven value", ["Tampered"], lie, error: .eip1186StorageMismatch)
        lie = honest
        lie.storageProofs[3].value = [0x05]
        accountCase("non-zero value claimed for a slot proven empty", ["Tampered", "StorageExclusion"], lie, error: .eip1186StorageMismatch)
        lie = honest
        lie.storageProofs[0].value = []
        accountCase("zero claimed for a slot proven set", ["Tampered"], lie, error: .eip1186StorageMismatch)
        accountCase("proof checked against another state root", ["WrongRoot"], honest, root: Keccak256.hash([1]), error: .mptRootMismatch)
        lie = honest
        lie.accountProof[1][lie.accountProof[1].count / 2] ^= 0x10
        accountCase("one bit flipped in the second account-proof node", ["Tampered"], lie, error: .mptHashMismatch)
        lie = honest
        lie.accountProof.removeLast()
        accountCase("account proof missing its last node", ["Truncated"], lie, error: .mptProofIncomplete)
        lie = honest
        lie.accountProof.append(lie.accountProof[0])
        accountCase("account proof with an extra node after the leaf", ["ExtraNodes"], lie, error: .mptUnusedNodes)
        lie = honest
        lie.storageProofs[1].proof = honest.storageProofs[2].proof
        accountCase("storage proof of another slot", ["Tampered"], lie, error: .mptHashMismatch)

        // MARK: Receipts: 200 receipts of every type; proofs at indices on both sides of 0x7f/0x80.
        var receipts = [EthereumReceipt]()
        var cumulative: UInt64 = 0
        for index in 0..<200 {
            cumulative += 21_000 + random.next() % 50_000
            let logs = (0..<Int(random.next() % 3)).map { _ in
                EthereumLog(address: contract, topics: [LogPostingRule.blockCommittedTopic, Keccak256.hash(random.bytes(4))], data: random.bytes(32))
            }
            receipts.append(EthereumReceipt(type: UInt8(index % 5), outcome: .status(index % 9 != 4), cumulativeGasUsed: cumulative,
                                            logsBloom: random.bytes(256), logs: logs))
        }
        let receiptsTrie = EthereumReceipt.trie(of: receipts)
        let receiptsRoot = receiptsTrie.root
        var receiptTests = [Test]()
        func receiptCase(_ comment: String, _ flags: [String], index: UInt64, proofFor: UInt64? = nil, root: Bytes32? = nil,
                         transform: ([[UInt8]]) -> [[UInt8]] = { $0 }, error: ConfirmationError.Code? = nil) {
            let nodes = transform(receiptsTrie.proof(for: EthereumReceipt.trieKey(index: proofFor ?? index)))
            let value = error == nil ? receipts[Int(index)].encoded : nil
            receiptTests.append(Test(tcId: next(), comment: comment, flags: flags, root: (root ?? receiptsRoot).description, transactionIndex: index,
                                     proof: Self.hexList(nodes), value: value.map { "0x" + Hex.encode($0) },
                                     result: error == nil ? .valid : .invalid, error: error?.rawValue))
        }
        for index: UInt64 in [0, 1, 2, 3, 4, 0x7f, 0x80, 199] {
            receiptCase("receipt \(index) (type \(index % 5))", index % 5 == 0 ? ["Inclusion", "LegacyReceipt"] : ["Inclusion", "TypedReceipt"], index: index)
        }
        receiptCase("no receipt at index 200 (exclusion)", ["Exclusion"], index: 200, error: .receiptAbsent)
        receiptCase("proof of receipt 3 presented for index 4", ["Tampered"], index: 4, proofFor: 3, error: .mptHashMismatch)
        receiptCase("receipt proof against another root", ["WrongRoot"], index: 5, root: Keccak256.hash([2]), error: .mptRootMismatch)
        receiptCase("receipt proof missing its last node", ["Truncated"], index: 6, transform: { Array($0.dropLast()) }, error: .mptProofIncomplete)

        // MARK: Raw trie proofs, including embedded (short) nodes and branch values.
        var small = MerklePatriciaTrie()
        for (key, value) in [("do", "verb"), ("dog", "puppy"), ("doge", "coin"), ("horse", "stallion")] {
            small[Array(key.utf8)] = Array(value.utf8)
        }
        var trieTests = [Test]()
        func trieCase(_ comment: String, _ flags: [String], key: String, keyBytes: [UInt8]? = nil, trie: MerklePatriciaTrie? = nil,
                      nodes: [[UInt8]]? = nil, root: Bytes32? = nil, claim: [UInt8]?? = nil, error: ConfirmationError.Code? = nil,
                      into tests: inout [Test]) {
            let trie = trie ?? small
            let keyBytes = keyBytes ?? Array(key.utf8)
            let proof = nodes ?? trie.proof(for: keyBytes)
            let value = claim ?? (error == nil ? trie[keyBytes] : nil)
            tests.append(Test(tcId: next(), comment: comment, flags: flags, root: (root ?? trie.root).description, key: "0x" + Hex.encode(keyBytes),
                              proof: Self.hexList(proof), value: value.map { "0x" + Hex.encode($0) },
                              result: error == nil ? .valid : .invalid, error: error?.rawValue))
        }
        func trieCase(_ comment: String, _ flags: [String], key: String, nodes: [[UInt8]]? = nil, root: Bytes32? = nil,
                      claim: [UInt8]?? = nil, error: ConfirmationError.Code? = nil) {
            trieCase(comment, flags, key: key, nodes: nodes, root: root, claim: claim, error: error, into: &trieTests)
        }
        trieCase("\"do\": a value in a branch's value slot", ["Inclusion", "BranchValue"], key: "do")
        trieCase("\"dog\": a leaf embedded in its parent", ["Inclusion", "EmbeddedNode"], key: "dog")
        trieCase("\"horse\"", ["Inclusion"], key: "horse")
        trieCase("\"doge\"", ["Inclusion"], key: "doge")
        trieCase("\"dot\": absent (path diverges)", ["Exclusion"], key: "dot")
        trieCase("\"d\": absent (ends inside an extension)", ["Exclusion"], key: "d")
        trieCase("empty trie, empty proof: absent", ["Exclusion", "EmptyTrie"], key: "x", nodes: [], root: MerklePatriciaProof.emptyRoot)
        trieCase("empty proof for a non-empty root", ["Truncated"], key: "do", nodes: [], error: .mptProofIncomplete)
        let rootNode = small.proof(for: Array("do".utf8))[0]
        // The root node's list header re-encoded in a longer form: the same items, a non-canonical size.
        var nonCanonical: [UInt8]
        if rootNode[0] < 0xf8 {
            nonCanonical = [0xf8, rootNode[0] - 0xc0] + rootNode.dropFirst()
        } else {
            let lengthOfLength = Int(rootNode[0] - 0xf7)
            nonCanonical = [rootNode[0] + 1, 0] + rootNode[1...lengthOfLength] + rootNode[(lengthOfLength + 1)...]
        }
        trieCase("root node with a non-canonical length (root adjusted to match)", ["NonCanonicalNode"], key: "do", nodes: [nonCanonical],
                 root: Keccak256.hash(nonCanonical), error: .rlpNonCanonicalSize)
        trieCase("root node that is not a list (root adjusted to match)", ["InvalidNode"], key: "do", nodes: [[0x83, 1, 2, 3]],
                 root: Keccak256.hash([0x83, 1, 2, 3]), error: .mptInvalidNode)

        trieCase("\"do\" claimed to hold another value", ["ValueMismatch"], key: "do", claim: Array("verc".utf8), error: .mptValueMismatch)
        trieCase("\"horse\" (present) claimed absent", ["ValueMismatch"], key: "horse", claim: .some(nil), error: .mptValueMismatch)
        trieCase("\"dot\" (proven absent) claimed to hold a value", ["ValueMismatch", "Exclusion"], key: "dot", claim: Array("verb".utf8),
                 error: .mptValueMismatch)
        // Leaves whose hex-prefix path is malformed; each is the whole trie (the root is its hash).
        let badFlag = RLP.encode(.list([.bytes([0x40, 0x64, 0x6f]), .bytes(Array("verb".utf8))]))
        trieCase("leaf path with hex-prefix flag 4 (only 0-3 exist)", ["InvalidHexPrefix"], key: "do", nodes: [badFlag],
                 root: Keccak256.hash(badFlag), error: .mptInvalidHexPrefix)
        let badPad = RLP.encode(.list([.bytes([0x25, 0x64, 0x6f]), .bytes(Array("verb".utf8))]))
        trieCase("even-length leaf path with a non-zero pad nibble", ["InvalidHexPrefix"], key: "do", nodes: [badPad],
                 root: Keccak256.hash(badPad), error: .mptInvalidHexPrefix)
        trieCase("proof of \(MerklePatriciaProof.maximumNodes + 1) nodes", ["ProofLength"], key: "do",
                 nodes: Array(repeating: [0x80], count: MerklePatriciaProof.maximumNodes + 1), error: .mptProofTooLong)
        trieCase("key of 65 bytes (a path of 130 nibbles)", ["ProofLength"], key: "", keyBytes: [UInt8](repeating: 0x64, count: 65),
                 nodes: small.proof(for: Array("do".utf8)), error: .mptProofTooLong, into: &trieTests)

        // The node-size limit is a parameter; this group sets it to the largest node of one proof.
        var sized = small
        sized[Array("whale".utf8)] = random.bytes(300)
        let doProof = sized.proof(for: Array("do".utf8))
        let nodeLimit = doProof.map(\.count).max() ?? 0
        var sizedTests = [Test]()
        trieCase("\"do\": largest node exactly at the limit", ["Inclusion", "NodeSizeLimit"], key: "do", trie: sized, error: nil, into: &sizedTests)
        trieCase("\"whale\": its leaf (a 300-byte value) is over the limit", ["NodeSizeLimit"], key: "whale", trie: sized,
                 error: .mptNodeTooLarge, into: &sizedTests)
        let bigLeaf = RLP.encode(.list([.bytes(HexPrefix.encode(nibbles: [6, 4, 6, 0xf], isLeaf: true)), .bytes(random.bytes(300))]))
        trieCase("a one-leaf trie whose root node is over the limit", ["NodeSizeLimit"], key: "do", nodes: [bigLeaf],
                 root: Keccak256.hash(bigLeaf), error: .mptNodeTooLarge, into: &sizedTests)

        let groups = [Group(type: "AccountProof", tests: accountTests), Group(type: "ReceiptProof", tests: receiptTests),
                      Group(type: "TrieProof", tests: trieTests),
                      Group(type: "TrieProof", limits: ["maximumNodeBytes": nodeLimit], tests: sizedTests)]
        let file = VectorFile(
            schema: "confirmationkit-ethereum-mpt-proofs-v1", algorithm: "Merkle-Patricia trie proofs (Keccak-256)",
            header: ["AccountProof: an eth_getProof result (EIP-1186) checked against stateRoot; the account key is keccak256(address),",
                     "each storage key keccak256(slot as 32 bytes); an absent account may be claimed with zero or canonical empty hashes.",
                     "ReceiptProof: the receipts-trie nodes for key rlp(transactionIndex) under root; value = the proven receipt's encoding",
                     "(type byte ‖ RLP for typed receipts). TrieProof: key and value are raw bytes; value = the claimed value, null = claimed",
                     "absent; the proof must show exactly that claim. A group's limits.maximumNodeBytes replaces the default 65,536-byte",
                     "node limit; proofs hold at most 65 nodes and keys at most 64 bytes.",
                     "See Docs/ethereum-l1.md."],
            notes: ["Inclusion": "The key is present; the proof leads to its value.",
                    "Exclusion": "The key is absent; the proof ends at an empty slot or a diverging path.",
                    "StorageExclusion": "A storage slot is proven empty (value 0).",
                    "AccountExclusion": "The account is proven not to exist.",
                    "ZeroHashes": "The missing account is described with all-zero storageHash and codeHash.",
                    "EmptyHashes": "The missing account is described with the empty-trie root and keccak256 of empty code.",
                    "Tampered": "A claim or a node was changed after the proof was made.",
                    "WrongRoot": "The proof is checked against a root it was not made for.",
                    "Truncated": "Nodes are missing from the end of the proof.",
                    "ExtraNodes": "Nodes follow the node that answers the query.",
                    "LegacyReceipt": "A type-0 receipt (plain RLP list).",
                    "TypedReceipt": "An EIP-2718 typed receipt (type byte then RLP).",
                    "BranchValue": "The value sits in a branch node's 17th item.",
                    "EmbeddedNode": "A node under 32 bytes embedded in its parent instead of hashed.",
                    "EmptyTrie": "The empty trie's root, keccak256(0x80).",
                    "NonCanonicalNode": "A node's RLP is not canonical.",
                    "InvalidNode": "A node is not a 2- or 17-item list.",
                    "ValueMismatch": "The proof is valid but shows another answer than the one claimed.",
                    "InvalidHexPrefix": "A leaf or extension path has an unknown flag or a non-zero pad nibble.",
                    "ProofLength": "More than 65 nodes, or a key longer than 64 bytes.",
                    "NodeSizeLimit": "Checks the group's node-size limit."],
            testGroups: groups, numberOfTests: tcId)
        return try VectorJSON.encode(file)
    }

    public func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<Group>.self, from: data)
        var outcomes = [VectorOutcome]()
        for group in file.testGroups {
            for test in group.tests {
                do {
                    let passed: Bool
                    switch group.type {
                    case "AccountProof":
                        let proof = try AccountProof(json: VectorJSON.encode(test.getProof))
                        _ = try proof.verify(stateRoot: Bytes32(hex: test.stateRoot ?? ""))
                        passed = true
                    case "ReceiptProof":
                        let proof = ReceiptProof(transactionIndex: test.transactionIndex ?? 0, proof: try (test.proof ?? []).map { try Hex.decode($0) })
                        let receipt = try proof.verify(receiptsRoot: Bytes32(hex: test.root ?? ""))
                        passed = try test.value.map { try Hex.decode($0) } == receipt.encoded
                    default:
                        try MerklePatriciaProof.verify(root: Bytes32(hex: test.root ?? ""), key: Hex.decode(test.key ?? ""),
                                                       proof: (test.proof ?? []).map { try Hex.decode($0) },
                                                       claimedValue: test.value.map { try Hex.decode($0) },
                                                       maximumNodeBytes: group.limits?["maximumNodeBytes"] ?? MerklePatriciaProof.maximumNodeBytes)
                        passed = true
                    }
                    outcomes.append(VectorOutcome(tcId: test.tcId, passed: passed && test.result == .valid,
                                                  detail: test.result == .valid ? "proven value differs" : "accepted an invalid proof"))
                } catch let error as ConfirmationError {
                    let passed = test.result == .invalid && error.code.rawValue == test.error
                    outcomes.append(VectorOutcome(tcId: test.tcId, passed: passed, detail: passed ? "" : "got \(error.code)"))
                }
            }
        }
        return outcomes
    }
}
