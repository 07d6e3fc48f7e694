import ConfirmationKit
import Testing

/// RFC 6962 trees: known answers, agreement with the recursive definition, inclusion proofs.
@Suite("Merkle trees and inclusion proofs")
struct MerkleTreeTests {
    /// The eight leaves of RFC 6962's reference test data (Certificate Transparency `merkle_tree_test`).
    static let referenceLeaves: [[UInt8]] = [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        Array(0x50...0x57), Array(0x60...0x6f),
    ]

    /// Their roots for 1…8 leaves.
    static let referenceRoots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    /// RFC 6962 §2.1 written as the recursion it is (split at the largest power of two below n).
    static func referenceRoot<Hash: MerkleHasher>(_: Hash.Type, _ leaves: ArraySlice<[UInt8]>) -> Bytes32 {
        switch leaves.count {
        case 0: return Hash.emptyTreeRoot
        case 1: return Hash.leafHash(leaves[leaves.startIndex])
        default:
            var k = 1
            while k * 2 < leaves.count { k *= 2 }
            let split = leaves.startIndex + k
            return Hash.nodeHash(referenceRoot(Hash.self, leaves[..<split]), referenceRoot(Hash.self, leaves[split...]))
        }
    }

    /// Distinct random leaves of 4 to 44 bytes (a 4-byte index first, so no two are equal:
    /// equal leaves would make "the same leaf at the neighbouring index" a true statement).
    static func randomLeaves(_ count: Int, _ rng: inout DeterministicRandom) -> [[UInt8]] {
        (0..<count).map { i in
            (0..<4).map { UInt8(truncatingIfNeeded: i >> (8 * $0)) } + rng.bytes(Int.random(in: 0...40, using: &rng))
        }
    }

    @Test("RFC 6962 reference roots for 0 to 8 leaves")
    func referenceRoots() throws {
        #expect(try MerkleTree<RFC6962SHA256>(leaves: []).root.hex
            == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        for size in 1...8 {
            let tree = try MerkleTree<RFC6962SHA256>(leaves: Array(Self.referenceLeaves.prefix(size)))
            #expect(tree.root.hex == Self.referenceRoots[size - 1], "size \(size)")
        }
    }

