internal import CSecp256k1

/// A secp256k1 public key, parsed and checked to lie on the curve.
///
/// ```swift
/// let key = try Secp256k1PublicKey(serialized: try Hex.decode(compressedKeyHex))
/// let ok = key.isValidSignature(signature, for: digest)            // low-S only
/// let lax = key.isValidSignature(signature, for: digest, allowHighS: true)
/// print(key.ethereumAddress)
/// ```
public struct Secp256k1PublicKey: Sendable, Hashable, CustomStringConvertible {
    // Produced only by libsecp256k1's own parse/recover functions, never filled by hand.
    let raw: secp256k1_pubkey

    init(raw: secp256k1_pubkey) { self.raw = raw }

    /// Parses a 33-byte compressed (`02`/`03`) or 65-byte uncompressed (`04`) SEC1 key.
    /// - Throws: ``ConfirmationError`` `key.invalid-public-key` for any other length, prefix
    ///   (hybrid `06`/`07` keys are refused), or a point not on the curve.
    public init(serialized bytes: some Collection<UInt8>) throws {
        let input = Array(bytes)
        guard input.count == 33 && (input[0] == 2 || input[0] == 3) || input.count == 65 && input[0] == 4 else {
            throw ConfirmationError(.invalidPublicKey, "a secp256k1 key is 33 bytes (02/03) or 65 bytes (04); got \(input.count) bytes")
        }
        var key = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(Secp256k1Context.shared.pointer, &key, input, input.count) == 1 else {
            throw ConfirmationError(.invalidPublicKey, "the bytes are not a point on secp256k1")
        }
        raw = key
    }

    /// The 33-byte compressed SEC1 encoding.
    public var compressed: [UInt8] { serialize(flags: UInt32(SECP256K1_EC_COMPRESSED), count: 33) }

    /// The 65-byte uncompressed SEC1 encoding (`04 ‖ x ‖ y`).
    public var uncompressed: [UInt8] { serialize(flags: UInt32(SECP256K1_EC_UNCOMPRESSED), count: 65) }

    /// The Ethereum address: the last 20 bytes of Keccak-256 over `x ‖ y`.
    public var ethereumAddress: EthereumAddress {
        let digest = uncompressed.withUnsafeBytes { Keccak256.hash(UnsafeRawBufferPointer(rebasing: $0[1...])) }
        return EthereumAddress(uncheckedBytes: digest.bytes[12...])
    }

    /// Compressed hex.
    public var description: String { Hex.encode(compressed) }

    /// Checks an ECDSA signature over a 32-byte digest.
    ///
    /// - Parameters:
    ///   - signature: the parsed signature.
    ///   - digest: the 32-byte message digest that was signed.
    ///   - allowHighS: `false` (the default) rejects signatures whose `s` is above n/2, as
    ///     libsecp256k1 and Ethereum transaction rules do; `true` normalises `s` first, accepting
    ///     both `(r, s)` and `(r, n - s)`.
    /// - Returns: whether the signature is valid for this key and digest under that policy.
    public func isValidSignature(_ signature: ECDSASignature, for digest: Bytes32, allowHighS: Bool = false) -> Bool {
        var sig = signature.raw
        if allowHighS {
            var normalised = secp256k1_ecdsa_signature()
            secp256k1_ecdsa_signature_normalize(Secp256k1Context.shared.pointer, &normalised, &sig)
            sig = normalised
        }
        var key = raw
        return digest.withUnsafeBytes { d in
            secp256k1_ecdsa_verify(
                Secp256k1Context.shared.pointer, &sig, d.baseAddress!.assumingMemoryBound(to: UInt8.self), &key) == 1
        }
    }

    public static func == (lhs: Secp256k1PublicKey, rhs: Secp256k1PublicKey) -> Bool {
        var l = lhs.raw
        var r = rhs.raw
        return secp256k1_ec_pubkey_cmp(Secp256k1Context.shared.pointer, &l, &r) == 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(compressed)
    }

    private func serialize(flags: UInt32, count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var length = count
        var key = raw
        _ = secp256k1_ec_pubkey_serialize(Secp256k1Context.shared.pointer, &out, &length, &key, flags)
        return out
    }
}
