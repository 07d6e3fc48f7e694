import ConfirmationCrypto
import ConfirmationKit
import ConfirmationKitEspresso

/// Espresso's AvidM VID (what a namespace proof costs to check): re-encoding a namespace is an FFT per
/// chunk plus Keccak-256 over every share, so each figure is a ratio to the raw Keccak-256 of exactly
/// the share bytes the encoder hashes, measured in the same run, and to that plus the F_r
/// multiplications of its FFTs; the FFT is set against the F_r multiplications it performs.
func vidBenchmarks(_ bench: Bench) {
    // n = 1003, k = 335: the VID weights of the recorded chain's epoch-3 stake table (5 validators,
    // weights scaled to about 1,000), the size mainnet's VID uses.
    guard let parameters = try? AvidMParameters.espresso(totalWeights: 1003) else { preconditionFailure("parameters") }
    let n = parameters.totalWeights, k = parameters.recoveryThreshold
    var random = DeterministicRandom(seed: 0xB1D)

    // F_r multiplication and the FFT of one chunk.
    let a = BN254Scalar(littleEndian: (0..<31).map { _ in UInt8(truncatingIfNeeded: random.next()) })
    var acc = BN254Scalar(littleEndian: (0..<31).map { _ in UInt8(truncatingIfNeeded: random.next()) })
    let mulNs = bench.measure("F_r multiply (raw, 1,000 chained)") {
        for _ in 0..<1_000 { acc = acc * a }
        blackHole(acc)
    } / 1_000
    guard let domain = RadixTwoDomain(minimumSize: n) else { preconditionFailure("domain") }
    let coefficients = (0..<k).map { _ in BN254Scalar(littleEndian: (0..<31).map { _ in UInt8(truncatingIfNeeded: random.next()) }) }
    let butterflies = Double(domain.size / 2 * domain.size.trailingZeroBitCount)
    let fftFloor = mulNs * butterflies
    bench.compare("FFT of one chunk (335 coefficients, 1,024 points)", against: "\(Int(butterflies)) F_r mul",
                  baselineNanoseconds: mulNs * butterflies, note: "butterflies: one multiply, one add, one subtract") {
        blackHole(domain.evaluate(coefficients[...]))
    }

    // The Merkle tree over the n share digests: n leaf hashes (41 bytes) and the inner nodes (97 bytes),
    // each one Keccak-f permutation, like a 41-byte message.
    var treeHashes = n, level = n
    while level > 1 {
        level = (level + 2) / 3
        treeHashes += level
    }
    let oneBlock = [UInt8](repeating: 0x3C, count: 41)
    let treeFloor = bench.measure("Keccak-256 of \(treeHashes) one-block messages (raw: the share tree)") {
        for _ in 0..<treeHashes { blackHole(Keccak256.hash(oneBlock)) }
    }

    for (label, size) in [("1 KiB", 1 << 10), ("100 KiB", 100 << 10), ("1 MiB", 1 << 20)] {
        let payload = (0..<size).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let chunks = (size + 1 + 31 * k - 1) / (31 * k)
        let share = [UInt8](repeating: 0x5A, count: 8 + 32 * chunks)
        let raw = "Keccak-256 of \(n) shares × \(share.count) B"
        let hashing = bench.measure(raw + " (raw)") {
            for _ in 0..<n { blackHole(Keccak256.hash(share)) }
        }
        let commitment = bench.compare("AvidM namespace commitment, \(label)", against: raw, baselineNanoseconds: hashing,
                                       note: "\(chunks) chunk\(chunks == 1 ? "" : "s"): FFTs, share digests, Merkle tree") {
            blackHole(try? AvidM.namespaceCommitment(of: payload, parameters: parameters))
        }
        let floor = hashing + treeFloor + Double(chunks) * fftFloor
        bench.record("  vs its raw primitives", nanoseconds: commitment, baseline: "Keccak (shares, tree) + FFT F_r muls", ratio: commitment / floor,
                     target: nil, note: "\(Bench.formatTime(floor)) of hashing and multiplying")
    }
}
