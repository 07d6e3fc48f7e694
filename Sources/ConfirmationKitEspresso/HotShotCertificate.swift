public import ConfirmationKit

extension EspressoCommitment: Codable {
    /// Decodes `COMMIT~…`.
    public init(from decoder: any Decoder) throws {
        try self.init(taggedBase64: decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes `COMMIT~…`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// What a HotShot quorum certificate certifies (`QuorumData2`): a leaf, with the epoch and block
/// number when the protocol has epochs.
public struct HotShotQuorumData: Sendable, Hashable, Codable {
    /// The certified leaf's commitment.
    public var leafCommit: EspressoCommitment
    /// The epoch (absent before epochs).
    public var epoch: UInt64?
    /// The block number (absent before epochs).
    public var blockNumber: UInt64?

    /// Creates quorum data.
    public init(leafCommit: EspressoCommitment, epoch: UInt64?, blockNumber: UInt64?) {
        self.leafCommit = leafCommit
        self.epoch = epoch
        self.blockNumber = blockNumber
    }

    /// `RCB("Quorum data").var_size_bytes(leaf_commit)`, then `u64_field("epoch number")` and
    /// `u64_field("block number")` for the fields that are set.
    public var commitment: EspressoCommitment {
        var b = CommitmentBuilder("Quorum data").varSize(leafCommit.bytes.bytes)
        if let epoch { b = b.u64Field("epoch number", epoch) }
        if let blockNumber { b = b.u64Field("block number", blockNumber) }
        return b.finalize()
    }

    /// The signed message of a vote in `view`: `RCB("Vote").var_size_bytes(data.commit()).u64(view)`.
    public func voteCommitment(view: UInt64) -> EspressoCommitment {
        CommitmentBuilder("Vote").varSize(commitment.bytes.bytes).u64(view).finalize()
    }
}

/// The signer bit vector of a QC, as `bitvec` serializes it: `Lsb0` order, 64-bit words, head 0.
///
/// Bit `i` (the `i`-th entry of the epoch's stake table) is `(words[i / 64] >> (i % 64)) & 1`.
public struct HotShotSignerBits: Sendable, Hashable {
    /// The number of bits (must equal the stake table's size).
    public let count: Int
    /// The words, least significant bit first.
    public let words: [UInt64]

    /// The most bits accepted.
    public static let maximumBits = 10_000

    /// Creates a bit vector; bits past `count` must be zero.
    /// - Throws: ``ConfirmationError`` `espresso.malformed` when `words` does not fit `count`.
    public init(count: Int, words: [UInt64]) throws {
        guard count >= 0, count <= Self.maximumBits else {
            throw ConfirmationError(.espressoMalformed, "a signer bit vector has at most \(Self.maximumBits) bits; got \(count)")
        }
        guard words.count == (count + 63) / 64 else {
            throw ConfirmationError(.espressoMalformed, "\(count) bits need \((count + 63) / 64) words; got \(words.count)")
        }
        if count % 64 != 0, let last = words.last, last >> UInt64(count % 64) != 0 {
            throw ConfirmationError(.espressoMalformed, "bits past the end of the signer bit vector are set")
        }
        self.count = count
        self.words = words
    }

    /// Sets `indices` in a vector of `count` bits.
    public init(count: Int, setting indices: some Sequence<Int>) throws {
        var words = [UInt64](repeating: 0, count: (max(0, count) + 63) / 64)
        for i in indices where i >= 0 && i < count { words[i / 64] |= 1 << UInt64(i % 64) }
        try self.init(count: count, words: words)
    }

    /// Whether bit `i` is set (false out of range).
    public func isSet(_ i: Int) -> Bool {
        guard i >= 0, i < count else { return false }
        return (words[i / 64] >> UInt64(i % 64)) & 1 == 1
    }

    /// The core model's bitmap.
    public var bitmap: SignerBitmap { SignerBitmap(bits: (0..<count).map(isSet)) }

    /// bincode (fixint, little-endian) of the `BitVec`: the order name, head width and index, the bit
    /// count and the words.
    public var bincode: [UInt8] {
        let order = Array("bitvec::order::Lsb0".utf8)
        return littleEndian(UInt64(order.count)) + order + [64, 0] + littleEndian(UInt64(count))
            + littleEndian(UInt64(words.count)) + words.flatMap { littleEndian($0) }
    }
}

/// The aggregate signature of a QC, with the exact bytes it was sent as (they enter the
/// certificate commitment).
public struct HotShotAggregateSignature: Sendable, Hashable, Codable {
    /// The parsed signature.
    public let signature: EspressoBLS.Signature
    /// The 64-byte arkworks value as sent.
    public let rawValue: [UInt8]

    /// Parses `BLS_SIG~…`.
    /// - Throws: the tagged-base64 and BN254 point errors.
    public init(taggedBase64 text: String) throws {
        signature = try EspressoBLS.Signature(taggedBase64: text)
        rawValue = try TaggedBase64(parsing: text, tag: "BLS_SIG", length: 64).value
    }

    /// Wraps a point (its canonical encoding is the raw value).
    public init(_ signature: EspressoBLS.Signature) {
        self.signature = signature
        rawValue = signature.point.arkworksUncompressedBytes
    }

    /// The `BLS_SIG~…` text of the raw value.
    public var taggedBase64: String { TaggedBase64(knownTag: "BLS_SIG", value: rawValue).description }

    /// bincode of the tagged-base64 value: `u64 len ‖ (u64 7 ‖ "BLS_SIG" ‖ u64 64 ‖ value ‖ checksum)`.
    public var bincode: [UInt8] {
        let tag = Array("BLS_SIG".utf8)
        // The checksum byte of our own encoding of the value (always decodable).
        let text = taggedBase64
        let payload = (try? Base64.decodeURL(String(text.drop(while: { $0 != "~" }).dropFirst()))) ?? []
        let inner = littleEndian(UInt64(tag.count)) + tag + littleEndian(UInt64(rawValue.count)) + rawValue + [payload.last ?? 0]
        return littleEndian(UInt64(inner.count)) + inner
    }

    public init(from decoder: any Decoder) throws {
        try self.init(taggedBase64: decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(taggedBase64)
    }
}

/// A HotShot quorum certificate (`SimpleCertificate<QuorumData2>`), as served inside
/// `/availability/leaf/:h`.
///
/// JSON: `{"data": {"leaf_commit", "epoch", "block_number"}, "vote_commitment", "view_number",
/// "signatures": ["BLS_SIG~…", {"order": "bitvec::order::Lsb0", "head": {"width": 64, "index": 0},
/// "bits": N, "data": [u64…]}] | null, "_pd": null}`.
public struct HotShotCertificate: Sendable, Hashable {
    /// What is certified.
    public var data: HotShotQuorumData
    /// The commitment the signers signed, as the certificate states it.
    public var voteCommitment: EspressoCommitment
    /// The view the certificate was formed in.
    public var view: UInt64
    /// The aggregate signature and signer bits; nil for the genesis certificate.
    public var signatures: Signatures?

    /// The aggregate signature and who signed.
    public struct Signatures: Sendable, Hashable {
        /// The aggregate signature.
        public var signature: HotShotAggregateSignature
        /// The signer bits.
        public var signers: HotShotSignerBits

        /// Creates the pair.
        public init(signature: HotShotAggregateSignature, signers: HotShotSignerBits) {
            self.signature = signature
            self.signers = signers
        }
    }

    /// Creates a certificate.
    public init(data: HotShotQuorumData, voteCommitment: EspressoCommitment, view: UInt64, signatures: Signatures?) {
        self.data = data
        self.voteCommitment = voteCommitment
        self.view = view
        self.signatures = signatures
    }

    /// Parses the JSON form.
    /// - Throws: ``ConfirmationError`` `espresso.malformed`, `espresso.unsupported` (another bit order
    ///   or width), or the tagged-base64 and point errors.
    public init(json: EspressoJSON) throws {
        try self.init(JSONCursor(json))
    }

    init(_ c: JSONCursor) throws {
        let allowed: Set<String> = ["data", "vote_commitment", "view_number", "signatures", "_pd"]
        if let extra = Set(try c.object().keys).subtracting(allowed).sorted().first {
            throw c.fail("unexpected member \"\(extra)\"")
        }
        let d = try c["data"]
        if let extra = Set(try d.object().keys).subtracting(["leaf_commit", "epoch", "block_number"]).sorted().first {
            throw d.fail("unexpected member \"\(extra)\"")
        }
        data = HotShotQuorumData(leafCommit: try d["leaf_commit"].commitment(), epoch: try d.optional("epoch")?.u64(),
                                 blockNumber: try d.optional("block_number")?.u64())
        voteCommitment = try c["vote_commitment"].commitment()
        view = try c["view_number"].u64()
        guard let pair = try c.optional("signatures") else {
            signatures = nil
            return
        }
        let items = try pair.array(maximumCount: 2)
        guard items.count == 2 else { throw pair.fail("expected [signature, bit vector]") }
        let bits = items[1]
        guard try bits["order"].string() == "bitvec::order::Lsb0", try bits["head"]["width"].u64() == 64,
              try bits["head"]["index"].u64() == 0 else {
            throw ConfirmationError(.espressoUnsupported, "\(bits.path): only Lsb0 bit vectors of 64-bit words from index 0")
        }
        let count = try bits["bits"].u64()
        guard count <= UInt64(HotShotSignerBits.maximumBits) else {
            throw bits.fail("at most \(HotShotSignerBits.maximumBits) bits")
        }
        let words = try bits["data"].array(maximumCount: (HotShotSignerBits.maximumBits + 63) / 64).map { try $0.u64() }
        do {
            signatures = Signatures(signature: try HotShotAggregateSignature(taggedBase64: try items[0].string()),
                                    signers: try HotShotSignerBits(count: Int(count), words: words))
        } catch let error as ConfirmationError {
            throw ConfirmationError(error.code, "\(pair.path): \(error.reason)")
        }
    }

    /// The signatures field as the certificate commitment hashes it: empty without signatures, else
    /// `"Yes" ‖ "bitvec proof" ‖ bincode(bits) ‖ "aggregated signature" ‖ bincode(signature)`.
    public var serializedSignatures: [UInt8] {
        guard let signatures else { return [] }
        return Array("Yes".utf8) + Array("bitvec proof".utf8) + signatures.signers.bincode
            + Array("aggregated signature".utf8) + signatures.signature.bincode
    }

    /// The certificate commitment: `RCB("Certificate").field("data").field("vote_commitment")
    /// .field("view number", RCB("View Number Commitment").u64(view)).var_size_field("signatures")`.
    public var commitment: EspressoCommitment {
        CommitmentBuilder("Certificate")
            .field("data", data.commitment)
            .field("vote_commitment", voteCommitment)
            .field("view number", CommitmentBuilder("View Number Commitment").u64(view).finalize())
            .varSizeField("signatures", serializedSignatures)
            .finalize()
    }

    /// The vote commitment recomputed from ``data`` and ``view``.
    public var recomputedVoteCommitment: EspressoCommitment { data.voteCommitment(view: view) }
}
