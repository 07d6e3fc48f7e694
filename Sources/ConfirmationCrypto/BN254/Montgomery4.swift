// Four-limb Montgomery arithmetic shared by the BN254 base field (Fp) and scalar field (Fr).
//
// Both moduli are below 2²⁵⁴, which the routines rely on: sums of two reduced values fit in 256
// bits, and the CIOS product needs no fifth carry word. The modulus is passed limb by limb so that,
// once inlined into a field type's operators, its constants become immediates again. None of this
// is constant time: it only ever processes public data.

enum Montgomery4 {
    /// Four 64-bit limbs, least significant first.
    typealias Limbs = (UInt64, UInt64, UInt64, UInt64)

    /// `a + b + carry` → (sum, carry out). The carries combine with `|` on integers, never with
    /// a short-circuit `||`, which would compile to unpredictable branches.
    @inline(__always)
    static func addCarry(_ a: UInt64, _ b: UInt64, _ carry: UInt64) -> (UInt64, UInt64) {
        let (s1, o1) = a.addingReportingOverflow(b)
        let (s2, o2) = s1.addingReportingOverflow(carry)
        return (s2, (o1 ? 1 : 0) | (o2 ? 1 : 0))
    }

    /// `a − b − borrow` → (difference, borrow out).
    @inline(__always)
    static func subBorrow(_ a: UInt64, _ b: UInt64, _ borrow: UInt64) -> (UInt64, UInt64) {
        let (d1, o1) = a.subtractingReportingOverflow(b)
        let (d2, o2) = d1.subtractingReportingOverflow(borrow)
        return (d2, (o1 ? 1 : 0) | (o2 ? 1 : 0))
    }

