import ConfirmationCompression
import ConfirmationKit
import ConfirmationKitCometBFT
public import Foundation

/// `astria-proofs.json`: Astria's Celestia blobs (brotli-compressed protobuf `SubmittedMetadataList` and
/// `SubmittedRollupDataList`, base64) tied to a CometBFT signed header and its validator set, from the
/// commit down to each rollup's `sequenced_data`.
public struct AstriaProofVectors: VectorSuite {
    public init() {}

    public var fileName: String { "astria-proofs.json" }

    /// One case.
    public struct Test: Codable, Sendable {
        /// The case id, unique in the file.
        public var tcId: Int
        /// What the case is about.
        public var comment: String
        /// Flags explained in the file's `notes`.
        public var flags: [String]
        /// `{header, commit}` of the sequencer block, as CometBFT's RPC writes it.
        public var signedHeader: JSONValue
        /// `{validators: […]}` of that block.
        public var validators: JSONValue
        /// Base64 of a brotli-compressed `SubmittedMetadataList` with one entry.
        public var metadataBlob: String
        /// Base64 of a brotli-compressed `SubmittedRollupDataList`.
        public var rollupDataBlob: String
        /// `valid` or `invalid`.
        public var result: VectorResult
        /// The expected error code (invalid cases).
        public var error: String?
        /// Valid cases: every `sequenced_data` item as `rollup id hex/item hex`, in blob order.
        public var sequencedData: [String]?
    }

    /// A group of cases.
    public struct Group: Codable, Sendable {
        /// What the group is about.
        public var comment: String
        /// The cases.
        public var tests: [Test]
    }

    public func generate() throws -> Data {
        let groups = try AstriaVectorCases().groups()
        let file = VectorFile(
            schema: "confirmationkit-astria-proofs-v1", algorithm: "astria-rollup-data",
            header: [
                "Astria rollup data from a CometBFT commit: the commit must verify (+2/3 of the validator set); the",
                "metadata blob's entry must name the signed header (block_hash, chain_id, height, time, proposer,",
                "data_hash) and prove rollup_transactions_root and rollup_ids_root in data_hash (leaves SHA-256(root),",
                "tree_size counting nodes); each rollup-data entry must be for that block, listed in rollup_ids and",
                "proved in rollup_transactions_root; its transactions are RollupData messages. `error` is the first",
                "failure's code, in that order. Blobs are base64 brotli (RFC 7932). See Docs/cometbft-astria.md.",
            ],
            notes: [
                "ConductorGap": "Astria's conductor only logs this mismatch; here it is a failure",
                "TreeSize": "Astria's tree_size counts the nodes of the tree (2n - 1), so an even value is impossible",
            ],
            testGroups: groups, numberOfTests: groups.reduce(0) { $0 + $1.tests.count })
        return try VectorJSON.encode(file)
    }

    public func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<Group>.self, from: data)
        return file.testGroups.flatMap(\.tests).map(Self.run)
    }

    /// Runs the chain of checks; returns the sequenced data or the first failure.
    static func check(_ test: Test) throws -> Checked {
        let signed = try CometBFTJSON.signedHeader(from: test.signedHeader.data())
        let set = try CometBFTJSON.validatorSet(from: test.validators.data())
        var cache = CometBFTSignatureCache()
        if let failure = CometBFTCommitVerifier.verifySignedHeader(signed, validators: set, cache: &cache).failure {
            return .failure(failure)
        }
        let entries = try AstriaBlob.metadataList(base64: test.metadataBlob)
        guard entries.count == 1, let metadata = entries.first else {
            throw ConfirmationError(.astriaMalformedProtobuf, "the vector's metadata blob holds \(entries.count) entries, not 1")
        }
        if let failure = metadata.linkFailure(to: signed) { return .failure(failure) }
        var items: [String] = []
        for rollup in try AstriaBlob.rollupDataList(base64: test.rollupDataBlob) {
            if let failure = rollup.failure(against: metadata) { return .failure(failure) }
            items += try rollup.sequencedData().map { "\(rollup.rollupID.hex)/\(Hex.encode($0))" }
        }
        return .success(items)
    }

    /// The sequenced data, or the first failed rule.
    enum Checked {
        case success([String])
        case failure(PolicyFailure)
    }

    static func run(_ test: Test) -> VectorOutcome {
        do {
            switch try check(test) {
            case .success(let items):
                let ok = test.result == .valid && test.sequencedData == items
                return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "verified with \(items.count) items")
            case .failure(let failure):
                let ok = test.result == .invalid && test.error == failure.code.rawValue
                return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "failed with \(failure)")
            }
        } catch let error as ConfirmationError {
            let ok = test.result == .invalid && test.error == error.code.rawValue
            return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "threw \(error)")
        } catch {
            return VectorOutcome(tcId: test.tcId, passed: false, detail: "threw \(error)")
        }
    }
}

