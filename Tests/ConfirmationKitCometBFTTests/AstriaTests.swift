import ConfirmationCompression
import ConfirmationKit
import ConfirmationKitCometBFT
import ConfirmationVectors
import Foundation
import Testing
import VectorSupport

/// Astria's Celestia blob fixtures (brotli-compressed protobuf) decoded and checked against the
/// expected output astria-sequencer-utils ships with them.
@Suite(.enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct AstriaBlobTests {
    func expected(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: SharedVectors.data(path)) as? [String: Any])
    }

    func b64(_ value: Any?) throws -> [UInt8] {
        try Base64.decode(try #require(value as? String))
    }

    @Test func metadataBlobDecodesAndProves() throws {
        let text = String(decoding: try SharedVectors.data("astria/parse_blob/batched_metadata/input.txt"), as: UTF8.self)
        let entries = try AstriaBlob.metadataList(base64: text)
        let expected = try expected("astria/parse_blob/batched_metadata/expected_verbose_output.json")
        let list = try #require(expected["sequencer_metadata_list"] as? [[String: Any]])
        #expect(entries.count == list.count)
        #expect(entries.count == 5)
        for (entry, want) in zip(entries, list) {
            let header = try #require(want["sequencer_block_header"] as? [String: Any])
            #expect(entry.blockHash == (try b64(want["sequencer_block_hash"])))
            #expect(entry.header.chainID == header["chain_id"] as? String)
            #expect(Int(entry.header.height) == header["height"] as? Int)
            #expect(entry.header.time.rfc3339 == header["time"] as? String)
            #expect(entry.header.dataHash == (try b64(header["data_hash"])))
            #expect(entry.header.rollupTransactionsRoot == (try b64(header["rollup_transactions_root"])))
            #expect(entry.header.proposerAddress == (try b64(header["proposer_address"])))
            #expect(entry.rollupIDs.count == (want["rollup_ids"] as? [Any])?.count)
            let proof = try #require(want["rollup_transactions_proof"] as? [String: Any])
            #expect(entry.rollupTransactionsProof.treeSize == proof["tree_size"] as? UInt64)
            #expect(entry.rollupTransactionsProof.leafCount == 2)  // tree_size 3 counts nodes
            #expect(entry.rollupTransactionsProof.auditPath.flatMap(\.bytes) == (try b64(proof["audit_path"])))
            // The real proofs: both roots are in data_hash.
            #expect(entry.proofFailure() == nil)
            // A tampered data_hash breaks them.
            var tampered = entry
            tampered.header.dataHash[0] ^= 1
            #expect(tampered.proofFailure()?.code == .astriaProofMismatch)
        }
    }

    @Test func rollupDataBlobDecodes() throws {
        let text = String(decoding: try SharedVectors.data("astria/parse_blob/batched_rollup_data/input.txt"), as: UTF8.self)
        let entries = try AstriaBlob.rollupDataList(base64: text)
        let expected = try expected("astria/parse_blob/batched_rollup_data/expected_verbose_output.json")
        let list = try #require(expected["rollup_data_list"] as? [[String: Any]])
        #expect(entries.count == list.count)
        for (entry, want) in zip(entries, list) {
            #expect(entry.blockHash == (try b64(want["sequencer_block_hash"])))
            #expect(entry.rollupID.bytes == (try b64(want["rollup_id"])))
            #expect(entry.transactions.count == want["item_count"] as? Int)
            #expect(try entry.sequencedData().count == entry.transactions.count)
            let proof = try #require(want["proof"] as? [String: Any])
            #expect(entry.proof.treeSize == proof["tree_size"] as? UInt64)
            // A single-rollup block: the root is the leaf hash of rollup_id ‖ MTH(data).
            #expect(entry.provedRoot == RFC6962SHA256.leafHash(entry.leaf))
        }
    }

    @Test func corruptBlobsAreRejected() throws {
        let text = String(decoding: try SharedVectors.data("astria/parse_blob/batched_metadata/input.txt"), as: UTF8.self)
        var bytes = try Base64.decode(text.trimmingCharacters(in: .whitespacesAndNewlines))
        bytes.removeLast(20)
        #expect(throws: ConfirmationError(.brotliInvalid, "")) { try AstriaBlob.metadataList(compressed: bytes) }
        #expect(throws: ConfirmationError(.brotliInvalid, "")) { try AstriaBlob.metadataList(compressed: [0xff, 0xff, 0xff]) }
    }
}