    /// `a + b·c + d` as a 128-bit (high, low) pair; cannot overflow.
    @inline(__always)
    static func madd(_ b: UInt64, _ c: UInt64, _ a: UInt64, _ d: UInt64) -> (UInt64, UInt64) {
        let (hi, lo) = b.multipliedFullWidth(by: c)
        let (s1, o1) = lo.addingReportingOverflow(a)
        let (s2, o2) = s1.addingReportingOverflow(d)
        return (hi &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0), s2)
    }

    /// Subtracts the modulus once when the 256-bit value is at least the modulus (branch-free select).
    @inline(__always)
    static func reduceOnce(_ t: Limbs, _ p0: UInt64, _ p1: UInt64, _ p2: UInt64, _ p3: UInt64) -> Limbs {
        let (s0, b0) = subBorrow(t.0, p0, 0)
        let (s1, b1) = subBorrow(t.1, p1, b0)
        let (s2, b2) = subBorrow(t.2, p2, b1)
        let (s3, b3) = subBorrow(t.3, p3, b2)
        // keep = all ones when the subtraction borrowed (t < p).
        let keep = 0 &- b3
        return ((t.0 & keep) | (s0 & ~keep), (t.1 & keep) | (s1 & ~keep),
                (t.2 & keep) | (s2 & ~keep), (t.3 & keep) | (s3 & ~keep))
    }

    /// `a·b·2⁻²⁵⁶ mod p`, fully reduced: CIOS without the final carry word (the modulus' top limb
    /// leaves enough headroom that the running value always fits in four limbs). Operands may be
    /// below 2p: the running value stays below a + p < 3p < 2²⁵⁶ and the value before the final
    /// subtraction below 4p²/2²⁵⁶ + p < 2p.
    @inline(__always)
    static func product(_ a: Limbs, _ b: Limbs, _ p0: UInt64, _ p1: UInt64, _ p2: UInt64, _ p3: UInt64,
                        _ inv: UInt64) -> Limbs {
        var t0: UInt64 = 0, t1: UInt64 = 0, t2: UInt64 = 0, t3: UInt64 = 0
        var A: UInt64, C: UInt64, m: UInt64
        // Row 0.
        (A, t0) = b.0.multipliedFullWidth(by: a.0)
        m = t0 &* inv
        C = madd(m, p0, t0, 0).0
        (A, t1) = madd(a.1, b.0, 0, A)
        (C, t0) = madd(m, p1, t1, C)
        (A, t2) = madd(a.2, b.0, 0, A)
        (C, t1) = madd(m, p2, t2, C)
        (A, t3) = madd(a.3, b.0, 0, A)
        (C, t2) = madd(m, p3, t3, C)
        t3 = C &+ A
        // Rows for b.1, b.2, b.3 (unrolled by hand: the compiler keeps everything in registers).
        (A, t0) = madd(a.0, b.1, t0, 0)
        m = t0 &* inv
        C = madd(m, p0, t0, 0).0
        (A, t1) = madd(a.1, b.1, t1, A)
        (C, t0) = madd(m, p1, t1, C)
        (A, t2) = madd(a.2, b.1, t2, A)
        (C, t1) = madd(m, p2, t2, C)
        (A, t3) = madd(a.3, b.1, t3, A)
        (C, t2) = madd(m, p3, t3, C)
        t3 = C &+ A
        (A, t0) = madd(a.0, b.2, t0, 0)
        m = t0 &* inv
        C = madd(m, p0, t0, 0).0
        (A, t1) = madd(a.1, b.2, t1, A)
        (C, t0) = madd(m, p1, t1, C)
        (A, t2) = madd(a.2, b.2, t2, A)
        (C, t1) = madd(m, p2, t2, C)
        (A, t3) = madd(a.3, b.2, t3, A)
        (C, t2) = madd(m, p3, t3, C)
        t3 = C &+ A
        (A, t0) = madd(a.0, b.3, t0, 0)
        m = t0 &* inv
        C = madd(m, p0, t0, 0).0
        (A, t1) = madd(a.1, b.3, t1, A)
        (C, t0) = madd(m, p1, t1, C)
        (A, t2) = madd(a.2, b.3, t2, A)
        (C, t1) = madd(m, p2, t2, C)
        (A, t3) = madd(a.3, b.3, t3, A)
        (C, t2) = madd(m, p3, t3, C)
        t3 = C &+ A
        return reduceOnce((t0, t1, t2, t3), p0, p1, p2, p3)
    }

    /// `a + b mod p` for reduced operands.
    @inline(__always)
    static func sum(_ a: Limbs, _ b: Limbs, _ p0: UInt64, _ p1: UInt64, _ p2: UInt64, _ p3: UInt64) -> Limbs {
        // Both are below p < 2²⁵⁴, so the sum fits in 256 bits.
        let (s0, c0) = addCarry(a.0, b.0, 0)
        let (s1, c1) = addCarry(a.1, b.1, c0)
        let (s2, c2) = addCarry(a.2, b.2, c1)
        let s3 = a.3 &+ b.3 &+ c2
        return reduceOnce((s0, s1, s2, s3), p0, p1, p2, p3)
    }

    /// `a − b mod p` for reduced operands.
    @inline(__always)
    static func difference(_ a: Limbs, _ b: Limbs, _ p0: UInt64, _ p1: UInt64, _ p2: UInt64, _ p3: UInt64) -> Limbs {
        let (s0, b0) = subBorrow(a.0, b.0, 0)
        let (s1, b1) = subBorrow(a.1, b.1, b0)
        let (s2, b2) = subBorrow(a.2, b.2, b1)
        let (s3, b3) = subBorrow(a.3, b.3, b2)
        // Went below zero: add p back (the wrap-around cancels); branch-free.
        let mask = 0 &- b3
        let (r0, c0) = addCarry(s0, p0 & mask, 0)
        let (r1, c1) = addCarry(s1, p1 & mask, c0)
        let (r2, c2) = addCarry(s2, p2 & mask, c1)
        let r3 = s3 &+ (p3 & mask) &+ c2
        return (r0, r1, r2, r3)
    }
}
