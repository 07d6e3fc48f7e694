import CSecp256k1
import COpenSSL
import ConfirmationKit
import Foundation

/// Issue 2 targets: each secp256k1 / Ed25519 wrapper within 1.05× of its direct C call;
/// Keccak-256 at ≥ 0.8× OpenSSL SHA3-256 throughput for 1 KiB and 1 MiB, ≥ 0.7× at 64 B.
func cryptoBenchmarks(_ bench: Bench) {
    var rng = DeterministicRandom(seed: 2026)
    let key = rng.secp256k1Key()
    let digest = try! Bytes32(rng.bytes(32))
    let digestBytes = digest.bytes
    let recoverable = key.signRecoverable(digest: digest)
    let signature = recoverable.signature

    // A context of the bench's own for the direct calls.
    let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))!
    defer { secp256k1_context_destroy(context) }
    var rawKey = secp256k1_pubkey()
    let uncompressed = key.publicKey.uncompressed
    precondition(secp256k1_ec_pubkey_parse(context, &rawKey, uncompressed, 65) == 1)
    var rawSig = secp256k1_ecdsa_signature()
    precondition(secp256k1_ecdsa_signature_parse_compact(context, &rawSig, signature.compact) == 1)
    var rawRecoverable = secp256k1_ecdsa_recoverable_signature()
    precondition(secp256k1_ecdsa_recoverable_signature_parse_compact(
        context, &rawRecoverable, recoverable.compact, Int32(recoverable.recoveryID)) == 1)

    // ECDSA verify.
    _ = bench.compareInterleaved("ECDSA verify (Secp256k1PublicKey)", baselineName: "secp256k1_ecdsa_verify (C)", target: 1.05, baseline: {
        blackHole(secp256k1_ecdsa_verify(context, &rawSig, digestBytes, &rawKey))
    }, operation: {
        blackHole(key.publicKey.isValidSignature(signature, for: digest))
    }).baseline

    // Recovery.
    _ = bench.compareInterleaved("recover (RecoverableSignature)", baselineName: "secp256k1_ecdsa_recover (C)", target: 1.05, baseline: {
        var out = secp256k1_pubkey()
        blackHole(secp256k1_ecdsa_recover(context, &out, &rawRecoverable, digestBytes))
    }, operation: {
        blackHole(try? recoverable.recoverPublicKey(digest: digest))
    }).baseline

    // BIP-340: sign once with the C library, then verify both ways.
    var keypair = secp256k1_keypair()
    let secret = rng.bytes(32)
    precondition(secp256k1_keypair_create(context, &keypair, secret) == 1)
    var xonly = secp256k1_xonly_pubkey()
    precondition(secp256k1_keypair_xonly_pub(context, &xonly, nil, &keypair) == 1)
    var xonlyBytes = [UInt8](repeating: 0, count: 32)
    secp256k1_xonly_pubkey_serialize(context, &xonlyBytes, &xonly)
    var schnorrSig = [UInt8](repeating: 0, count: 64)
    precondition(secp256k1_schnorrsig_sign32(context, &schnorrSig, digestBytes, &keypair, nil) == 1)
    let schnorrKey = try! SchnorrPublicKey(xOnly: xonlyBytes)
    precondition(schnorrKey.isValidSignature(schnorrSig, for: digestBytes))
    _ = bench.compareInterleaved("BIP-340 verify (SchnorrPublicKey)", baselineName: "secp256k1_schnorrsig_verify (C)", target: 1.05, baseline: {
        blackHole(secp256k1_schnorrsig_verify(context, schnorrSig, digestBytes, 32, &xonly))
    }, operation: {
        blackHole(schnorrKey.isValidSignature(schnorrSig, for: digestBytes))
    }).baseline

    // Ed25519: sign once with OpenSSL, verify with a direct EVP sequence and with the wrapper.
    let edSecret = rng.bytes(32)
    let edPrivate = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, edSecret, 32)!
    defer { EVP_PKEY_free(edPrivate) }
    var edPublicBytes = [UInt8](repeating: 0, count: 32)
    var edPublicLength = 32
    EVP_PKEY_get_raw_public_key(edPrivate, &edPublicBytes, &edPublicLength)
    let message = rng.bytes(120)  // about the size of a CometBFT canonical vote
    var edSig = [UInt8](repeating: 0, count: 64)
    var edSigLength = 64
    let signContext = EVP_MD_CTX_new()!
    EVP_DigestSignInit(signContext, nil, nil, nil, edPrivate)
    precondition(EVP_DigestSign(signContext, &edSig, &edSigLength, message, message.count) == 1)
    EVP_MD_CTX_free(signContext)
    let edPublic = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, edPublicBytes, 32)!
    defer { EVP_PKEY_free(edPublic) }
    let edKey = try! Ed25519PublicKey(rawRepresentation: edPublicBytes)
    precondition(edKey.isValidSignature(edSig, for: message))
    _ = bench.compareInterleaved("Ed25519 verify (Ed25519PublicKey)", baselineName: "EVP_DigestVerify Ed25519 (C)", target: 1.05, baseline: {
        let ctx = EVP_MD_CTX_new()
        EVP_DigestVerifyInit(ctx, nil, nil, nil, edPublic)
        blackHole(EVP_DigestVerify(ctx, edSig, 64, message, message.count))
        EVP_MD_CTX_free(ctx)
    }, operation: {
        blackHole(edKey.isValidSignature(edSig, for: message))
    }).baseline

    // SHA-256 of 65 bytes (one RFC 6962 node).
    let node = rng.bytes(65)
    var out = [UInt8](repeating: 0, count: 32)
    // The fastest direct path in OpenSSL 3.0 (the one-shot SHA256() pays an EVP fetch per call).
    let cSHA256Node = {
        var context = SHA256_CTX()
        SHA256_Init(&context)
        SHA256_Update(&context, node, 65)
        SHA256_Final(&out, &context)
        blackHole(out)
    }
    _ = bench.compareInterleaved("SHA256.hash of 65 bytes", baselineName: "SHA256_Init/Update/Final, 65 bytes (C)", target: 1.05, baseline: {
        var context = SHA256_CTX()
        SHA256_Init(&context)
        SHA256_Update(&context, node, 65)
        SHA256_Final(&out, &context)
        blackHole(out)
    }, operation: {
        blackHole(SHA256.hash(node))
    })
    let left = try! Bytes32(node[1..<33])
    let right = try! Bytes32(node[33..<65])
    // Informational: the allocation-free node form used by Merkle trees (no issue target).
    _ = bench.compareInterleaved("SHA256.hash(prefix:left,right) node", baselineName: "SHA256_Init/Update/Final, 65 bytes (C)",
                             target: nil, baseline: cSHA256Node, operation: {
        blackHole(SHA256.hash(prefix: 1, left, right))
    })

    // Keccak-256 (Swift) against OpenSSL SHA3-256 (the same permutation), as throughput ratios.
    let sha3 = EVP_MD_fetch(nil, "SHA3-256", nil)!
    defer { EVP_MD_free(sha3) }
    for (label, size, target) in [("64 B", 64, 0.7), ("1 KiB", 1024, 0.8), ("1 MiB", 1 << 20, 0.8)] {
        let input = rng.bytes(size)
        var md = [UInt8](repeating: 0, count: 32)
        var mdLength: UInt32 = 0
        let (sha3Time, keccakTime) = Bench.interleaved(roundSeconds: bench.roundSeconds, rounds: bench.rounds, {
            EVP_Digest(input, input.count, &md, &mdLength, sha3, nil)
            blackHole(md)
        }, {
            blackHole(Keccak256.hash(input))
        })
        bench.record("SHA3-256 \(label) (OpenSSL EVP_Digest)", nanoseconds: sha3Time, baseline: nil, ratio: nil, target: nil,
                     note: String(format: "%.0f MB/s", Double(size) / sha3Time * 1e3))
        bench.record("Keccak256 \(label) throughput vs SHA3-256", nanoseconds: keccakTime,
                     baseline: "SHA3-256 throughput", ratio: sha3Time / keccakTime, target: target, higherIsBetter: true,
                     note: String(format: "%.0f MB/s", Double(size) / keccakTime * 1e3))
    }
}
