import ConfirmationKit

/// Times `baseline` and `candidate` in alternating rounds (so that load from other processes hits
/// both alike) and records the candidate with the median of the per-round cost ratios.
@discardableResult
private func interleaved(
    _ bench: Bench, _ name: String, against baselineName: String, target: Double?, note: String = "",
    baseline: () -> Void, candidate: () -> Void
) -> Double {
    func seconds(_ iterations: Int, _ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        for _ in 0..<iterations { body() }
        let d = (ContinuousClock.now - start).components
        return Double(d.seconds) + Double(d.attoseconds) * 1e-18
    }
    func calibrate(_ body: () -> Void) -> Int {
        var n = 1
        while seconds(n, body) < 0.02, n < 1 << 30 { n *= 2 }
        return max(1, n * 2)  // about 0.04-0.08 s per round
    }
    let nb = calibrate(baseline)
    let nc = calibrate(candidate)
    var ratios: [Double] = []
    var baselineNs: [Double] = []
    var candidateNs: [Double] = []
    for _ in 0..<15 {
        let b = seconds(nb, baseline) / Double(nb) * 1e9
        let c = seconds(nc, candidate) / Double(nc) * 1e9
        baselineNs.append(b)
        candidateNs.append(c)
        ratios.append(c / b)
    }
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    bench.record("  (\(baselineName), same rounds)", nanoseconds: median(baselineNs), baseline: nil, ratio: nil, target: nil)
    bench.record(name, nanoseconds: median(candidateNs), baseline: baselineName, ratio: median(ratios), target: target,
                 note: note + " [median of 15 interleaved rounds]")
    return median(baselineNs)
}

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

    let twentySHAHashes = {
        var h = siblings[0]
        for s in siblings { h = SHA256.hash(prefix: 0x01, h, s) }
        blackHole(h)
    }
    interleaved(
        bench, "verify depth-20 RFC 6962 SHA-256 proof (32-byte leaf)", against: "20 × SHA256.hash(prefix: 0x01, l, r)",
        target: 1.2, note: "includes the leaf hash", baseline: twentySHAHashes
    ) { blackHole(sha.verify(against: shaRoot)) }
    interleaved(
        bench, "verify depth-20 SHA-256 proof (256-byte leaf)", against: "20 × SHA256.hash(prefix: 0x01, l, r)",
        target: nil, note: "leaf hash = 5 SHA-256 blocks", baseline: twentySHAHashes
    ) { blackHole(longLeaf.verify(against: longRoot)) }
    interleaved(
        bench, "verify depth-20 RFC 6962 Keccak-256 proof", against: "20 × Keccak-256(0x01 ‖ l ‖ r)", target: 1.2,
        baseline: {
            var h = siblings[0]
            for s in siblings {
                var hasher = Keccak256()
                var prefix: UInt8 = 0x01
                withUnsafeBytes(of: &prefix) { hasher.update($0) }
                hasher.update(h)
                hasher.update(s)
                h = hasher.finalize()
            }
            blackHole(h)
        }
    ) { blackHole(keccak.verify(against: keccakRoot)) }

    // Building: 100,000 transactions of 100 bytes.
    let count = 100_000
    let transactions = (0..<count).map { _ in rng.bytes(100) }
    var scratch = [Bytes32](repeating: .zero, count: count)
    let rawHashing = {
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
    interleaved(
        bench, "MerkleTree<RFC6962SHA256>(leaves:) 100,000 tx", against: "hash 100,000 leaves + 99,999 nodes (raw)",
        target: 1.3, note: "keeps every level for proofs", baseline: rawHashing
    ) { blackHole(try? MerkleTree<RFC6962SHA256>(leaves: transactions)) }
    // The same transactions, 6,250 consecutive ones per namespace (the raw loop's memory order).
    var byNamespace: [NamespaceID: [[UInt8]]] = [:]
    for (i, transaction) in transactions.enumerated() {
        byNamespace[NamespaceID(UInt64(i / 6250) * 1000 + 7), default: []].append(transaction)
    }
    interleaved(
        bench, "NamespacedBlock(transactions:) 100,000 tx, 16 ns", against: "hash 100,000 leaves + 99,999 nodes (raw)",
        target: 1.3, note: "+16 entries, 16 table nodes", baseline: rawHashing
    ) { blackHole(try? NamespacedBlock(transactions: byNamespace)) }

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
    // Its work: the transaction leaf, the transaction path, the entry, the table path, the commitment.
    let hashesNeeded = inclusion.transactionSiblings.count + inclusion.tablePath.siblings.count + 3
    let nodes = (0..<hashesNeeded).map { siblings[$0 % siblings.count] }
    interleaved(
        bench, "verify namespace-inclusion (6,250 tx, 16 ns)", against: "\(hashesNeeded) × SHA256.hash(prefix: 0x01, l, r)",
        target: nil, note: "100-byte tx leaf, 49-byte entry, 41-byte commitment",
        baseline: {
            var h = nodes[0]
            for s in nodes { h = SHA256.hash(prefix: 0x01, h, s) }
            blackHole(h)
        }
    ) { blackHole(inclusion.verify(against: commitment)) }
    bench.measure("verify namespace-bundle (8 legs in 8 namespaces)") { blackHole(bundle.verify(against: commitment)) }
    bench.measure("verify namespace-absence (two neighbours)") { blackHole(absence.verify(against: commitment)) }
}
