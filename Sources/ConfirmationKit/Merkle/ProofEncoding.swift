import ConfirmationCrypto

/// The one-byte tags of the binary canonical proof form (see `Docs/merkle-proofs.md`).
///
/// Every binary proof starts with the format version ``version`` and one of these tags; the two
/// generic Merkle kinds follow it with the hasher's ``MerkleHasher/binaryTag``.
public enum ProofKindTag: UInt8, Sendable, CaseIterable {
    /// ``MerkleInclusionProof``, followed by the hasher byte.
    case merkleInclusion = 0x01
    /// ``MerkleMultiProof``, followed by the hasher byte.
    case merkleMultiProof = 0x02
    /// ``NamespaceInclusionProof``.
    case namespaceInclusion = 0x10
    /// ``NamespaceCompletenessProof``.
    case namespaceCompleteness = 0x11
    /// ``NamespaceAbsenceProof``.
    case namespaceAbsence = 0x12
    /// ``NamespaceBundleProof``.
    case namespaceBundle = 0x13

    /// The binary format version, the first byte of every binary proof.
    public static let version: UInt8 = 0x01
}

/// Writes the binary canonical form: fixed-width big-endian integers, `u32` length prefixes.
struct CanonicalWriter {
    private(set) var bytes: [UInt8] = []

    init(tag: ProofKindTag, hasher: UInt8? = nil) {
        bytes.append(ProofKindTag.version)
        bytes.append(tag.rawValue)
        if let hasher { bytes.append(hasher) }
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u32(_ value: Int) {
        let v = UInt32(truncatingIfNeeded: value)
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    mutating func u64(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func node(_ value: Bytes32) { value.withUnsafeBytes { bytes.append(contentsOf: $0) } }

    /// A `u32` count then the nodes.
    mutating func nodes(_ values: [Bytes32]) {
        u32(values.count)
        for value in values { node(value) }
    }

    /// A `u32` length then the bytes.
    mutating func data(_ value: [UInt8]) {
        u32(value.count)
        bytes.append(contentsOf: value)
    }
}

/// Reads the binary canonical form, bounding every count before it allocates.
struct CanonicalReader {
    private let bytes: [UInt8]
    private var offset: Int

    /// Starts after checking the version, the tag and, for the generic kinds, the hasher byte.
    init(_ bytes: [UInt8], expecting tag: ProofKindTag, hasher: UInt8? = nil) throws {
        guard bytes.count <= MerkleLimits.maximumEncodedProofBytes else {
            throw ConfirmationError(.inputTooLong, "binary proof of \(bytes.count) bytes; the limit is \(MerkleLimits.maximumEncodedProofBytes)")
        }
        guard bytes.count >= 2 else {
            throw ConfirmationError(.proofInvalidEncoding, "binary proof shorter than its two-byte header")
        }
        guard bytes[0] == ProofKindTag.version else {
            throw ConfirmationError(.proofInvalidEncoding, "unknown binary proof version \(bytes[0])")
        }
        guard bytes[1] == tag.rawValue else {
            throw ConfirmationError(.proofUnknownKind, "binary proof tag \(bytes[1]) where \(tag.rawValue) was expected")
        }
        self.bytes = bytes
        offset = 2
        if let hasher {
            let found = try u8()
            guard found == hasher else {
                throw ConfirmationError(.proofUnknownKind, "binary proof hasher \(found) where \(hasher) was expected")
            }
        }
    }

    private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, bytes.count - offset >= count else {
            throw ConfirmationError(.proofInvalidEncoding, "binary proof truncated at byte \(offset)")
        }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func u8() throws -> UInt8 { try take(1).first ?? 0 }

    mutating func u32() throws -> Int {
        try take(4).reduce(0) { $0 << 8 | Int($1) }
    }

    mutating func u64() throws -> UInt64 {
        try take(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    mutating func node() throws -> Bytes32 { try Bytes32(take(32)) }

    /// A `u32` count (at most `limit`, else `limitCode`) then that many nodes.
    mutating func nodes(limit: Int) throws -> [Bytes32] {
        let count = try u32()
        guard count <= limit else {
            throw ConfirmationError(.merkleProofTooLong, "\(count) siblings; the limit is \(limit)")
        }
        guard bytes.count - offset >= count * 32 else {
            throw ConfirmationError(.proofInvalidEncoding, "binary proof truncated in a list of \(count) nodes")
        }
        var out: [Bytes32] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try node()) }
        return out
    }

    /// A `u32` length (at most `limit`, else `merkle.leaf-too-large`) then the bytes.
    mutating func data(limit: Int) throws -> [UInt8] {
        let count = try u32()
        guard count <= limit else {
            throw ConfirmationError(.merkleLeafTooLarge, "a leaf of \(count) bytes; the limit is \(limit)")
        }
        return Array(try take(count))
    }

    /// A `u32` element count at most `limit`, each element at least `minimumSize` bytes.
    mutating func count(limit: Int, minimumSize: Int, code: ConfirmationError.Code) throws -> Int {
        let count = try u32()
        guard count <= limit else {
            throw ConfirmationError(code, "\(count) entries; the limit is \(limit)")
        }
        guard bytes.count - offset >= count * minimumSize else {
            throw ConfirmationError(.proofInvalidEncoding, "binary proof truncated in a list of \(count) entries")
        }
        return count
    }

    /// Requires that every byte was read.
    func finish() throws {
        guard offset == bytes.count else {
            throw ConfirmationError(.proofInvalidEncoding, "\(bytes.count - offset) trailing bytes after the proof")
        }
    }
}

/// JSON helpers shared by the proof types: hex byte strings with bounds, and the `kind` check.
enum ProofJSON {
    static func hexBytes<Key: CodingKey>(
        _ container: KeyedDecodingContainer<Key>, _ key: Key, limit: Int = MerkleLimits.maximumLeafBytes
    ) throws -> [UInt8] {
        try hexBytes(container.decode(String.self, forKey: key), limit: limit)
    }

    static func hexBytes(_ text: String, limit: Int = MerkleLimits.maximumLeafBytes) throws -> [UInt8] {
        do {
            return try Hex.decode(text, maximumBytes: limit)
        } catch let error as ConfirmationError where error.code == .inputTooLong {
            throw ConfirmationError(.merkleLeafTooLarge, error.reason)
        }
    }

    static func hexString(_ bytes: [UInt8]) -> String { "0x" + Hex.encode(bytes) }

    /// Decodes a list of nodes after bounding its count.
    static func nodes<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key, limit: Int) throws -> [Bytes32] {
        var list = try container.nestedUnkeyedContainer(forKey: key)
        if let count = list.count, count > limit {
            throw ConfirmationError(.merkleProofTooLong, "\(count) siblings; the limit is \(limit)")
        }
        var out: [Bytes32] = []
        while !list.isAtEnd {
            guard out.count < limit else {
                throw ConfirmationError(.merkleProofTooLong, "more than \(limit) siblings")
            }
            out.append(try list.decode(Bytes32.self))
        }
        return out
    }

    /// Checks the required `kind` field.
    static func checkKind<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key, expected: String) throws {
        let kind = try container.decode(String.self, forKey: key)
        guard kind == expected else {
            throw ConfirmationError(.proofUnknownKind, "proof kind \"\(kind)\" where \"\(expected)\" was expected")
        }
    }
}