    @Test("the level-by-level builder equals the recursive definition", arguments: [0, 1, 2, 3, 5, 7, 8, 9, 31, 33, 100, 257])
    func builderMatchesRecursion(size: Int) throws {
        var rng = DeterministicRandom(seed: 0x6962_0000 + UInt64(size))
        let leaves = Self.randomLeaves(size, &rng)
        #expect(try MerkleTree<RFC6962SHA256>(leaves: leaves).root == Self.referenceRoot(RFC6962SHA256.self, leaves[...]))
        #expect(try MerkleTree<RFC6962Keccak256>(leaves: leaves).root == Self.referenceRoot(RFC6962Keccak256.self, leaves[...]))
        #expect(MerkleTree<RFC6962SHA256>.root(leafHashes: leaves.map { RFC6962SHA256.leafHash($0) })
            == Self.referenceRoot(RFC6962SHA256.self, leaves[...]))
    }

    @Test("Keccak-256 hashing rules: prefixes 0x00 and 0x01, empty tree = Keccak-256()")
    func keccakRules() {
        let leaf: [UInt8] = [1, 2, 3]
        #expect(RFC6962Keccak256.leafHash(leaf) == Keccak256.hash([0x00] + leaf))
        let a = Keccak256.hash([1])
        let b = Keccak256.hash([2])
        #expect(RFC6962Keccak256.nodeHash(a, b) == Keccak256.hash([0x01] + a.bytes + b.bytes))
        #expect(RFC6962Keccak256.emptyTreeRoot.hex == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(RFC6962SHA256.leafHash(leaf) == SHA256.hash([0x00] + leaf))
        #expect(RFC6962SHA256.nodeHash(a, b) == SHA256.hash([0x01] + a.bytes + b.bytes))
    }

    /// Flips bit `bit` of a 32-byte value.
    static func flip(_ value: Bytes32, bit: Int) -> Bytes32 {
        var bytes = value.bytes
        bytes[bit / 8] ^= 1 << UInt8(bit % 8)
        return (try? Bytes32(bytes)) ?? value
    }

    /// Checks one proof and its one-bit mutations; `exhaustive` tries every bit of every sibling
    /// and of the leaf, otherwise one random bit per sibling and a few leaf and root bits.
    static func checkProof<Hash: MerkleHasher>(
        _ proof: MerkleInclusionProof<Hash>, root: Bytes32, exhaustive: Bool, _ rng: inout DeterministicRandom
    ) throws -> Int {
        #expect(proof.verify(against: root), "leaf \(proof.leafIndex) of \(proof.treeSize)")
        var mutations = 0
        func rejects(leaf: [UInt8]? = nil, index: UInt64? = nil, siblings: [Bytes32]? = nil, root expected: Bytes32? = nil) {
            mutations += 1
            guard let mutated = try? MerkleInclusionProof<Hash>(
                leaf: leaf ?? proof.leaf, leafIndex: index ?? proof.leafIndex, treeSize: proof.treeSize,
                siblings: siblings ?? proof.siblings)
            else { return }  // a shape error is a rejection
            #expect(!mutated.verify(against: expected ?? root), "mutation of leaf \(proof.leafIndex) of \(proof.treeSize) verified")
        }
        for s in proof.siblings.indices {
            let bits = exhaustive ? Array(0..<256) : [Int.random(in: 0..<256, using: &rng)]
            for bit in bits {
                var siblings = proof.siblings
                siblings[s] = flip(siblings[s], bit: bit)
                rejects(siblings: siblings)
            }
        }
        let leafBits = exhaustive ? Array(0..<(proof.leaf.count * 8)) : (0..<2).compactMap { _ in
            proof.leaf.isEmpty ? nil : Int.random(in: 0..<(proof.leaf.count * 8), using: &rng)
        }
        for bit in leafBits {
            var leaf = proof.leaf
            leaf[bit / 8] ^= 1 << UInt8(bit % 8)
            rejects(leaf: leaf)
        }
        for bit in (exhaustive ? Array(0..<256) : [Int.random(in: 0..<256, using: &rng)]) {
            rejects(root: flip(root, bit: bit))
        }
        // Every one-bit change of the index (below 64) that stays a valid index or not.
        for bit in 0..<64 {
            rejects(index: proof.leafIndex ^ (1 << UInt64(bit)))
        }
        return mutations
    }

    @Test("property: every inclusion proof verifies and every one-bit change fails (1 to 10,000 leaves)")
    func inclusionProperty() throws {
        var rng = DeterministicRandom(seed: 0x4D45_524B_4C45)
        // Every index and every bit for 1…16 leaves; every index, one random bit per sibling for
        // 17…64; 24 random indices plus the first and last for boundary and random sizes up to 10,000.
        var sizes = Array(1...64)
        sizes += [127, 128, 129, 1023, 1024, 1025, 4095, 4096, 4097, 8191, 8192, 8193, 10_000]
        sizes += (0..<12).map { _ in Int.random(in: 65...10_000, using: &rng) }
        var proofs = 0
        var mutations = 0
        for size in sizes {
            let leaves = Self.randomLeaves(size, &rng)
            let tree = try MerkleTree<RFC6962SHA256>(leaves: leaves)
            let indices = size <= 64 ? Array(0..<size) : [0, size - 1] + (0..<24).map { _ in Int.random(in: 0..<size, using: &rng) }
            for index in indices {
                let proof = try tree.inclusionProof(index: index)
                #expect(proof.siblings.count <= 14)
                mutations += try Self.checkProof(proof, root: tree.root, exhaustive: size <= 16, &rng)
                proofs += 1
            }
        }
        #expect(proofs > 2_000)
        #expect(mutations > 100_000)
    }

    @Test("property holds for the Keccak-256 tree too")
    func keccakProperty() throws {
        var rng = DeterministicRandom(seed: 0x4B45_4343_414B)
        for size in [1, 2, 3, 6, 13, 64, 65, 1000] {
            let tree = try MerkleTree<RFC6962Keccak256>(leaves: Self.randomLeaves(size, &rng))
            for index in size <= 65 ? Array(0..<size) : (0..<16).map({ _ in Int.random(in: 0..<size, using: &rng) }) {
                _ = try Self.checkProof(tree.inclusionProof(index: index), root: tree.root, exhaustive: false, &rng)
            }
        }
    }

    @Test("shape errors: empty tree, index out of range, truncated path, extra sibling, too long")
    func shapeErrors() throws {
        let tree = try MerkleTree<RFC6962SHA256>(leaves: Self.referenceLeaves)
        let proof = try tree.inclusionProof(index: 5)
        #expect(throws: ConfirmationError(.merkleEmptyTree, "")) {
            try MerkleInclusionProof<RFC6962SHA256>(leaf: [], leafIndex: 0, treeSize: 0, siblings: [])
        }
        #expect(throws: ConfirmationError(.merkleIndexOutOfRange, "")) {
            try MerkleInclusionProof<RFC6962SHA256>(leaf: proof.leaf, leafIndex: 8, treeSize: 8, siblings: proof.siblings)
        }
        #expect(throws: ConfirmationError(.merkleIndexOutOfRange, "")) {
            try MerkleInclusionProof<RFC6962SHA256>(leaf: proof.leaf, leafIndex: .max, treeSize: 8, siblings: proof.siblings)
        }
        #expect(throws: ConfirmationError(.merkleProofLengthMismatch, "")) {
            try MerkleInclusionProof<RFC6962SHA256>(leaf: proof.leaf, leafIndex: 5, treeSize: 8, siblings: proof.siblings.dropLast())
        }
        #expect(throws: ConfirmationError(.merkleProofLengthMismatch, "")) {
            try MerkleInclusionProof<RFC6962SHA256>(leaf: proof.leaf, leafIndex: 5, treeSize: 8, siblings: proof.siblings + [.zero])
        }
        #expect(throws: ConfirmationError(.merkleProofTooLong, "")) {
            try MerkleInclusionProof<RFC6962SHA256>(
                leaf: [], leafIndex: 0, treeSize: .max, siblings: Array(repeating: .zero, count: 65))
        }
        #expect(throws: ConfirmationError(.merkleLeafTooLarge, "")) {
            try MerkleInclusionProof<RFC6962SHA256>(
                leaf: Array(repeating: 0, count: MerkleLimits.maximumLeafBytes + 1), leafIndex: 0, treeSize: 1, siblings: [])
        }
        #expect(throws: ConfirmationError(.merkleIndexOutOfRange, "")) { try tree.inclusionProof(index: 8) }
        #expect(throws: ConfirmationError(.merkleIndexOutOfRange, "")) { try tree.inclusionProof(index: -1) }
        // The largest tree: 64 siblings for the first leaf of a tree of 2^64 - 1 leaves.
        let deepest = try MerkleInclusionProof<RFC6962SHA256>(
            leaf: [1], leafIndex: 0, treeSize: .max, siblings: Array(repeating: .zero, count: 64))
        #expect(deepest.root != .zero)
    }

    @Test("an interior node cannot be presented as a leaf (second preimage)")
    func leafAsNode() throws {
        let tree = try MerkleTree<RFC6962SHA256>(leaves: Self.referenceLeaves)
        let proof = try tree.inclusionProof(index: 0)
        // Level 1, node 0 is H(0x01 ‖ leaf0 ‖ leaf1); pretend its preimage is a leaf of a 4-leaf tree.
        let l0 = try tree.leafHash(at: 0)
        let l1 = try tree.leafHash(at: 1)
        let forged = try MerkleInclusionProof<RFC6962SHA256>(
            leaf: l0.bytes + l1.bytes, leafIndex: 0, treeSize: 4, siblings: Array(proof.siblings.dropFirst()))
        #expect(!forged.verify(against: tree.root))
        // Without the leaf prefix the same forgery would work: the node hash is what the path expects.
        #expect(try MerkleInclusionProof<RFC6962SHA256>.root(
            leafHash: RFC6962SHA256.nodeHash(l0, l1), leafIndex: 0, treeSize: 4, siblings: forged.siblings) == tree.root)
    }

    @Test("the tree size is not bound by an RFC 6962 root: index 0 of 5 and of 7 share a proof")
    func treeSizeNotBound() throws {
        // Documented limitation (Docs/merkle-proofs.md): RFC 6962 roots do not commit to the size,
        // which is why the namespaced commitment hashes both counts in.
        var rng = DeterministicRandom(seed: 57)
        let tree = try MerkleTree<RFC6962SHA256>(leaves: Self.randomLeaves(5, &rng))
        let proof = try tree.inclusionProof(index: 0)
        let resized = try MerkleInclusionProof<RFC6962SHA256>(leaf: proof.leaf, leafIndex: 0, treeSize: 7, siblings: proof.siblings)
        #expect(resized.verify(against: tree.root))
    }
}
