internal import CSecp256k1

/// A 65-byte Ethereum-style signature `r ‖ s ‖ v` from which the signer's key can be recovered.
///
/// Recovery alone proves nothing: any well-formed signature recovers *some* key. Use
/// ``isSigned(by:digest:allowHighS:)`` to check it against the signer you expect.
///
/// ```swift
/// let sig = try RecoverableSignature(rsv: try Hex.decode(signatureHex))
/// if sig.isSigned(by: expectedSigner, digest: digest) { … }
/// let who = try sig.recoverPublicKey(digest: digest).ethereumAddress   // for display
/// ```
public struct RecoverableSignature: Sendable, Hashable {
    /// The 64-byte `r ‖ s` part.
    public let compact: [UInt8]
    /// The recovery id, 0 or 1 (a `v` of 27/28 is stored as 0/1).
    public let recoveryID: UInt8

    /// Parses `r ‖ s ‖ v` with `v` in {0, 1, 27, 28}.
    /// - Throws: ``ConfirmationError`` `input.invalid-length`, `signature.invalid-recovery-id`
    ///   or `signature.invalid-encoding` (a scalar not below the group order).
    public init(rsv bytes: some Collection<UInt8>) throws {
        let input = Array(bytes)
        guard input.count == 65 else {
            throw ConfirmationError(.invalidLength, "an r‖s‖v signature is 65 bytes; got \(input.count)")
        }
        let v = input[64]
        switch v {
        case 0, 1: recoveryID = v
        case 27, 28: recoveryID = v - 27
        default: throw ConfirmationError(.invalidRecoveryID, "v must be 0, 1, 27 or 28; got \(v)")
        }
        compact = Array(input[0..<64])
        // Check the scalars now so a malformed signature fails at parse time.
        _ = try recoverable()
    }

    /// Wraps the output of libsecp256k1's signer.
    init(compact: [UInt8], recoveryID: UInt8) {
        self.compact = compact
        self.recoveryID = recoveryID
    }

    /// `r ‖ s ‖ v` with `v` as 27 or 28 (the form Ethereum tooling prints).
    public var rsv: [UInt8] { compact + [recoveryID + 27] }

    /// The plain ECDSA signature `(r, s)`.
    public var signature: ECDSASignature {
        // `compact` was accepted by the recoverable parser, so the plain parser accepts it too.
        (try? ECDSASignature(compact: compact))!
    }

    /// Whether `s ≤ n/2`.
    public var isLowS: Bool { signature.isLowS }

    /// Recovers the public key that this signature verifies against for `digest`.
    /// - Throws: ``ConfirmationError`` `signature.recovery-failed` if no key exists.
    public func recoverPublicKey(digest: Bytes32) throws -> Secp256k1PublicKey {
        var sig = try recoverable()
        var key = secp256k1_pubkey()
        let ok = digest.withUnsafeBytes { d in
            secp256k1_ecdsa_recover(
                Secp256k1Context.shared.pointer, &key, &sig, d.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard ok == 1 else {
            throw ConfirmationError(.recoveryFailed, "no public key recovers from this signature and digest")
        }
        return Secp256k1PublicKey(raw: key)
    }

    /// Whether this signature is a valid signature of `digest` by `signer`.
    ///
    /// Recovers the key, derives its address and compares; with `allowHighS == false`
    /// (the default) a high-`s` signature is refused before recovery.
    public func isSigned(by signer: EthereumAddress, digest: Bytes32, allowHighS: Bool = false) -> Bool {
        if !allowHighS && !isLowS { return false }
        guard let key = try? recoverPublicKey(digest: digest) else { return false }
        return key.ethereumAddress == signer
    }

    private func recoverable() throws -> secp256k1_ecdsa_recoverable_signature {
        var sig = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(
            Secp256k1Context.shared.pointer, &sig, compact, Int32(recoveryID)) == 1
        else {
            throw ConfirmationError(.invalidSignature, "r or s is not below the secp256k1 group order")
        }
        return sig
    }
}
