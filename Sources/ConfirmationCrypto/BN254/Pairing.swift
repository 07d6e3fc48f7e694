// The optimal ate pairing on BN254: a Miller loop over 6u + 2 (in NAF) with the twisted
// Frobenius corrections, then the final exponentiation to the power (p¹² − 1)/r.
//
// Lines are evaluated with the homogeneous-projective formulas of Costello, Lange and Naehrig
// (and Aranha et al., "The realm of the pairings", §4.3). A line through points of the twist,
// mapped into E(F_p12), evaluated at P = (xP, yP), has the sparse shape
//     ℓ(P) = yP·a + (xP·b)·w + c·w³,
// where w³ = v·w, and any F_p2 factor is dropped (the final exponentiation kills it).

/// A point of the twist in homogeneous projective coordinates (x = X/Z, y = Y/Z): the Miller loop's running point.
struct G2Homogeneous: Sendable {
    var x: Fp2
    var y: Fp2
    var z: Fp2

    init(_ q: AffinePoint<Fp2>) {
        x = q.x
        y = q.y
        z = .one
    }

    /// Doubles the point and returns the tangent line's coefficients (a, b, c).
    @inline(__always)
    mutating func doubleStep() -> (Fp2, Fp2, Fp2) {
        let a = (x * y).halved()
        let b = y.squared()
        let c = z.squared()
        let e = (c.doubled() + c) * Fp2.twistB
        let f = e.doubled() + e
        let g = (b + f).halved()
        let h = (y + z).squared() - (b + c)
        let i = e - b
        let j = x.squared()
        let ee = e.squared()
        x = a * (b - f)
        y = g.squared() - (ee.doubled() + ee)
        z = b * h
        // ℓ = −H·yP + 3X²·xP·w + (3b'Z² − Y²)·w³.
        return (-h, j.doubled() + j, i)
    }

    /// Adds an affine point and returns the chord's coefficients (a, b, c).
    @inline(__always)
    mutating func addStep(_ q: AffinePoint<Fp2>) -> (Fp2, Fp2, Fp2) {
        let o = y - q.y * z
        let l = x - q.x * z
        let c = o.squared()
        let d = l.squared()
        let e = l * d
        let f = z * c
        let g = x * d
        let h = e + f - g.doubled()
        let t = y * e
        x = l * h
        y = (g - h) * o - t
        z = e * z
        // ℓ = L·yP − O·xP·w + (O·xQ − L·yQ)·w³.
        return (l, -o, o * q.x - l * q.y)
    }
}

/// The Miller-loop lines of a fixed G2 point, in loop order (doubling and addition lines, then the
/// two Frobenius lines), computed once for a point that enters many pairings (−g2 in every BLS
/// verification): a prepared pair skips the point arithmetic and only evaluates lines at P.
struct G2Prepared: Sendable {
    let lines: [(Fp2, Fp2, Fp2)]

    /// Precomputes the lines of `q`, which must not be the point at infinity.
    init(_ q: AffinePoint<Fp2>) {
        var t = G2Homogeneous(q)
        var lines: [(Fp2, Fp2, Fp2)] = []
        lines.reserveCapacity(88)
        for i in stride(from: 64, through: 0, by: -1) {
            lines.append(t.doubleStep())
            guard i < 64 else { continue }
            if (Pairing.nafPositive >> UInt64(i)) & 1 == 1 {
                lines.append(t.addStep(q))
            } else if (Pairing.nafNegative >> UInt64(i)) & 1 == 1 {
                lines.append(t.addStep(q.negated))
            }
        }
        lines.append(t.addStep(Pairing.twistFrobenius(q)))
        lines.append(t.addStep(Pairing.negatedTwistFrobeniusSquared(q)))
        self.lines = lines
    }

    /// −g2, the fixed G2 argument of `e(σ, −g2)·e(H(m), vk) = 1`.
    static let negatedGenerator = G2Prepared(BN254.G2Point.generator.point.negated)
}

