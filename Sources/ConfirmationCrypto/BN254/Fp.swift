// The BN254 base field F_p, p = 36u⁴ + 36u³ + 24u² + 6u + 1 with u = 0x44e992b44a6909f1.
//
// Elements live in Montgomery form (a·2²⁵⁶ mod p) on four 64-bit limbs, least significant first.
// Every operation is branch-light, allocation-free value arithmetic. None of it is constant time:
// this code verifies public data (signatures, keys, certificates) and never handles secrets.

/// An element of F_p in Montgomery form; always fully reduced (`< p`).
struct Fp: Sendable, Hashable {
    var l0: UInt64
    var l1: UInt64
    var l2: UInt64
    var l3: UInt64

    /// Wraps limbs that are already in Montgomery form and reduced.
    @inline(__always)
    init(montgomery l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64) {
        self.l0 = l0
        self.l1 = l1
        self.l2 = l2
        self.l3 = l3
    }

    // p, least significant limb first.
    static let p0: UInt64 = 0x3c20_8c16_d87c_fd47
    static let p1: UInt64 = 0x9781_6a91_6871_ca8d
    static let p2: UInt64 = 0xb850_45b6_8181_585d
    static let p3: UInt64 = 0x3064_4e72_e131_a029
    /// −p⁻¹ mod 2⁶⁴.
    static let inv: UInt64 = 0x87d2_0782_e486_6389

    /// The modulus as a plain 256-bit integer.
    static let modulus = UInt256(0x3c20_8c16_d87c_fd47, 0x9781_6a91_6871_ca8d, 0xb850_45b6_8181_585d, 0x3064_4e72_e131_a029)
    /// (p − 1) / 2: field elements above it are "negative" in the arkworks sense.
    static let halfModulus = UInt256(0x9e10_460b_6c3e_7ea3, 0xcbc0_b548_b438_e546, 0xdc28_22db_40c0_ac2e, 0x1832_2739_7098_d014)

    static let zero = Fp(montgomery: 0, 0, 0, 0)
    /// 1 in Montgomery form (2²⁵⁶ mod p).
    static let one = Fp(montgomery: 0xd35d_438d_c58f_0d9d, 0x0a78_eb28_f5c7_0b3d, 0x666e_a36f_7879_462c, 0x0e0a_77c1_9a07_df2f)
    /// 2⁵¹² mod p, to enter Montgomery form.
    static let r2 = Fp(montgomery: 0xf32c_fc5b_538a_fa89, 0xb5e7_1911_d445_01fb, 0x47ab_1eff_0a41_7ff6, 0x06d8_9f71_cab8_351f)
    /// 3, the coefficient b of E: y² = x³ + 3.
    static let three = Fp(montgomery: 0x7a17_caa9_50ad_28d7, 0x1f6a_c17a_e155_21b9, 0x334b_ea4e_696b_d284, 0x2a1f_6744_ce17_9d8e)

    /// Converts a canonical integer `< p` to Montgomery form; `nil` when it is not below p.
    init?(canonical value: UInt256) {
        guard value < Fp.modulus else { return nil }
        self = Fp(montgomery: value.l0, value.l1, value.l2, value.l3) * Fp.r2
    }

    /// Converts any 256-bit integer, reducing it modulo p.
    init(reducing value: UInt256) {
        var v = value
        while !(v < Fp.modulus) { v = v.subtracting(Fp.modulus) }
        self = Fp(montgomery: v.l0, v.l1, v.l2, v.l3) * Fp.r2
    }

    /// A small integer.
    init(_ small: UInt64) {
        self = Fp(montgomery: small, 0, 0, 0) * Fp.r2
    }

    /// The canonical integer (out of Montgomery form).
    var canonical: UInt256 {
        let t = self * Fp(montgomery: 1, 0, 0, 0)
        return UInt256(t.l0, t.l1, t.l2, t.l3)
    }

    @inline(__always)
    var isZero: Bool { (l0 | l1 | l2 | l3) == 0 }

    /// Whether the canonical value exceeds (p − 1)/2 (arkworks' "y is negative").
    var isLexicographicallyLarge: Bool { Fp.halfModulus < canonical }

