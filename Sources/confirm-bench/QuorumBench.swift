import ConfirmationKit
import ConfirmationVectors
import CSecp256k1
import Foundation

/// Quorum-certificate verification against the raw libsecp256k1 recoveries it needs, and the
/// speed-up of full mode from one to two worker threads.
///
/// The raw baseline is `k × secp256k1_ecdsa_recover` on pre-parsed signatures, where `k` is the
/// number of signatures the verifier checks (threshold mode stops early). Everything else the
/// verifier does — the EIP-712 digest, sorting, lookups, low-S checks, serialising the recovered
/// key, Keccak-256 of it and the address comparison, stake sums, policies — is overhead measured
/// against that baseline.
func quorumBenchmarks(_ bench: Bench) {
    guard let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
        print("quorum: cannot create a secp256k1 context")
        return
    }
    defer { secp256k1_context_destroy(context) }

    // The per-signature overhead the verifier adds to a recovery: deriving the address of the
    // recovered key (serialise + Keccak-256) and comparing it.
    if let key = try? Secp256k1PrivateKey(bytes: [UInt8](repeating: 7, count: 32)) {
        let digest = Keccak256.hash([1, 2, 3])
        let signature = key.signRecoverable(digest: digest)
        let address = key.publicKey.ethereumAddress
        let recover = bench.measure("RecoverableSignature.recoverPublicKey") { blackHole(try? signature.recoverPublicKey(digest: digest)) }
        bench.compare("RecoverableSignature.isSigned(by:) (recover + address)", against: "recoverPublicKey",
                      baselineNanoseconds: recover) { blackHole(signature.isSigned(by: address, digest: digest, allowHighS: true)) }
        bench.compare("Secp256k1PublicKey.ethereumAddress", against: "recoverPublicKey", baselineNanoseconds: recover) {
            blackHole(key.publicKey.ethereumAddress)
        }
    }

    for size in [100, 1000] {
        // Equal stakes: threshold mode must check ⌊2n/3⌋ + 1 signatures.
        guard let fixture = try? QuorumFixture(seed: 0xBE7C_0000 + UInt64(size), stakes: [UInt64](repeating: 1, count: size), epoch: 1)
        else { return }
        let statement = QuorumFixture.statement(epoch: 1)
        let certificate = fixture.certificate(statement, signers: Array(0..<size))
        let digest = statement.signingDigest.bytes

        // Pre-parse every signature for the raw loop.
        guard case .individual(let signatures) = certificate.signatures else { return }
        var parsed: [secp256k1_ecdsa_recoverable_signature] = []
        for signature in signatures {
            var raw = secp256k1_ecdsa_recoverable_signature()
            let bytes = signature.rsv
            guard secp256k1_ecdsa_recoverable_signature_parse_compact(context, &raw, Array(bytes[0..<64]), Int32(bytes[64] - 27)) == 1
            else { return }
            parsed.append(raw)
        }
        func rawRecover(_ count: Int) {
            var key = secp256k1_pubkey()
            var ok: Int32 = 1
            for i in 0..<count {
                ok &= withUnsafePointer(to: parsed[i]) { secp256k1_ecdsa_recover(context, &key, $0, digest) }
            }
            blackHole((ok, key))
        }

        let one = QuorumVerifier(profile: Secp256k1QuorumProfile(), workers: 1) {
            QuorumThreshold.twoThirds
            EpochMatches()
        }
        let two = QuorumVerifier(profile: Secp256k1QuorumProfile(), workers: 2) {
            QuorumThreshold.twoThirds
            EpochMatches()
        }
        guard let checks = one.verify(certificate, against: fixture.table, mode: .threshold).verified?.signatureChecks,
              one.verify(certificate, against: fixture.table, mode: .full).verified != nil
        else {
            print("quorum: the benchmark certificate does not verify")
            return
        }

        // Each pair is timed alternately, round by round, and the ratio is the median of the
        // per-round ratios. Single-threaded costs are read on the thread's CPU clock, so that other
        // processes competing for this shared machine's two cores do not distort them; the
        // 1 → 2 worker speed-up is wall time by nature and needs an otherwise idle machine.
        let threshold = interleaved(clock: .threadCPU, { rawRecover(checks) },
                                    { blackHole(one.verify(certificate, against: fixture.table, mode: .threshold)) })
        bench.record("\(checks) × secp256k1_ecdsa_recover (C)", nanoseconds: threshold.a, baseline: nil, ratio: nil, target: nil,
                     note: "thread CPU time")
        bench.record("verify \(size) signers, threshold mode (\(checks) checks)", nanoseconds: threshold.b,
                     baseline: "raw recover ×\(checks)", ratio: threshold.ratio, target: 1.10)
        let full = interleaved(clock: .threadCPU, { rawRecover(size) },
                               { blackHole(one.verify(certificate, against: fixture.table, mode: .full)) })
        bench.record("\(size) × secp256k1_ecdsa_recover (C)", nanoseconds: full.a, baseline: nil, ratio: nil, target: nil,
                     note: "thread CPU time")
        bench.record("verify \(size) signers, full mode, 1 worker", nanoseconds: full.b,
                     baseline: "raw recover ×\(size)", ratio: full.ratio, target: 1.10)
        let scaling = interleaved(clock: .wall, { blackHole(one.verify(certificate, against: fixture.table, mode: .full)) },
                                  { blackHole(two.verify(certificate, against: fixture.table, mode: .full)) })
        // How many cores the 2-worker run actually got: process CPU time over wall time.
        var cpu = timespec(), cpuEnd = timespec()
        let wallStart = DispatchTime.now().uptimeNanoseconds
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu)
        for _ in 0..<max(1, 2000 / size) { blackHole(two.verify(certificate, against: fixture.table, mode: .full)) }
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpuEnd)
        let wall = Double(DispatchTime.now().uptimeNanoseconds - wallStart)
        let used = Double(cpuEnd.tv_sec - cpu.tv_sec) * 1e9 + Double(cpuEnd.tv_nsec - cpu.tv_nsec)
        let utilisation = String(format: "%.2f cores busy", used / wall)
        bench.record("verify \(size) signers, full mode, 2 workers", nanoseconds: scaling.b,
                     baseline: "1 worker", ratio: 1 / scaling.ratio, target: 1.6, higherIsBetter: true,
                     note: "speed-up, wall time (1-worker time / 2-worker time); \(utilisation)")
    }
}

