public import ConfirmationCrypto
public import Foundation

/// Any proof this library verifies against a root or block commitment, tagged by its `kind`.
///
/// The JSON form is the wrapped proof's own JSON, whose `kind` field selects the case; the binary
/// form starts with the format version and a ``ProofKindTag``. One call verifies every kind:
///
/// ```swift
/// let proof = try InclusionProof(jsonData: data)
/// if proof.verify(against: commitment) { print(proof.summary) }
/// ```
public enum InclusionProof: Sendable, Hashable {
    /// `rfc6962-sha256-inclusion`.
    case rfc6962SHA256(MerkleInclusionProof<RFC6962SHA256>)
    /// `rfc6962-keccak256-inclusion`.
    case rfc6962Keccak256(MerkleInclusionProof<RFC6962Keccak256>)
    /// `rfc6962-sha256-multiproof`.
    case rfc6962SHA256Multi(MerkleMultiProof<RFC6962SHA256>)
    /// `rfc6962-keccak256-multiproof`.
    case rfc6962Keccak256Multi(MerkleMultiProof<RFC6962Keccak256>)
    /// `namespace-inclusion`.
    case namespaceInclusion(NamespaceInclusionProof)
    /// `namespace-completeness`.
    case namespaceCompleteness(NamespaceCompletenessProof)
    /// `namespace-absence`.
    case namespaceAbsence(NamespaceAbsenceProof)
    /// `namespace-bundle`.
    case namespaceBundle(NamespaceBundleProof)

    /// Every `kind` string, in the order of the cases.
    public static let kinds = [
        MerkleInclusionProof<RFC6962SHA256>.kind, MerkleInclusionProof<RFC6962Keccak256>.kind,
        MerkleMultiProof<RFC6962SHA256>.kind, MerkleMultiProof<RFC6962Keccak256>.kind,
        NamespaceInclusionProof.kind, NamespaceCompletenessProof.kind, NamespaceAbsenceProof.kind, NamespaceBundleProof.kind,
    ]

    /// The `kind` string of this proof.
    public var kind: String {
        switch self {
        case .rfc6962SHA256: MerkleInclusionProof<RFC6962SHA256>.kind
        case .rfc6962Keccak256: MerkleInclusionProof<RFC6962Keccak256>.kind
        case .rfc6962SHA256Multi: MerkleMultiProof<RFC6962SHA256>.kind
        case .rfc6962Keccak256Multi: MerkleMultiProof<RFC6962Keccak256>.kind
        case .namespaceInclusion: NamespaceInclusionProof.kind
        case .namespaceCompleteness: NamespaceCompletenessProof.kind
        case .namespaceAbsence: NamespaceAbsenceProof.kind
        case .namespaceBundle: NamespaceBundleProof.kind
        }
    }

    /// Whether the proof proves its claim against `root` (a tree root or a block commitment).
    /// - Parameter root: the trusted root.
    /// - Returns: `true` when ``verdict(against:)`` is ``ProofVerdict/verified``.
    public func verify(against root: Bytes32) -> Bool {
        verdict(against: root).isVerified
    }

    /// The verdict against `root`, with a reason when it fails.
    public func verdict(against root: Bytes32) -> ProofVerdict {
        switch self {
        case .rfc6962SHA256(let proof): proof.verdict(against: root)
        case .rfc6962Keccak256(let proof): proof.verdict(against: root)
        case .rfc6962SHA256Multi(let proof): proof.verdict(against: root)
        case .rfc6962Keccak256Multi(let proof): proof.verdict(against: root)
        case .namespaceInclusion(let proof): proof.verdict(against: root)
        case .namespaceCompleteness(let proof): proof.verdict(against: root)
        case .namespaceAbsence(let proof): proof.verdict(against: root)
        case .namespaceBundle(let proof): proof.verdict(against: root)
        }
    }

