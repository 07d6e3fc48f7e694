import COpenSSL
import CSodium
import ConfirmationKit
import ConfirmationKitCometBFT
import ConfirmationVectors
import Foundation

/// Issue 7 targets: full verification of the 100-validator mocha-4 commit (header hash, validator-set
/// hash, every signature) within 1.15× of (signatures verified × one raw Ed25519 verification), measured
/// in the same run; the Ed25519 primitive compared with libsodium's `crypto_sign_verify_detached`.
func cometbftBenchmarks(_ bench: Bench) {
    guard sodium_init() >= 0 else {
        print("cometbft: libsodium failed to initialise; section skipped")
        return
    }
    let (block, source) = loadMochaBlock()
    print("cometbft: commit from \(source)")
    guard let validators = block.validatorSet else { return }
    let commit = block.signedHeader.commit
    let chainID = block.header.chainID

    // Every non-absent vote: key, sign bytes, signature (precomputed for the raw baselines).
    var votes: [(key: [UInt8], message: [UInt8], signature: [UInt8])] = []
    for (i, sig) in commit.signatures.enumerated() where sig.flag != .absent {
        guard let bytes = commit.voteSignBytes(chainID: chainID, index: i) else { continue }
        votes.append((validators.validators[i].publicKey.rawBytes, bytes, sig.signature))
    }
    let evpKeys = votes.map { EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.key, 32)! }
    defer { evpKeys.forEach { EVP_PKEY_free($0) } }
    func evpVerify(_ i: Int) -> Int32 {
        let ctx = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(ctx) }
        EVP_DigestVerifyInit(ctx, nil, nil, nil, evpKeys[i])
        return EVP_DigestVerify(ctx, votes[i].signature, 64, votes[i].message, votes[i].message.count)
    }
    precondition((0..<votes.count).allSatisfy { evpVerify($0) == 1 }, "a mocha-4 vote does not verify")

    // The primitive: one vote, OpenSSL against libsodium.
    let one = votes[0]
    let (evpOne, sodiumOne) = Bench.interleaved(roundSeconds: bench.roundSeconds, rounds: bench.rounds, {
        blackHole(evpVerify(0))
    }, {
        blackHole(crypto_sign_verify_detached(one.signature, one.message, UInt64(one.message.count), one.key))
    })
    bench.record("Ed25519 verify, OpenSSL EVP_DigestVerify (C)", nanoseconds: evpOne, baseline: nil, ratio: nil, target: nil)
    bench.record("Ed25519 verify, libsodium crypto_sign_verify_detached (C)", nanoseconds: sodiumOne,
                 baseline: "Ed25519 verify, OpenSSL EVP_DigestVerify (C)", ratio: sodiumOne / evpOne, target: nil,
                 note: "libsodium / OpenSSL")

    // Full verification of the commit against (votes × raw OpenSSL verify).
    let n = votes.count
    _ = bench.compareInterleaved("verifySignedHeader, \(n) signatures (hashes + all votes)",
                                 baselineName: "\(n) × EVP_DigestVerify Ed25519 (C)", target: 1.15, baseline: {
        for i in 0..<n { blackHole(evpVerify(i)) }
    }, operation: {
        var cache = CometBFTSignatureCache()
        blackHole(CometBFTCommitVerifier.verifySignedHeader(block.signedHeader, validators: validators, cache: &cache).isVerified)
    })

    // The same on every core: the signatures are checked in parallel, then tallied in order.
    let cores = ProcessInfo.processInfo.activeProcessorCount
    if cores > 1 {
        _ = bench.compareInterleaved("verifySignedHeader, \(n) signatures, \(cores) workers",
                                     baselineName: "\(n) × EVP_DigestVerify Ed25519 (C), one thread", target: nil, baseline: {
            for i in 0..<n { blackHole(evpVerify(i)) }
        }, operation: {
            var cache = CometBFTSignatureCache()
            blackHole(CometBFTCommitVerifier.verifySignedHeader(block.signedHeader, validators: validators, cache: &cache,
                                                                workers: cores).isVerified)
        })
    }

    // The light path stops at +2/3; compare with the raw cost of the signatures it actually checks.
    var probe = CometBFTSignatureCache()
    let light = CometBFTCommitVerifier.verifyCommitLight(chainID: chainID, validators: validators, blockID: commit.blockID,
                                                         height: commit.height, commit: commit, cache: &probe)
    if case .verified(let tally) = light {
        let checked = tally.signaturesChecked
        _ = bench.compareInterleaved("verifyCommitLight, stops after \(checked) signatures",
                                     baselineName: "\(checked) × EVP_DigestVerify Ed25519 (C)", target: 1.15, baseline: {
            for i in 0..<checked { blackHole(evpVerify(i)) }
        }, operation: {
            var cache = CometBFTSignatureCache()
            blackHole(CometBFTCommitVerifier.verifyCommitLight(chainID: chainID, validators: validators, blockID: commit.blockID,
                                                               height: commit.height, commit: commit, cache: &cache).isVerified)
        })
    }

    // Skipping verification checks many votes twice (trusting + light); the cache answers the second time.
    var warm = CometBFTSignatureCache()
    _ = CometBFTCommitVerifier.verifyCommit(chainID: chainID, validators: validators, blockID: commit.blockID,
                                            height: commit.height, commit: commit, cache: &warm)
    bench.compare("verifyCommit, every signature already in the cache", against: "one EVP_DigestVerify Ed25519 (C)",
                  baselineNanoseconds: evpOne, note: "cost of \(n) cache hits, in raw verifications") {
        var cache = warm
        blackHole(CometBFTCommitVerifier.verifyCommit(chainID: chainID, validators: validators, blockID: commit.blockID,
                                                      height: commit.height, commit: commit, cache: &cache).isVerified)
    }

    // Hashes, as a ratio to one raw verification.
    bench.compare("header hash (14 leaves)", against: "one EVP_DigestVerify Ed25519 (C)", baselineNanoseconds: evpOne) {
        blackHole(block.header.hash())
    }
    bench.compare("validator-set hash (\(validators.count) validators)", against: "one EVP_DigestVerify Ed25519 (C)",
                  baselineNanoseconds: evpOne) {
        blackHole(validators.hash())
    }
}

/// The mocha-4 light block from ../shared/vectors, or a synthetic 100-validator block when absent.
private func loadMochaBlock() -> (CometBFTLightBlock, String) {
    let base = ProcessInfo.processInfo.environment["CONFIRMATIONKIT_SHARED_VECTORS"] ?? "../shared/vectors"
    let path = base + "/cometbft/mocha-4/block_2279100.json"
    if let data = FileManager.default.contents(atPath: path), let block = try? CometBFTJSON.lightBlock(from: data) {
        return (block, "mocha-4 height 2279100 (\(path))")
    }
    let builder = CometBFTChainBuilder(chainID: "bench-chain")
    let vals = (0..<100).map { try! CometBFTSimValidator(id: "bench-\($0)", power: Int64(1000 + $0 * 37)) }
    let block = try! builder.lightBlock(height: 2_279_100, time: CometBFTTime(seconds: 1_721_164_871, nanos: 0),
                                        validators: vals, next: vals, nilVoters: ["bench-99"])
    return (block, "a synthetic 100-validator block (99 COMMIT + 1 NIL; \(path) not found)")
}