/// Builds the Astria cases: one sequencer block carrying three rollups, then one change per case.
struct AstriaVectorCases {
    /// `astria.primitive.v1.Proof` fields as written on the wire.
    struct ProofFields {
        var auditPath: [UInt8]
        var leafIndex: UInt64
        var treeSize: UInt64

        init(_ proof: MerkleInclusionProof<RFC6962SHA256>) {
            auditPath = proof.siblings.flatMap(\.bytes)
            leafIndex = proof.leafIndex
            treeSize = 2 * proof.treeSize - 1  // Astria counts nodes
        }

        func encoded() -> [UInt8] {
            var w = AstriaProtoWriter()
            w.bytes(1, auditPath)
            w.varint(2, leafIndex)
            w.varint(3, treeSize)
            return w.output
        }
    }

    /// `SubmittedMetadata` fields.
    struct MetadataFields {
        var blockHash: [UInt8]
        var chainID: String
        var height: UInt64
        var time: CometBFTTime
        var dataHash: [UInt8]
        var proposer: [UInt8]
        var rollupTransactionsRoot: [UInt8]
        var rollupIDs: [[UInt8]]
        var transactionsProof: ProofFields
        var idsProof: ProofFields

        func encoded() -> [UInt8] {
            var time = AstriaProtoWriter()
            time.varint(1, UInt64(bitPattern: self.time.seconds))
            time.varint(2, UInt64(self.time.nanos))
            var header = AstriaProtoWriter()
            header.bytes(1, Array(chainID.utf8))
            header.varint(2, height)
            header.bytes(3, time.output)
            header.bytes(4, dataHash)
            header.bytes(5, proposer)
            header.bytes(6, rollupTransactionsRoot)
            var w = AstriaProtoWriter()
            w.bytes(1, blockHash)
            w.bytes(2, header.output)
            for id in rollupIDs { w.bytes(3, AstriaProtoWriter.message(1, id)) }
            w.bytes(4, transactionsProof.encoded())
            w.bytes(5, idsProof.encoded())
            return AstriaProtoWriter.message(1, w.output)  // SubmittedMetadataList.entries
        }
    }

    /// `SubmittedRollupData` fields.
    struct RollupFields {
        var blockHash: [UInt8]
        var rollupID: [UInt8]
        var transactions: [[UInt8]]
        var proof: ProofFields

        func encoded() -> [UInt8] {
            var w = AstriaProtoWriter()
            w.bytes(1, blockHash)
            w.bytes(2, AstriaProtoWriter.message(1, rollupID))
            for tx in transactions { w.bytes(3, tx) }
            w.bytes(4, proof.encoded())
            return AstriaProtoWriter.message(1, w.output)  // SubmittedRollupDataList.entries
        }
    }

    /// A sequencer block: its light block, metadata and per-rollup data, consistent with each other.
    struct Block {
        var light: CometBFTLightBlock
        var metadata: MetadataFields
        var rollups: [RollupFields]
    }

    let chain = CometBFTChainBuilder(chainID: "astria-vectors")
    let validators: [CometBFTSimValidator]

    init() throws {
        validators = try (0..<4).map { try CometBFTSimValidator(id: "astria-\($0)", power: 10) }
    }

    /// `RollupData { sequenced_data = payload }`.
    static func sequenced(_ text: String) -> [UInt8] {
        AstriaProtoWriter.message(1, Array(text.utf8))
    }

