public import ConfirmationKit
internal import ConfirmationCompression

/// An Astria Merkle audit path (`astria.primitive.v1.Proof`): RFC 6962 SHA-256 siblings bottom-up.
///
/// Astria's quirk: `tree_size` counts the tree's *nodes* (2n − 1 for n leaves), because
/// `astria-merkle` builds it from `Tree::len()`. This type keeps the wire value and derives the leaf
/// count; unlike Astria's own `reconstruct_root_with_leaf_hash`, it requires exactly the number of
/// siblings the index and size call for.
public struct AstriaMerkleProof: Sendable, Hashable {
    /// The siblings, leaf level first.
    public let auditPath: [Bytes32]
    /// The leaf's index.
    public let leafIndex: UInt64
    /// Astria's `tree_size`: the number of nodes, `2 · leafCount − 1`.
    public let treeSize: UInt64

    /// The most siblings accepted (a tree of 2^64 leaves has 64 levels).
    public static let maximumSiblings = 64

    /// Makes a proof from its wire fields.
    /// - Throws: ``ConfirmationError`` `astria.invalid-proof` when `tree_size` is even or zero, the
    ///   path is not a whole number of 32-byte hashes, or the index or path length does not fit the tree.
    public init(auditPath: [UInt8], leafIndex: UInt64, treeSize: UInt64) throws {
        guard treeSize % 2 == 1 else {
            throw ConfirmationError(.astriaInvalidProof, "tree_size \(treeSize) is not a node count 2n - 1")
        }
        guard auditPath.count % 32 == 0, auditPath.count / 32 <= Self.maximumSiblings else {
            throw ConfirmationError(.astriaInvalidProof, "an audit path is at most 64 hashes of 32 bytes; got \(auditPath.count) bytes")
        }
        var siblings: [Bytes32] = []
        for start in stride(from: 0, to: auditPath.count, by: 32) {
            siblings.append(try Bytes32(auditPath[start..<start + 32]))
        }
        self.auditPath = siblings
        self.leafIndex = leafIndex
        self.treeSize = treeSize
        do {
            _ = try MerkleInclusionProof<RFC6962SHA256>.root(leafHash: .zero, leafIndex: leafIndex, treeSize: leafCount, siblings: siblings)
        } catch let error as ConfirmationError {
            throw ConfirmationError(.astriaInvalidProof, "leaf \(leafIndex) of \(leafCount) with \(siblings.count) siblings: \(error.reason)")
        }
    }

    /// The number of leaves: `(tree_size + 1) / 2`.
    public var leafCount: UInt64 { treeSize / 2 + 1 }

    /// The root reached from a leaf's *data* (hashed as an RFC 6962 leaf).
    public func root(leaf: [UInt8]) -> Bytes32 {
        // The initialiser checked the shape, so this cannot fail.
        (try? MerkleInclusionProof<RFC6962SHA256>.root(leafHash: RFC6962SHA256.leafHash(leaf), leafIndex: leafIndex,
                                                       treeSize: leafCount, siblings: auditPath)) ?? RFC6962SHA256.emptyTreeRoot
    }
}

/// `astria.sequencerblock.v1.SequencerBlockHeader`.
public struct AstriaSequencerBlockHeader: Sendable, Hashable {
    /// The CometBFT chain id.
    public var chainID: String
    /// The height.
    public var height: UInt64
    /// The block time.
    public var time: CometBFTTime
    /// CometBFT's `data_hash` (pre-Aspen).
    public var dataHash: [UInt8]
    /// The proposer's address.
    public var proposerAddress: [UInt8]
    /// The root over the block's per-rollup leaves (`rollup_id ‖ MTH(rollup data)`).
    public var rollupTransactionsRoot: [UInt8]

    /// Makes a header from its fields.
    public init(chainID: String, height: UInt64, time: CometBFTTime, dataHash: [UInt8], proposerAddress: [UInt8],
                rollupTransactionsRoot: [UInt8]) {
        self.chainID = chainID
        self.height = height
        self.time = time
        self.dataHash = dataHash
        self.proposerAddress = proposerAddress
        self.rollupTransactionsRoot = rollupTransactionsRoot
    }
}

