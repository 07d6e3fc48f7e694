import Testing
@testable import ConfirmationCrypto

/// Own cases the precompile vectors do not cover: every one must be rejected with its code.
enum InvalidPoints {
    static let pBytes = Fp.modulus.bigEndianBytes

    /// A point on the twist E' that is not in G2: the first x = (k, 1), k = 1, 2, …, with x³ + b'
    /// a square and [r]Q ≠ O (the twist's cofactor is about 2²⁵⁴, so the first hit qualifies).
    static let twistPointOutsideG2: AffinePoint<Fp2> = {
        var k: UInt64 = 1
        while true {
            let x = Fp2(Fp(k), .one)
            if let y = (x.squared() * x + Fp2.twistB).squareRoot() {
                let q = AffinePoint(x: x, y: y)
                if !BN254.G2Point.isInSubgroup(q) { return q }
            }
            k += 1
        }
    }()

    static func eip197(_ q: AffinePoint<Fp2>) -> [UInt8] {
        q.x.c1.canonical.bigEndianBytes + q.x.c0.canonical.bigEndianBytes
            + q.y.c1.canonical.bigEndianBytes + q.y.c0.canonical.bigEndianBytes
    }

    static func arkworks(_ q: AffinePoint<Fp2>) -> [UInt8] {
        var out = q.x.c0.canonical.littleEndianBytes + q.x.c1.canonical.littleEndianBytes
            + q.y.c0.canonical.littleEndianBytes + q.y.c1.canonical.littleEndianBytes
        if q.y.isLexicographicallyLarge { out[127] |= 0x80 }
        return out
    }
}

func expectCode(_ code: ConfirmationError.Code, _ comment: Comment? = nil,
                sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected \(code), nothing thrown \(comment.map { "(\($0))" } ?? "")", sourceLocation: sourceLocation)
    } catch let error as ConfirmationError {
        #expect(error.code == code, comment, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected ConfirmationError \(code), got \(error)", sourceLocation: sourceLocation)
    }
}

@Suite("BN254 rejects invalid points with typed errors")
struct BN254InvalidInputTests {
    static let g1 = BN254.G1Point.generator.eip196Bytes
    static let g2 = BN254.G2Point.generator.eip197Bytes

    @Test("G1 off the curve: (1, 3) and the generator with y + 1")
    func g1OffCurve() {
        var bytes = [UInt8](repeating: 0, count: 64)
        bytes[31] = 1
        bytes[63] = 3
        expectCode(.bn254NotOnCurve) { _ = try BN254.G1Point(eip196Bytes: bytes) }
        expectCode(.bn254NotOnCurve) { _ = try Precompile.add(bytes + Self.g1) }
        expectCode(.bn254NotOnCurve) { _ = try Precompile.mul(bytes + [UInt8](repeating: 1, count: 32)) }
        expectCode(.bn254NotOnCurve) { _ = try Precompile.pairing(bytes + Self.g2) }
        // (0, 3) is not infinity and not on the curve either.
        var zeroX = [UInt8](repeating: 0, count: 64)
        zeroX[63] = 3
        expectCode(.bn254NotOnCurve) { _ = try BN254.G1Point(eip196Bytes: zeroX) }
    }

    @Test("G1 coordinates ≥ p are rejected, even when x − p would be on the curve")
    func g1OutOfRange() {
        // x = p + 1 ≡ 1, y = 2: the generator shifted by p.
        var x = Fp.modulus.bigEndianBytes
        x[31] += 1
        var y = [UInt8](repeating: 0, count: 32)
        y[31] = 2
        expectCode(.bn254CoordinateOutOfRange) { _ = try BN254.G1Point(eip196Bytes: x + y) }
        expectCode(.bn254CoordinateOutOfRange) { _ = try BN254.G1Point(eip196Bytes: InvalidPoints.pBytes + y) }
        // y = p + 2.
        var yShifted = Fp.modulus.bigEndianBytes
        yShifted[31] += 2
        var one = [UInt8](repeating: 0, count: 32)
        one[31] = 1
        expectCode(.bn254CoordinateOutOfRange) { _ = try BN254.G1Point(eip196Bytes: one + yShifted) }
        expectCode(.bn254CoordinateOutOfRange) { _ = try BN254.G1Point(eip196Bytes: [UInt8](repeating: 0xff, count: 64)) }
        expectCode(.bn254CoordinateOutOfRange) { _ = try Precompile.pairing(x + y + Self.g2) }
    }

    @Test("G2 off the twist: the generator with y.re + 1")
    func g2OffCurve() {
        var bytes = Self.g2
        bytes[127] ^= 1
        expectCode(.bn254NotOnCurve) { _ = try BN254.G2Point(eip197Bytes: bytes) }
        expectCode(.bn254NotOnCurve) { _ = try Precompile.pairing(Self.g1 + bytes) }
        // A point of E (the untwisted curve) read as a twist point is not on E'.
        let onE = [UInt8](repeating: 0, count: 31) + [1] + [UInt8](repeating: 0, count: 32)
            + [UInt8](repeating: 0, count: 31) + [2] + [UInt8](repeating: 0, count: 32)
        expectCode(.bn254NotOnCurve) { _ = try BN254.G2Point(eip197Bytes: onE) }
    }

