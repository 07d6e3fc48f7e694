import ConfirmationKit
import ConfirmationKitEthereum
import Foundation

/// A proof of `depth` nodes for `key`: `depth - 1` full branch nodes (16 hashed children, the
/// realistic 532-byte mainnet shape) and a leaf holding `value`. Returns the root and the nodes.
private func syntheticProof(key: [UInt8], value: [UInt8], depth: Int, random: inout DeterministicRandom) -> (root: Bytes32, nodes: [[UInt8]]) {
    var nibbles = [UInt8]()
    for byte in key { nibbles += [byte >> 4, byte & 0x0f] }
    let branches = depth - 1
    let leaf = RLP.encodeList(encodedItems: [RLP.encodeString(HexPrefix.encode(nibbles: Array(nibbles[branches...]), isLeaf: true)),
                                             RLP.encodeString(value)])
    var nodes = [leaf]
    var child = Keccak256.hash(leaf)
    for level in stride(from: branches - 1, through: 0, by: -1) {
        var items = (0..<16).map { _ in RLP.encodeString(random.bytes(32)) }
        items[Int(nibbles[level])] = RLP.encodeString(child.bytes)
        items.append(RLP.encodeString([UInt8]()))
        let branch = RLP.encodeList(encodedItems: items)
        nodes.insert(branch, at: 0)
        child = Keccak256.hash(branch)
    }
    return (child, nodes)
}

/// `ethereum`: Merkle-Patricia proof verification against the Keccak-256 work it cannot avoid.
func ethereumBenchmarks(_ bench: Bench) {
    var random = DeterministicRandom(seed: 0x4554_4842)
    guard let address = try? EthereumAddress(bytes: random.bytes(20)) else { return }
    let slot = StoragePostingRule.slot(7)
    let slotValue = random.bytes(32)
    let storage = syntheticProof(key: Keccak256.hash(slot.bytes).bytes, value: RLP.encodeString(slotValue), depth: 4, random: &random)
    let account = EthereumAccount(nonce: 1, balance: random.bytes(8), storageRoot: storage.root, codeHash: Keccak256.hash(random.bytes(8)))
    let state = syntheticProof(key: Keccak256.hash(address.bytes).bytes, value: account.rlp, depth: 8, random: &random)
    let proof = AccountProof(address: address, account: account, accountProof: state.nodes,
                             storageProofs: [StorageSlotProof(key: slot, value: slotValue, proof: storage.nodes)])
    guard (try? proof.verify(stateRoot: state.root)) != nil else {
        print("ethereum: the synthetic proof does not verify; skipping")
        return
    }
    let allNodes = state.nodes + storage.nodes
    let bytes = allNodes.reduce(0) { $0 + $1.count }

    bench.compareInterleaved(
        "EIP-1186 verify: 8-node account + 4-node storage", baselineName: "Keccak-256 of the 12 nodes + 2 keys (\(bytes) B)",
        target: 1.3, note: "decode, walk, compare claims",
        baseline: {
            blackHole(Keccak256.hash(address.bytes))
            blackHole(Keccak256.hash(slot.bytes))
            for node in allNodes { blackHole(Keccak256.hash(node)) }
        },
        operation: { blackHole(try? proof.verify(stateRoot: state.root)) })

    // The real mainnet proof from the ethers-rs fixture (8 account nodes, a 4-node slot-0 exclusion), when ../shared is present.
    let shared = ProcessInfo.processInfo.environment["CONFIRMATIONKIT_SHARED_VECTORS"] ?? "../shared/vectors"
    if let data = FileManager.default.contents(atPath: shared + "/ethereum/proof.json"),
       let fixture = try? AccountProof(json: data), let first = fixture.accountProof.first {
        let fixtureRoot = Keccak256.hash(first)
        let fixtureNodes = fixture.accountProof + fixture.storageProofs.flatMap(\.proof)
        let fixtureBytes = fixtureNodes.reduce(0) { $0 + $1.count }
        bench.compareInterleaved(
            "EIP-1186 verify: ethers-rs proof.json (mainnet)", baselineName: "Keccak-256 of its \(fixtureNodes.count) nodes + 2 keys (\(fixtureBytes) B)",
            target: 1.3, note: "8-node account, slot-0 exclusion",
            baseline: {
                blackHole(Keccak256.hash(fixture.address.bytes))
                for slot in fixture.storageProofs { blackHole(Keccak256.hash(slot.key.bytes)) }
                for node in fixtureNodes { blackHole(Keccak256.hash(node)) }
            },
            operation: { blackHole(try? fixture.verify(stateRoot: fixtureRoot)) })
    }

    let accountKey = Keccak256.hash(address.bytes).bytes
    bench.compareInterleaved(
        "MPT verify: 8-node path (key pre-hashed)", baselineName: "Keccak-256 of the 8 nodes",
        target: 1.3,
        baseline: { for node in state.nodes { blackHole(Keccak256.hash(node)) } },
        operation: { blackHole(try? MerklePatriciaProof.verify(root: state.root, key: accountKey, proof: state.nodes)) })

    // Header hash: building the 21-field RLP plus hashing it, against hashing the ready RLP.
    let header = EthereumBlockHeader(
        parentHash: Keccak256.hash([1]), ommersHash: Keccak256.hash([0xc0]), coinbase: address, stateRoot: state.root,
        transactionsRoot: storage.root, receiptsRoot: Keccak256.hash([2]), logsBloom: random.bytes(256), difficulty: [],
        number: 21_000_000, gasLimit: 36_000_000, gasUsed: 17_000_000, timestamp: 1_750_000_000, extraData: random.bytes(20),
        mixHash: Keccak256.hash([3]), nonce: [UInt8](repeating: 0, count: 8), baseFeePerGas: [0x12, 0x0c, 0x40, 0x11],
        withdrawalsRoot: Keccak256.hash([4]), blobGasUsed: 0xe0000, excessBlobGas: 0x60000,
        parentBeaconBlockRoot: Keccak256.hash([5]), requestsHash: SHA256.hash([]))
    guard let encoded = try? header.rlp() else { return }
    bench.compareInterleaved(
        "header hash (encode 21 fields + Keccak)", baselineName: "Keccak-256 of the \(encoded.count)-byte header RLP",
        target: nil, note: "informational",
        baseline: { blackHole(Keccak256.hash(encoded)) },
        operation: { blackHole(try? header.hash()) })
}
