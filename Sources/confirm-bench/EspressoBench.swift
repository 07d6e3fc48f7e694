import ConfirmationCrypto
import ConfirmationKit
import ConfirmationKitEspresso
import Foundation

/// Espresso HotShot QC verification through the core model, every figure relative to the raw
/// multi-pairing of two measured in the same run (the one pairing check a QC needs).
func espressoBenchmarks(_ bench: Bench) {
    // A 100-entry stake table (stakes 1…100, in source order) and a QC signed by 67 of them.
    let secrets = (1...100).map { BN254.Scalar(UInt64($0) &* 0x9E37_79B9_7F4A_7C15 >> 2) }
    let keys = secrets.compactMap { try? EspressoStakeKey(EspressoBLS.VerificationKey(BN254.G2Point.generator.multiplied(by: $0))) }
    let entries = keys.enumerated().map { StakeTableEntry(key: $0.element, stake: UInt256(UInt64($0.offset + 1))) }
    guard let table = try? StakeTable(epoch: 5, entries: entries), keys.count == 100 else {
        preconditionFailure("the benchmark table must build")
    }
    let signers = (0..<100).filter { $0 % 3 != 2 }  // 67 signers holding 3,367 of 5,050: exactly the threshold
    let data = HotShotQuorumData(leafCommit: EspressoCommitment(Keccak256.hash(Array("leaf".utf8))), epoch: 5, blockNumber: 45)
    let view: UInt64 = 1_234
    let message = data.voteCommitment(view: view).bytes.bytes
    let h = EspressoBLS.hashToG1(message + EspressoBLS.ciphersuiteID)
    let sigma = signers.map { h.multiplied(by: secrets[$0]) }.reduce(BN254.G1Point.infinity, +)
    guard let bits = try? HotShotSignerBits(count: 100, setting: signers) else { preconditionFailure("bits") }
    let qc = HotShotCertificate(data: data, voteCommitment: data.voteCommitment(view: view), view: view,
                                signatures: .init(signature: HotShotAggregateSignature(EspressoBLS.Signature(sigma)), signers: bits))
    let verifier = HotShotCertificateVerifier(epochHeight: 10)
    guard case .verified(let verified) = verifier.verify(qc, against: table), verified.signers.count == 67 else {
        preconditionFailure("the benchmark QC must verify")
    }

    // The raw primitive: the multi-pairing of two the QC check ends with.
    let aggregateKey = BN254.G2Point.sum(signers.map { keys[$0].key.point })
    let minusG2 = BN254.G2Point.generator.negated
    precondition(BN254.multiPairingIsOne([(sigma, minusG2), (h, aggregateKey)]))
    let raw = "multi-pairing of two"
    let pairing = bench.measure("multi-pairing check, two pairs (raw primitive)") {
        blackHole(BN254.multiPairingIsOne([(sigma, minusG2), (h, aggregateKey)]))
    }
    bench.compare("hash to G1 (vote commitment ‖ CS_ID)", against: raw, baselineNanoseconds: pairing) {
        blackHole(EspressoBLS.hashToG1(message + EspressoBLS.ciphersuiteID))
    }
    bench.compare("vote commitment (Keccak committable stream)", against: raw, baselineNanoseconds: pairing) {
        blackHole(data.voteCommitment(view: view))
    }
    bench.compare("aggregate key: 67 G2 additions", against: raw, baselineNanoseconds: pairing) {
        blackHole(BN254.G2Point.sum(signers.map { keys[$0].key.point }))
    }
    let full = bench.compare("full QC verification: 100-entry table, 67 signers", against: raw, baselineNanoseconds: pairing,
                             target: 1.6, note: "bits, threshold, vote commitment, aggregate key, hash, multi-pairing") {
        blackHole(verifier.verify(qc, against: table))
    }
    bench.record("full QC verification vs 2 ms target (wall)", nanoseconds: full, baseline: "2 ms", ratio: full / 2e6, target: nil,
                 note: "wall clock on a shared machine")
    let fullCPU = cpuNanoseconds(iterations: 10) { blackHole(verifier.verify(qc, against: table)) }
    bench.record("full QC verification vs 2 ms target (CPU time)", nanoseconds: fullCPU, baseline: "2 ms", ratio: fullCPU / 2e6,
                 target: 1.0)
    bench.compare("stake table construction (100 entries, commitment)", against: raw, baselineNanoseconds: pairing) {
        blackHole(try? StakeTable(epoch: 5, entries: entries))
    }
}