/// `astria.sequencerblock.v1.SubmittedMetadata`: what Astria posts to Celestia for one block.
public struct AstriaSubmittedMetadata: Sendable, Hashable {
    /// The CometBFT block hash.
    public var blockHash: [UInt8]
    /// The header.
    public var header: AstriaSequencerBlockHeader
    /// Every rollup with data in the block, sorted.
    public var rollupIDs: [Bytes32]
    /// Proof of `rollup_transactions_root` (leaf value SHA-256(root)) in `data_hash`.
    public var rollupTransactionsProof: AstriaMerkleProof
    /// Proof of `rollup_ids_root` (leaf value SHA-256(root)) in `data_hash`.
    public var rollupIDsProof: AstriaMerkleProof

    /// Makes metadata from its fields.
    public init(blockHash: [UInt8], header: AstriaSequencerBlockHeader, rollupIDs: [Bytes32],
                rollupTransactionsProof: AstriaMerkleProof, rollupIDsProof: AstriaMerkleProof) {
        self.blockHash = blockHash
        self.header = header
        self.rollupIDs = rollupIDs
        self.rollupTransactionsProof = rollupTransactionsProof
        self.rollupIDsProof = rollupIDsProof
    }

    /// `MTH(rollup_ids)`: RFC 6962 over the 32-byte ids.
    public var rollupIDsRoot: Bytes32 {
        MerkleTree<RFC6962SHA256>.root(leafHashes: rollupIDs.map { RFC6962SHA256.leafHash($0.bytes) })
    }

    /// Checks the metadata's internal proofs: both roots are in `data_hash` (as CometBFT hashes
    /// transactions: leaf value SHA-256(tx), the first two transactions being the raw roots).
    /// - Returns: `nil`, or the first failure (`astria.proof-mismatch`, `astria.invalid-header`).
    public func proofFailure() -> PolicyFailure? {
        guard header.rollupTransactionsRoot.count == 32, header.dataHash.count == 32 else {
            return PolicyFailure(.astriaInvalidHeader, "rollup_transactions_root and data_hash must be 32 bytes")
        }
        if rollupTransactionsProof.root(leaf: SHA256.hash(header.rollupTransactionsRoot).bytes).bytes != header.dataHash {
            return PolicyFailure(.astriaProofMismatch, "rollup_transactions_root is not proved in data_hash")
        }
        if rollupIDsProof.root(leaf: SHA256.hash(rollupIDsRoot.bytes).bytes).bytes != header.dataHash {
            return PolicyFailure(.astriaProofMismatch, "rollup_ids_root is not proved in data_hash")
        }
        return nil
    }

    /// Ties the metadata to a CometBFT signed header whose commit the caller verified: block hash,
    /// chain id, height, time, proposer and `data_hash` must all match, then ``proofFailure()``.
    ///
    /// Astria's conductor only logs a chain-id or block-hash mismatch and never ties `data_hash` to the
    /// signed header; here every mismatch is a failure.
    /// - Note: `data_hash` equality holds before Astria's Aspen upgrade; after it, CometBFT hashes encoded
    ///   `DataItem`s and the link needs the block's transactions (see `Docs/cometbft-astria.md`).
    public func linkFailure(to signed: CometBFTSignedHeader) -> PolicyFailure? {
        let h = signed.header
        guard let hash = h.hash(), hash.bytes == blockHash, signed.commit.blockID.hash == blockHash else {
            return PolicyFailure(.astriaBlockMismatch, "block_hash is not the signed header's hash")
        }
        guard h.chainID == header.chainID, UInt64(exactly: h.height) == header.height, h.time == header.time,
              h.proposerAddress == header.proposerAddress else {
            return PolicyFailure(.astriaBlockMismatch, "the metadata header disagrees with the signed header")
        }
        guard h.dataHash == header.dataHash else {
            return PolicyFailure(.astriaBlockMismatch, "data_hash differs from the signed header's")
        }
        return proofFailure()
    }
}

/// `astria.sequencerblock.v1.SubmittedRollupData`: one rollup's data of one block.
public struct AstriaSubmittedRollupData: Sendable, Hashable {
    /// The CometBFT block hash.
    public var blockHash: [UInt8]
    /// The rollup id (SHA-256 of the rollup's name).
    public var rollupID: Bytes32
    /// The rollup's `RollupData` messages, encoded.
    public var transactions: [[UInt8]]
    /// Proof of this rollup's leaf in `rollup_transactions_root`.
    public var proof: AstriaMerkleProof

