import ConfirmationKit
import Foundation
import Testing
import VectorSupport

/// transparency-dev/merkle `testdata/inclusion/`: every file verifies as upstream says.
@Suite("RFC 6962 inclusion vectors (transparency-dev/merkle)")
struct RFC6962SharedVectorTests {
    /// One upstream case. `proof` may be `null`; `root` and `leafHash` may be empty strings.
    struct UpstreamCase: Decodable {
        var leafIdx: UInt64
        var treeSize: UInt64
        var root: String?
        var leafHash: String?
        var proof: [String]?
        var desc: String
        var wantErr: Bool
    }

    /// Accepts only a case whose every field decodes to 32-byte values and whose path leads to `root`.
    static func accepts(_ testCase: UpstreamCase) -> Bool {
        guard let rootBytes = try? Base64.decode(testCase.root ?? ""), let root = try? Bytes32(rootBytes),
              let leafBytes = try? Base64.decode(testCase.leafHash ?? ""), let leafHash = try? Bytes32(leafBytes)
        else { return false }
        var siblings: [Bytes32] = []
        for text in testCase.proof ?? [] {
            guard let bytes = try? Base64.decode(text), let node = try? Bytes32(bytes) else { return false }
            siblings.append(node)
        }
        guard let computed = try? MerkleInclusionProof<RFC6962SHA256>.root(
            leafHash: leafHash, leafIndex: testCase.leafIdx, treeSize: testCase.treeSize, siblings: siblings)
        else { return false }
        return computed == root
    }

    static func caseFiles() throws -> [String] {
        let base = SharedVectors.directory.appendingPathComponent("rfc6962/inclusion")
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { return [] }
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: base.appendingPathComponent(path).path, isDirectory: &isDirectory),
               !isDirectory.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }

    @Test("every file is accounted for and verifies as upstream says",
          .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
    func everyFile() throws {
        let files = try Self.caseFiles()
        // The README lists 98 files in 10 subfolders; every one must be read, none skipped.
        #expect(files.count == 98)
        #expect(Set(files.map { $0.split(separator: "/").dropLast().joined(separator: "/") }).count == 10)
        var valid = 0
        var rejected = 0
        for file in files {
            #expect(file.hasSuffix(".json"), "unexpected file \(file)")
            let data = try SharedVectors.data("rfc6962/inclusion/" + file)
            let testCase = try JSONDecoder().decode(UpstreamCase.self, from: data)
            let accepted = Self.accepts(testCase)
            #expect(accepted == !testCase.wantErr, "\(file) (\(testCase.desc)): accepted \(accepted), wantErr \(testCase.wantErr)")
            if testCase.wantErr { rejected += 1 } else { valid += 1 }
        }
        #expect(valid == 6)
        #expect(valid + rejected == files.count)
    }

    @Test("upstream happy paths: one sibling fewer or one more is a shape error",
          .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
    func happyPathsHaveExactShape() throws {
        for file in try Self.caseFiles() {
            let testCase = try JSONDecoder().decode(UpstreamCase.self, from: SharedVectors.data("rfc6962/inclusion/" + file))
            guard !testCase.wantErr else { continue }
            let siblings = try (testCase.proof ?? []).map { try Bytes32(Base64.decode($0)) }
            // Dropping or adding a sibling is a shape error before any hashing.
            if let first = siblings.first {
                #expect(throws: ConfirmationError(.merkleProofLengthMismatch, "")) {
                    try MerkleInclusionProof<RFC6962SHA256>.root(
                        leafHash: .zero, leafIndex: testCase.leafIdx, treeSize: testCase.treeSize, siblings: Array(siblings.dropLast()))
                }
                #expect(throws: ConfirmationError(.merkleProofLengthMismatch, "")) {
                    try MerkleInclusionProof<RFC6962SHA256>.root(
                        leafHash: .zero, leafIndex: testCase.leafIdx, treeSize: testCase.treeSize, siblings: siblings + [first])
                }
            }
        }
    }
}