enum Pairing {
    /// u, the BN parameter.
    static let u: UInt64 = 0x44e9_92b4_4a69_09f1
    /// 6u + 2 in non-adjacent form: digits +1 and −1 at bits 0…63 (bit 64 is 0, bit 65 is the leading +1).
    static let nafPositive: UInt64 = 0x2002_0042_0080_4028
    static let nafNegative: UInt64 = 0x8288_9008_420a_0480

    /// The twisted p-power Frobenius on E': (x̄·ξ^((p−1)/3), ȳ·ξ^((p−1)/2)).
    static func twistFrobenius(_ q: AffinePoint<Fp2>) -> AffinePoint<Fp2> {
        AffinePoint(x: q.x.conjugated() * FrobeniusConstants.gamma1[1],
                    y: q.y.conjugated() * FrobeniusConstants.gamma1[2])
    }

    /// −π²(Q) on E': (x·ξ^((p²−1)/3), y), because ξ^((p²−1)/2) = −1.
    static func negatedTwistFrobeniusSquared(_ q: AffinePoint<Fp2>) -> AffinePoint<Fp2> {
        AffinePoint(x: q.x.scaled(by: FrobeniusConstants.gamma2[1]), y: q.y)
    }

    /// The product of the Miller functions f_{6u+2,Qi}(Pi) with the two Frobenius corrections,
    /// sharing one accumulator (one squaring per step for all pairs). Pairs with a point at
    /// infinity contribute 1 and are skipped by the caller.
    ///
    /// `prepared` pairs take their lines from a ``G2Prepared`` table instead of stepping a
    /// running point; both kinds produce the same lines in the same order.
    static func millerLoop(_ pairs: UnsafeBufferPointer<(AffinePoint<Fp>, AffinePoint<Fp2>)>,
                           prepared: [(AffinePoint<Fp>, G2Prepared)] = []) -> Fp12 {
        let n = pairs.count
        if n == 0 && prepared.isEmpty { return .one }
        return withUnsafeTemporaryAllocation(of: G2Homogeneous.self, capacity: max(n, 1)) { running in
            for k in 0..<n { running.initializeElement(at: k, to: G2Homogeneous(pairs[k].1)) }
            var f = Fp12.one
            var line = 0
            @inline(__always) func absorb(_ line: (Fp2, Fp2, Fp2), _ p: AffinePoint<Fp>) {
                f = f.mulByLine(line.0.scaled(by: p.y), line.1.scaled(by: p.x), line.2)
            }
            @inline(__always) func absorbPrepared() {
                for (p, table) in prepared { absorb(table.lines[line], p) }
                line += 1
            }
            for i in stride(from: 64, through: 0, by: -1) {
                if i != 64 { f = f.squared() }
                for k in 0..<n { absorb(running[k].doubleStep(), pairs[k].0) }
                absorbPrepared()
                guard i < 64 else { continue }
                if (nafPositive >> UInt64(i)) & 1 == 1 {
                    for k in 0..<n { absorb(running[k].addStep(pairs[k].1), pairs[k].0) }
                    absorbPrepared()
                } else if (nafNegative >> UInt64(i)) & 1 == 1 {
                    for k in 0..<n { absorb(running[k].addStep(pairs[k].1.negated), pairs[k].0) }
                    absorbPrepared()
                }
            }
            for k in 0..<n { absorb(running[k].addStep(twistFrobenius(pairs[k].1)), pairs[k].0) }
            absorbPrepared()
            for k in 0..<n { absorb(running[k].addStep(negatedTwistFrobeniusSquared(pairs[k].1)), pairs[k].0) }
            absorbPrepared()
            running.baseAddress?.deinitialize(count: n)
            return f
        }
    }

