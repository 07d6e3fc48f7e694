internal import CSecp256k1

/// A secp256k1 signing key, for the in-process demo network and the test-vector generator.
///
/// ConfirmationKit verifies; it signs only to build demo networks and published vectors.
/// Signatures are deterministic (RFC 6979 nonces), so vectors regenerate byte for byte.
///
/// ```swift
/// let key = try Secp256k1PrivateKey(bytes: seed32)
/// let sig = key.signRecoverable(digest: digest)      // low-S, v ∈ {27, 28}
/// sig.isSigned(by: key.publicKey.ethereumAddress, digest: digest)   // true
/// ```
public struct Secp256k1PrivateKey: Sendable {
    private let secret: [UInt8]
    /// The matching public key.
    public let publicKey: Secp256k1PublicKey

    /// Wraps a 32-byte secret in `[1, n)`.
    /// - Throws: ``ConfirmationError`` `input.invalid-length` or `key.invalid-private-key`.
    public init(bytes: some Collection<UInt8>) throws {
        let input = Array(bytes)
        guard input.count == 32 else {
            throw ConfirmationError(.invalidLength, "a secp256k1 secret key is 32 bytes; got \(input.count)")
        }
        let context = Secp256k1Context.shared.pointer
        guard secp256k1_ec_seckey_verify(context, input) == 1 else {
            throw ConfirmationError(.invalidPrivateKey, "the secret is zero or not below the group order")
        }
        var key = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_create(context, &key, input) == 1 else {
            throw ConfirmationError(.invalidPrivateKey, "public key derivation failed")
        }
        secret = input
        publicKey = Secp256k1PublicKey(raw: key)
    }

    /// Signs a 32-byte digest; the result has low `s` and a recovery id.
    public func signRecoverable(digest: Bytes32) -> RecoverableSignature {
        var sig = secp256k1_ecdsa_recoverable_signature()
        var out = [UInt8](repeating: 0, count: 64)
        var recid: Int32 = 0
        let context = Secp256k1Context.shared.pointer
        digest.withUnsafeBytes { d in
            // Cannot fail for a verified secret and the default nonce function.
            _ = secp256k1_ecdsa_sign_recoverable(
                context, &sig, d.baseAddress!.assumingMemoryBound(to: UInt8.self), secret, nil, nil)
        }
        secp256k1_ecdsa_recoverable_signature_serialize_compact(context, &out, &recid, &sig)
        return RecoverableSignature(compact: out, recoveryID: UInt8(recid))
    }

    /// Signs a 32-byte digest with plain ECDSA (low `s`).
    public func sign(digest: Bytes32) -> ECDSASignature {
        signRecoverable(digest: digest).signature
    }
}

extension ConfirmationError.Code {
    /// A secret key is zero or not below the group order.
    public static let invalidPrivateKey = Self("key.invalid-private-key")
}
