import ConfirmationKit

/// `merkle`: proof verification and tree building, each as a ratio to the raw SHA-256 / Keccak-256
/// hashing it needs, measured in the same run.
func merkleBenchmarks(_ bench: Bench) {
    var rng = DeterministicRandom(seed: 0xBE4C)

    // A depth-20 path: leaf 0x5A5A5 of a tree of 2^20 leaves, with random siblings. Any siblings
    // form a valid proof for *some* tree; its root is computed once by the library.
    let siblings = (0..<20).map { _ in (try? Bytes32(rng.bytes(32))) ?? .zero }
    let leaf = rng.bytes(32)
    let index: UInt64 = 0x5A5A5
    let size: UInt64 = 1 << 20
    guard let sha = try? MerkleInclusionProof<RFC6962SHA256>(leaf: leaf, leafIndex: index, treeSize: size, siblings: siblings),
          let keccak = try? MerkleInclusionProof<RFC6962Keccak256>(leaf: leaf, leafIndex: index, treeSize: size, siblings: siblings),
          let longLeaf = try? MerkleInclusionProof<RFC6962SHA256>(
              leaf: rng.bytes(256), leafIndex: index, treeSize: size, siblings: siblings)
    else {
        print("merkle bench: could not build the proofs")
        return
    }
    let shaRoot = sha.root
    let keccakRoot = keccak.root
    let longRoot = longLeaf.root

    let twentySHA = bench.measure("20 × SHA256.hash(prefix: 0x01, l, r)") {
        var h = siblings[0]
        for s in siblings { h = SHA256.hash(prefix: 0x01, h, s) }
        blackHole(h)
    }
    bench.compare("verify depth-20 RFC 6962 SHA-256 proof (32-byte leaf)", against: "20 node hashes",
                  baselineNanoseconds: twentySHA, target: 1.2, note: "includes the leaf hash") {
        blackHole(sha.verify(against: shaRoot))
    }
    bench.compare("verify depth-20 SHA-256 proof (256-byte leaf)", against: "20 node hashes",
                  baselineNanoseconds: twentySHA, note: "leaf hash = 5 SHA-256 blocks") {
        blackHole(longLeaf.verify(against: longRoot))
    }
    let twentyKeccak = bench.measure("20 × Keccak-256(0x01 ‖ l ‖ r)") {
        var h = siblings[0]
        for s in siblings {
            var hasher = Keccak256()
            hasher.update([0x01])
            hasher.update(h)
            hasher.update(s)
            h = hasher.finalize()
        }
        blackHole(h)
    }
    bench.compare("verify depth-20 RFC 6962 Keccak-256 proof", against: "20 Keccak node hashes",
                  baselineNanoseconds: twentyKeccak, target: 1.2) {
        blackHole(keccak.verify(against: keccakRoot))
    }

    // Building: 100,000 transactions of 100 bytes.
    let count = 100_000
    let transactions = (0..<count).map { _ in rng.bytes(100) }
    var scratch = [Bytes32](repeating: .zero, count: count)
    let hashing = bench.measure("hash 100,000 leaves + 99,999 nodes (raw)") {
        scratch.withUnsafeMutableBufferPointer { out in
            for i in 0..<count {
                out[i] = transactions[i].withUnsafeBytes { SHA256.hash(prefix: 0x00, $0) }
            }
            var width = count
            while width > 1 {
                var o = 0
                var i = 0
                while i + 1 < width {
                    out[o] = SHA256.hash(prefix: 0x01, out[i], out[i + 1])
                    o += 1
                    i += 2
                }
                if i < width { out[o] = out[i] }
                width = (width + 1) / 2
            }
        }
        blackHole(scratch[0])
    }
    bench.compare("MerkleTree<RFC6962SHA256>(leaves:) 100,000 tx", against: "raw hashing",
                  baselineNanoseconds: hashing, target: 1.3, note: "keeps every level for proofs") {
        blackHole(try? MerkleTree<RFC6962SHA256>(leaves: transactions))
    }
    // The same transactions, 6,250 consecutive ones per namespace (the raw loop's memory order).
    var byNamespace: [NamespaceID: [[UInt8]]] = [:]
    for (i, transaction) in transactions.enumerated() {
        byNamespace[NamespaceID(UInt64(i / 6250) * 1000 + 7), default: []].append(transaction)
    }
    bench.compare("NamespacedBlock(transactions:) 100,000 tx, 16 ns", against: "raw hashing",
                  baselineNanoseconds: hashing, target: 1.3, note: "+16 entries, 16 table nodes") {
        blackHole(try? NamespacedBlock(transactions: byNamespace))
    }

    // Namespaced proofs: informational ratios to the node hashes they need.
    guard let block = try? NamespacedBlock(transactions: byNamespace),
          let inclusion = try? block.inclusionProof(namespace: 8007, index: 4321),
          let bundle = try? block.bundleProof(legs: (0..<8).map { TransactionLocation(namespace: NamespaceID(UInt64($0) * 1000 + 7), index: UInt64($0 * 97)) }),
          let absence = try? block.absenceProof(namespace: 8008)
    else {
        print("merkle bench: could not build the block proofs")
        return
    }
    let commitment = block.commitment
    let hashesNeeded = inclusion.transactionSiblings.count + inclusion.tablePath.siblings.count + 3
    let perNode = twentySHA / 20
    bench.compare("verify namespace-inclusion (6,250 tx, 16 ns)", against: "\(hashesNeeded) node hashes",
                  baselineNanoseconds: perNode * Double(hashesNeeded), note: "tx leaf, entry, commitment included") {
        blackHole(inclusion.verify(against: commitment))
    }
    bench.measure("verify namespace-bundle (8 legs in 8 namespaces)") { blackHole(bundle.verify(against: commitment)) }
    bench.measure("verify namespace-absence (two neighbours)") { blackHole(absence.verify(against: commitment)) }
}
