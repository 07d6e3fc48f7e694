internal import COpenSSL

/// An Ed25519 public key, verified through OpenSSL's libcrypto (RFC 8032 rules).
///
/// OpenSSL's rules differ from ZIP-215, which CometBFT uses: see `Docs/crypto.md`.
///
/// ```swift
/// let key = try Ed25519PublicKey(rawRepresentation: thirtyTwoBytes)
/// key.isValidSignature(signature64, for: message)
/// ```
public struct Ed25519PublicKey: Sendable, Hashable {
    /// The 32-byte encoded point.
    public let rawRepresentation: [UInt8]
    private let key: OpenSSLKey

    /// Wraps a 32-byte Ed25519 public key.
    /// - Throws: ``ConfirmationError`` `input.invalid-length`, or `key.invalid-public-key` when
    ///   OpenSSL refuses the key.
    public init(rawRepresentation bytes: some Collection<UInt8>) throws {
        let input = Array(bytes)
        guard input.count == 32 else {
            throw ConfirmationError(.invalidLength, "an Ed25519 public key is 32 bytes; got \(input.count)")
        }
        guard let pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, input, 32) else {
            throw ConfirmationError(.invalidPublicKey, "OpenSSL refused the Ed25519 public key")
        }
        rawRepresentation = input
        key = OpenSSLKey(pkey)
    }

    /// Checks a 64-byte signature over `message`.
    /// - Returns: `false` for a wrong-length or invalid signature.
    public func isValidSignature(_ signature: some Collection<UInt8>, for message: [UInt8]) -> Bool {
        let sig = Array(signature)
        guard sig.count == 64 else { return false }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key.pointer) == 1 else { return false }
        return EVP_DigestVerify(context, sig, 64, message, message.count) == 1
    }

    public static func == (lhs: Ed25519PublicKey, rhs: Ed25519PublicKey) -> Bool {
        lhs.rawRepresentation == rhs.rawRepresentation
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawRepresentation) }
}

/// Owns an `EVP_PKEY`.
///
/// Why `@unchecked Sendable` is safe: the key is immutable after creation; OpenSSL 3 allows
/// one `EVP_PKEY` to be used by several threads at once for verification (each call makes its
/// own `EVP_MD_CTX`), and reference counting inside OpenSSL is atomic.
final class OpenSSLKey: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { EVP_PKEY_free(pointer) }
}
