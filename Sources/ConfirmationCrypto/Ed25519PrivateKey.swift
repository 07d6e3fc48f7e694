internal import COpenSSL

/// An Ed25519 signing key (RFC 8032, deterministic signatures), through OpenSSL's libcrypto.
///
/// For generating test vectors and simulated validators; verification never needs it.
///
/// ```swift
/// let key = try Ed25519PrivateKey(seed: [UInt8](repeating: 1, count: 32))
/// let signature = try key.signature(for: message)
/// key.publicKey.isValidSignature(signature, for: message)   // true
/// ```
public struct Ed25519PrivateKey: Sendable {
    private let key: OpenSSLKey
    /// The matching public key.
    public let publicKey: Ed25519PublicKey

    /// Makes a key from its 32-byte seed (RFC 8032 "private key").
    /// - Throws: ``ConfirmationError`` `input.invalid-length`, or `key.invalid-private-key` when
    ///   OpenSSL refuses it.
    public init(seed: some Collection<UInt8>) throws {
        let input = Array(seed)
        guard input.count == 32 else {
            throw ConfirmationError(.invalidLength, "an Ed25519 seed is 32 bytes; got \(input.count)")
        }
        guard let pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, input, 32) else {
            throw ConfirmationError(.invalidPrivateKey, "OpenSSL refused the Ed25519 seed")
        }
        let owned = OpenSSLKey(pkey)
        var length = 32
        var raw = [UInt8](repeating: 0, count: 32)
        guard EVP_PKEY_get_raw_public_key(pkey, &raw, &length) == 1, length == 32 else {
            throw ConfirmationError(.invalidPrivateKey, "OpenSSL could not derive the Ed25519 public key")
        }
        key = owned
        publicKey = try Ed25519PublicKey(rawRepresentation: raw)
    }

    /// Signs `message` (RFC 8032 PureEdDSA): 64 bytes.
    /// - Throws: ``ConfirmationError`` `key.invalid-private-key` if OpenSSL fails (allocation).
    public func signature(for message: [UInt8]) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else {
            throw ConfirmationError(.invalidPrivateKey, "OpenSSL could not allocate a signing context")
        }
        defer { EVP_MD_CTX_free(context) }
        var out = [UInt8](repeating: 0, count: 64)
        var length = 64
        guard EVP_DigestSignInit(context, nil, nil, nil, key.pointer) == 1,
              EVP_DigestSign(context, &out, &length, message, message.count) == 1, length == 64 else {
            throw ConfirmationError(.invalidPrivateKey, "OpenSSL Ed25519 signing failed")
        }
        return out
    }
}