    /// Makes rollup data from its fields.
    public init(blockHash: [UInt8], rollupID: Bytes32, transactions: [[UInt8]], proof: AstriaMerkleProof) {
        self.blockHash = blockHash
        self.rollupID = rollupID
        self.transactions = transactions
        self.proof = proof
    }

    /// The leaf: `rollup_id ‖ MTH(transactions)` (the transactions hashed as RFC 6962 leaves, unhashed first).
    public var leaf: [UInt8] {
        rollupID.bytes + MerkleTree<RFC6962SHA256>.root(leafHashes: transactions.map { RFC6962SHA256.leafHash($0) }).bytes
    }

    /// The `rollup_transactions_root` this data proves.
    public var provedRoot: Bytes32 { proof.root(leaf: leaf) }

    /// Checks the data against its block's metadata: same block, rollup listed, leaf proved in
    /// `rollup_transactions_root`.
    public func failure(against metadata: AstriaSubmittedMetadata) -> PolicyFailure? {
        guard blockHash == metadata.blockHash else {
            return PolicyFailure(.astriaBlockMismatch, "the rollup data is for another block")
        }
        guard metadata.rollupIDs.contains(rollupID) else {
            return PolicyFailure(.astriaProofMismatch, "rollup \(rollupID) is not listed in the block's rollup ids")
        }
        guard provedRoot.bytes == metadata.header.rollupTransactionsRoot else {
            return PolicyFailure(.astriaProofMismatch, "the rollup's data is not proved in rollup_transactions_root")
        }
        return nil
    }

    /// The `sequenced_data` payloads among the transactions (deposits are skipped).
    public func sequencedData() throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        for tx in transactions {
            var reader = ProtoReader(tx)
            while let (number, wire) = try reader.nextField() {
                if number == 1 {
                    try ProtoReader.expect(wire, 2, "RollupData.sequenced_data")
                    out.append(try reader.bytesField())
                } else {
                    try reader.skip(wireType: wire)
                }
            }
        }
        return out
    }
}

/// Astria's Celestia blobs: base64 text (as the fixtures carry them) or raw bytes, brotli-compressed
/// protobuf `SubmittedMetadataList` or `SubmittedRollupDataList`.
///
/// ```swift
/// let metadata = try AstriaBlob.metadataList(base64: text)
/// for entry in metadata where entry.proofFailure() != nil { … }
/// ```
public enum AstriaBlob {
    /// The largest decompressed blob accepted (Celestia blobs are at most a few MiB).
    public static let maximumDecompressedBytes = 8 << 20
    /// The most entries in a list, and transactions per rollup.
    public static let maximumEntries = 100_000

    /// Decodes a base64 `SubmittedMetadataList` blob.
    /// - Throws: ``ConfirmationError`` `base64.*`, `brotli.invalid`, `astria.*`.
    public static func metadataList(base64 text: String) throws -> [AstriaSubmittedMetadata] {
        try metadataList(compressed: Base64.decode(text.trimmingWhitespace, maximumBytes: maximumDecompressedBytes))
    }

    /// Decodes a raw `SubmittedMetadataList` blob.
    public static func metadataList(compressed: [UInt8]) throws -> [AstriaSubmittedMetadata] {
        let plain = try Brotli.decompress(compressed, maximumBytes: maximumDecompressedBytes)
        return try entries(plain).map(metadata)
    }

    /// Decodes a base64 `SubmittedRollupDataList` blob.
    public static func rollupDataList(base64 text: String) throws -> [AstriaSubmittedRollupData] {
        try rollupDataList(compressed: Base64.decode(text.trimmingWhitespace, maximumBytes: maximumDecompressedBytes))
    }

    /// Decodes a raw `SubmittedRollupDataList` blob.
    public static func rollupDataList(compressed: [UInt8]) throws -> [AstriaSubmittedRollupData] {
        let plain = try Brotli.decompress(compressed, maximumBytes: maximumDecompressedBytes)
        return try entries(plain).map(rollupData)
    }