/// Which clock `interleaved` reads.
enum BenchClock {
    /// Wall time: what a caller waits (used for multi-threaded figures).
    case wall
    /// CPU time of the calling thread: the work done, unaffected by other processes waiting for the
    /// same cores (used for single-threaded cost ratios on this shared machine).
    case threadCPU

    func now() -> UInt64 {
        switch self {
        case .wall:
            return DispatchTime.now().uptimeNanoseconds
        case .threadCPU:
            var spec = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
            return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
        }
    }
}

/// Times `a` and `b` alternately for `rounds` rounds of about `roundSeconds` each.
/// - Returns: the median ns per call of each, and the median of the per-round ratios `b / a`.
func interleaved(clock: BenchClock, rounds: Int = 9, roundSeconds: Double = 0.12, _ a: () -> Void, _ b: () -> Void)
    -> (a: Double, b: Double, ratio: Double) {
    func once(_ body: () -> Void, _ n: Int) -> Double {
        let start = clock.now()
        for _ in 0..<n { body() }
        return Double(clock.now() - start) / Double(n)
    }
    a()
    b()
    let n = max(1, Int(roundSeconds * 1e9 / max(once(a, 1), 1)))
    var ta: [Double] = [], tb: [Double] = [], ratios: [Double] = []
    for _ in 0..<rounds {
        let x = once(a, n), y = once(b, n)
        ta.append(x)
        tb.append(y)
        ratios.append(y / x)
    }
    func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
    return (median(ta), median(tb), median(ratios))
}