    /// f^u on the cyclotomic subgroup, by a fixed sliding-window chain over u's bits.
    ///
    /// Start from f (u's leading window is 1), then for each window (k, d): square k times and
    /// multiply by f^d (d odd, ≤ 15). 62 squarings and 13 + 7 multiplications, against 27
    /// multiplications for plain square-and-multiply.
    static func powerU(_ f: Fp12) -> Fp12 {
        let f2 = f.cyclotomicSquared()
        let f3 = f * f2, f5 = f3 * f2, f9 = f5 * f2.cyclotomicSquared()
        let f11 = f9 * f2, f13 = f11 * f2, f15 = f13 * f2
        // The windows of u = 0x44e992b44a6909f1, most significant first (checked by a test).
        var r = f
        r = squaringsThenProduct(r, 7, f9)
        r = squaringsThenProduct(r, 4, f13)
        r = squaringsThenProduct(r, 4, f3)
        r = squaringsThenProduct(r, 6, f9)
        r = squaringsThenProduct(r, 5, f11)
        r = squaringsThenProduct(r, 2, f)
        r = squaringsThenProduct(r, 7, f9)
        r = squaringsThenProduct(r, 5, f9)
        r = squaringsThenProduct(r, 3, f5)
        r = squaringsThenProduct(r, 3, f)
        r = squaringsThenProduct(r, 8, f9)
        r = squaringsThenProduct(r, 4, f15)
        r = squaringsThenProduct(r, 4, f)
        return r
    }

    /// `acc^(2^squarings) · digit` (one window of ``powerU(_:)``).
    @inline(__always)
    static func squaringsThenProduct(_ acc: Fp12, _ squarings: Int, _ digit: Fp12) -> Fp12 {
        var r = acc
        for _ in 0..<squarings { r = r.cyclotomicSquared() }
        return r * digit
    }

    /// f^u by plain square-and-multiply (a test oracle for ``powerU(_:)``).
    static func powerUBinary(_ f: Fp12) -> Fp12 {
        var result = f
        for bit in stride(from: 61, through: 0, by: -1) {
            result = result.cyclotomicSquared()
            if (u >> UInt64(bit)) & 1 == 1 { result = result * f }
        }
        return result
    }

    /// f^(p¹² − 1)/r.
    ///
    /// Easy part: f^((p⁶ − 1)(p² + 1)), after which f is in the cyclotomic subgroup (inverse =
    /// conjugate). Hard part: (p⁴ − p² + 1)/r = λ0 + λ1·p + λ2·p² + λ3·p³ with (Scott et al., 2009)
    ///     λ3 = 1, λ2 = 6u² + 1, λ1 = −36u³ − 18u² − 12u + 1, λ0 = −36u³ − 30u² − 18u − 2,
    /// evaluated from f^u, f^u², f^u³ and Frobenius maps.
    static func finalExponentiation(_ f: Fp12) -> Fp12 {
        // Easy part.
        var m = f.conjugated() * f.inverse()
        m = m.frobeniusSquared() * m
        // Hard part.
        let a1 = powerU(m)
        let a2 = powerU(a1)
        let a3 = powerU(a2)
        let a3x4 = a3.cyclotomicSquared().cyclotomicSquared()
        let a3x36 = a3x4.cyclotomicSquared().cyclotomicSquared().cyclotomicSquared() * a3x4
        let a2x2 = a2.cyclotomicSquared()
        let a2x6 = (a2x2 * a2).cyclotomicSquared()
        let a2x12 = a2x6.cyclotomicSquared()
        let a2x18 = a2x12 * a2x6
        let a2x30 = a2x18 * a2x12
        let a1x6 = (a1.cyclotomicSquared() * a1).cyclotomicSquared()
        let a1x12 = a1x6.cyclotomicSquared()
        let a1x18 = a1x12 * a1x6
        let y3 = m.frobeniusCubed()
        let y2 = (a2x6 * m).frobeniusSquared()
        let y1 = ((a3x36 * a2x18 * a1x12).conjugated() * m).frobenius()
        let y0 = (a3x36 * a2x30 * a1x18 * m.cyclotomicSquared()).conjugated()
        return y0 * y1 * y2 * y3
    }

