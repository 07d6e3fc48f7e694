import ConfirmationKit
import ConfirmationKitEspresso
import Foundation
import Testing
import VectorSupport

@Suite("Espresso block Merkle tree (merkle_proof_test_data.json)", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct BlockMerkleTests {
    struct Fixture {
        let json: EspressoJSON
        let header: EspressoHeader
        let proof: BlockMerkleProof
        let root: BlockMerkleRoot
    }

    static func fixture() throws -> Fixture {
        let json = try EspressoJSON(parsing: SharedVectors.data("espresso/merkle_proof_test_data.json"))
        guard case .object(let object) = json, let proof = object["proof"], let header = object["header"],
              case .string(let root)? = object["block_merkle_root"] else {
            throw ConfirmationError.Code.espressoMalformed.error
        }
        return Fixture(json: json, header: try EspressoHeader(json: header), proof: try BlockMerkleProof(json: proof),
                       root: try BlockMerkleRoot(taggedBase64: root))
    }

    @Test("the v0.3 header at height 7 is proved against the root of a later header (22 leaves)")
    func verifies() throws {
        let f = try Self.fixture()
        #expect(f.header.version == EspressoVersion(major: 0, minor: 3))
        #expect(f.header.height == 7)
        #expect(f.root.height == 32)
        #expect(f.root.leafCount == 22)
        #expect(f.proof.position == 7)
        #expect(f.proof.element == f.header.commitment)
        try f.proof.verify(header: f.header, against: f.root)
    }

    @Test("a changed sibling, header field, position or root fails with its code")
    func mutations() throws {
        let f = try Self.fixture()
        // Another header (one field changed) is not the proved element.
        var other = f.header
        other.timestamp += 1
        #expect(throws: ConfirmationError.Code.espressoMerkleElementMismatch.error) {
            try f.proof.verify(header: other, against: f.root)
        }
        // A root whose tree holds only the first 7 headers cannot contain height 7.
        var rootBytes = f.root.digest.bytes + [32, 0, 0, 0, 0, 0, 0, 0] + [7, 0, 0, 0, 0, 0, 0, 0]
        #expect(throws: ConfirmationError.Code.espressoMerklePositionOutOfRange.error) {
            try f.proof.verify(header: f.header, against: BlockMerkleRoot(bytes: rootBytes))
        }
        // The same commitment claimed at another height.
        #expect(throws: ConfirmationError.Code.espressoMerklePositionOutOfRange.error) {
            try f.proof.verify(commitment: f.header.commitment, height: 8, against: f.root)
        }
        // Another digest.
        rootBytes = [UInt8](repeating: 7, count: 32) + [32, 0, 0, 0, 0, 0, 0, 0] + [22, 0, 0, 0, 0, 0, 0, 0]
        #expect(throws: ConfirmationError.Code.espressoMerkleRootMismatch.error) {
            try f.proof.verify(header: f.header, against: BlockMerkleRoot(bytes: rootBytes))
        }
    }

    @Test("each changed sibling digest changes the computed root")
    func siblings() throws {
        let f = try Self.fixture()
        var text = String(decoding: try SharedVectors.data("espresso/merkle_proof_test_data.json"), as: UTF8.self)
        // Replace the first sibling value of the first branch with another valid FIELD value.
        let first = "FIELD~EFGo8dlJaXb8TS_sL09TQlcqGEZkSAcW1KeBBBeyrjGa"
        #expect(text.contains(first))
        text = text.replacingOccurrences(of: first, with: TaggedBase64(knownTag: "FIELD", value: [UInt8](repeating: 9, count: 32)).description)
        let json = try EspressoJSON(parsing: Data(text.utf8))
        guard case .object(let object) = json, let proof = object["proof"] else { return }
        let mutated = try BlockMerkleProof(json: proof)
        #expect(mutated.computedRoot() != f.root.digest)
        #expect(throws: ConfirmationError.Code.espressoMerkleRootMismatch.error) {
            try mutated.verify(header: f.header, against: f.root)
        }
    }
}

extension ConfirmationError.Code {
    /// An error with this code, for `#expect(throws:)` (errors compare by code).
    var error: ConfirmationError {
        ConfirmationError(self, "expected")
    }
}

@Suite("Espresso block Merkle roots along the v5 chain", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct BlockMerkleRootTests {
    @Test("the root in header h is the tree over the commitments of headers 0…h−1, for every h")
    func rootsAlongTheChain() throws {
        let headers = V5.entries.map(\.leaf.header)
        #expect(headers.count == 81)
        let commitments = headers.map(\.commitment)
        for h in 0..<headers.count {
            let carried = try #require(headers[h].blockMerkleRoot)
            let computed = BlockMerkleRoot.computed(over: Array(commitments.prefix(h)))
            #expect(carried == computed, "height \(h)")
        }
        // A wrong or missing header changes the root.
        var swapped = Array(commitments.prefix(40))
        swapped.swapAt(3, 4)
        #expect(BlockMerkleRoot.computed(over: swapped) != headers[40].blockMerkleRoot)
    }
}
