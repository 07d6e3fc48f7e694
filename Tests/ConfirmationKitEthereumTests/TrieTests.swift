import ConfirmationKit
import ConfirmationKitEthereum
import Foundation
import Testing
import VectorSupport

/// A trie-test key or value: `0x…` is hex, anything else is UTF-8.
func trieBytes(_ text: String) throws -> [UInt8] {
    text.hasPrefix("0x") ? try Hex.decode(text) : Array(text.utf8)
}

/// Checks proofs for every key in `trie` and for some absent keys.
func checkProofs(_ trie: MerklePatriciaTrie, keys: [[UInt8]], absent: [[UInt8]]) throws {
    let root = trie.root
    for key in keys {
        let proof = trie.proof(for: key)
        #expect(try MerklePatriciaProof.verify(root: root, key: key, proof: proof) == trie[key])
    }
    for key in absent where trie[key] == nil {
        let proof = trie.proof(for: key)
        #expect(try MerklePatriciaProof.verify(root: root, key: key, proof: proof) == nil)
    }
}

@Suite("Merkle-Patricia trie")
struct TrieTests {
    @Test("ethereum/tests trietest.json: ordered inserts and deletes rebuild every root",
          .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
    func trietest() throws {
        let cases = try loadJSONObject("ethereum/trietest.json")
        #expect(cases.count == 5)
        for (name, body) in cases.sorted(by: { $0.key < $1.key }) {
            let test = try #require(body as? [String: Any])
            let pairs = try #require(test["in"] as? [[Any]])
            var trie = MerklePatriciaTrie()
            var keys = [[UInt8]]()
            for pair in pairs {
                let key = try trieBytes(try #require(pair.first as? String))
                keys.append(key)
                trie[key] = try (pair.last as? String).map(trieBytes)
            }
            let root = try Bytes32(hex: try #require(test["root"] as? String))
            #expect(trie.root == root, "\(name)")
            try checkProofs(trie, keys: keys, absent: keys.map { $0 + [0x42] } + [[0x01], [0xff, 0xff]])
        }
    }

    @Test("ethereum/tests trieanyorder.json: every root", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
    func trieAnyOrder() throws {
        let cases = try loadJSONObject("ethereum/trieanyorder.json")
        #expect(cases.count == 7)
        for (name, body) in cases.sorted(by: { $0.key < $1.key }) {
            let test = try #require(body as? [String: Any])
            let pairs = try #require(test["in"] as? [String: String])
            let entries = try pairs.map { (key: try trieBytes($0.key), value: try trieBytes($0.value)) }
            // Any insertion order gives the same root.
            let forward = MerklePatriciaTrie(entries)
            let backward = MerklePatriciaTrie(entries.reversed())
            let root = try Bytes32(hex: try #require(test["root"] as? String))
            #expect(forward.root == root, "\(name)")
            #expect(backward.root == root, "\(name)")
            try checkProofs(forward, keys: entries.map(\.key), absent: entries.map { Array($0.key.dropLast()) })
        }
    }

    @Test("ethereum/tests hex_encoded_securetrie_test.json: secure-trie roots",
          .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
    func secureTrie() throws {
        let cases = try loadJSONObject("ethereum/hex_encoded_securetrie_test.json")
        #expect(cases.count == 3)
        for (name, body) in cases.sorted(by: { $0.key < $1.key }) {
            let test = try #require(body as? [String: Any])
            #expect(test["hexEncoded"] as? Bool == true)
            let pairs = try #require(test["in"] as? [String: String])
            let entries = try pairs.map { (key: Keccak256.hash(try Hex.decode($0.key)).bytes, value: try Hex.decode($0.value)) }
            let trie = MerklePatriciaTrie(entries)
            #expect(trie.root == (try Bytes32(hex: try #require(test["root"] as? String))), "\(name)")
            try checkProofs(trie, keys: entries.map(\.key), absent: [Keccak256.hash([1, 2, 3]).bytes])
        }
    }

    @Test func emptyTrie() throws {
        let trie = MerklePatriciaTrie()
        #expect(trie.root == MerklePatriciaProof.emptyRoot)
        #expect(MerklePatriciaProof.emptyRoot.hex == "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421")
        #expect(try MerklePatriciaProof.verify(root: trie.root, key: [1], proof: []) == nil)
        #expect(try MerklePatriciaProof.verify(root: trie.root, key: [1], proof: [[0x80]]) == nil)
        #expect(throws: ConfirmationError(.mptProofIncomplete, "")) {
            try MerklePatriciaProof.verify(root: Keccak256.hash([1]), key: [1], proof: [])
        }
    }

    @Test("random secure tries: every proof verifies; every tampering is caught")
    func randomTries() throws {
        var random = DeterministicRandom(seed: 0x4d5054)
        for size in [1, 2, 3, 17, 200] {
            var trie = MerklePatriciaTrie()
            var keys = [[UInt8]]()
            for _ in 0..<size {
                let key = Keccak256.hash(random.bytes(8)).bytes
                keys.append(key)
                trie[key] = RLP.encodeString(random.bytes(Int(random.next() % 40) + 1))
            }
            let root = trie.root
            try checkProofs(trie, keys: keys, absent: (0..<10).map { _ in Keccak256.hash(random.bytes(8)).bytes })
            for key in keys.prefix(5) {
                let proof = trie.proof(for: key)
                // Flip one bit in each node in turn.
                for nodeIndex in proof.indices {
                    var tampered = proof
                    let byteIndex = Int(random.next() % UInt64(tampered[nodeIndex].count))
                    tampered[nodeIndex][byteIndex] ^= 0x04
                    #expect(throws: ConfirmationError.self) {
                        let value = try MerklePatriciaProof.verify(root: root, key: key, proof: tampered)
                        if value != trie[key] { throw ConfirmationError(.mptValueMismatch, "different value") }
                    }
                }
                // Drop the last node; add an unused node.
                if proof.count > 1 {
                    #expect(throws: ConfirmationError(.mptProofIncomplete, "")) {
                        try MerklePatriciaProof.verify(root: root, key: key, proof: Array(proof.dropLast()))
                    }
                }
                #expect(throws: ConfirmationError(.mptUnusedNodes, "")) {
                    try MerklePatriciaProof.verify(root: root, key: key, proof: proof + [proof[0]])
                }
                #expect(throws: ConfirmationError(.mptRootMismatch, "")) {
                    try MerklePatriciaProof.verify(root: Keccak256.hash(key), key: key, proof: proof)
                }
            }
        }
    }

    @Test func claimsAndNodeLimit() throws {
        var trie = MerklePatriciaTrie()
        for (key, value) in [("do", "verb"), ("dog", "puppy"), ("horse", Array(repeating: "x", count: 200).joined())] {
            trie[Array(key.utf8)] = Array(value.utf8)
        }
        let key = Array("dog".utf8), absent = Array("cat".utf8)
        try MerklePatriciaProof.verify(root: trie.root, key: key, proof: trie.proof(for: key), claimedValue: Array("puppy".utf8))
        try MerklePatriciaProof.verify(root: trie.root, key: absent, proof: trie.proof(for: absent), claimedValue: nil)
        for (probe, claim) in [(key, Array("puppx".utf8)), (key, nil), (absent, Array("verb".utf8))] as [([UInt8], [UInt8]?)] {
            #expect(throws: ConfirmationError(.mptValueMismatch, "")) {
                try MerklePatriciaProof.verify(root: trie.root, key: probe, proof: trie.proof(for: probe), claimedValue: claim)
            }
        }
        let horse = Array("horse".utf8)
        let largest = try #require(trie.proof(for: horse).map(\.count).max())
        #expect(try MerklePatriciaProof.verify(root: trie.root, key: horse, proof: trie.proof(for: horse), maximumNodeBytes: largest) != nil)
        #expect(throws: ConfirmationError(.mptNodeTooLarge, "")) {
            try MerklePatriciaProof.verify(root: trie.root, key: horse, proof: trie.proof(for: horse), maximumNodeBytes: largest - 1)
        }
    }

    @Test func hexPrefix() throws {
        for nibbles: [UInt8] in [[], [1], [1, 2], [0xf, 1, 0xc], [0, 0, 0, 0]] {
            for leaf in [false, true] {
                let encoded = HexPrefix.encode(nibbles: nibbles, isLeaf: leaf)
                let decoded = try HexPrefix.decode(encoded)
                #expect(decoded.nibbles == nibbles && decoded.isLeaf == leaf)
            }
        }
        #expect(throws: ConfirmationError(.mptInvalidHexPrefix, "")) { try HexPrefix.decode([0x40]) }
        #expect(throws: ConfirmationError(.mptInvalidHexPrefix, "")) { try HexPrefix.decode([0x05]) }
        #expect(throws: ConfirmationError(.mptInvalidHexPrefix, "")) { try HexPrefix.decode([UInt8]()) }
    }
}
