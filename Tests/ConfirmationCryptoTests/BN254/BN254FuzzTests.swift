import Testing
@testable import ConfirmationCrypto

/// Random, truncated and bit-flipped inputs to every parser: each either parses or throws a
/// ConfirmationError; nothing traps and nothing throws another error type.
@Suite("BN254 and BLS parsers never trap")
struct BN254FuzzTests {
    static func survives(_ body: () throws -> Void) -> Bool {
        do {
            try body()
            return true
        } catch is ConfirmationError {
            return true
        } catch {
            return false
        }
    }

    static let validInputs: [[UInt8]] = [
        BN254.G1Point.generator.eip196Bytes,
        BN254.G2Point.generator.eip197Bytes,
        BN254.G1Point.generator.arkworksUncompressedBytes,
        BN254.G2Point.generator.arkworksUncompressedBytes,
    ]

    static func parseAll(_ bytes: [UInt8]) -> Bool {
        survives { _ = try BN254.G1Point(eip196Bytes: bytes) }
            && survives { _ = try BN254.G1Point(arkworksUncompressed: bytes) }
            && survives { _ = try BN254.G2Point(eip197Bytes: bytes) }
            && survives { _ = try BN254.G2Point(arkworksUncompressed: bytes) }
            && survives { _ = try BN254.Scalar(bigEndianBytes: bytes) }
            && survives { _ = try Precompile.pairing(bytes) }
            && survives { _ = try Precompile.add(bytes) }
    }

    @Test("random byte strings of every length up to 200")
    func randomBytes() {
        var rng = DeterministicRandom(seed: 7)
        for length in 0...200 {
            #expect(Self.parseAll(rng.bytes(length)), "length \(length)")
        }
    }

    @Test("truncations and single-bit flips of valid encodings")
    func mutations() {
        var rng = DeterministicRandom(seed: 8)
        for valid in Self.validInputs {
            for cut in 0..<valid.count { #expect(Self.parseAll(Array(valid.prefix(cut)))) }
            for _ in 0..<48 {
                var flipped = valid
                let bit = Int(rng.next() % UInt64(valid.count * 8))
                flipped[bit / 8] ^= 1 << UInt8(bit % 8)
                #expect(Self.parseAll(flipped))
            }
        }
    }

    @Test("inputs over the limits are refused before any work: 6 MiB of tagged-base64 text, 65 pairing pairs")
    func limits() {
        let huge = "BLS_SIG~" + String(repeating: "A", count: 6 << 20)
        expectCode(.inputTooLong) { _ = try TaggedBase64(parsing: huge) }
        let pair = BN254.G1Point.generator.eip196Bytes + BN254.G2Point.generator.eip197Bytes
        let tooMany = Array([[UInt8]](repeating: pair, count: BN254.maximumPairingInputPairs + 1).joined())
        expectCode(.inputTooLong) { _ = try BN254.pairingCheck(eip197Input: tooMany) }
    }

    @Test("tagged-base64 known answers from the tagged-base64 README: TX~QmVhdXRpZnVsEA, LA~SG9tZbo")
    func taggedBase64KnownAnswers() throws {
        let tx = try TaggedBase64(parsing: "TX~QmVhdXRpZnVsEA")
        #expect(tx.tag == "TX" && tx.value == Array("Beautiful".utf8))
        let la = try TaggedBase64(parsing: "LA~SG9tZbo")
        #expect(la.tag == "LA" && la.value == Array("Home".utf8))
        #expect(try TaggedBase64(tag: "TX", value: Array("Beautiful".utf8)).description == "TX~QmVhdXRpZnVsEA")
    }

    @Test("tagged-base64, BLS keys and signatures: random text, truncations, bad checksums")
    func taggedText() throws {
        var rng = DeterministicRandom(seed: 9)
        let key = try EspressoBLS.VerificationKey(BN254.G2Point.generator).taggedBase64
        let sig = EspressoBLS.Signature(.generator).taggedBase64
        let alphabet = Array("ABCxyz019-_~=+/ é\u{0}".unicodeScalars)
        for text in [key, sig, "COMMIT~", "~", "", "~AA", "TAG~A", "TAG~AAA=", "T@G~AAAA"] {
            for cut in 0...text.count {
                let prefix = String(text.prefix(cut))
                #expect(Self.survives { _ = try TaggedBase64(parsing: prefix) })
                #expect(Self.survives { _ = try EspressoBLS.VerificationKey(taggedBase64: prefix) })
                #expect(Self.survives { _ = try EspressoBLS.Signature(taggedBase64: prefix) })
            }
        }
        for _ in 0..<300 {
            let length = Int(rng.next() % 120)
            let text = String(String.UnicodeScalarView((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
            #expect(Self.survives { _ = try TaggedBase64(parsing: text) })
            #expect(Self.survives { _ = try EspressoBLS.Signature(taggedBase64: "BLS_SIG~" + text) })
        }
        // A flipped checksum is reported as such.
        let parsed = try TaggedBase64(parsing: sig)
        var corrupt = parsed.value + [TaggedBase64.checksum(tag: parsed.tag, value: parsed.value) ^ 1]
        expectCode(.taggedBase64ChecksumMismatch) { _ = try TaggedBase64(parsing: "BLS_SIG~" + Base64.encodeURL(corrupt)) }
        corrupt = Array(parsed.value.dropLast()) + [TaggedBase64.checksum(tag: parsed.tag, value: parsed.value)]
        expectCode(.taggedBase64ChecksumMismatch) { _ = try TaggedBase64(parsing: "BLS_SIG~" + Base64.encodeURL(corrupt)) }
        expectCode(.taggedBase64UnexpectedTag) { _ = try EspressoBLS.VerificationKey(taggedBase64: sig) }
        expectCode(.taggedBase64MissingSeparator) { _ = try TaggedBase64(parsing: "BLS_SIG") }
        expectCode(.taggedBase64InvalidTag) { _ = try TaggedBase64(parsing: "BLS SIG~AA") }
        expectCode(.taggedBase64MissingChecksum) { _ = try TaggedBase64(parsing: "BLS_SIG~") }
        expectCode(.invalidLength) {
            _ = try EspressoBLS.Signature(taggedBase64: TaggedBase64(tag: "BLS_SIG", value: [1, 2, 3]).description)
        }
    }
}
