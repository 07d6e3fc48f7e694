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
        func trieCase(_ comment: String, _ flags: [String], key: String, nodes: [[UInt8]]? = nil, root: Bytes32? = nil, error: ConfirmationError.Code? = nil) {
            let keyBytes = Array(key.utf8)
            let proof = nodes ?? small.proof(for: keyBytes)
            trieTests.append(Test(tcId: next(), comment: comment, flags: flags, root: (root ?? small.root).description, key: "0x" + Hex.encode(keyBytes),
                                  proof: Self.hexList(proof), value: error == nil ? small[keyBytes].map { "0x" + Hex.encode($0) } : nil,
                                  result: error == nil ? .valid : .invalid, error: error?.rawValue))
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

        let groups = [Group(type: "AccountProof", tests: accountTests), Group(type: "ReceiptProof", tests: receiptTests),
                      Group(type: "TrieProof", tests: trieTests)]
        let file = VectorFile(
            schema: "confirmationkit-ethereum-mpt-proofs-v1", algorithm: "Merkle-Patricia trie proofs (Keccak-256)",
            header: ["AccountProof: an eth_getProof result (EIP-1186) checked against stateRoot; the account key is keccak256(address),",
                     "each storage key keccak256(slot as 32 bytes); an absent account may be claimed with zero or canonical empty hashes.",
                     "ReceiptProof: the receipts-trie nodes for key rlp(transactionIndex) under root; value = the proven receipt's encoding",
                     "(type byte ‖ RLP for typed receipts). TrieProof: key and value are raw bytes; value null = proven absent.",
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
                    "InvalidNode": "A node is not a 2- or 17-item list."],
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
                        let value = try MerklePatriciaProof.verify(root: Bytes32(hex: test.root ?? ""), key: Hex.decode(test.key ?? ""),
                                                                   proof: (test.proof ?? []).map { try Hex.decode($0) })
                        passed = try value == test.value.map { try Hex.decode($0) }
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
