import ConfirmationKit
import Testing

@Suite("Merkle multi-proofs")
struct MultiProofTests {
    @Test("random subsets of random trees verify, share siblings, and reject every sibling change")
    func randomSubsets() throws {
        var rng = DeterministicRandom(seed: 0x4D55_4C54_49)
        for size in [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 100, 1000, 4097] {
            let leaves = MerkleTreeTests.randomLeaves(size, &rng)
            let tree = try MerkleTree<RFC6962SHA256>(leaves: leaves)
            for _ in 0..<12 {
                let count = Int.random(in: 1...min(size, 40), using: &rng)
                let indices = (0..<count).map { _ in Int.random(in: 0..<size, using: &rng) }
                let proof = try tree.multiProof(indices: indices)
                #expect(proof.leaves.map(\.index) == Set(indices).sorted().map(UInt64.init))
                #expect(proof.verify(against: tree.root))
                // Never more siblings than the separate paths together.
                let separate = try Set(indices).reduce(0) { $0 + (try tree.inclusionProof(index: $1).siblings.count) }
                #expect(proof.siblings.count <= separate)
                for s in proof.siblings.indices {
                    var siblings = proof.siblings
                    siblings[s] = MerkleTreeTests.flip(siblings[s], bit: Int.random(in: 0..<256, using: &rng))
                    let mutated = try MerkleMultiProof<RFC6962SHA256>(treeSize: proof.treeSize, leaves: proof.leaves, siblings: siblings)
                    #expect(!mutated.verify(against: tree.root))
                }
                var changed = proof.leaves
                let victim = Int.random(in: 0..<changed.count, using: &rng)
                changed[victim] = .init(index: changed[victim].index, data: changed[victim].data + [0])
                #expect(!(try MerkleMultiProof<RFC6962SHA256>(treeSize: proof.treeSize, leaves: changed, siblings: proof.siblings))
                    .verify(against: tree.root))
            }
            // Every leaf at once needs no sibling at all (up to the leaf limit).
            if size <= MerkleLimits.maximumMultiProofLeaves {
                let all = try tree.multiProof(indices: Array(0..<size))
                #expect(all.siblings.isEmpty)
                #expect(all.verify(against: tree.root))
            } else {
                #expect(throws: ConfirmationError(.merkleTooManyLeaves, "")) { try tree.multiProof(indices: Array(0..<size)) }
            }
        }
    }

    @Test("Keccak-256 multi-proofs")
    func keccak() throws {
        var rng = DeterministicRandom(seed: 77)
        let tree = try MerkleTree<RFC6962Keccak256>(leaves: MerkleTreeTests.randomLeaves(300, &rng))
        let proof = try tree.multiProof(indices: [299, 0, 150, 151, 7])
        #expect(proof.verify(against: tree.root))
        #expect(!proof.verify(against: try MerkleTree<RFC6962SHA256>(leaves: tree.leaves).root))
    }

    @Test("duplicate and out-of-order indices: the builder normalises, the decoder rejects")
    func duplicatesAndOrder() throws {
        var rng = DeterministicRandom(seed: 78)
        let tree = try MerkleTree<RFC6962SHA256>(leaves: MerkleTreeTests.randomLeaves(20, &rng))
        let proof = try tree.multiProof(indices: [9, 3, 9, 3, 14])
        #expect(proof == (try tree.multiProof(indices: [3, 9, 14])))
        let leaves = proof.leaves
        #expect(throws: ConfirmationError(.merkleIndicesNotSorted, "")) {
            try MerkleMultiProof<RFC6962SHA256>(treeSize: 20, leaves: [leaves[1], leaves[0], leaves[2]], siblings: proof.siblings)
        }
        #expect(throws: ConfirmationError(.merkleDuplicateIndex, "")) {
            try MerkleMultiProof<RFC6962SHA256>(treeSize: 20, leaves: [leaves[0], leaves[0], leaves[1], leaves[2]], siblings: proof.siblings)
        }
        // A duplicate index carrying *different* data is rejected, not half-checked.
        let twin = MerkleMultiProof<RFC6962SHA256>.Leaf(index: leaves[0].index, data: [0xff])
        #expect(throws: ConfirmationError(.merkleDuplicateIndex, "")) {
            try MerkleMultiProof<RFC6962SHA256>(treeSize: 20, leaves: [leaves[0], twin, leaves[1], leaves[2]], siblings: proof.siblings)
        }
        #expect(throws: ConfirmationError(.merkleProofLengthMismatch, "")) {
            try MerkleMultiProof<RFC6962SHA256>(treeSize: 20, leaves: leaves, siblings: proof.siblings.dropLast())
        }
        #expect(throws: ConfirmationError(.merkleProofLengthMismatch, "")) {
            try MerkleMultiProof<RFC6962SHA256>(treeSize: 20, leaves: leaves, siblings: proof.siblings + [.zero])
        }
        #expect(throws: ConfirmationError(.merkleIndexOutOfRange, "")) {
            try MerkleMultiProof<RFC6962SHA256>(treeSize: 14, leaves: leaves, siblings: proof.siblings)
        }
        #expect(throws: ConfirmationError(.merkleNoLeaves, "")) {
            try MerkleMultiProof<RFC6962SHA256>(treeSize: 20, leaves: [], siblings: [])
        }
        #expect(throws: ConfirmationError(.merkleEmptyTree, "")) {
            try MerkleMultiProof<RFC6962SHA256>(treeSize: 0, leaves: leaves, siblings: [])
        }
        #expect(throws: ConfirmationError(.merkleIndexOutOfRange, "")) { try tree.multiProof(indices: [3, 20]) }
        #expect(throws: ConfirmationError(.merkleNoLeaves, "")) { try tree.multiProof(indices: []) }
    }

    @Test("a single-leaf multi-proof carries exactly the inclusion path")
    func singleLeafMatchesPath() throws {
        var rng = DeterministicRandom(seed: 79)
        let tree = try MerkleTree<RFC6962SHA256>(leaves: MerkleTreeTests.randomLeaves(37, &rng))
        for index in 0..<37 {
            #expect(try tree.multiProof(indices: [index]).siblings == tree.inclusionProof(index: index).siblings)
        }
    }
}
