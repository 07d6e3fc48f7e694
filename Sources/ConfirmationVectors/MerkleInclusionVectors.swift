public import Foundation
import ConfirmationKit

/// `merkle-rfc6962-sha256.json`: RFC 6962 SHA-256 inclusion proofs, valid and tampered.
public struct MerkleRFC6962SHA256Vectors: VectorSuite {
    /// Creates the suite.
    public init() {}
    /// The file name inside `TestVectors/`.
    public var fileName: String { "merkle-rfc6962-sha256.json" }
    /// Generates the file from fixed seeds.
    public func generate() throws -> Data {
        try MerkleInclusionVectors.generate(RFC6962SHA256.self, other: RFC6962Keccak256.self, seed: 0x6962_5348, wrap: InclusionProof.rfc6962SHA256)
    }
    /// Runs every case of the file.
    public func verify(_ data: Data) throws -> [VectorOutcome] { try ProofVectorRunner.verify(data) }
}

/// `merkle-rfc6962-keccak256.json`: the RFC 6962 shape over Keccak-256, valid and tampered.
public struct MerkleRFC6962Keccak256Vectors: VectorSuite {
    /// Creates the suite.
    public init() {}
    /// The file name inside `TestVectors/`.
    public var fileName: String { "merkle-rfc6962-keccak256.json" }
    /// Generates the file from fixed seeds.
    public func generate() throws -> Data {
        try MerkleInclusionVectors.generate(RFC6962Keccak256.self, other: RFC6962SHA256.self, seed: 0x6962_4B45, wrap: InclusionProof.rfc6962Keccak256)
    }
    /// Runs every case of the file.
    public func verify(_ data: Data) throws -> [VectorOutcome] { try ProofVectorRunner.verify(data) }
}

/// The shared generator of the two inclusion files.
enum MerkleInclusionVectors {
    /// The eight leaves of RFC 6962's reference test data.
    static let referenceLeaves: [[UInt8]] = [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        Array(0x50...0x57), Array(0x60...0x6f),
    ]

    /// Distinct random leaves: a 4-byte index then 0 to 40 random bytes.
    static func randomLeaves(_ count: Int, _ rng: inout DeterministicRandom) -> [[UInt8]] {
        (0..<count).map { i in
            (0..<4).map { UInt8(truncatingIfNeeded: i >> (8 * $0)) } + rng.bytes(Int.random(in: 0...40, using: &rng))
        }
    }

    static func flip(_ value: Bytes32, bit: Int) throws -> Bytes32 {
        var bytes = value.bytes
        bytes[bit / 8] ^= 1 << UInt8(bit % 8)
        return try Bytes32(bytes)
    }

    static let zeroNode = JSONValue.string(Bytes32.zero.description)

