public import ConfirmationCrypto

/// Hard limits every Merkle and namespaced-block proof decoder enforces.
///
/// They bound memory and hashing work before any hash is computed: a proof that exceeds one is
/// rejected as malformed with the error code named below.
public enum MerkleLimits {
    /// The most siblings on one authentication path, and the greatest tree depth (`merkle.proof-too-long`).
    ///
    /// Tree sizes are `UInt64`, so no valid path is longer than 64.
    public static let maximumDepth = 64

    /// The largest leaf (transaction) in bytes: 1 MiB (`merkle.leaf-too-large`).
    public static let maximumLeafBytes = 1 << 20

    /// The most leaves in one multi-proof (`merkle.too-many-leaves`).
    public static let maximumMultiProofLeaves = 4096

    /// The most siblings in one multi-proof: one full path per leaf at most (`merkle.proof-too-long`).
    public static let maximumMultiProofSiblings = maximumMultiProofLeaves * maximumDepth

    /// The most transactions a completeness proof may carry (`merkle.too-many-leaves`).
    public static let maximumCompletenessTransactions = 1 << 16

    /// The most transaction bytes, summed, in one completeness or bundle proof: 64 MiB (`merkle.leaf-too-large`).
    public static let maximumProofPayloadBytes = 64 << 20

    /// The most legs in one atomic bundle proof (`namespace.too-many-legs`).
    public static let maximumBundleLegs = 256

    /// The most namespaces one block may hold (`namespace.too-many`).
    public static let maximumNamespaces = 1 << 20

    /// The most bytes a serialized proof (JSON or binary) may have: 96 MiB (`input.too-long`).
    public static let maximumEncodedProofBytes = 96 << 20
}

extension ConfirmationError.Code {
    // Merkle toolkit.
    /// A proof names a tree of zero leaves, which has no inclusion proofs.
    public static let merkleEmptyTree = Self("merkle.empty-tree")
    /// A leaf index is not below the tree size.
    public static let merkleIndexOutOfRange = Self("merkle.index-out-of-range")
    /// A path or a multi-proof has more siblings than ``MerkleLimits`` allow.
    public static let merkleProofTooLong = Self("merkle.proof-too-long")
    /// A proof's sibling count differs from the count its tree size and indices require
    /// (a truncated path or an extra sibling).
    public static let merkleProofLengthMismatch = Self("merkle.proof-length-mismatch")
    /// A leaf, or the sum of a proof's leaves, is larger than ``MerkleLimits`` allow.
    public static let merkleLeafTooLarge = Self("merkle.leaf-too-large")
    /// A multi-proof or completeness proof carries more leaves than ``MerkleLimits`` allow.
    public static let merkleTooManyLeaves = Self("merkle.too-many-leaves")
    /// A multi-proof carries no leaves.
    public static let merkleNoLeaves = Self("merkle.no-leaves")
    /// A multi-proof's leaf indices are not in increasing order.
    public static let merkleIndicesNotSorted = Self("merkle.indices-not-sorted")
    /// A multi-proof names the same leaf index twice.
    public static let merkleDuplicateIndex = Self("merkle.duplicate-index")
    /// A well-formed proof leads to a different root (a verdict, not a parse error).
    public static let merkleRootMismatch = Self("merkle.root-mismatch")

    // Proof containers.
    /// A proof's `kind` is not one this library knows, or does not match the type being decoded.
    public static let proofUnknownKind = Self("proof.unknown-kind")
    /// A proof's JSON is not valid JSON or lacks a required field or has a field of the wrong type.
    public static let proofInvalidJSON = Self("proof.invalid-json")
    /// A binary proof is truncated, has trailing bytes, or has an unknown version.
    public static let proofInvalidEncoding = Self("proof.invalid-encoding")
}