    static func entries(_ bytes: [UInt8]) throws -> [ProtoReader] {
        var reader = ProtoReader(bytes)
        var out: [ProtoReader] = []
        while let (number, wire) = try reader.nextField() {
            guard number == 1 else { try reader.skip(wireType: wire); continue }
            try ProtoReader.expect(wire, 2, "entries")
            guard out.count < maximumEntries else { throw ProtoReader.fail("more than \(maximumEntries) entries") }
            out.append(try reader.lengthDelimited())
        }
        return out
    }

    static func metadata(_ entry: ProtoReader) throws -> AstriaSubmittedMetadata {
        var r = entry
        var blockHash: [UInt8] = []
        var header: AstriaSequencerBlockHeader?
        var ids: [Bytes32] = []
        var txProof: AstriaMerkleProof?
        var idsProof: AstriaMerkleProof?
        while let (number, wire) = try r.nextField() {
            switch number {
            case 1: try ProtoReader.expect(wire, 2, "block_hash"); blockHash = try r.bytesField()
            case 2: try ProtoReader.expect(wire, 2, "header"); header = try sequencerHeader(r.lengthDelimited())
            case 3:
                try ProtoReader.expect(wire, 2, "rollup_ids")
                guard ids.count < maximumEntries else { throw ProtoReader.fail("too many rollup ids") }
                ids.append(try rollupID(r.lengthDelimited()))
            case 4: try ProtoReader.expect(wire, 2, "rollup_transactions_proof"); txProof = try proof(r.lengthDelimited())
            case 5: try ProtoReader.expect(wire, 2, "rollup_ids_proof"); idsProof = try proof(r.lengthDelimited())
            default: try r.skip(wireType: wire)
            }
        }
        guard blockHash.count == 32, let header, let txProof, let idsProof else {
            throw ProtoReader.fail("SubmittedMetadata needs a 32-byte block_hash, a header and both proofs")
        }
        return AstriaSubmittedMetadata(blockHash: blockHash, header: header, rollupIDs: ids,
                                       rollupTransactionsProof: txProof, rollupIDsProof: idsProof)
    }

    static func rollupData(_ entry: ProtoReader) throws -> AstriaSubmittedRollupData {
        var r = entry
        var blockHash: [UInt8] = []
        var id: Bytes32?
        var txs: [[UInt8]] = []
        var txProof: AstriaMerkleProof?
        while let (number, wire) = try r.nextField() {
            switch number {
            case 1: try ProtoReader.expect(wire, 2, "sequencer_block_hash"); blockHash = try r.bytesField()
            case 2: try ProtoReader.expect(wire, 2, "rollup_id"); id = try rollupID(r.lengthDelimited())
            case 3:
                try ProtoReader.expect(wire, 2, "transactions")
                guard txs.count < maximumEntries else { throw ProtoReader.fail("too many transactions") }
                txs.append(try r.bytesField())
            case 4: try ProtoReader.expect(wire, 2, "proof"); txProof = try proof(r.lengthDelimited())
            default: try r.skip(wireType: wire)
            }
        }
        guard blockHash.count == 32, let id, let txProof else {
            throw ProtoReader.fail("SubmittedRollupData needs a 32-byte block hash, a rollup id and a proof")
        }
        return AstriaSubmittedRollupData(blockHash: blockHash, rollupID: id, transactions: txs, proof: txProof)
    }

    static func sequencerHeader(_ reader: ProtoReader) throws -> AstriaSequencerBlockHeader {
        var r = reader
        var h = AstriaSequencerBlockHeader(chainID: "", height: 0, time: .unixEpoch, dataHash: [], proposerAddress: [],
                                           rollupTransactionsRoot: [])
        while let (number, wire) = try r.nextField() {
            switch number {
            case 1:
                try ProtoReader.expect(wire, 2, "chain_id")
                let raw = try r.bytesField()
                guard raw.count <= CometBFTHeader.maximumChainIDBytes, let s = String(validating: raw, as: UTF8.self) else {
                    throw ProtoReader.fail("chain_id is not UTF-8 of at most 50 bytes")
                }
                h.chainID = s
            case 2: try ProtoReader.expect(wire, 0, "height"); h.height = try r.varint()
            case 3: try ProtoReader.expect(wire, 2, "time"); h.time = try timestamp(r.lengthDelimited())
            case 4: try ProtoReader.expect(wire, 2, "data_hash"); h.dataHash = try r.bytesField()
            case 5: try ProtoReader.expect(wire, 2, "proposer_address"); h.proposerAddress = try r.bytesField()
            case 6: try ProtoReader.expect(wire, 2, "rollup_transactions_root"); h.rollupTransactionsRoot = try r.bytesField()
            default: try r.skip(wireType: wire)
            }
        }
        return h
    }

