/// A bitmap over a stake table's entries: bit `i` set means entry `i` signed.
///
/// JSON: a string of `0` and `1` characters, entry 0 first (`"1101"`), whose length must equal
/// the stake table's entry count.
public struct SignerBitmap: Hashable, Sendable, Codable, CustomStringConvertible {
    /// One flag per stake-table entry, in table order.
    public let bits: [Bool]

    /// Wraps flags.
    public init(bits: [Bool]) { self.bits = bits }

    /// A bitmap of `count` entries with the given indices set (indices out of range are ignored).
    public init(count: Int, setting indices: some Sequence<Int>) {
        var bits = [Bool](repeating: false, count: max(0, count))
        for i in indices where bits.indices.contains(i) { bits[i] = true }
        self.bits = bits
    }

    /// The number of entries the bitmap covers.
    public var count: Int { bits.count }

    /// The indices of the set bits, ascending.
    public var setIndices: [Int] { bits.indices.filter { bits[$0] } }

    /// The `0`/`1` string form.
    public var description: String { String(bits.map { $0 ? "1" : "0" }) }

    /// Decodes the `0`/`1` string, bounded by ``QuorumLimits/maximumEntries``.
    /// - Throws: ``ConfirmationError`` `quorum.malformed-bitmap` or `quorum.too-many-signers`.
    public init(from decoder: any Decoder) throws {
        let limits = QuorumLimits.from(decoder)
        let text = try decoder.singleValueContainer().decode(String.self)
        guard text.utf8.count <= limits.maximumEntries else {
            throw ConfirmationError(.quorumTooManySigners, "a signer bitmap covers at most \(limits.maximumEntries) entries")
        }
        var bits: [Bool] = []
        bits.reserveCapacity(text.utf8.count)
        for c in text.utf8 {
            switch c {
            case UInt8(ascii: "0"): bits.append(false)
            case UInt8(ascii: "1"): bits.append(true)
            default: throw ConfirmationError(.quorumMalformedBitmap, "a signer bitmap is a string of 0 and 1")
            }
        }
        self.bits = bits
    }

    /// Encodes the `0`/`1` string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Who signed a certificate: a sorted list of keys or a bitmap over the stake table.
public enum SignerSet<Key: StakeTableKey>: Hashable, Sendable {
    /// Keys in strictly ascending order (``SignerEncoding/sortedKeys``).
    case keys([Key])
    /// A bitmap over the stake table (``SignerEncoding/bitmap``).
    case bitmap(SignerBitmap)

    /// The number of listed signers.
    public var count: Int {
        switch self {
        case .keys(let keys): keys.count
        case .bitmap(let bitmap): bitmap.setIndices.count
        }
    }
}

/// The signatures of a certificate: one per listed signer, or one aggregate.
public enum CertificateSignatures<Signature: Hashable & Sendable & Codable>: Hashable, Sendable {
    /// One signature per signer, in the order the signers are listed.
    case individual([Signature])
    /// One aggregate signature over all listed signers.
    case aggregate(Signature)
}

/// A claim that the validators of a stake table signed a statement about a block.
///
/// A certificate is only a claim until a ``QuorumVerifier`` checks it against the right
/// ``StakeTable``; decoding checks shape and size, never signatures.
///
/// JSON (see `Docs/quorum-certificates.md`):
/// ```json
/// { "profile": "secp256k1-quorum-v1",
///   "statement": { … },
///   "signers": ["0x…", "0x…"],            // or "signerBitmap": "1101"
///   "signatures": ["0x…", "0x…"] }        // or "aggregateSignature": "…"
/// ```
public struct QuorumCertificate<Profile: QuorumProfile>: Hashable, Sendable {
    /// What was signed.
    public var statement: Profile.Statement
    /// Who claims to have signed it.
    public var signers: SignerSet<Profile.Key>
    /// The signatures.
    public var signatures: CertificateSignatures<Profile.Signature>