    // MARK: Arithmetic

    @inline(__always)
    static func addCarry(_ a: UInt64, _ b: UInt64, _ carry: UInt64) -> (UInt64, UInt64) {
        Montgomery4.addCarry(a, b, carry)
    }

    @inline(__always)
    static func subBorrow(_ a: UInt64, _ b: UInt64, _ borrow: UInt64) -> (UInt64, UInt64) {
        Montgomery4.subBorrow(a, b, borrow)
    }

    @inline(__always)
    init(_ limbs: Montgomery4.Limbs) {
        self.init(montgomery: limbs.0, limbs.1, limbs.2, limbs.3)
    }

    @inline(__always)
    var limbs: Montgomery4.Limbs { (l0, l1, l2, l3) }

    /// Montgomery multiplication (see ``Montgomery4/product(_:_:_:_:_:_:_:)``). Operands may be
    /// unreduced sums below 2p (see ``unreducedSum(_:_:)``); the result is always fully reduced.
    @inline(__always)
    static func * (a: Fp, b: Fp) -> Fp {
        Fp(Montgomery4.product(a.limbs, b.limbs, p0, p1, p2, p3, inv))
    }

    @inline(__always)
    static func *= (a: inout Fp, b: Fp) { a = a * b }

    @inline(__always)
    static func + (a: Fp, b: Fp) -> Fp {
        Fp(Montgomery4.sum(a.limbs, b.limbs, p0, p1, p2, p3))
    }

    @inline(__always)
    static func += (a: inout Fp, b: Fp) { a = a + b }

    /// `a + b` left unreduced (below 2p < 2²⁵⁵): only as an operand of `*`, which accepts inputs
    /// below 2p (its running value stays below a + p < 3p < 2²⁵⁶, and the result before the final
    /// subtraction is below 4p²/2²⁵⁶ + p < 1.76p) and always returns a reduced element.
    @inline(__always)
    static func unreducedSum(_ a: Fp, _ b: Fp) -> Fp {
        let (s0, c0) = addCarry(a.l0, b.l0, 0)
        let (s1, c1) = addCarry(a.l1, b.l1, c0)
        let (s2, c2) = addCarry(a.l2, b.l2, c1)
        return Fp(montgomery: s0, s1, s2, a.l3 &+ b.l3 &+ c2)
    }

    @inline(__always)
    static func - (a: Fp, b: Fp) -> Fp {
        Fp(Montgomery4.difference(a.limbs, b.limbs, p0, p1, p2, p3))
    }

    @inline(__always)
    static func -= (a: inout Fp, b: Fp) { a = a - b }

    @inline(__always)
    static prefix func - (a: Fp) -> Fp { Fp.zero - a }

    @inline(__always)
    func squared() -> Fp { self * self }

    @inline(__always)
    func doubled() -> Fp { self + self }

    /// Half of this element: shifts right, after adding p when odd (p < 2²⁵⁴, so no carry is lost).
    @inline(__always)
    func halved() -> Fp {
        var t0 = l0, t1 = l1, t2 = l2, t3 = l3
        // Add p when odd (mask is all ones then), branch-free.
        let mask = 0 &- (t0 & 1)
        var c: UInt64
        (t0, c) = Fp.addCarry(t0, Fp.p0 & mask, 0)
        (t1, c) = Fp.addCarry(t1, Fp.p1 & mask, c)
        (t2, c) = Fp.addCarry(t2, Fp.p2 & mask, c)
        t3 = t3 &+ (Fp.p3 & mask) &+ c
        return Fp(montgomery: t0 >> 1 | t1 << 63, t1 >> 1 | t2 << 63, t2 >> 1 | t3 << 63, t3 >> 1)
    }

    /// `self^e` for a plain 256-bit exponent, square-and-multiply from the top bit.
    func power(_ e: UInt256) -> Fp {
        var result = Fp.one
        var started = false
        for bit in stride(from: 255, through: 0, by: -1) {
            if started { result = result.squared() }
            if e.bit(bit) {
                result = started ? result * self : self
                started = true
            }
        }
        return result
    }