/// Astria rollup data proofs on a synthetic block, tied to a verified CometBFT commit.
@Suite struct AstriaProofTests {
    @Test func treeSizeIsANodeCount() throws {
        #expect(throws: ConfirmationError(.astriaInvalidProof, "")) { try AstriaMerkleProof(auditPath: [], leafIndex: 0, treeSize: 2) }
        #expect(throws: ConfirmationError(.astriaInvalidProof, "")) { try AstriaMerkleProof(auditPath: [], leafIndex: 0, treeSize: 3) }
        #expect(throws: ConfirmationError(.astriaInvalidProof, "")) {
            try AstriaMerkleProof(auditPath: [UInt8](repeating: 0, count: 64), leafIndex: 0, treeSize: 3)
        }
        #expect(throws: ConfirmationError(.astriaInvalidProof, "")) { try AstriaMerkleProof(auditPath: [1], leafIndex: 0, treeSize: 1) }
        let ok = try AstriaMerkleProof(auditPath: [UInt8](repeating: 0, count: 32), leafIndex: 1, treeSize: 3)
        #expect(ok.leafCount == 2)
    }

    @Test func fullChainFromCommitToRollupTransaction() throws {
        // Three rollups, sorted by id; each with a few RollupData{sequenced_data} items.
        let ids = ["alpha", "beta", "gamma"].map { SHA256.hash(Array($0.utf8)) }.sorted()
        let data: [[[UInt8]]] = ids.enumerated().map { i, _ in
            (0...i).map { j in [0x0a, 3] + Array("t\(i)\(j)".utf8) }  // RollupData{sequenced_data = 1}
        }
        let leaves = zip(ids, data).map { id, txs in
            id.bytes + MerkleTree<RFC6962SHA256>.root(leafHashes: txs.map { RFC6962SHA256.leafHash($0) }).bytes
        }
        let txTree = try MerkleTree<RFC6962SHA256>(leaves: leaves)
        let idsRoot = MerkleTree<RFC6962SHA256>.root(leafHashes: ids.map { RFC6962SHA256.leafHash($0.bytes) })
        let userTxs: [[UInt8]] = [Array("transfer 1".utf8), Array("transfer 2".utf8)]
        let blockTxs = [txTree.root.bytes, idsRoot.bytes] + userTxs
        let dataHash = CometBFTBlockData.dataHash(blockTxs)

        let builder = CometBFTChainBuilder(chainID: "astria-test")
        let vals = try (0..<4).map { try CometBFTSimValidator(id: "astria-\($0)", power: 10) }
        let block = try builder.lightBlock(height: 42, time: CometBFTTime(seconds: 1_750_000_000, nanos: 5), validators: vals,
                                           next: vals, dataHash: dataHash.bytes)
        var cache = CometBFTSignatureCache()
        #expect(CometBFTCommitVerifier.verifySignedHeader(block.signedHeader, validators: try #require(block.validatorSet),
                                                          cache: &cache).isVerified)

        func astriaProof(_ p: MerkleInclusionProof<RFC6962SHA256>) throws -> AstriaMerkleProof {
            try AstriaMerkleProof(auditPath: p.siblings.flatMap(\.bytes), leafIndex: p.leafIndex, treeSize: 2 * p.treeSize - 1)
        }
        let dataTree = try MerkleTree<RFC6962SHA256>(leaves: blockTxs.map { SHA256.hash($0).bytes })
        let header = block.header
        let metadata = AstriaSubmittedMetadata(
            blockHash: try #require(header.hash()).bytes,
            header: AstriaSequencerBlockHeader(chainID: header.chainID, height: UInt64(header.height), time: header.time,
                                               dataHash: header.dataHash, proposerAddress: header.proposerAddress,
                                               rollupTransactionsRoot: txTree.root.bytes),
            rollupIDs: ids, rollupTransactionsProof: try astriaProof(dataTree.inclusionProof(index: 0)),
            rollupIDsProof: try astriaProof(dataTree.inclusionProof(index: 1)))
        #expect(metadata.linkFailure(to: block.signedHeader) == nil)

        for (i, id) in ids.enumerated() {
            let rollup = AstriaSubmittedRollupData(blockHash: metadata.blockHash, rollupID: id, transactions: data[i],
                                                   proof: try astriaProof(txTree.inclusionProof(index: i)))
            #expect(rollup.failure(against: metadata) == nil)
            var dropped = rollup
            dropped.transactions.removeLast()
            #expect(dropped.failure(against: metadata)?.code == .astriaProofMismatch)
        }
        // A user transaction is in data_hash at its index (leaf = SHA-256(tx)).
        let txProof = try CometBFTBlockData.inclusionProof(blockTxs, index: 3)
        #expect(txProof.verify(against: dataHash))
        #expect(txProof.leaf == SHA256.hash(userTxs[1]).bytes)

        // Conductor's gaps are failures here.
        var otherChain = metadata
        otherChain.header.chainID = "astria-other"
        #expect(otherChain.linkFailure(to: block.signedHeader)?.code == .astriaBlockMismatch)
        var otherHash = metadata
        otherHash.blockHash[0] ^= 1
        #expect(otherHash.linkFailure(to: block.signedHeader)?.code == .astriaBlockMismatch)
        var otherData = metadata
        otherData.header.dataHash = SHA256.hash([1]).bytes
        #expect(otherData.linkFailure(to: block.signedHeader)?.code == .astriaBlockMismatch)
        var missingID = metadata
        missingID.rollupIDs.removeLast()
        #expect(missingID.proofFailure()?.code == .astriaProofMismatch)
    }
}
