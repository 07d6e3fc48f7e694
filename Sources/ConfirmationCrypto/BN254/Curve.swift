// Short-Weierstrass arithmetic shared by G1 (over F_p, b = 3) and G2 (over F_p2, b' = 3/ξ).

/// The operations point arithmetic needs from a coordinate field.
protocol CurveField: Sendable, Hashable {
    static var zero: Self { get }
    static var one: Self { get }
    /// The coefficient b of the BN254 curve over this field: 3 for E/F_p, 3/ξ for the twist E'/F_p2.
    static var curveB: Self { get }
    var isZero: Bool { get }
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    func squared() -> Self
    func doubled() -> Self
    func inverse() -> Self
}

extension Fp: CurveField {
    static var curveB: Fp { .three }
}

extension Fp2: CurveField {
    /// 3/ξ.
    static let twistB = Fp2(
        Fp(montgomery: 0x3bf9_38e3_77b8_02a8, 0x020b_1b27_3633_535d, 0x26b7_edf0_4975_5260, 0x2514_c632_4384_a86d),
        Fp(montgomery: 0x38e7_eccc_d1dc_ff67, 0x65f0_b37d_93ce_0d3e, 0xd749_d0dd_22ac_00aa, 0x0141_b9ce_4a68_8d4d))
    static var curveB: Fp2 { twistB }
}

/// An affine point, with an explicit flag for the point at infinity.
struct AffinePoint<F: CurveField>: Sendable, Hashable {
    var x: F
    var y: F
    var isInfinity: Bool

    static var infinity: AffinePoint { AffinePoint(x: .zero, y: .zero, isInfinity: true) }

    init(x: F, y: F, isInfinity: Bool = false) {
        self.x = x
        self.y = y
        self.isInfinity = isInfinity
    }

    /// y² = x³ + b (infinity counts as on the curve).
    var isOnCurve: Bool {
        isInfinity || y.squared() == x.squared() * x + F.curveB
    }

    var negated: AffinePoint { isInfinity ? self : AffinePoint(x: x, y: -y) }

    var jacobian: JacobianPoint<F> {
        isInfinity ? .infinity : JacobianPoint(x: x, y: y, z: .one)
    }
}

/// A point in Jacobian coordinates: (X, Y, Z) stands for (X/Z², Y/Z³); Z = 0 is infinity.
struct JacobianPoint<F: CurveField>: Sendable {
    var x: F
    var y: F
    var z: F

    static var infinity: JacobianPoint { JacobianPoint(x: .one, y: .one, z: .zero) }

    @inline(__always) var isInfinity: Bool { z.isZero }

    /// dbl-2009-l (a = 0): 2M + 5S.
    func doubled() -> JacobianPoint {
        if isInfinity { return self }
        let a = x.squared()
        let b = y.squared()
        let c = b.squared()
        let d = ((x + b).squared() - a - c).doubled()
        let e = a.doubled() + a
        let f = e.squared()
        let x3 = f - d.doubled()
        let c8 = c.doubled().doubled().doubled()
        let y3 = e * (d - x3) - c8
        let z3 = (y * z).doubled()
        return JacobianPoint(x: x3, y: y3, z: z3)
    }

    /// add-2007-bl, falling back to doubling for equal inputs.
    static func + (p: JacobianPoint, q: JacobianPoint) -> JacobianPoint {
        if p.isInfinity { return q }
        if q.isInfinity { return p }
        let z1z1 = p.z.squared()
        let z2z2 = q.z.squared()
        let u1 = p.x * z2z2
        let u2 = q.x * z1z1
        let s1 = p.y * q.z * z2z2
        let s2 = q.y * p.z * z1z1
        let h = u2 - u1
        let rr = (s2 - s1).doubled()
        if h.isZero {
            return rr.isZero ? p.doubled() : .infinity
        }
        let i = h.doubled().squared()
        let j = h * i
        let v = u1 * i
        let x3 = rr.squared() - j - v.doubled()
        let y3 = rr * (v - x3) - (s1 * j).doubled()
        let z3 = ((p.z + q.z).squared() - z1z1 - z2z2) * h
        return JacobianPoint(x: x3, y: y3, z: z3)
    }

    /// madd-2007-bl: adds an affine point (Z = 1), 7M + 4S.
    func adding(_ q: AffinePoint<F>) -> JacobianPoint {
        if q.isInfinity { return self }
        if isInfinity { return q.jacobian }
        let z1z1 = z.squared()
        let u2 = q.x * z1z1
        let s2 = q.y * z * z1z1
        let h = u2 - x
        let rr = (s2 - y).doubled()
        if h.isZero {
            return rr.isZero ? doubled() : .infinity
        }
        let hh = h.squared()
        let i = hh.doubled().doubled()
        let j = h * i
        let v = x * i
        let x3 = rr.squared() - j - v.doubled()
        let y3 = rr * (v - x3) - (y * j).doubled()
        let z3 = (z + h).squared() - z1z1 - hh
        return JacobianPoint(x: x3, y: y3, z: z3)
    }

    var negated: JacobianPoint { JacobianPoint(x: x, y: -y, z: z) }

    /// The affine form (one field inversion).
    var affine: AffinePoint<F> {
        if isInfinity { return .infinity }
        let zInverse = z.inverse()
        let zInverse2 = zInverse.squared()
        return AffinePoint(x: x * zInverse2, y: y * zInverse2 * zInverse)
    }

    /// Projective equality without inversions.
    func isEqual(to other: JacobianPoint) -> Bool {
        if isInfinity || other.isInfinity { return isInfinity && other.isInfinity }
        let z1z1 = z.squared()
        let z2z2 = other.z.squared()
        guard x * z2z2 == other.x * z1z1 else { return false }
        return y * z2z2 * other.z == other.y * z1z1 * z
    }
}

extension AffinePoint {
    /// `[k]P` by left-to-right double-and-add over the bits of a plain 256-bit scalar.
    /// Not constant time: scalars here are public.
    func multiplied(by k: UInt256) -> JacobianPoint<F> {
        if isInfinity || k.isZero { return .infinity }
        var acc = JacobianPoint<F>.infinity
        for bit in stride(from: k.bitWidth - 1, through: 0, by: -1) {
            acc = acc.doubled()
            if k.bit(bit) { acc = acc.adding(self) }
        }
        return acc
    }
}