    /// Builds a block whose rollups carry `data` (transactions encoded as `RollupData`), sorted by id.
    func block(_ data: [(name: String, transactions: [[UInt8]])]) throws -> Block {
        let rollups = data.map { (id: SHA256.hash(Array($0.name.utf8)).bytes, transactions: $0.transactions) }
            .sorted { $0.id.lexicographicallyPrecedes($1.id) }
        let leaves = rollups.map { $0.id + MerkleTree<RFC6962SHA256>.root(leafHashes: $0.transactions.map { RFC6962SHA256.leafHash($0) }).bytes }
        let rollupTree = try MerkleTree<RFC6962SHA256>(leaves: leaves)
        let idsRoot = MerkleTree<RFC6962SHA256>.root(leafHashes: rollups.map { RFC6962SHA256.leafHash($0.id) })
        let blockTransactions = [rollupTree.root.bytes, idsRoot.bytes, Array("transfer 1".utf8), Array("transfer 2".utf8)]
        let dataTree = try MerkleTree<RFC6962SHA256>(leaves: blockTransactions.map { SHA256.hash($0).bytes })
        let light = try chain.lightBlock(height: 42, time: CometBFTTime(seconds: 1_767_225_810, nanos: 500),
                                         validators: validators, next: validators, dataHash: dataTree.root.bytes)
        let header = light.header
        let blockHash = try CometBFTVectorCases.required(header.hash()).bytes
        let metadata = MetadataFields(
            blockHash: blockHash, chainID: header.chainID, height: UInt64(header.height), time: header.time,
            dataHash: header.dataHash, proposer: header.proposerAddress, rollupTransactionsRoot: rollupTree.root.bytes,
            rollupIDs: rollups.map(\.id), transactionsProof: ProofFields(try dataTree.inclusionProof(index: 0)),
            idsProof: ProofFields(try dataTree.inclusionProof(index: 1)))
        let rollupFields = try rollups.enumerated().map { i, rollup in
            RollupFields(blockHash: blockHash, rollupID: rollup.id, transactions: rollup.transactions,
                         proof: ProofFields(try rollupTree.inclusionProof(index: i)))
        }
        return Block(light: light, metadata: metadata, rollups: rollupFields)
    }

    func groups() throws -> [AstriaProofVectors.Group] {
        var id = 0
        func test(_ comment: String, _ block: Block, flags: [String] = [], metadataBlob: [UInt8]? = nil,
                  rollupDataBlob: [UInt8]? = nil, error: ConfirmationError.Code? = nil) throws -> AstriaProofVectors.Test {
            id += 1
            let metadata = metadataBlob ?? BrotliStoredWriter.stream(block.metadata.encoded())
            let rollups = rollupDataBlob ?? BrotliStoredWriter.stream(block.rollups.flatMap { $0.encoded() })
            var t = AstriaProofVectors.Test(
                tcId: id, comment: comment, flags: flags,
                signedHeader: try CometBFTVectorCases.json(CometBFTJSON.encode(block.light.signedHeader)),
                validators: try CometBFTVectorCases.json(CometBFTJSON.encode(try CometBFTVectorCases.required(block.light.validatorSet))),
                metadataBlob: Base64.encode(metadata), rollupDataBlob: Base64.encode(rollups),
                result: error == nil ? .valid : .invalid, error: error?.rawValue)
            if error == nil {
                t.sequencedData = block.rollups.flatMap { rollup in
                    rollup.transactions.map { "\(Hex.encode(rollup.rollupID))/\(Hex.encode(Array($0.dropFirst(2))))" }
                }
            }
            return t
        }

        let base = try block([
            ("alpha", [Self.sequenced("a0")]),
            ("beta", [Self.sequenced("b0"), Self.sequenced("b1")]),
            ("gamma", [Self.sequenced("g0"), Self.sequenced("g1"), Self.sequenced("g2")]),
        ])
        let valid = [try test("three rollups, every proof holds", base)]

        var blobs: [AstriaProofVectors.Test] = []
        let stream = BrotliStoredWriter.stream(base.metadata.encoded())
        blobs.append(try test("metadata blob cut short", base, metadataBlob: Array(stream.dropLast(3)), error: .brotliInvalid))
        blobs.append(try test("a byte after the brotli stream", base,
                              rollupDataBlob: BrotliStoredWriter.stream(base.rollups.flatMap { $0.encoded() }) + [0],
                              error: .brotliInvalid))
        var shortID = base
        shortID.metadata.rollupIDs[0].removeLast()
        blobs.append(try test("a rollup id of 31 bytes", shortID, error: .astriaMalformedProtobuf))
        let varintData = try block([("alpha", [[0x08, 0x01]])])  // RollupData field 1 with wire type 0
        blobs.append(try test("sequenced_data with the varint wire type", varintData, error: .astriaMalformedProtobuf))
        var evenSize = base
        evenSize.metadata.transactionsProof.treeSize += 1
        blobs.append(try test("rollup_transactions_proof with an even tree_size", evenSize, flags: ["TreeSize"], error: .astriaInvalidProof))

        var links: [AstriaProofVectors.Test] = []
        var otherHash = base
        otherHash.metadata.blockHash = SHA256.hash(Array("another block".utf8)).bytes
        links.append(try test("metadata block_hash of another block", otherHash, flags: ["ConductorGap"], error: .astriaBlockMismatch))
        var otherChain = base
        otherChain.metadata.chainID = "astria-other"
        links.append(try test("metadata chain_id differs from the signed header's", otherChain, flags: ["ConductorGap"], error: .astriaBlockMismatch))
        var otherData = base
        otherData.metadata.dataHash = SHA256.hash(Array("other data".utf8)).bytes
        links.append(try test("metadata data_hash differs from the signed header's", otherData, error: .astriaBlockMismatch))
        var shortRoot = base
        shortRoot.metadata.rollupTransactionsRoot.removeLast()
        links.append(try test("rollup_transactions_root of 31 bytes", shortRoot, error: .astriaInvalidHeader))
        var missingID = base
        missingID.metadata.rollupIDs.removeLast()
        links.append(try test("rollup_ids lacks a rollup (rollup_ids_root not in data_hash)", missingID, error: .astriaProofMismatch))

        var rollups: [AstriaProofVectors.Test] = []
        var otherBlock = base
        otherBlock.rollups[1].blockHash = otherHash.metadata.blockHash
        rollups.append(try test("rollup data for another block", otherBlock, error: .astriaBlockMismatch))
        var dropped = base
        dropped.rollups[2].transactions.removeLast()
        rollups.append(try test("a transaction dropped from a rollup's data", dropped, error: .astriaProofMismatch))
        var unlisted = base
        unlisted.rollups[0].rollupID = SHA256.hash(Array("delta".utf8)).bytes
        rollups.append(try test("rollup data for a rollup the block does not list", unlisted, error: .astriaProofMismatch))
        var unsigned = base
        unsigned.light.signedHeader.commit.signatures[0].signature[0] ^= 1
        rollups.append(try test("the sequencer commit carries a bad signature", unsigned, error: .cometInvalidSignature))

        return [
            .init(comment: "a block with three rollups", tests: valid),
            .init(comment: "blob decoding: brotli streams, protobuf fields, proof shapes", tests: blobs),
            .init(comment: "metadata against the signed header", tests: links),
            .init(comment: "rollup data against the metadata, and the commit itself", tests: rollups),
        ]
    }
}

