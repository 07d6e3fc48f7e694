public import ConfirmationCrypto

/// The hashing rules of one binary Merkle tree shape: how a leaf is hashed and how two children
/// are combined.
///
/// Conforming types are caseless enums with static functions, so generic code over
/// `Hasher: MerkleHasher` is specialised by the compiler and never goes through an existential.
/// Leaves and interior nodes must be hashed under different one-byte prefixes: that is what stops
/// an interior node from being presented as a leaf (see `Docs/merkle-proofs.md`).
///
/// ```swift
/// let leaf = RFC6962SHA256.leafHash([0x01, 0x02])
/// let node = RFC6962SHA256.nodeHash(leaf, leaf)
/// ```
public protocol MerkleHasher: Sendable {
    /// The short name used in the proof `kind` and in vectors, e.g. `rfc6962-sha256`.
    static var identifier: String { get }

    /// The byte naming this hasher in the binary proof form (`0x01` SHA-256, `0x02` Keccak-256;
    /// other values are free for hashers defined outside the library).
    static var binaryTag: UInt8 { get }

    /// The root of a tree with no leaves.
    static var emptyTreeRoot: Bytes32 { get }

    /// Hashes the data of one leaf (with the leaf prefix).
    /// - Parameter data: the leaf's bytes.
    /// - Returns: the leaf hash.
    static func leafHash(_ data: UnsafeRawBufferPointer) -> Bytes32

    /// Hashes two children into their parent (with the node prefix).
    /// - Parameters:
    ///   - left: the left child.
    ///   - right: the right child.
    /// - Returns: the parent hash.
    static func nodeHash(_ left: Bytes32, _ right: Bytes32) -> Bytes32
}

extension MerkleHasher {
    /// Hashes the data of one leaf held in an array.
    /// - Parameter data: the leaf's bytes.
    /// - Returns: the leaf hash.
    @inlinable public static func leafHash(_ data: [UInt8]) -> Bytes32 {
        data.withUnsafeBytes { leafHash($0) }
    }
}

/// RFC 6962 / RFC 9162 Merkle tree hashing over SHA-256, as used by Certificate Transparency,
/// CometBFT (`crypto/merkle`) and Astria.
///
/// - leaf: `SHA-256(0x00 ‖ data)`
/// - node: `SHA-256(0x01 ‖ left ‖ right)`
/// - empty tree: `SHA-256()` (the digest of no bytes)
public enum RFC6962SHA256: MerkleHasher {
    /// `rfc6962-sha256`.
    public static let identifier = "rfc6962-sha256"

    /// `0x01`.
    public static let binaryTag: UInt8 = 0x01

    /// `SHA-256()` = `e3b0c442…b855`.
    public static let emptyTreeRoot = SHA256.hash([])

    /// `SHA-256(0x00 ‖ data)`.
    @inlinable public static func leafHash(_ data: UnsafeRawBufferPointer) -> Bytes32 {
        SHA256.hash(prefix: 0x00, data)
    }

    /// `SHA-256(0x01 ‖ left ‖ right)`, computed without allocating.
    @inlinable public static func nodeHash(_ left: Bytes32, _ right: Bytes32) -> Bytes32 {
        SHA256.hash(prefix: 0x01, left, right)
    }
}

/// The RFC 6962 tree shape and prefixes over Ethereum's Keccak-256, for Ethereum-facing users.
///
/// - leaf: `Keccak-256(0x00 ‖ data)`
/// - node: `Keccak-256(0x01 ‖ left ‖ right)`
/// - empty tree: `Keccak-256()` (the digest of no bytes)
///
/// This is *not* the sorted-pair tree of OpenZeppelin's `MerkleProof`: children keep their
/// positions and the one-byte prefixes separate leaves from nodes.
public enum RFC6962Keccak256: MerkleHasher {
    /// `rfc6962-keccak256`.
    public static let identifier = "rfc6962-keccak256"

    /// `0x02`.
    public static let binaryTag: UInt8 = 0x02

    /// `Keccak-256()` = `c5d24601…a470`.
    public static let emptyTreeRoot = Keccak256.hash([])

    /// `Keccak-256(0x00 ‖ data)`.
    public static func leafHash(_ data: UnsafeRawBufferPointer) -> Bytes32 {
        var hasher = Keccak256()
        hasher.absorbPrefix(0x00)
        hasher.update(data)
        return hasher.finalize()
    }

    /// `Keccak-256(0x01 ‖ left ‖ right)`, computed without allocating.
    public static func nodeHash(_ left: Bytes32, _ right: Bytes32) -> Bytes32 {
        var hasher = Keccak256()
        hasher.absorbPrefix(0x01)
        hasher.update(left)
        hasher.update(right)
        return hasher.finalize()
    }
}

extension Keccak256 {
    /// Absorbs one prefix byte from the stack.
    @inline(__always)
    mutating func absorbPrefix(_ prefix: UInt8) {
        var byte = prefix
        Swift.withUnsafeBytes(of: &byte) { update($0) }
    }
}