    /// One line saying what the proof claims, e.g. `transaction 3 of 10 in namespace 0x…07`.
    public var summary: String {
        switch self {
        case .rfc6962SHA256(let proof): "leaf \(proof.leafIndex) of \(proof.treeSize) (RFC 6962, SHA-256)"
        case .rfc6962Keccak256(let proof): "leaf \(proof.leafIndex) of \(proof.treeSize) (RFC 6962 shape, Keccak-256)"
        case .rfc6962SHA256Multi(let proof): "\(Self.count(proof.leaves.count, "leaf", "leaves")) of \(proof.treeSize) (RFC 6962, SHA-256)"
        case .rfc6962Keccak256Multi(let proof): "\(Self.count(proof.leaves.count, "leaf", "leaves")) of \(proof.treeSize) (RFC 6962 shape, Keccak-256)"
        case .namespaceInclusion(let proof):
            "transaction \(proof.transactionIndex) of \(proof.transactionCount) in namespace \(proof.namespace)"
        case .namespaceCompleteness(let proof):
            "all \(proof.transactions.count) transactions of namespace \(proof.namespace)"
        case .namespaceAbsence(let proof):
            "namespace \(proof.namespace) absent from a block of \(proof.namespaceCount) namespaces"
        case .namespaceBundle(let proof):
            "bundle of \(Self.count(proof.locations.count, "leg")) in \(Self.count(proof.groups.count, "namespace")): "
                + proof.locations.map(\.description).joined(separator: ", ")
        }
    }
}

extension InclusionProof {
    /// `1 leg`, `2 legs`.
    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
    }
}

extension InclusionProof: Codable {
    private enum KindKey: String, CodingKey {
        case kind
    }

    /// Decodes any proof from its JSON form, choosing the type by `kind`.
    /// - Throws: ``ConfirmationError`` `proof.unknown-kind`, or the wrapped type's errors.
    public init(from decoder: any Decoder) throws {
        let kind = try decoder.container(keyedBy: KindKey.self).decode(String.self, forKey: .kind)
        switch kind {
        case MerkleInclusionProof<RFC6962SHA256>.kind: self = .rfc6962SHA256(try .init(from: decoder))
        case MerkleInclusionProof<RFC6962Keccak256>.kind: self = .rfc6962Keccak256(try .init(from: decoder))
        case MerkleMultiProof<RFC6962SHA256>.kind: self = .rfc6962SHA256Multi(try .init(from: decoder))
        case MerkleMultiProof<RFC6962Keccak256>.kind: self = .rfc6962Keccak256Multi(try .init(from: decoder))
        case NamespaceInclusionProof.kind: self = .namespaceInclusion(try .init(from: decoder))
        case NamespaceCompletenessProof.kind: self = .namespaceCompleteness(try .init(from: decoder))
        case NamespaceAbsenceProof.kind: self = .namespaceAbsence(try .init(from: decoder))
        case NamespaceBundleProof.kind: self = .namespaceBundle(try .init(from: decoder))
        default:
            throw ConfirmationError(.proofUnknownKind, "unknown proof kind \"\(kind.prefix(64))\"")
        }
    }

