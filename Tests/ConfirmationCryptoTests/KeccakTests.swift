import ConfirmationCrypto
import Foundation
import Testing
import VectorSupport

@Suite("Keccak-256")
struct KeccakTests {
    /// Every byte-aligned message of the Keccak team's ShortMsgKAT_256 (Len 0 … 2040 step 8).
    @Test(.enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
    func shortMessageKAT() throws {
        let text = String(decoding: try SharedVectors.data("keccak/ShortMsgKAT_256.txt"), as: UTF8.self)
        var length: Int?
        var message: [UInt8]?
        var checked = 0
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "Len": length = Int(parts[1])
            case "Msg": message = try Hex.decode(parts[1])
            case "MD":
                let bits = try #require(length)
                let bytes = try #require(message)
                #expect(bits % 8 == 0)
                let input = Array(bytes.prefix(bits / 8))  // Len = 0 lists Msg = 00 for the empty message
                #expect(Keccak256.hash(input).hex == parts[1].lowercased(), "Len = \(bits)")
                // The incremental hasher agrees when fed in uneven pieces.
                var hasher = Keccak256()
                var rest = input[...]
                var step = 1
                while !rest.isEmpty {
                    hasher.update(Array(rest.prefix(step)))
                    rest = rest.dropFirst(step)
                    step = step * 3 % 151 + 1
                }
                #expect(hasher.finalize().hex == parts[1].lowercased(), "incremental, Len = \(bits)")
                checked += 1
                length = nil
                message = nil
            default: continue
            }
        }
        #expect(checked == 256)
    }

    /// Inputs around the 136-byte rate boundary and long inputs: one-shot equals byte-by-byte.
    @Test(arguments: [0, 1, 134, 135, 136, 137, 271, 272, 273, 1000, 10_000])
    func incrementalMatchesOneShot(length: Int) {
        var rng = DeterministicRandom(seed: UInt64(length))
        let input = rng.bytes(length)
        var hasher = Keccak256()
        for byte in input { hasher.update([byte]) }
        #expect(hasher.finalize() == Keccak256.hash(input))
    }

    /// Known digests of well-known inputs (empty string, "abc") and that SHA3-256 differs by padding only.
    @Test func knownDigests() throws {
        #expect(Keccak256.hash([]).hex == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(Keccak256.hash(Array("abc".utf8)).hex == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
        #expect(SHA3_256.hash(Array("abc".utf8)).hex == "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532")
        #expect(SHA3_256.hash([]).hex == "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a")
    }
}

@Suite("OpenSSL digests")
struct DigestTests {
    @Test func sha256AndRipemd160KnownAnswers() {
        #expect(SHA256.hash([]).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hash(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hex.encode(RIPEMD160.hash([])) == "9c1185a5c5e9fc54612808977ee8f548b2258d31")
        #expect(Hex.encode(RIPEMD160.hash(Array("abc".utf8))) == "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc")
    }

    /// The prefixed forms used by Merkle trees equal hashing the concatenation.
    @Test func prefixedFormsEqualConcatenation() {
        var rng = DeterministicRandom(seed: 7)
        let left = try! Bytes32(rng.bytes(32))
        let right = try! Bytes32(rng.bytes(32))
        #expect(SHA256.hash(prefix: 1, left, right) == SHA256.hash([1] + left.bytes + right.bytes))
        let leaf = rng.bytes(100)
        #expect(leaf.withUnsafeBytes { SHA256.hash(prefix: 0, $0) } == SHA256.hash([0] + leaf))
    }
}
