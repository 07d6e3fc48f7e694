import ConfirmationKit
import Foundation
import Testing

@Suite("Proof JSON and binary forms")
struct ProofEncodingTests {
    /// One proof of every kind, from one block and one tree.
    static func sampleProofs() throws -> [(InclusionProof, Bytes32)] {
        var rng = DeterministicRandom(seed: 0x454E_434F)
        let leaves = MerkleTreeTests.randomLeaves(11, &rng)
        let sha = try MerkleTree<RFC6962SHA256>(leaves: leaves)
        let keccak = try MerkleTree<RFC6962Keccak256>(leaves: leaves)
        let block = try NamespacedBlockTests.randomBlock(namespaceCount: 5, maxTransactions: 6, &rng)
        let ns = block.namespaces
        return [
            (.rfc6962SHA256(try sha.inclusionProof(index: 6)), sha.root),
            (.rfc6962Keccak256(try keccak.inclusionProof(index: 10)), keccak.root),
            (.rfc6962SHA256Multi(try sha.multiProof(indices: [1, 2, 9])), sha.root),
            (.rfc6962Keccak256Multi(try keccak.multiProof(indices: [0, 10])), keccak.root),
            (.namespaceInclusion(try block.inclusionProof(namespace: ns[3], index: 0)), block.commitment),
            (.namespaceCompleteness(try block.completenessProof(namespace: ns[1])), block.commitment),
            (.namespaceAbsence(try block.absenceProof(namespace: NamespaceID(ns[2].rawValue + 1))), block.commitment),
            (.namespaceAbsence(try block.absenceProof(namespace: 1)), block.commitment),
            (.namespaceBundle(try block.bundleProof(legs: [.init(namespace: ns[4], index: 0), .init(namespace: ns[0], index: 0)])),
             block.commitment),
        ]
    }

    @Test("every kind round-trips through JSON and the binary form and still verifies")
    func roundTrips() throws {
        let samples = try Self.sampleProofs()
        #expect(Set(samples.map(\.0.kind)) == Set(InclusionProof.kinds))
        for (proof, root) in samples {
            #expect(proof.verify(against: root), "\(proof.kind)")
            let json = proof.jsonData
            let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
            #expect(object?["kind"] as? String == proof.kind)
            #expect(try InclusionProof(jsonData: json) == proof)
            let binary = proof.canonicalBytes
            #expect(try InclusionProof(canonicalBytes: binary) == proof)
            // Truncated or extended binary forms are malformed.
            #expect(throws: ConfirmationError(.proofInvalidEncoding, "")) {
                try InclusionProof(canonicalBytes: Array(binary.dropLast()))
            }
            #expect(throws: ConfirmationError(.proofInvalidEncoding, "")) { try InclusionProof(canonicalBytes: binary + [0]) }
            var wrongVersion = binary
            wrongVersion[0] = 2
            #expect(throws: ConfirmationError(.proofInvalidEncoding, "")) { try InclusionProof(canonicalBytes: wrongVersion) }
        }
    }

    @Test("every truncation of every binary proof is rejected without trapping")
    func everyTruncation() throws {
        for (proof, _) in try Self.sampleProofs() {
            let binary = proof.canonicalBytes
            for length in 0..<binary.count {
                #expect(throws: ConfirmationError.self) { try InclusionProof(canonicalBytes: Array(binary.prefix(length))) }
            }
        }
    }

    @Test("malformed JSON maps to typed errors")
    func malformedJSON() throws {
        func code(_ text: String) -> ConfirmationError.Code? {
            do {
                _ = try InclusionProof(jsonData: Data(text.utf8))
                return nil
            } catch let error as ConfirmationError {
                return error.code
            } catch {
                return ConfirmationError.Code("unexpected")
            }
        }
        #expect(code("not json") == .proofInvalidJSON)
        #expect(code("{}") == .proofInvalidJSON)
        #expect(code(#"{"kind":"bogus"}"#) == .proofUnknownKind)
        #expect(code(#"{"kind":"rfc6962-sha256-inclusion","leaf":"0x00","leafIndex":0,"treeSize":1}"#) == .proofInvalidJSON)
        #expect(code(#"{"kind":"rfc6962-sha256-inclusion","leaf":"0x0","leafIndex":0,"treeSize":1,"siblings":[]}"#) == .hexOddLength)
        #expect(code(#"{"kind":"rfc6962-sha256-inclusion","leaf":"","leafIndex":0,"treeSize":1,"siblings":[]}"#) == nil)
        #expect(code(#"{"kind":"rfc6962-sha256-inclusion","leaf":"","leafIndex":-1,"treeSize":1,"siblings":[]}"#) == .proofInvalidJSON)
        #expect(code(#"{"kind":"rfc6962-sha256-inclusion","leaf":"","leafIndex":0,"treeSize":0,"siblings":[]}"#) == .merkleEmptyTree)
        #expect(code(#"{"kind":"rfc6962-sha256-inclusion","leaf":"","leafIndex":0,"treeSize":2,"siblings":[]}"#)
            == .merkleProofLengthMismatch)
        #expect(code(#"{"kind":"rfc6962-sha256-inclusion","leaf":"","leafIndex":0,"treeSize":2,"siblings":["0x00"]}"#)
            == .invalidLength)
        let tooMany = Array(repeating: "\"0x" + String(repeating: "00", count: 32) + "\"", count: 65).joined(separator: ",")
        #expect(code(#"{"kind":"rfc6962-sha256-inclusion","leaf":"","leafIndex":0,"treeSize":1,"siblings":[\#(tooMany)]}"#)
            == .merkleProofTooLong)
        #expect(code(#"{"kind":"namespace-inclusion","namespace":"0x01","transaction":"","transactionIndex":0,"transactionCount":1,"transactionSiblings":[],"tablePosition":0,"namespaceCount":1,"tableSiblings":[]}"#)
            == .invalidLength)
    }

    @Test("the binary form starts with version 1, the kind tag and, for the generic kinds, the hasher")
    func binaryHeader() throws {
        let samples = try Self.sampleProofs()
        let headers = samples.map { Array($0.0.canonicalBytes.prefix(3)) }
        #expect(headers[0] == [1, 0x01, 0x01])
        #expect(headers[1] == [1, 0x01, 0x02])
        #expect(headers[2] == [1, 0x02, 0x01])
        #expect(headers[3] == [1, 0x02, 0x02])
        #expect(headers[4].prefix(2) == [1, 0x10])
        #expect(headers[5].prefix(2) == [1, 0x11])
        #expect(headers[6].prefix(2) == [1, 0x12])
        #expect(headers[8].prefix(2) == [1, 0x13])
        #expect(throws: ConfirmationError(.proofUnknownKind, "")) { try InclusionProof(canonicalBytes: [1, 0x7f, 0]) }
        #expect(throws: ConfirmationError(.proofUnknownKind, "")) { try InclusionProof(canonicalBytes: [1, 0x01, 0x09]) }
    }
}