    /// Encodes the wrapped proof's JSON form (which carries `kind`).
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .rfc6962SHA256(let proof): try proof.encode(to: encoder)
        case .rfc6962Keccak256(let proof): try proof.encode(to: encoder)
        case .rfc6962SHA256Multi(let proof): try proof.encode(to: encoder)
        case .rfc6962Keccak256Multi(let proof): try proof.encode(to: encoder)
        case .namespaceInclusion(let proof): try proof.encode(to: encoder)
        case .namespaceCompleteness(let proof): try proof.encode(to: encoder)
        case .namespaceAbsence(let proof): try proof.encode(to: encoder)
        case .namespaceBundle(let proof): try proof.encode(to: encoder)
        }
    }

    /// Parses a proof from JSON, mapping every failure to a ``ConfirmationError``.
    /// - Parameter jsonData: the JSON text, at most ``MerkleLimits/maximumEncodedProofBytes``.
    /// - Throws: ``ConfirmationError`` `input.too-long`, `proof.invalid-json`, `proof.unknown-kind`
    ///   or the wrapped type's shape errors.
    public init(jsonData: Data) throws {
        guard jsonData.count <= MerkleLimits.maximumEncodedProofBytes else {
            throw ConfirmationError(
                .inputTooLong, "proof JSON of \(jsonData.count) bytes; the limit is \(MerkleLimits.maximumEncodedProofBytes)")
        }
        do {
            self = try JSONDecoder().decode(InclusionProof.self, from: jsonData)
        } catch let error as ConfirmationError {
            throw error
        } catch let error as DecodingError {
            throw ConfirmationError(.proofInvalidJSON, Self.describe(error))
        } catch {
            throw ConfirmationError(.proofInvalidJSON, "proof is not valid JSON")
        }
    }

    /// The JSON form with sorted keys.
    public var jsonData: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding proofs writes only strings, integers, arrays and objects; it cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the top level" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing field \"\(key.stringValue)\" at \(path(context))"
        case .typeMismatch(_, let context): return "wrong type at \(path(context))"
        case .valueNotFound(_, let context): return "missing value at \(path(context))"
        case .dataCorrupted(let context): return "invalid JSON or value at \(path(context))"
        @unknown default: return "invalid proof JSON"
        }
    }
}

extension InclusionProof {
    /// The binary canonical form of the wrapped proof.
    public var canonicalBytes: [UInt8] {
        switch self {
        case .rfc6962SHA256(let proof): proof.canonicalBytes
        case .rfc6962Keccak256(let proof): proof.canonicalBytes
        case .rfc6962SHA256Multi(let proof): proof.canonicalBytes
        case .rfc6962Keccak256Multi(let proof): proof.canonicalBytes
        case .namespaceInclusion(let proof): proof.canonicalBytes
        case .namespaceCompleteness(let proof): proof.canonicalBytes
        case .namespaceAbsence(let proof): proof.canonicalBytes
        case .namespaceBundle(let proof): proof.canonicalBytes
        }
    }

    /// Decodes any proof from its binary canonical form, choosing the type by its tag.
    /// - Parameter bytes: exactly one encoded proof.
    /// - Throws: ``ConfirmationError`` `proof.invalid-encoding`, `proof.unknown-kind` or the wrapped type's errors.
    public init(canonicalBytes bytes: [UInt8]) throws {
        guard bytes.count >= 2, bytes[0] == ProofKindTag.version else {
            throw ConfirmationError(.proofInvalidEncoding, "missing or unknown binary proof version")
        }
        guard let tag = ProofKindTag(rawValue: bytes[1]) else {
            throw ConfirmationError(.proofUnknownKind, "unknown binary proof tag \(bytes[1])")
        }
        let hasher = bytes.count > 2 ? bytes[2] : 0
        switch (tag, hasher) {
        case (.merkleInclusion, RFC6962SHA256.binaryTag): self = .rfc6962SHA256(try .init(canonicalBytes: bytes))
        case (.merkleInclusion, RFC6962Keccak256.binaryTag): self = .rfc6962Keccak256(try .init(canonicalBytes: bytes))
        case (.merkleMultiProof, RFC6962SHA256.binaryTag): self = .rfc6962SHA256Multi(try .init(canonicalBytes: bytes))
        case (.merkleMultiProof, RFC6962Keccak256.binaryTag): self = .rfc6962Keccak256Multi(try .init(canonicalBytes: bytes))
        case (.merkleInclusion, _), (.merkleMultiProof, _):
            throw ConfirmationError(.proofUnknownKind, "unknown binary proof hasher \(hasher)")
        case (.namespaceInclusion, _): self = .namespaceInclusion(try .init(canonicalBytes: bytes))
        case (.namespaceCompleteness, _): self = .namespaceCompleteness(try .init(canonicalBytes: bytes))
        case (.namespaceAbsence, _): self = .namespaceAbsence(try .init(canonicalBytes: bytes))
        case (.namespaceBundle, _): self = .namespaceBundle(try .init(canonicalBytes: bytes))
        }
    }
}
