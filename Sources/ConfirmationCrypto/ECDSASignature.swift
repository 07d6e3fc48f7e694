internal import CSecp256k1

/// A secp256k1 ECDSA signature `(r, s)` with both scalars in `[0, n)`.
///
/// ```swift
/// let sig = try ECDSASignature(compact: sixtyFourBytes)
/// let der = try ECDSASignature(derEncoded: derBytes)   // strict DER only
/// sig.isLowS                                           // s ≤ n/2 ?
/// ```
public struct ECDSASignature: Sendable, Hashable {
    // Produced only by libsecp256k1's parse functions.
    let raw: secp256k1_ecdsa_signature

    /// Parses the 64-byte compact form `r ‖ s` (big-endian scalars).
    /// - Throws: ``ConfirmationError`` `input.invalid-length` for a length other than 64,
    ///   `signature.invalid-encoding` when `r` or `s` is not below the group order.
    public init(compact bytes: some Collection<UInt8>) throws {
        let input = Array(bytes)
        guard input.count == 64 else {
            throw ConfirmationError(.invalidLength, "a compact ECDSA signature is 64 bytes; got \(input.count)")
        }
        var sig = secp256k1_ecdsa_signature()
        guard secp256k1_ecdsa_signature_parse_compact(Secp256k1Context.shared.pointer, &sig, input) == 1 else {
            throw ConfirmationError(.invalidSignature, "r or s is not below the secp256k1 group order")
        }
        raw = sig
    }

    /// Parses a strict DER signature (`SEQUENCE { INTEGER r, INTEGER s }`, minimal lengths and integers,
    /// no trailing bytes) as in Bitcoin's BIP-66 and Wycheproof's rules.
    /// - Throws: ``ConfirmationError`` `signature.invalid-der` for any DER violation,
    ///   `signature.invalid-encoding` for a scalar out of range.
    public init(derEncoded bytes: some Collection<UInt8>) throws {
        let (r, s) = try DERSignature.parse(Array(bytes))
        try self.init(compact: r + s)
    }

    /// The 64-byte compact form `r ‖ s`.
    public var compact: [UInt8] {
        var out = [UInt8](repeating: 0, count: 64)
        var sig = raw
        _ = secp256k1_ecdsa_signature_serialize_compact(Secp256k1Context.shared.pointer, &out, &sig)
        return out
    }

    /// Whether `s ≤ n/2`, the form libsecp256k1 and Ethereum transactions require.
    public var isLowS: Bool {
        var sig = raw
        return secp256k1_ecdsa_signature_normalize(Secp256k1Context.shared.pointer, nil, &sig) == 0
    }

    /// The same signature with `s` replaced by `n - s` when it was high.
    public var normalized: ECDSASignature {
        var sig = raw
        var out = secp256k1_ecdsa_signature()
        secp256k1_ecdsa_signature_normalize(Secp256k1Context.shared.pointer, &out, &sig)
        return ECDSASignature(raw: out)
    }

    init(raw: secp256k1_ecdsa_signature) { self.raw = raw }

    public static func == (lhs: ECDSASignature, rhs: ECDSASignature) -> Bool { lhs.compact == rhs.compact }
    public func hash(into hasher: inout Hasher) { hasher.combine(compact) }
}

/// Strict DER decoding of an ECDSA signature into two 32-byte big-endian scalars.
enum DERSignature {
    /// The largest DER ECDSA signature for a 256-bit group (two 33-byte integers plus headers).
    static let maximumLength = 72

    static func parse(_ der: [UInt8]) throws -> (r: [UInt8], s: [UInt8]) {
        guard der.count <= maximumLength else {
            throw ConfirmationError(.invalidDER, "a DER signature is at most \(maximumLength) bytes; got \(der.count)")
        }
        guard der.count >= 8, der[0] == 0x30 else {
            throw ConfirmationError(.invalidDER, "not a DER SEQUENCE")
        }
        // Content is at most 70 bytes, so only the short length form is minimal.
        guard der[1] < 0x80 else {
            throw ConfirmationError(.invalidDER, "non-minimal or long-form SEQUENCE length")
        }
        guard Int(der[1]) == der.count - 2 else {
            throw ConfirmationError(.invalidDER, "SEQUENCE length \(der[1]) does not match \(der.count - 2) content bytes")
        }
        var offset = 2
        let r = try integer(der, &offset)
        let s = try integer(der, &offset)
        guard offset == der.count else {
            throw ConfirmationError(.invalidDER, "trailing bytes inside the SEQUENCE")
        }
        return (r, s)
    }

    /// Reads one INTEGER and returns it left-padded to 32 bytes.
    private static func integer(_ der: [UInt8], _ offset: inout Int) throws -> [UInt8] {
        guard offset + 2 <= der.count, der[offset] == 0x02 else {
            throw ConfirmationError(.invalidDER, "expected an INTEGER at byte \(offset)")
        }
        let length = Int(der[offset + 1])
        guard length < 0x80 else {
            throw ConfirmationError(.invalidDER, "non-minimal or long-form INTEGER length")
        }
        offset += 2
        guard length >= 1, offset + length <= der.count else {
            throw ConfirmationError(.invalidDER, "INTEGER length \(length) runs past the end")
        }
        var value = Array(der[offset..<offset + length])
        offset += length
        guard value[0] & 0x80 == 0 else {
            throw ConfirmationError(.invalidDER, "negative INTEGER")
        }
        if value.count > 1 && value[0] == 0 {
            guard value[1] & 0x80 != 0 else {
                throw ConfirmationError(.invalidDER, "INTEGER has a superfluous leading zero")
            }
            value.removeFirst()
        }
        guard value.count <= 32 else {
            throw ConfirmationError(.invalidSignature, "INTEGER of \(value.count) bytes exceeds the group order")
        }
        return [UInt8](repeating: 0, count: 32 - value.count) + value
    }
}
