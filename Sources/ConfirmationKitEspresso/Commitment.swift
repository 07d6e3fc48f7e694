public import ConfirmationKit

/// A 32-byte Espresso commitment (`COMMIT~…`, `BLOCK~…`): the Keccak-256 output of a
/// ``CommitmentBuilder`` stream.
///
/// ```swift
/// let leaf = try EspressoCommitment(taggedBase64: "COMMIT~BNR4-sGyl88guz62qNfaE-p5-XvR5VqdjtwSh4XuFxvw")
/// leaf.taggedBase64(tag: "COMMIT")   // the same text back
/// ```
public struct EspressoCommitment: Sendable, Hashable, CustomStringConvertible {
    /// The 32 bytes.
    public let bytes: Bytes32

    /// Wraps 32 bytes.
    public init(_ bytes: Bytes32) { self.bytes = bytes }

    /// Parses tagged base64 with a 32-byte value under any of `tags`.
    /// - Parameters:
    ///   - text: the tagged-base64 string.
    ///   - tags: the accepted tags (default `COMMIT`).
    /// - Throws: ``ConfirmationError`` from ``TaggedBase64``, `tagged-base64.unexpected-tag` or
    ///   `input.invalid-length`.
    public init(taggedBase64 text: String, tags: Set<String> = ["COMMIT"]) throws {
        let tagged = try TaggedBase64(parsing: text)
        guard tags.contains(tagged.tag) else {
            throw ConfirmationError(.taggedBase64UnexpectedTag, "expected one of \(tags.sorted()), got \(tagged.tag)")
        }
        guard tagged.value.count == 32 else {
            throw ConfirmationError(.invalidLength, "a commitment is 32 bytes; \(tagged.tag) holds \(tagged.value.count)")
        }
        bytes = try Bytes32(tagged.value)
    }

    /// The text form under `tag`, e.g. `BLOCK~…`.
    public func taggedBase64(tag: String) -> String {
        TaggedBase64(knownTag: tag, value: bytes.bytes).description
    }

    /// `COMMIT~…`.
    public var description: String { taggedBase64(tag: "COMMIT") }
}

/// The byte stream of Espresso's `committable` crate, hashed with Keccak-256.
///
/// Every method appends to the stream and returns the builder, as upstream's `RawCommitmentBuilder`:
/// - ``constant(_:)``: the UTF-8 bytes of a string, then `0xC0 0x7F` (never valid UTF-8).
/// - ``u64(_:)``: 8 bytes little-endian. ``fixed(_:)``: raw bytes. ``varSize(_:)``: `u64(len)` then the bytes.
/// - ``field(_:_:)`` = `constant(name)` + 32 commitment bytes; ``u64Field(_:_:)``, ``varSizeField(_:_:)``
///   likewise; ``u256Field(_:_:)`` = `constant(name)` + 32 bytes little-endian.
/// - ``optional(_:_:)``: `field(name, c)` for some, `u64Field(name, 0)` for none.
///
/// ```swift
/// let commit = CommitmentBuilder("NSTABLE").varSize(bytes).finalize()
/// ```
public struct CommitmentBuilder: Sendable {
    private var hasher = Keccak256()

    /// Starts a stream with the type's tag (a ``constant(_:)``).
    public init(_ tag: String) {
        append(Array(tag.utf8))
        append([0xC0, 0x7F])
    }

    private mutating func append(_ bytes: [UInt8]) { hasher.update(bytes) }

    private func appending(_ bytes: [UInt8]...) -> CommitmentBuilder {
        var copy = self
        for part in bytes { copy.append(part) }
        return copy
    }

    /// Appends a constant string and the `0xC0 0x7F` terminator.
    public func constant(_ string: String) -> CommitmentBuilder { appending(Array(string.utf8), [0xC0, 0x7F]) }

    /// Appends raw bytes (their length is fixed by the type, so it is not hashed).
    public func fixed(_ bytes: [UInt8]) -> CommitmentBuilder { appending(bytes) }

    /// Appends a `u64`, little-endian.
    public func u64(_ value: UInt64) -> CommitmentBuilder { appending(littleEndian(value)) }

    /// Appends `u64(len)` then the bytes.
    public func varSize(_ bytes: [UInt8]) -> CommitmentBuilder { appending(littleEndian(UInt64(bytes.count)), bytes) }

    /// `constant(name)` + the 32 bytes of `commitment`.
    public func field(_ name: String, _ commitment: EspressoCommitment) -> CommitmentBuilder {
        constant(name).fixed(commitment.bytes.bytes)
    }

    /// `constant(name)` + `u64(value)`.
    public func u64Field(_ name: String, _ value: UInt64) -> CommitmentBuilder { constant(name).u64(value) }

    /// `constant(name)` + 32 bytes little-endian.
    public func u256Field(_ name: String, _ value: UInt256) -> CommitmentBuilder {
        constant(name).fixed(value.bigEndianBytes.reversed())
    }

    /// `constant(name)` + `varSize(bytes)`.
    public func varSizeField(_ name: String, _ bytes: [UInt8]) -> CommitmentBuilder { constant(name).varSize(bytes) }

    /// `constant(name)` + the commitment when present, `u64_field(name, 0)` when absent (upstream's
    /// `optional`; checked against the recorded chain, where `u64(1)` before the commitment fails).
    public func optional(_ name: String, _ commitment: EspressoCommitment?) -> CommitmentBuilder {
        guard let commitment else { return constant(name).u64(0) }
        return field(name, commitment)
    }

    /// The Keccak-256 of the stream.
    public func finalize() -> EspressoCommitment {
        var copy = hasher
        return EspressoCommitment(copy.finalize())
    }
}

func littleEndian(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * $0)) }
}

func littleEndian(_ value: UInt16) -> [UInt8] {
    [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8)]
}