    static func timestamp(_ reader: ProtoReader) throws -> CometBFTTime {
        var r = reader
        var seconds: Int64 = 0
        var nanos: Int64 = 0
        while let (number, wire) = try r.nextField() {
            switch number {
            case 1: try ProtoReader.expect(wire, 0, "seconds"); seconds = Int64(bitPattern: try r.varint())
            case 2: try ProtoReader.expect(wire, 0, "nanos"); nanos = Int64(bitPattern: try r.varint())
            default: try r.skip(wireType: wire)
            }
        }
        guard let n = Int32(exactly: nanos) else { throw ProtoReader.fail("nanos out of range") }
        return try CometBFTTime(seconds: seconds, nanos: n)
    }

    static func rollupID(_ reader: ProtoReader) throws -> Bytes32 {
        var r = reader
        var inner: [UInt8] = []
        while let (number, wire) = try r.nextField() {
            if number == 1 { try ProtoReader.expect(wire, 2, "RollupId.inner"); inner = try r.bytesField() } else { try r.skip(wireType: wire) }
        }
        guard inner.count == 32 else { throw ProtoReader.fail("a rollup id is 32 bytes; got \(inner.count)") }
        return try Bytes32(inner)
    }

    static func proof(_ reader: ProtoReader) throws -> AstriaMerkleProof {
        var r = reader
        var path: [UInt8] = []
        var index: UInt64 = 0
        var size: UInt64 = 0
        while let (number, wire) = try r.nextField() {
            switch number {
            case 1: try ProtoReader.expect(wire, 2, "audit_path"); path = try r.bytesField()
            case 2: try ProtoReader.expect(wire, 0, "leaf_index"); index = try r.varint()
            case 3: try ProtoReader.expect(wire, 0, "tree_size"); size = try r.varint()
            default: try r.skip(wireType: wire)
            }
        }
        return try AstriaMerkleProof(auditPath: path, leafIndex: index, treeSize: size)
    }
}

/// CometBFT's transaction commitment (`Data.Hash`): an RFC 6962 tree whose leaf values are SHA-256(tx).
public enum CometBFTBlockData {
    /// `data_hash` of `transactions`.
    public static func dataHash(_ transactions: [[UInt8]]) -> Bytes32 {
        MerkleTree<RFC6962SHA256>.root(leafHashes: transactions.map { RFC6962SHA256.leafHash(SHA256.hash($0).bytes) })
    }

    /// A proof that transaction `index` is in `data_hash`: an RFC 6962 inclusion proof whose leaf is SHA-256(tx).
    /// - Throws: the Merkle module's shape errors when `index` is out of range.
    public static func inclusionProof(_ transactions: [[UInt8]], index: Int) throws -> MerkleInclusionProof<RFC6962SHA256> {
        try MerkleTree<RFC6962SHA256>(leaves: transactions.map { SHA256.hash($0).bytes }).inclusionProof(index: index)
    }
}

extension String {
    var trimmingWhitespace: String {
        String(decoding: utf8.drop { $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 }
            .reversed().drop { $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 }.reversed(), as: UTF8.self)
    }
}

extension ConfirmationError.Code {
    /// An Astria protobuf message is malformed or out of bounds.
    public static let astriaMalformedProtobuf = Self("astria.malformed-protobuf")
    /// An Astria proof's shape is impossible (even `tree_size`, bad path length).
    public static let astriaInvalidProof = Self("astria.invalid-proof")
    /// A proof does not lead to the committed root.
    public static let astriaProofMismatch = Self("astria.proof-mismatch")
    /// Metadata disagrees with the signed CometBFT header or block.
    public static let astriaBlockMismatch = Self("astria.block-mismatch")
    /// A sequencer block header field has the wrong size.
    public static let astriaInvalidHeader = Self("astria.invalid-header")
}