    static func generate<Hash: MerkleHasher, Other: MerkleHasher>(
        _: Hash.Type, other: Other.Type, seed: UInt64, wrap: (MerkleInclusionProof<Hash>) -> InclusionProof
    ) throws -> Data {
        var rng = DeterministicRandom(seed: seed)
        var b = ProofVectorBuilder()

        b.group("RFC 6962 reference leaves, every index of trees of 1 to 8 leaves")
        for size in 1...8 {
            let tree = try MerkleTree<Hash>(leaves: Array(referenceLeaves.prefix(size)))
            for index in 0..<size {
                try b.valid("leaf \(index) of \(size)", flags: ["Valid"], wrap(tree.inclusionProof(index: index)), root: tree.root)
            }
        }

        b.group("random trees, first, last and random leaves")
        for size in [9, 16, 17, 100, 1000, 4097] {
            let tree = try MerkleTree<Hash>(leaves: randomLeaves(size, &rng))
            for index in [0, size - 1, Int.random(in: 1..<(size - 1), using: &rng)] {
                try b.valid("leaf \(index) of \(size)", flags: ["Valid"], wrap(tree.inclusionProof(index: index)), root: tree.root)
            }
        }

        b.group("tampered proofs of leaf 5 of a tree of 13")
        let tree = try MerkleTree<Hash>(leaves: randomLeaves(13, &rng))
        let proof = try tree.inclusionProof(index: 5)
        let json = try JSONValue(wrap(proof))
        try b.fails("wrong index (4 instead of 5, same path shape)", flags: ["WrongIndex"], wrap(MerkleInclusionProof<Hash>(
            leaf: proof.leaf, leafIndex: 4, treeSize: 13, siblings: proof.siblings)), root: tree.root, error: .merkleRootMismatch)
        for s in proof.siblings.indices {
            var siblings = proof.siblings
            siblings[s] = try flip(siblings[s], bit: Int.random(in: 0..<256, using: &rng))
            try b.fails("one bit of sibling \(s) flipped", flags: ["WrongSibling"], wrap(MerkleInclusionProof<Hash>(
                leaf: proof.leaf, leafIndex: 5, treeSize: 13, siblings: siblings)), root: tree.root, error: .merkleRootMismatch)
        }
        try b.fails("siblings in reverse order", flags: ["WrongSibling"], wrap(MerkleInclusionProof<Hash>(
            leaf: proof.leaf, leafIndex: 5, treeSize: 13, siblings: proof.siblings.reversed())), root: tree.root, error: .merkleRootMismatch)
        try b.fails("leaf data with one byte appended", flags: ["WrongLeaf"], wrap(MerkleInclusionProof<Hash>(
            leaf: proof.leaf + [0], leafIndex: 5, treeSize: 13, siblings: proof.siblings)), root: tree.root, error: .merkleRootMismatch)
        try b.fails("intact proof, one bit of the root flipped", flags: ["WrongRoot"], wrap(proof),
                    root: flip(tree.root, bit: 255), error: .merkleRootMismatch)
        try b.fails("intact proof against the root of the same leaves under \(Other.identifier)", flags: ["WrongHash"], wrap(proof),
                    root: MerkleTree<Other>(leaves: tree.leaves).root, error: .merkleRootMismatch)

        var truncated = json
        truncated["siblings"] = .array(json["siblings"]?.elements.dropLast() ?? [])
        b.malformed("truncated path (last sibling removed)", flags: ["TruncatedPath"], json: truncated, root: tree.root,
                    error: .merkleProofLengthMismatch)
        var extra = json
        extra["siblings"] = .array((json["siblings"]?.elements ?? []) + [zeroNode])
        b.malformed("extra sibling appended", flags: ["ExtraSibling"], json: extra, root: tree.root, error: .merkleProofLengthMismatch)
        var doubled = json
        doubled["treeSize"] = .unsigned(26)
        b.malformed("tree size doubled (the path has the wrong length for it)", flags: ["TruncatedPath"], json: doubled,
                    root: tree.root, error: .merkleProofLengthMismatch)
        var outside = json
        outside["leafIndex"] = .unsigned(13)
        b.malformed("leaf index equal to the tree size", flags: ["IndexOutOfRange"], json: outside, root: tree.root,
                    error: .merkleIndexOutOfRange)
        outside["leafIndex"] = .unsigned(.max)
        b.malformed("leaf index 2^64 - 1", flags: ["IndexOutOfRange"], json: outside, root: tree.root, error: .merkleIndexOutOfRange)
        var empty = json
        empty["treeSize"] = .unsigned(0)
        empty["leafIndex"] = .unsigned(0)
        empty["siblings"] = .array([])
        b.malformed("tree size zero", flags: ["EmptyTree"], json: empty, root: Hash.emptyTreeRoot, error: .merkleEmptyTree)
        var long = json
        long["treeSize"] = .unsigned(.max)
        long["leafIndex"] = .unsigned(0)
        long["siblings"] = .array(Array(repeating: zeroNode, count: 65))
        b.malformed("65 siblings (the limit is 64)", flags: ["TooLong"], json: long, root: tree.root, error: .merkleProofTooLong)

        b.group("an interior node offered as a leaf")
        let eight = try MerkleTree<Hash>(leaves: Array(referenceLeaves))
        let first = try eight.inclusionProof(index: 0)
        let node = try eight.leafHash(at: 0).bytes + eight.leafHash(at: 1).bytes
        try b.fails(
            "the 64-byte preimage of node (level 1, 0) as leaf 0 of a tree of 4 with the upper siblings", flags: ["LeafAsNode"],
            wrap(MerkleInclusionProof<Hash>(leaf: node, leafIndex: 0, treeSize: 4, siblings: Array(first.siblings.dropFirst()))),
            root: eight.root, error: .merkleRootMismatch)

        b.group("malformed encodings")
        var missing = json
        missing["siblings"] = nil
        b.malformed("no siblings field", flags: ["Malformed"], json: missing, root: tree.root, error: .proofInvalidJSON)
        var unknown = json
        unknown["kind"] = .string("rfc6962-sha512-inclusion")
        b.malformed("unknown kind", flags: ["Malformed"], json: unknown, root: tree.root, error: .proofUnknownKind)
        var shortNode = json
        shortNode["siblings"] = .array([.string("0x00")] + (json["siblings"]?.elements.dropFirst() ?? []))
        b.malformed("a 1-byte sibling", flags: ["Malformed"], json: shortNode, root: tree.root, error: .invalidLength)
        var oddHex = json
        oddHex["leaf"] = .string("0x123")
        b.malformed("leaf hex with an odd number of digits", flags: ["Malformed"], json: oddHex, root: tree.root, error: .hexOddLength)
        var negative = json
        negative["leafIndex"] = .signed(-1)
        b.malformed("negative leaf index", flags: ["Malformed"], json: negative, root: tree.root, error: .proofInvalidJSON)
        let binary = proof.canonicalBytes
        b.malformed("binary form without its last byte", flags: ["Malformed"], binary: Array(binary.dropLast()), root: tree.root,
                    error: .proofInvalidEncoding)
        b.malformed("binary form with a trailing byte", flags: ["Malformed"], binary: binary + [0], root: tree.root,
                    error: .proofInvalidEncoding)
        var version = binary
        version[0] = 2
        b.malformed("binary form version 2", flags: ["Malformed"], binary: version, root: tree.root, error: .proofInvalidEncoding)
        // Header, tree size 1, index 0, then a leaf length of 1 MiB + 1: rejected before reading the leaf.
        var huge: [UInt8] = [ProofKindTag.version, ProofKindTag.merkleInclusion.rawValue, Hash.binaryTag]
        huge += [0, 0, 0, 0, 0, 0, 0, 1] + [0, 0, 0, 0, 0, 0, 0, 0] + [0x00, 0x10, 0x00, 0x01]
        b.malformed("binary leaf length 1 MiB + 1", flags: ["TooLong"], binary: huge, root: tree.root, error: .merkleLeafTooLarge)

        return try b.file(
            schema: "confirmationkit-merkle-proof-v1", algorithm: Hash.identifier,
            header: [
                "Inclusion proofs in RFC 6962-shaped trees: leaf = H(0x00 || data), node = H(0x01 || left || right),",
                "split at the largest power of two below n. H is \(Hash.identifier == RFC6962SHA256.identifier ? "SHA-256" : "Keccak-256").",
                "Each case carries the proof's JSON form (`proof`), its binary canonical form (`binary`, hex) or both,",
                "and the root to check against. Invalid cases name the error code thrown when parsing or the verdict's code.",
                "See Docs/merkle-proofs.md.",
            ],
            notes: proofVectorNotes)
    }
}