    /// The multiplicative inverse (Fermat: a^(p−2)); zero maps to zero.
    func inverse() -> Fp {
        power(UInt256(0x3c20_8c16_d87c_fd45, 0x9781_6a91_6871_ca8d, 0xb850_45b6_8181_585d, 0x3064_4e72_e131_a029))
    }

    /// A square root when one exists (p ≡ 3 mod 4: a^((p+1)/4)), else `nil`.
    func squareRoot() -> Fp? {
        let candidate = power(UInt256(0x4f08_2305_b61f_3f52, 0x65e0_5aa4_5a1c_72a3, 0x6e14_116d_a060_5617, 0x0c19_139c_b84c_680a))
        return candidate.squared() == self ? candidate : nil
    }

    /// Whether the element is a square (zero included).
    var isSquare: Bool { squareRoot() != nil }
}

/// A plain 256-bit unsigned integer on four limbs, least significant first (scalars, canonical field values).
struct UInt256: Sendable, Hashable, Comparable {
    var l0: UInt64
    var l1: UInt64
    var l2: UInt64
    var l3: UInt64

    init(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64) {
        self.l0 = l0
        self.l1 = l1
        self.l2 = l2
        self.l3 = l3
    }

    static let zero = UInt256(0, 0, 0, 0)

    /// Reads 32 big-endian bytes starting at `offset`; the caller guarantees the bounds.
    init(bigEndian bytes: UnsafeRawBufferPointer, offset: Int) {
        func word(_ i: Int) -> UInt64 {
            var w: UInt64 = 0
            for k in 0..<8 { w = w << 8 | UInt64(bytes[offset + i * 8 + k]) }
            return w
        }
        self.init(word(3), word(2), word(1), word(0))
    }

    /// Reads 32 little-endian bytes starting at `offset`; the caller guarantees the bounds.
    init(littleEndian bytes: UnsafeRawBufferPointer, offset: Int) {
        func word(_ i: Int) -> UInt64 {
            var w: UInt64 = 0
            for k in (0..<8).reversed() { w = w << 8 | UInt64(bytes[offset + i * 8 + k]) }
            return w
        }
        self.init(word(0), word(1), word(2), word(3))
    }

    /// The 32 big-endian bytes.
    var bigEndianBytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for limb in [l3, l2, l1, l0] {
            for k in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: limb >> UInt64(k))) }
        }
        return out
    }

    /// The 32 little-endian bytes.
    var littleEndianBytes: [UInt8] { bigEndianBytes.reversed() }

    var isZero: Bool { (l0 | l1 | l2 | l3) == 0 }

    @inline(__always)
    func bit(_ index: Int) -> Bool {
        let limb: UInt64
        switch index >> 6 {
        case 0: limb = l0
        case 1: limb = l1
        case 2: limb = l2
        default: limb = l3
        }
        return (limb >> UInt64(index & 63)) & 1 == 1
    }

    /// Index of the highest set bit plus one (0 for zero).
    var bitWidth: Int {
        if l3 != 0 { return 256 - l3.leadingZeroBitCount }
        if l2 != 0 { return 192 - l2.leadingZeroBitCount }
        if l1 != 0 { return 128 - l1.leadingZeroBitCount }
        return 64 - l0.leadingZeroBitCount
    }

    /// `self − other` modulo 2²⁵⁶.
    func subtracting(_ other: UInt256) -> UInt256 {
        let (s0, b0) = Fp.subBorrow(l0, other.l0, 0)
        let (s1, b1) = Fp.subBorrow(l1, other.l1, b0)
        let (s2, b2) = Fp.subBorrow(l2, other.l2, b1)
        let (s3, _) = Fp.subBorrow(l3, other.l3, b2)
        return UInt256(s0, s1, s2, s3)
    }

    static func < (a: UInt256, b: UInt256) -> Bool {
        if a.l3 != b.l3 { return a.l3 < b.l3 }
        if a.l2 != b.l2 { return a.l2 < b.l2 }
        if a.l1 != b.l1 { return a.l1 < b.l1 }
        return a.l0 < b.l0
    }
}
