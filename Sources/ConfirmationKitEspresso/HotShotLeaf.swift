import ConfirmationKit

/// A HotShot leaf (`Leaf2`): a block header in a view, chained to its parent by commitment and
/// justified by a certificate for that parent.
///
/// The payload (`block_payload`) is not part of the commitment; the header's payload commitment is.
public struct HotShotLeaf: Sendable, Hashable {
    /// The view the leaf was proposed in.
    public var view: UInt64
    /// The certificate for the parent leaf.
    public var justifyQC: HotShotCertificate
    /// The parent's certificate signed by the next epoch's table, around epoch transitions.
    public var nextEpochJustifyQC: HotShotCertificate?
    /// The parent leaf's commitment.
    public var parentCommitment: EspressoCommitment
    /// The block header.
    public var header: EspressoHeader
    /// Whether the leaf carries the epoch fields (`with_epoch`).
    public var withEpoch: Bool
    /// The next DRB result (32 bytes), when set.
    public var nextDRBResult: [UInt8]?

    /// Creates a leaf.
    public init(view: UInt64, justifyQC: HotShotCertificate, nextEpochJustifyQC: HotShotCertificate?,
                parentCommitment: EspressoCommitment, header: EspressoHeader, withEpoch: Bool, nextDRBResult: [UInt8]?) {
        self.view = view
        self.justifyQC = justifyQC
        self.nextEpochJustifyQC = nextEpochJustifyQC
        self.parentCommitment = parentCommitment
        self.header = header
        self.withEpoch = withEpoch
        self.nextDRBResult = nextDRBResult
    }

    /// Parses a leaf.
    /// - Throws: ``ConfirmationError`` `espresso.malformed`, `espresso.unsupported` (an upgrade certificate
    ///   or view-change evidence, which this module does not commit to), or the field parsers' errors.
    public init(json: EspressoJSON) throws {
        try self.init(JSONCursor(json))
    }

    init(_ c: JSONCursor) throws {
        let allowed: Set<String> = ["view_number", "justify_qc", "next_epoch_justify_qc", "parent_commitment",
                                    "block_header", "upgrade_certificate", "block_payload", "view_change_evidence",
                                    "next_drb_result", "with_epoch"]
        if let extra = Set(try c.object().keys).subtracting(allowed).sorted().first {
            throw c.fail("unexpected member \"\(extra)\"")
        }
        if try c.optional("upgrade_certificate") != nil {
            throw ConfirmationError(.espressoUnsupported, "\(c.path): leaves with an upgrade certificate are not supported")
        }
        if try c.optional("view_change_evidence") != nil {
            throw ConfirmationError(.espressoUnsupported, "\(c.path): leaves with view-change evidence are not supported")
        }
        view = try c["view_number"].u64()
        justifyQC = try HotShotCertificate(try c["justify_qc"])
        nextEpochJustifyQC = try c.optional("next_epoch_justify_qc").map(HotShotCertificate.init)
        parentCommitment = try c["parent_commitment"].commitment()
        header = try EspressoHeader(json: try c["block_header"].value)
        withEpoch = try c.optional("with_epoch")?.bool() ?? false
        if let drb = try c.optional("next_drb_result") {
            let bytes = try drb.array(maximumCount: 32).map { cursor -> UInt8 in
                guard let byte = UInt8(exactly: try cursor.u64()) else { throw cursor.fail("expected a byte") }
                return byte
            }
            guard bytes.count == 32 else { throw drb.fail("a DRB result is 32 bytes") }
            nextDRBResult = bytes
        } else {
            nextDRBResult = nil
        }
    }

    /// The leaf commitment: `RCB("leaf commitment").u64_field("view number").field("parent leaf commitment")
    /// .field("block header").field("justify qc").optional("upgrade certificate", none)`, then with epochs
    /// `.constant("with_epoch").optional("next_epoch_justify_qc")` and `constant("next_drb_result")` + 32
    /// bytes when set.
    public var commitment: EspressoCommitment {
        commitment(headerCommitment: header.commitment)
    }

    /// The leaf commitment with a precomputed header commitment.
    public func commitment(headerCommitment: EspressoCommitment) -> EspressoCommitment {
        var b = CommitmentBuilder("leaf commitment")
            .u64Field("view number", view)
            .field("parent leaf commitment", parentCommitment)
            .field("block header", headerCommitment)
            .field("justify qc", justifyQC.commitment)
            .optional("upgrade certificate", nil)
        if withEpoch {
            b = b.constant("with_epoch").optional("next_epoch_justify_qc", nextEpochJustifyQC?.commitment)
            if let drb = nextDRBResult { b = b.constant("next_drb_result").fixed(drb) }
        }
        return b.finalize()
    }
}

/// One entry of a chain as the query service serves it (`blocks.json` of the legacy chains):
/// `{"leaf": {"leaf": Leaf2, "qc": QC}, "block": {"header", "payload", "hash", …}, "vid_common": …}`.
public struct HotShotChainEntry: Sendable, Hashable {
    /// The leaf.
    public var leaf: HotShotLeaf
    /// The certificate for the leaf.
    public var qc: HotShotCertificate
    /// The block's header as the block query returned it (compared with the leaf's header).
    public var blockHeader: EspressoHeader?
    /// The block hash the query service claims (`BLOCK~…`).
    public var blockHash: EspressoCommitment?
    /// The raw payload bytes, when present.
    public var payload: [UInt8]?
    /// The AvidM parameters of the entry's VID common (`vid_common.common.V1`), when present; nil for
    /// other VID schemes, which are not implemented.
    public var vidParameters: AvidMParameters?

    /// The largest payload accepted (16 MiB).
    public static let maximumPayloadBytes = 16 << 20

    /// Parses `{"leaf": {"leaf", "qc"}, "block"?: {"hash", "header"?, "payload"?}}`, or a bare
    /// `{"leaf", "qc"}` leaf query answer.
    /// - Throws: as ``HotShotLeaf/init(json:)`` and ``HotShotCertificate/init(json:)``.
    public init(json: EspressoJSON) throws {
        try self.init(JSONCursor(json))
    }

    init(_ c: JSONCursor) throws {
        let leafQuery = try c.has("qc") ? c : try c["leaf"]
        leaf = try HotShotLeaf(try leafQuery["leaf"])
        qc = try HotShotCertificate(try leafQuery["qc"])
        if let block = try c.optional("block") {
            blockHeader = try block.optional("header").map { try EspressoHeader(json: $0.value) }
            blockHash = try block["hash"].commitment(tags: ["BLOCK"])
            payload = try block.optional("payload")?.optional("raw_payload")?.base64(maximumBytes: Self.maximumPayloadBytes)
        } else {
            blockHeader = nil
            blockHash = nil
            payload = nil
        }
        if let common = try c.optional("vid_common"), try common["common"].has("V1") {
            vidParameters = try AvidMParameters(common)
        } else {
            vidParameters = nil
        }
    }

    /// The most entries a chain file may hold.
    public static let maximumEntries = 100_000

    /// Parses a JSON array of entries.
    /// - Throws: ``ConfirmationError`` `espresso.malformed` (with the entry index in the path) or the
    ///   errors of ``init(json:)``.
    public static func parseChain(_ json: EspressoJSON) throws -> [HotShotChainEntry] {
        try JSONCursor(json).array(maximumCount: maximumEntries).map(HotShotChainEntry.init)
    }
}