    @Test("a twist point outside the order-r subgroup is rejected (EIP-197 and arkworks forms)")
    func g2NotInSubgroup() {
        let q = InvalidPoints.twistPointOutsideG2
        #expect(q.isOnCurve)
        expectCode(.bn254NotInSubgroup) { _ = try BN254.G2Point(eip197Bytes: InvalidPoints.eip197(q)) }
        expectCode(.bn254NotInSubgroup) { _ = try BN254.G2Point(arkworksUncompressed: InvalidPoints.arkworks(q)) }
        expectCode(.bn254NotInSubgroup) { _ = try Precompile.pairing(Self.g1 + InvalidPoints.eip197(q)) }
        expectCode(.bn254NotInSubgroup) {
            _ = try EspressoBLS.VerificationKey(taggedBase64: TaggedBase64(tag: "BLS_VER_KEY", value: InvalidPoints.arkworks(q)).description)
        }
    }

    @Test("G2 coordinates ≥ p are rejected in each of the four words", arguments: 0..<4)
    func g2OutOfRange(word: Int) {
        var bytes = Self.g2
        bytes.replaceSubrange(word * 32..<word * 32 + 32, with: InvalidPoints.pBytes)
        expectCode(.bn254CoordinateOutOfRange) { _ = try BN254.G2Point(eip197Bytes: bytes) }
        var ark = BN254.G2Point.generator.arkworksUncompressedBytes
        ark.replaceSubrange(word * 32..<word * 32 + 32, with: Array(InvalidPoints.pBytes.reversed()))
        expectCode(.bn254CoordinateOutOfRange) { _ = try BN254.G2Point(arkworksUncompressed: ark) }
    }

    @Test("arkworks flags: both set, infinity on non-zero coordinates, wrong sign")
    func arkworksFlags() throws {
        let g1 = BN254.G1Point.generator.arkworksUncompressedBytes
        var both = g1
        both[63] |= 0xc0
        expectCode(.bn254InvalidFlags) { _ = try BN254.G1Point(arkworksUncompressed: both) }
        var infinityOnPoint = g1
        infinityOnPoint[63] |= 0x40
        expectCode(.bn254InvalidFlags) { _ = try BN254.G1Point(arkworksUncompressed: infinityOnPoint) }
        var wrongSign = g1
        wrongSign[63] ^= 0x80
        expectCode(.bn254InvalidFlags) { _ = try BN254.G1Point(arkworksUncompressed: wrongSign) }
        let g2 = BN254.G2Point.generator.arkworksUncompressedBytes
        var g2WrongSign = g2
        g2WrongSign[127] ^= 0x80
        expectCode(.bn254InvalidFlags) { _ = try BN254.G2Point(arkworksUncompressed: g2WrongSign) }
        var g2Both = g2
        g2Both[127] |= 0xc0
        expectCode(.bn254InvalidFlags) { _ = try BN254.G2Point(arkworksUncompressed: g2Both) }
        // Round trips, both signs, and infinity.
        #expect(try BN254.G1Point(arkworksUncompressed: g1) == .generator)
        let negated = BN254.G1Point.generator.negated
        #expect(try BN254.G1Point(arkworksUncompressed: negated.arkworksUncompressedBytes) == negated)
        #expect(try BN254.G2Point(arkworksUncompressed: g2) == .generator)
        #expect(try BN254.G2Point(arkworksUncompressed: BN254.G2Point.generator.negated.arkworksUncompressedBytes) == .generator.negated)
        #expect(try BN254.G1Point(arkworksUncompressed: BN254.G1Point.infinity.arkworksUncompressedBytes).isInfinity)
        #expect(try BN254.G2Point(arkworksUncompressed: BN254.G2Point.infinity.arkworksUncompressedBytes).isInfinity)
        // Zero coordinates without the infinity flag are not a point.
        expectCode(.bn254NotOnCurve) { _ = try BN254.G1Point(arkworksUncompressed: [UInt8](repeating: 0, count: 64)) }
    }

    @Test("wrong lengths are rejected, and pairing input must be a multiple of 192 bytes")
    func lengths() {
        for n in [0, 1, 63, 65, 128] {
            expectCode(.bn254InvalidLength) { _ = try BN254.G1Point(eip196Bytes: [UInt8](repeating: 0, count: n)) }
            expectCode(.bn254InvalidLength) { _ = try BN254.G1Point(arkworksUncompressed: [UInt8](repeating: 0, count: n)) }
        }
        for n in [0, 64, 127, 129] {
            expectCode(.bn254InvalidLength) { _ = try BN254.G2Point(eip197Bytes: [UInt8](repeating: 0, count: n)) }
            expectCode(.bn254InvalidLength) { _ = try BN254.G2Point(arkworksUncompressed: [UInt8](repeating: 0, count: n)) }
        }
        expectCode(.bn254InvalidLength) { _ = try BN254.Scalar(bigEndianBytes: [1, 2, 3]) }
        expectCode(.bn254InvalidLength) { _ = try Precompile.pairing(Self.g1 + Self.g2 + [0]) }
    }

    @Test("EIP-196/197 encodings round-trip")
    func roundTrips() throws {
        #expect(try BN254.G1Point(eip196Bytes: Self.g1) == .generator)
        #expect(try BN254.G2Point(eip197Bytes: Self.g2) == .generator)
        #expect(try BN254.G1Point(eip196Bytes: [UInt8](repeating: 0, count: 64)).isInfinity)
        #expect(try BN254.G2Point(eip197Bytes: [UInt8](repeating: 0, count: 128)).isInfinity)
        let p = BN254.G1Point.generator.multiplied(by: .init(123_456_789))
        #expect(try BN254.G1Point(eip196Bytes: p.eip196Bytes) == p)
        let q = BN254.G2Point.generator.multiplied(by: .init(987_654_321))
        #expect(try BN254.G2Point(eip197Bytes: q.eip197Bytes) == q)
        #expect(try BN254.G2Point(arkworksUncompressed: q.arkworksUncompressedBytes) == q)
    }
}