    /// Whether Π e(Pi, Qi) = 1, with one shared Miller accumulator and one final exponentiation.
    static func productIsOne(_ pairs: [(AffinePoint<Fp>, AffinePoint<Fp2>)]) -> Bool {
        let live = pairs.filter { !$0.0.isInfinity && !$0.1.isInfinity }
        let f = live.withUnsafeBufferPointer { millerLoop($0) }
        return finalExponentiation(f).isOne
    }

    /// Like ``productIsOne(_:)``, with some pairs' G2 lines precomputed.
    static func productIsOne(_ pairs: [(AffinePoint<Fp>, AffinePoint<Fp2>)], prepared: [(AffinePoint<Fp>, G2Prepared)]) -> Bool {
        let live = pairs.filter { !$0.0.isInfinity && !$0.1.isInfinity }
        let livePrepared = prepared.filter { !$0.0.isInfinity }
        let f = live.withUnsafeBufferPointer { millerLoop($0, prepared: livePrepared) }
        return finalExponentiation(f).isOne
    }

    /// e(P, Q) in F_p12 (for tests and properties; verification uses ``productIsOne(_:)``).
    static func pairing(_ p: AffinePoint<Fp>, _ q: AffinePoint<Fp2>) -> Fp12 {
        if p.isInfinity || q.isInfinity { return .one }
        let f = [(p, q)].withUnsafeBufferPointer { millerLoop($0) }
        return finalExponentiation(f)
    }
}

extension Fp12 {
    /// Squaring in the cyclotomic subgroup (elements with f^(p⁶+1) = 1), after Granger and Scott,
    /// "Faster squaring in the cyclotomic subgroup of sixth degree extensions" (PKC 2010).
    ///
    /// With y = w³ (y² = ξ), the element splits into three F_p2[y] parts
    /// A = g0 + g3·y, B = g1 + g4·y, C = g2 + g5·y (f = A + B·w + C·w²), and the square needs only
    /// A², B², C²: nine F_p2 squarings' worth instead of a full F_p12 squaring.
    /// Only valid on the cyclotomic subgroup (after the easy part of the final exponentiation).
    @inline(__always)
    func cyclotomicSquared() -> Fp12 {
        let g0 = c0.c0, g2 = c0.c1, g4 = c0.c2
        let g1 = c1.c0, g3 = c1.c1, g5 = c1.c2
        let (a0, a1) = Fp12.squareInFp4(g0, g3)
        let (b0, b1) = Fp12.squareInFp4(g1, g4)
        let (c0s, c1s) = Fp12.squareInFp4(g2, g5)
        // z = 3·t − 2·g or 3·t + 2·g.
        let z0 = (a0 - g0).doubled() + a0
        let z3 = (a1 + g3).doubled() + a1
        let xiC1 = c1s.mulByNonResidue()
        let z1 = (xiC1 + g1).doubled() + xiC1
        let z4 = (c0s - g4).doubled() + c0s
        let z2 = (b0 - g2).doubled() + b0
        let z5 = (b1 + g5).doubled() + b1
        return Fp12(Fp6(z0, z2, z4), Fp6(z1, z3, z5))
    }

    /// (a + b·y)² in F_p2[y]/(y² − ξ): (a² + ξb², 2ab), with a² + ξb² = (a + b)(a + ξb) − ab − ξab.
    @inline(__always)
    static func squareInFp4(_ a: Fp2, _ b: Fp2) -> (Fp2, Fp2) {
        let ab = a * b
        return ((a + b) * (a + b.mulByNonResidue()) - ab - ab.mulByNonResidue(), ab.doubled())
    }

    /// `self^e` for a plain 256-bit exponent (tests and properties).
    func power(_ e: UInt256) -> Fp12 {
        var result = Fp12.one
        for bit in stride(from: e.bitWidth - 1, through: 0, by: -1) {
            result = result.squared()
            if e.bit(bit) { result = result * self }
        }
        return result
    }
}
