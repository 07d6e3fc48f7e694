import ConfirmationCrypto
import Testing

/// Random and truncated bytes fed to every parser: each either parses or throws a
/// `ConfirmationError`; nothing traps. (A trap would end the test process, failing the run.)
@Suite("Parser robustness")
struct FuzzTests {
    static let iterations = 3_000

    /// A sample: random lengths biased to the interesting sizes, random and structured content.
    static func samples(seed: UInt64) -> [[UInt8]] {
        var rng = DeterministicRandom(seed: seed)
        let sizes = [0, 1, 2, 8, 20, 31, 32, 33, 63, 64, 65, 66, 70, 71, 72, 73, 128, 300]
        var out: [[UInt8]] = []
        for i in 0..<iterations {
            let size = i % 3 == 0 ? Int(rng.next() % 400) : sizes[Int(rng.next() % UInt64(sizes.count))]
            var bytes = rng.bytes(size)
            if i % 5 == 0, !bytes.isEmpty { bytes[0] = [0x02, 0x03, 0x04, 0x30, 0x06][Int(rng.next() % 5)] }
            out.append(bytes)
        }
        return out
    }

    @Test func binaryParsers() {
        let digest = SHA256.hash([1, 2, 3])
        var parsed = 0
        for bytes in Self.samples(seed: 1) {
            // Every call either returns or throws ConfirmationError.
            for attempt in [
                { _ = try Secp256k1PublicKey(serialized: bytes) },
                { _ = try ECDSASignature(compact: bytes) },
                { _ = try ECDSASignature(derEncoded: bytes) },
                { _ = try RecoverableSignature(rsv: bytes).recoverPublicKey(digest: digest) },
                { _ = try SchnorrPublicKey(xOnly: bytes) },
                { _ = try Ed25519PublicKey(rawRepresentation: bytes) },
                { _ = try EthereumAddress(bytes: bytes) },
                { _ = try Bytes32(bytes) },
                { _ = try Secp256k1PrivateKey(bytes: bytes) },
            ] as [() throws -> Void] {
                do {
                    try attempt()
                    parsed += 1
                } catch is ConfirmationError {
                } catch {
                    Issue.record("untyped error \(error) for \(Hex.encode(bytes))")
                }
            }
            if let key = try? Ed25519PublicKey(rawRepresentation: bytes.prefix(32)) {
                _ = key.isValidSignature(bytes, for: bytes)
            }
        }
        #expect(parsed > 0)
    }

    /// Truncations of a valid DER signature and of a valid r‖s‖v signature are refused with typed errors.
    @Test func truncations() throws {
        var rng = DeterministicRandom(seed: 3)
        let key = rng.secp256k1Key()
        let digest = try Bytes32(rng.bytes(32))
        let recoverable = key.signRecoverable(digest: digest)
        let compact = recoverable.compact
        let der = derEncode(r: Array(compact[0..<32]), s: Array(compact[32...]))
        for cut in 0..<der.count {
            #expect(throws: ConfirmationError.self) { try ECDSASignature(derEncoded: der.prefix(cut)) }
        }
        for cut in 0..<65 {
            #expect(throws: ConfirmationError.self) { try RecoverableSignature(rsv: recoverable.rsv.prefix(cut)) }
        }
        let uncompressed = key.publicKey.uncompressed
        for cut in 0..<65 where cut != 33 {
            #expect(throws: ConfirmationError.self) { try Secp256k1PublicKey(serialized: uncompressed.prefix(cut)) }
        }
    }

    @Test func textParsers() {
        var rng = DeterministicRandom(seed: 2)
        let alphabet = Array("0123456789abcdefABCDEFxX+/=-_ gz\n\u{0}é".unicodeScalars)
        for _ in 0..<Self.iterations {
            let length = Int(rng.next() % 90)
            var text = ""
            for _ in 0..<length { text.unicodeScalars.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            for attempt in [
                { _ = try Hex.decode(text) },
                { _ = try Base64.decode(text) },
                { _ = try Base64.decodeURL(text) },
                { _ = try EthereumAddress(text) },
                { _ = try Bytes32(hex: text) },
            ] as [() throws -> Void] {
                do { try attempt() } catch is ConfirmationError {} catch {
                    Issue.record("untyped error \(error) for \(text.debugDescription)")
                }
            }
        }
    }

    /// Base64 decoding inverts encoding for random data, both alphabets.
    @Test func base64RoundTrip() throws {
        var rng = DeterministicRandom(seed: 4)
        for length in 0..<200 {
            let bytes = rng.bytes(length)
            #expect(try Base64.decode(Base64.encode(bytes)) == bytes)
            #expect(try Base64.decodeURL(Base64.encodeURL(bytes)) == bytes)
            #expect(try Hex.decode(Hex.encode(bytes)) == bytes)
        }
    }
}
