import Testing
@testable import ConfirmationCrypto

extension DeterministicRandom {
    /// A uniformly random field element (rejection sampling on 254 bits).
    mutating func fp() -> Fp {
        while true {
            let v = UInt256(next(), next(), next(), next() & 0x3fff_ffff_ffff_ffff)
            if let e = Fp(canonical: v) { return e }
        }
    }

    mutating func fp2() -> Fp2 { Fp2(fp(), fp()) }
    mutating func fp6() -> Fp6 { Fp6(fp2(), fp2(), fp2()) }
    mutating func fp12() -> Fp12 { Fp12(fp6(), fp6()) }
}

/// ξ = 9 + u.
let xi = Fp2(Fp(9), Fp(1))

@Suite("BN254 field and group properties")
struct BN254PropertyTests {
    @Test("F_p: Montgomery round trip, inverse and square root")
    func fpBasics() {
        var rng = DeterministicRandom(seed: 1)
        #expect(Fp(canonical: Fp.modulus) == nil)
        #expect(Fp.one.canonical == UInt256(1, 0, 0, 0))
        #expect((-Fp.one).canonical == Fp.modulus.subtracting(UInt256(1, 0, 0, 0)))
        for _ in 0..<200 {
            let a = rng.fp()
            let b = rng.fp()
            #expect(Fp(canonical: a.canonical) == a)
            #expect(a + b - b == a)
            #expect(a * b == b * a)
            #expect(a.halved().doubled() == a)
            if !a.isZero { #expect(a * a.inverse() == .one) }
            let s = a.squared()
            let root = s.squareRoot()
            #expect(root == a || root == -a)
        }
        // Multiplication accepts unreduced sums below 2p and returns reduced results: compare with
        // the reduced sums, including the largest inputs (p − 1) + (p − 1).
        let top = -Fp.one
        let extremes = [Fp.zero, .one, top, top - .one, Fp(canonical: Fp.halfModulus) ?? .one]
        for x in extremes + (0..<50).map({ _ in rng.fp() }) {
            for y in extremes + [rng.fp()] {
                let lazy = Fp.unreducedSum(x, y) * Fp.unreducedSum(y, top)
                #expect(lazy == (x + y) * (y + top))
                #expect(lazy.canonical < Fp.modulus)
            }
        }
        // −1 is not a square (p ≡ 3 mod 4).
        #expect((-Fp.one).squareRoot() == nil)
        #expect(Fp.zero.inverse() == .zero)
    }

    @Test("F_p2, F_p6, F_p12: inverses, square roots, squaring = self-multiplication")
    func towerBasics() {
        var rng = DeterministicRandom(seed: 2)
        for _ in 0..<50 {
            let a = rng.fp2()
            #expect(a * a.inverse() == .one)
            #expect(a.squared() == a * a)
            #expect(a.mulByNonResidue() == a * xi)
            let root = a.squared().squareRoot()
            #expect(root == a || root == -a)
            if let r = a.squareRoot() { #expect(r.squared() == a) }
        }
        // u² = −1.
        let u = Fp2(.zero, .one)
        #expect(u.squared() == -Fp2.one)
        for _ in 0..<20 {
            let a = rng.fp6()
            let b = rng.fp6()
            #expect(a * a.inverse() == .one)
            #expect(a.squared() == a * a)
            #expect(a.mulBy01(b.c0, b.c1) == a * Fp6(b.c0, b.c1, .zero))
            let f = rng.fp12()
            let g = rng.fp12()
            #expect(f * f.inverse() == .one)
            #expect(f.squared() == f * f)
            #expect(f * g == g * f)
            let line = (rng.fp2(), rng.fp2(), rng.fp2())
            let sparse = Fp12(Fp6(line.0, .zero, .zero), Fp6(line.1, line.2, .zero))
            #expect(f.mulByLine(line.0, line.1, line.2) == f * sparse)
        }
    }

    @Test("Frobenius constants equal ξ^(i(p^k − 1)/6) and the maps equal x^p, x^p², x^p³")
    func frobenius() {
        let pMinus1Over6 = UInt256(0x34b0_1759_2414_d4e1, 0xee95_91c2_e6bd_a1c2, 0xf40d_60f3_c040_3964, 0x0810_b7bd_d032_f006)
        #expect(Fp(canonical: pMinus1Over6)?.canonical == pMinus1Over6)
        var exponent = UInt256.zero
        for i in 0..<5 {
            // exponent = (i + 1)·(p − 1)/6, accumulated by addition.
            exponent = add(exponent, pMinus1Over6)
            let gamma1 = xi.power(exponent)
            #expect(FrobeniusConstants.gamma1[i] == gamma1, "γ1,\(i + 1)")
            // γ2 = γ1^(p+1) = γ1·conj(γ1) (in F_p); γ3 = γ1^(p²+p+1) = γ2·γ1.
            let gamma2 = gamma1 * gamma1.conjugated()
            #expect(gamma2.c1.isZero)
            #expect(FrobeniusConstants.gamma2[i] == gamma2.c0, "γ2,\(i + 1)")
            #expect(FrobeniusConstants.gamma3[i] == gamma2 * gamma1, "γ3,\(i + 1)")
        }
        var rng = DeterministicRandom(seed: 3)
        let f = rng.fp12()
        #expect(f.frobenius() == f.power(Fp.modulus))
        #expect(f.frobeniusSquared() == f.frobenius().frobenius())
        #expect(f.frobeniusCubed() == f.frobenius().frobenius().frobenius())
    }

    func add(_ a: UInt256, _ b: UInt256) -> UInt256 {
        let (s0, c0) = a.l0.addingReportingOverflow(b.l0)
        let (s1a, c1a) = a.l1.addingReportingOverflow(b.l1)
        let (s1, c1b) = s1a.addingReportingOverflow(c0 ? 1 : 0)
        let (s2a, c2a) = a.l2.addingReportingOverflow(b.l2)
        let (s2, c2b) = s2a.addingReportingOverflow((c1a || c1b) ? 1 : 0)
        let s3 = a.l3 &+ b.l3 &+ ((c2a || c2b) ? 1 : 0)
        return UInt256(s0, s1, s2, s3)
    }

    static let r = UInt256(0x43e1_f593_f000_0001, 0x2833_e848_79b9_7091, 0xb850_45b6_8181_585d, 0x3064_4e72_e131_a029)

    @Test("G1 and G2: generators on their curves, of order r; the group law is consistent")
    func groups() throws {
        let g1 = BN254.G1Point.generator
        let g2 = BN254.G2Point.generator
        #expect(g1.point.isOnCurve && g2.point.isOnCurve)
        #expect(g1.point.multiplied(by: Self.r).isInfinity)
        #expect(BN254.G2Point.isInSubgroup(g2.point))
        var rng = DeterministicRandom(seed: 4)
        for _ in 0..<4 {
            let a = rng.next() >> 1, b = rng.next() >> 1
            let sum = BN254.Scalar(a + b)
            #expect(g1.multiplied(by: .init(a)) + g1.multiplied(by: .init(b)) == g1.multiplied(by: sum))
            #expect(g2.multiplied(by: .init(a)) + g2.multiplied(by: .init(b)) == g2.multiplied(by: sum))
            #expect(g1.multiplied(by: .init(a)) + g1.multiplied(by: .init(a)) == g1.multiplied(by: .init(2 * a)))
            #expect(g2.multiplied(by: .init(a)) + g2.multiplied(by: .init(a)).negated == .infinity)
            #expect(BN254.G2Point.sum([g2, g2, g2.multiplied(by: .init(a))]) == g2.multiplied(by: .init(a + 2)))
        }
        #expect(g1 + .infinity == g1)
        #expect(BN254.G2Point.infinity + g2 == g2)
    }

    @Test("the endomorphism subgroup test agrees with [r]Q = O on subgroup and non-subgroup points")
    func subgroupTest() {
        var rng = DeterministicRandom(seed: 6)
        let g2 = BN254.G2Point.generator.point
        for _ in 0..<8 {
            let q = g2.multiplied(by: UInt256(rng.next(), rng.next(), 0, 0)).affine
            #expect(BN254.G2Point.isInSubgroupByOrder(q))
            #expect(BN254.G2Point.isInSubgroup(q))
        }
        var found = 0
        while found < 8 {
            let x = rng.fp2()
            guard let y = (x.squared() * x + Fp2.twistB).squareRoot() else { continue }
            let q = AffinePoint(x: x, y: y)
            #expect(BN254.G2Point.isInSubgroup(q) == BN254.G2Point.isInSubgroupByOrder(q))
            #expect(!BN254.G2Point.isInSubgroup(q))
            // Clearing most of the cofactor still leaves a non-subgroup point unless it all cleared.
            let partial = q.multiplied(by: UInt256(0x1234_5678, 0, 0, 0)).affine
            #expect(BN254.G2Point.isInSubgroup(partial) == BN254.G2Point.isInSubgroupByOrder(partial))
            found += 1
        }
        #expect(BN254.G2Point.isInSubgroup(.infinity))
    }

    @Test("cyclotomic squaring equals squaring on the cyclotomic subgroup")
    func cyclotomicSquaring() {
        var rng = DeterministicRandom(seed: 10)
        for _ in 0..<10 {
            let f = rng.fp12()
            var m = f.conjugated() * f.inverse()
            m = m.frobeniusSquared() * m
            #expect(m.cyclotomicSquared() == m.squared())
            #expect(m * m.conjugated() == .one)
            #expect(Pairing.powerU(m) == Pairing.powerUBinary(m))
            #expect(Pairing.powerU(m) == m.power(UInt256(Pairing.u, 0, 0, 0)))
        }
    }

    @Test("the final exponentiation raises to exactly (p¹² − 1)/r: hard part = (p⁴ − p² + 1)/r")
    func finalExponentIsExact() {
        // (p⁴ − p² + 1)/r, computed independently (Python integers).
        let hardExponent = "1baaa710b0759ad331ec15183177faf6c0eb522d5b122784e529a5861876f6b3b1b1355d189227d7"
            + "9581e16f3fd90c66b887d56d5095f23aaa441e3954bcf8adcc7b44c87cdbacff1154e7e1da014fd5abf5cc4f49c36d4e81bb482ccdf42b1"
        var rng = DeterministicRandom(seed: 11)
        let f = rng.fp12()
        var easy = f.conjugated() * f.inverse()
        easy = easy.frobeniusSquared() * easy
        var expected = Fp12.one
        for digit in hardExponent {
            let nibble = Int(String(digit), radix: 16) ?? 0
            for bit in stride(from: 3, through: 0, by: -1) {
                expected = expected.squared()
                if (nibble >> bit) & 1 == 1 { expected = expected * easy }
            }
        }
        #expect(Pairing.finalExponentiation(f) == expected)
    }

    @Test("a prepared G2 point gives the same Miller loop as a running one")
    func preparedLines() {
        var rng = DeterministicRandom(seed: 12)
        let g1 = BN254.G1Point.generator.point
        let g2 = BN254.G2Point.generator.point
        for _ in 0..<3 {
            let p = g1.multiplied(by: UInt256(rng.next(), rng.next(), 0, 0)).affine
            let p2 = g1.multiplied(by: UInt256(rng.next(), 0, 0, 0)).affine
            let q = g2.multiplied(by: UInt256(rng.next(), rng.next(), 0, 0)).affine
            let prepared = G2Prepared(q)
            // 65 doublings (bits 64…0), 21 additions (the non-zero NAF digits below the leading one), 2 Frobenius lines.
            #expect(prepared.lines.count == 65 + 21 + 2)
            let dynamic = [(p, q)].withUnsafeBufferPointer { Pairing.millerLoop($0) }
            let viaTable = [(AffinePoint<Fp>, AffinePoint<Fp2>)]().withUnsafeBufferPointer {
                Pairing.millerLoop($0, prepared: [(p, prepared)])
            }
            #expect(dynamic == viaTable)
            // Mixed: one running pair and one prepared pair equal two running pairs.
            let mixed = [(p2, g2.negated)].withUnsafeBufferPointer { Pairing.millerLoop($0, prepared: [(p, prepared)]) }
            let both = [(p2, g2.negated), (p, q)].withUnsafeBufferPointer { Pairing.millerLoop($0) }
            #expect(mixed == both)
        }
        let negG2 = [(g1, g2.negated)].withUnsafeBufferPointer { Pairing.millerLoop($0) }
        let negG2Table = [(AffinePoint<Fp>, AffinePoint<Fp2>)]().withUnsafeBufferPointer {
            Pairing.millerLoop($0, prepared: [(g1, G2Prepared.negatedGenerator)])
        }
        #expect(negG2 == negG2Table)
    }

    @Test("pairing: bilinear, non-degenerate, of order r")
    func bilinearity() {
        var rng = DeterministicRandom(seed: 5)
        let g1 = BN254.G1Point.generator.point
        let g2 = BN254.G2Point.generator.point
        let base = Pairing.pairing(g1, g2)
        #expect(!base.isOne)
        #expect(base.power(Self.r).isOne)
        for _ in 0..<2 {
            let a = rng.next(), b = rng.next()
            let pa = g1.multiplied(by: UInt256(a, 0, 0, 0)).affine
            let qb = g2.multiplied(by: UInt256(b, 0, 0, 0)).affine
            let lhs = Pairing.pairing(pa, qb)
            #expect(lhs == base.power(UInt256(a, 0, 0, 0)).power(UInt256(b, 0, 0, 0)))
            // e(aP, bQ) = e(abP, Q) = e(P, abQ), checked as products equal to one.
            let ab = a.multipliedFullWidth(by: b)
            let abScalar = UInt256(ab.low, ab.high, 0, 0)
            let abP = g1.multiplied(by: abScalar).affine
            #expect(Pairing.productIsOne([(pa, qb), (abP.negated, g2)]))
            #expect(!Pairing.productIsOne([(pa, qb), (abP, g2)]))
            #expect(Pairing.productIsOne([(pa.negated, qb), (g1, g2.multiplied(by: abScalar).affine)]))
        }
        // Infinity on either side contributes 1.
        #expect(Pairing.productIsOne([(.infinity, g2), (g1, .infinity)]))
        #expect(BN254.multiPairingIsOne([]))
    }

    @Test("hash to G1: on the curve, smaller root, deterministic, message-sensitive")
    func hashToCurve() {
        var seen = Set<BN254.G1Point>()
        for n in 0..<32 {
            let message = Array("message \(n)".utf8)
            let h = EspressoBLS.hashToG1(message)
            #expect(h.point.isOnCurve && !h.isInfinity)
            #expect(!h.point.y.isLexicographicallyLarge)
            #expect(h == EspressoBLS.hashToG1(message))
            seen.insert(h)
        }
        #expect(seen.count == 32)
        // expand_message output is 48 bytes and its integer is reduced mod p.
        #expect(EspressoBLS.expandMessage([]).count == 48)
        let allOnes = [UInt8](repeating: 0xff, count: 48)
        let x = EspressoBLS.fieldElement(fromBigEndian48: allOnes)
        // 2³⁸⁴ − 1 ≡ x  ⇔  x + 1 = (2¹²⁸)³.
        let twoTo128 = Fp(canonical: UInt256(0, 0, 1, 0)) ?? .zero
        #expect(x + .one == twoTo128 * twoTo128 * twoTo128)
    }

    @Test("sign and verify with known secret keys (aggregation over several signers)")
    func signAndVerify() throws {
        let message = Array("vote".utf8)
        let h = EspressoBLS.hashToG1(message + EspressoBLS.ciphersuiteID)
        let secrets: [UInt64] = [11, 22, 33]
        let keys = try secrets.map { try EspressoBLS.VerificationKey(BN254.G2Point.generator.multiplied(by: .init($0))) }
        let sigma = EspressoBLS.Signature(BN254.G1Point.generator.multiplied(by: .init(0)) + h.multiplied(by: .init(66)))
        #expect(EspressoBLS.verify(sigma, message: message, aggregateOf: keys))
        #expect(!EspressoBLS.verify(sigma, message: message, aggregateOf: keys.dropLast()))
        #expect(!EspressoBLS.verify(sigma, message: Array("other".utf8), aggregateOf: keys))
        #expect(!EspressoBLS.verify(sigma, message: message, aggregateOf: []))
        #expect(!EspressoBLS.verify(EspressoBLS.Signature(.infinity), message: message, aggregateOf: keys))
        // Keys that cancel out sum to infinity: rejected rather than trivially accepted.
        let cancelling = try [keys[0], EspressoBLS.VerificationKey(keys[0].point.negated)]
        #expect(!EspressoBLS.verify(EspressoBLS.Signature(.infinity), message: message, aggregateOf: cancelling))
        #expect(throws: ConfirmationError(.blsIdentityKey, "")) { try EspressoBLS.VerificationKey(.infinity) }
    }
}