/// The protobuf subset the Astria generator writes: varint and length-delimited fields (proto3: zero
/// varints and empty bytes are omitted).
struct AstriaProtoWriter {
    var output: [UInt8] = []

    mutating func raw(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        output.append(UInt8(truncatingIfNeeded: v))
    }

    mutating func varint(_ field: UInt64, _ value: UInt64) {
        guard value != 0 else { return }
        raw(field << 3)
        raw(value)
    }

    mutating func bytes(_ field: UInt64, _ value: [UInt8]) {
        guard !value.isEmpty else { return }
        raw(field << 3 | 2)
        raw(UInt64(value.count))
        output += value
    }

    /// A message holding one length-delimited field.
    static func message(_ field: UInt64, _ value: [UInt8]) -> [UInt8] {
        var w = AstriaProtoWriter()
        w.bytes(field, value)
        return w.output
    }
}

/// A minimal brotli (RFC 7932) writer for the generator: the data as one uncompressed meta-block.
enum BrotliStoredWriter {
    /// `WBITS = 16`, one uncompressed meta-block holding `data` (at most 2^24 bytes), then an empty last one.
    static func stream(_ data: [UInt8]) -> [UInt8] {
        var bits = BitWriter()
        bits.write(0, count: 1)  // WBITS = 16
        if !data.isEmpty {
            let length = UInt64(data.count - 1)
            let nibbles: UInt64 = length < 1 << 16 ? 4 : length < 1 << 20 ? 5 : 6
            bits.write(0, count: 1)  // ISLAST = 0
            bits.write(nibbles - 4, count: 2)  // MNIBBLES
            bits.write(length, count: Int(nibbles) * 4)  // MLEN - 1
            bits.write(1, count: 1)  // ISUNCOMPRESSED
            bits.alignToByte()
            bits.bytes += data
        }
        bits.write(1, count: 1)  // ISLAST
        bits.write(1, count: 1)  // ISLASTEMPTY
        bits.alignToByte()
        return bits.bytes
    }

    /// Bits packed least significant first, as brotli reads them.
    struct BitWriter {
        var bytes: [UInt8] = []
        var used = 8  // bits used in the last byte

        mutating func write(_ value: UInt64, count: Int) {
            for i in 0..<count {
                if used == 8 {
                    bytes.append(0)
                    used = 0
                }
                bytes[bytes.count - 1] |= UInt8((value >> UInt64(i)) & 1) << UInt8(used)
                used += 1
            }
        }

        mutating func alignToByte() { used = 8 }
    }
}