    /// Creates a certificate.
    public init(statement: Profile.Statement, signers: SignerSet<Profile.Key>,
                signatures: CertificateSignatures<Profile.Signature>) {
        self.statement = statement
        self.signers = signers
        self.signatures = signatures
    }
}

extension QuorumCertificate: Codable {
    private enum CodingKeys: String, CodingKey {
        case profile, statement, signers, signerBitmap, signatures, aggregateSignature
    }

    /// Decodes a certificate, bounding the signer and signature counts.
    /// - Throws: ``ConfirmationError`` `quorum.profile-mismatch`, `quorum.too-many-signers`,
    ///   `quorum.malformed-certificate` (both or neither of the signer / signature forms), or the
    ///   errors of the field decoders.
    public init(from decoder: any Decoder) throws {
        let limits = QuorumLimits.from(decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let profile = try container.decode(String.self, forKey: .profile)
        guard profile == Profile.name else {
            throw ConfirmationError(.quorumProfileMismatch, "the certificate is for profile \(profile), not \(Profile.name)")
        }
        statement = try container.decode(Profile.Statement.self, forKey: .statement)

        switch (container.contains(.signers), container.contains(.signerBitmap)) {
        case (true, false):
            signers = .keys(try Self.decodeBounded(Profile.Key.self, container, .signers, limits))
        case (false, true):
            signers = .bitmap(try container.decode(SignerBitmap.self, forKey: .signerBitmap))
        default:
            throw ConfirmationError(.quorumMalformedCertificate, "a certificate has exactly one of signers and signerBitmap")
        }
        switch (container.contains(.signatures), container.contains(.aggregateSignature)) {
        case (true, false):
            signatures = .individual(try Self.decodeBounded(Profile.Signature.self, container, .signatures, limits))
        case (false, true):
            signatures = .aggregate(try container.decode(Profile.Signature.self, forKey: .aggregateSignature))
        default:
            throw ConfirmationError(.quorumMalformedCertificate,
                                    "a certificate has exactly one of signatures and aggregateSignature")
        }
    }

    /// Encodes the certificate with its profile name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Profile.name, forKey: .profile)
        try container.encode(statement, forKey: .statement)
        switch signers {
        case .keys(let keys): try container.encode(keys, forKey: .signers)
        case .bitmap(let bitmap): try container.encode(bitmap, forKey: .signerBitmap)
        }
        switch signatures {
        case .individual(let list): try container.encode(list, forKey: .signatures)
        case .aggregate(let signature): try container.encode(signature, forKey: .aggregateSignature)
        }
    }

    private static func decodeBounded<T: Decodable>(
        _ type: T.Type, _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, _ limits: QuorumLimits
    ) throws -> [T] {
        var list = try container.nestedUnkeyedContainer(forKey: key)
        if let count = list.count, count > limits.maximumSigners {
            throw ConfirmationError(.quorumTooManySigners, "a certificate lists at most \(limits.maximumSigners) signers; got \(count)")
        }
        var out: [T] = []
        while !list.isAtEnd {
            guard out.count < limits.maximumSigners else {
                throw ConfirmationError(.quorumTooManySigners, "a certificate lists at most \(limits.maximumSigners) signers")
            }
            out.append(try list.decode(T.self))
        }
        return out
    }
}

extension ConfirmationError.Code {
    /// A certificate names a different profile than the one it is decoded for.
    public static let quorumProfileMismatch = Self("quorum.profile-mismatch")
    /// A certificate lists more signers or signatures than the limit.
    public static let quorumTooManySigners = Self("quorum.too-many-signers")
    /// A signer bitmap has a character other than `0` or `1`.
    public static let quorumMalformedBitmap = Self("quorum.malformed-bitmap")
    /// A certificate has both or neither of the two forms of signers or signatures.
    public static let quorumMalformedCertificate = Self("quorum.malformed-certificate")
}
