public import ConfirmationCrypto

/// The outcome of checking a well-formed proof against a root or block commitment.
///
/// Parsing a proof throws ``ConfirmationError`` for malformed input; checking a parsed proof never
/// throws and returns a verdict. ``isVerified`` is what ``MerkleInclusionProof/verify(against:)``
/// and the other `verify(against:)` methods return.
///
/// ```swift
/// switch proof.verdict(against: root) {
/// case .verified: print("included")
/// case .failed(let failure): print("not verified:", failure.code, failure.reason)
/// }
/// ```
public enum ProofVerdict: Sendable, Hashable, CustomStringConvertible {
    /// The proof leads to the expected root and every rule of its kind holds.
    case verified
    /// The proof is well formed but does not prove its claim.
    case failed(ProofFailure)

    /// Whether the verdict is ``verified``.
    public var isVerified: Bool {
        if case .verified = self { return true }
        return false
    }

    /// The failure, when there is one.
    public var failure: ProofFailure? {
        if case .failed(let failure) = self { return failure }
        return nil
    }

    /// `verified`, or `code: reason`.
    public var description: String {
        switch self {
        case .verified: "verified"
        case .failed(let failure): failure.description
        }
    }

    /// A root-mismatch verdict naming both roots.
    static func rootMismatch(expected: Bytes32, computed: Bytes32, what: String) -> ProofVerdict {
        .failed(ProofFailure(.merkleRootMismatch, "\(what) is \(computed), expected \(expected)"))
    }

    /// `.verified` when the roots are equal, otherwise a root mismatch.
    static func compare(_ computed: Bytes32, _ expected: Bytes32, what: String) -> ProofVerdict {
        computed == expected ? .verified : rootMismatch(expected: expected, computed: computed, what: what)
    }
}

/// Why a well-formed proof did not verify: a stable code (as in the vectors) and a reason.
public struct ProofFailure: Sendable, Hashable, CustomStringConvertible {
    /// The stable code, e.g. `merkle.root-mismatch` or `namespace.out-of-order`.
    public let code: ConfirmationError.Code
    /// What exactly differed.
    public let reason: String

    /// Creates a failure.
    /// - Parameters:
    ///   - code: the stable code.
    ///   - reason: a human-readable explanation.
    public init(_ code: ConfirmationError.Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `code: reason`.
    public var description: String { "\(code): \(reason)" }
}
