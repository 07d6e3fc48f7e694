public import Foundation
import ConfirmationKit

/// `merkle-multiproof.json`: multi-proofs over RFC 6962-shaped SHA-256 and Keccak-256 trees.
public struct MerkleMultiProofVectors: VectorSuite {
    /// Creates the suite.
    public init() {}
    /// The file name inside `TestVectors/`.
    public var fileName: String { "merkle-multiproof.json" }
    /// Runs every case of the file.
    public func verify(_ data: Data) throws -> [VectorOutcome] { try ProofVectorRunner.verify(data) }

    /// Generates the file from fixed seeds.
    public func generate() throws -> Data {
        var rng = DeterministicRandom(seed: 0x4D55_4C54)
        var b = ProofVectorBuilder()

        b.group("valid multi-proofs (SHA-256)")
        for size in [1, 2, 3, 8, 13, 100, 1025] {
            let tree = try MerkleTree<RFC6962SHA256>(leaves: MerkleInclusionVectors.randomLeaves(size, &rng))
            for count in [1, min(size, 3), min(size, 9)] {
                let indices = (0..<count).map { _ in Int.random(in: 0..<size, using: &rng) }
                let proof = try tree.multiProof(indices: indices)
                try b.valid("\(proof.leaves.count) leaves \(proof.leaves.map(\.index)) of \(size)", flags: ["Valid"],
                            .rfc6962SHA256Multi(proof), root: tree.root)
            }
        }
        let requested = [12, 3, 12, 0, 7, 3]
        let thirteen = try MerkleTree<RFC6962SHA256>(leaves: MerkleInclusionVectors.randomLeaves(13, &rng))
        try b.valid("built from indices \(requested) (out of order, repeated): covers 0, 3, 7, 12 once each", flags: ["Valid"],
                    .rfc6962SHA256Multi(thirteen.multiProof(indices: requested)), root: thirteen.root)
        try b.valid("every leaf of 13: no siblings", flags: ["Valid"],
                    .rfc6962SHA256Multi(thirteen.multiProof(indices: Array(0..<13))), root: thirteen.root)

        b.group("valid multi-proofs (Keccak-256)")
        for size in [1, 5, 64, 300] {
            let tree = try MerkleTree<RFC6962Keccak256>(leaves: MerkleInclusionVectors.randomLeaves(size, &rng))
            let indices = (0..<min(size, 4)).map { _ in Int.random(in: 0..<size, using: &rng) }
            let proof = try tree.multiProof(indices: indices)
            try b.valid("\(proof.leaves.count) leaves \(proof.leaves.map(\.index)) of \(size)", flags: ["Valid"],
                        .rfc6962Keccak256Multi(proof), root: tree.root)
        }

        b.group("tampered multi-proofs of leaves 0, 3, 7, 12 of 13 (SHA-256)")
        let proof = try thirteen.multiProof(indices: [0, 3, 7, 12])
        let root = thirteen.root
        let json = try JSONValue(.rfc6962SHA256Multi(proof))
        let leaves = json["leaves"]?.elements ?? []
        for s in proof.siblings.indices {
            var siblings = proof.siblings
            siblings[s] = try MerkleInclusionVectors.flip(siblings[s], bit: Int.random(in: 0..<256, using: &rng))
            try b.fails("one bit of sibling \(s) flipped", flags: ["WrongSibling"], .rfc6962SHA256Multi(MerkleMultiProof(
                treeSize: 13, leaves: proof.leaves, siblings: siblings)), root: root, error: .merkleRootMismatch)
        }
        var changed = proof.leaves
        changed[1] = .init(index: 3, data: changed[1].data + [1])
        try b.fails("data of leaf 3 changed", flags: ["WrongLeaf"], .rfc6962SHA256Multi(MerkleMultiProof(
            treeSize: 13, leaves: changed, siblings: proof.siblings)), root: root, error: .merkleRootMismatch)
        changed = proof.leaves
        changed[1] = .init(index: 2, data: changed[1].data)
        try b.fails("leaf 3 claimed at index 2 (same shape)", flags: ["WrongIndex"], .rfc6962SHA256Multi(MerkleMultiProof(
            treeSize: 13, leaves: changed, siblings: proof.siblings)), root: root, error: .merkleRootMismatch)
        try b.fails("intact proof against the Keccak-256 root of the same leaves", flags: ["WrongHash"], .rfc6962SHA256Multi(proof),
                    root: MerkleTree<RFC6962Keccak256>(leaves: thirteen.leaves).root, error: .merkleRootMismatch)

        var unsorted = json
        unsorted["leaves"] = .array([leaves[1], leaves[0]] + leaves.dropFirst(2))
        b.malformed("leaves 3 and 0 out of order", flags: ["Unsorted"], json: unsorted, root: root, error: .merkleIndicesNotSorted)
        var duplicate = json
        duplicate["leaves"] = .array([leaves[0]] + leaves)
        b.malformed("leaf 0 listed twice", flags: ["Duplicate"], json: duplicate, root: root, error: .merkleDuplicateIndex)
        var twin = leaves[1]
        twin["data"] = .string("0xff")
        duplicate["leaves"] = .array([leaves[0], leaves[1], twin] + leaves.dropFirst(2))
        b.malformed("index 3 listed twice with different data", flags: ["Duplicate"], json: duplicate, root: root,
                    error: .merkleDuplicateIndex)
        var truncated = json
        truncated["siblings"] = .array(json["siblings"]?.elements.dropLast() ?? [])
        b.malformed("last sibling removed", flags: ["TruncatedPath"], json: truncated, root: root, error: .merkleProofLengthMismatch)
        var extra = json
        extra["siblings"] = .array((json["siblings"]?.elements ?? []) + [MerkleInclusionVectors.zeroNode])
        b.malformed("extra sibling appended", flags: ["ExtraSibling"], json: extra, root: root, error: .merkleProofLengthMismatch)
        var outside = json
        outside["treeSize"] = .unsigned(12)
        b.malformed("tree size 12: leaf 12 is outside", flags: ["IndexOutOfRange"], json: outside, root: root,
                    error: .merkleIndexOutOfRange)
        var empty = json
        empty["leaves"] = .array([])
        b.malformed("no leaves", flags: ["Malformed"], json: empty, root: root, error: .merkleNoLeaves)
        var zero = json
        zero["treeSize"] = .unsigned(0)
        b.malformed("tree size zero", flags: ["EmptyTree"], json: zero, root: root, error: .merkleEmptyTree)
        var huge: [UInt8] = [ProofKindTag.version, ProofKindTag.merkleMultiProof.rawValue, RFC6962SHA256.binaryTag]
        huge += [0, 0, 0, 0, 0, 0, 0x10, 0x01] + [0, 0, 0x10, 0x01]
        b.malformed("binary leaf count 4097 (the limit is 4096)", flags: ["TooLong"], binary: huge, root: root,
                    error: .merkleTooManyLeaves)
        b.malformed("binary form with a trailing byte", flags: ["Malformed"], binary: proof.canonicalBytes + [0], root: root,
                    error: .proofInvalidEncoding)
        var wrongHasher = proof.canonicalBytes
        wrongHasher[2] = 0x07
        b.malformed("binary form naming hasher 0x07", flags: ["Malformed"], binary: wrongHasher, root: root, error: .proofUnknownKind)

        return try b.file(
            schema: "confirmationkit-merkle-proof-v1", algorithm: "rfc6962-multiproof",
            header: [
                "Multi-proofs: several leaves of one RFC 6962-shaped tree with shared siblings. Leaves are listed by",
                "strictly increasing index; siblings are the missing nodes level by level from the leaves up, left to",
                "right, an unpaired last node moving up unchanged. See Docs/merkle-proofs.md.",
            ],
            notes: proofVectorNotes)
    }
}
