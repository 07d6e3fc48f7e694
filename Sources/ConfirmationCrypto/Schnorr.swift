internal import CSecp256k1

/// A BIP-340 x-only public key (32 bytes) for Schnorr signatures over secp256k1.
///
/// ```swift
/// let key = try SchnorrPublicKey(xOnly: try Hex.decode(publicKeyHex))
/// key.isValidSignature(signature64, for: message)   // any message length
/// ```
public struct SchnorrPublicKey: Sendable, Hashable {
    /// The 32-byte x coordinate.
    public let xOnly: [UInt8]
    // Produced by libsecp256k1's parser only.
    private let raw: secp256k1_xonly_pubkey

    /// Parses a 32-byte x-only key.
    /// - Throws: ``ConfirmationError`` `input.invalid-length`, or `key.invalid-public-key` when
    ///   x is not the coordinate of a curve point (or not below the field size).
    public init(xOnly bytes: some Collection<UInt8>) throws {
        let input = Array(bytes)
        guard input.count == 32 else {
            throw ConfirmationError(.invalidLength, "a BIP-340 public key is 32 bytes; got \(input.count)")
        }
        var key = secp256k1_xonly_pubkey()
        guard secp256k1_xonly_pubkey_parse(Secp256k1Context.shared.pointer, &key, input) == 1 else {
            throw ConfirmationError(.invalidPublicKey, "x is not the coordinate of a secp256k1 point")
        }
        xOnly = input
        raw = key
    }

    /// Checks a 64-byte BIP-340 signature over `message` (any length).
    /// - Returns: `false` for a wrong-length or invalid signature.
    public func isValidSignature(_ signature: some Collection<UInt8>, for message: [UInt8]) -> Bool {
        let sig = Array(signature)
        guard sig.count == 64 else { return false }
        var key = raw
        return secp256k1_schnorrsig_verify(Secp256k1Context.shared.pointer, sig, message, message.count, &key) == 1
    }

    public static func == (lhs: SchnorrPublicKey, rhs: SchnorrPublicKey) -> Bool { lhs.xOnly == rhs.xOnly }
    public func hash(into hasher: inout Hasher) { hasher.combine(xOnly) }
}
