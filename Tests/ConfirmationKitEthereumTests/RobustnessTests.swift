import ConfirmationKit
import ConfirmationKitEthereum
import Foundation
import Testing

/// Untrusted input never traps: random and mutated inputs to every decoder and verifier either
/// decode or throw a ConfirmationError.
@Suite("Robustness")
struct RobustnessTests {
    @Test("random bytes and mutated valid encodings through RLP, receipts, headers, accounts")
    func decoders() throws {
        var random = DeterministicRandom(seed: 0x46555a5a)
        let receipt = EthereumReceipt(type: 2, outcome: .status(true), cumulativeGasUsed: 1000, logsBloom: random.bytes(256),
                                      logs: [EthereumLog(address: try EthereumAddress(bytes: random.bytes(20)), topics: [Keccak256.hash([1])], data: random.bytes(40))])
        let seeds: [[UInt8]] = [receipt.encoded, try sampleHeader(.prague).rlp(),
                                EthereumAccount(nonce: 5, balance: [1, 2], storageRoot: .zero, codeHash: .zero).rlp]
        for round in 0..<3000 {
            var input: [UInt8]
            if round % 3 == 0 {
                input = random.bytes(Int(random.next() % 80))
            } else {
                input = seeds[round % seeds.count]
                for _ in 0..<(1 + Int(random.next() % 4)) where !input.isEmpty {
                    let index = Int(random.next() % UInt64(input.count))
                    switch random.next() % 3 {
                    case 0: input[index] = UInt8(truncatingIfNeeded: random.next())
                    case 1: input.remove(at: index)
                    default: input.insert(UInt8(truncatingIfNeeded: random.next()), at: index)
                    }
                }
            }
            expectDecodesOrThrows { _ = try RLP.decode(input) }
            expectDecodesOrThrows { _ = try EthereumReceipt(encoded: input) }
            expectDecodesOrThrows { _ = try EthereumBlockHeader(rlp: input) }
            expectDecodesOrThrows { _ = try EthereumAccount(rlp: input) }
            expectDecodesOrThrows { _ = try HexPrefix.decode(input) }
        }
    }

    @Test("mutated proof nodes never trap and never verify a different value")
    func proofs() throws {
        var random = DeterministicRandom(seed: 0x50524f46)
        var trie = MerklePatriciaTrie()
        var keys = [[UInt8]]()
        for _ in 0..<64 {
            let key = Keccak256.hash(random.bytes(4)).bytes
            keys.append(key)
            trie[key] = random.bytes(1 + Int(random.next() % 50))
        }
        for round in 0..<2000 {
            let key = keys[round % keys.count]
            var proof = trie.proof(for: key)
            let nodeIndex = Int(random.next() % UInt64(proof.count))
            let byteIndex = Int(random.next() % UInt64(proof[nodeIndex].count))
            proof[nodeIndex][byteIndex] ^= UInt8(truncatingIfNeeded: random.next() | 1)
            // Let the mutated node through the hash check by re-rooting or re-linking it: the walker itself must cope.
            let root = nodeIndex == 0 ? Keccak256.hash(proof[0]) : trie.root
            do {
                let value = try MerklePatriciaProof.verify(root: root, key: key, proof: proof)
                if nodeIndex != 0 { Issue.record("a tampered inner node verified") }
                _ = value
            } catch is ConfirmationError {
            } catch {
                Issue.record("unexpected error \(error)")
            }
            // Random node lists.
            let junk = (0..<Int(1 + random.next() % 4)).map { _ in random.bytes(Int(random.next() % 600)) }
            expectDecodesOrThrows { _ = try MerklePatriciaProof.verify(root: Keccak256.hash(junk[0]), key: key, proof: junk) }
        }
    }

    @Test("malformed JSON never traps")
    func json() throws {
        let header = try sampleHeader(.cancun).jsonObject()
        var random = DeterministicRandom(seed: 0x4a534f4e)
        for key in header.keys.sorted() {
            for replacement in ["", "0x", "0x0", "0xzz", "1234", "0x" + String(repeating: "f", count: 80), "0x" + String(repeating: "0", count: 513)] {
                var object = header
                object[key] = replacement
                let data = try JSONSerialization.data(withJSONObject: object)
                expectDecodesOrThrows { _ = try EthereumBlockHeader.verifiedBlock(json: data) }
            }
        }
        for _ in 0..<200 {
            let data = Data(random.bytes(Int(random.next() % 64)))
            expectDecodesOrThrows { _ = try AccountProof(json: data) }
            expectDecodesOrThrows { _ = try EthereumReceipt.blockReceipts(json: data) }
        }
    }

    func expectDecodesOrThrows(_ body: () throws -> Void) {
        do {
            try body()
        } catch is ConfirmationError {
        } catch {
            Issue.record("non-ConfirmationError thrown: \(error)")
        }
    }
}
