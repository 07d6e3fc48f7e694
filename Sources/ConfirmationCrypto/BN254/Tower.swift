// The extension tower used by the BN254 pairing:
//   F_p2  = F_p[u]  / (u² + 1)
//   F_p6  = F_p2[v] / (v³ − ξ),  ξ = 9 + u
//   F_p12 = F_p6[w] / (w² − v)
// so w⁶ = ξ, and the twist E': y² = x³ + 3/ξ maps into E(F_p12) by (x, y) ↦ (x·w², y·w³).

/// An element c0 + c1·u of F_p2 (u² = −1).
struct Fp2: Sendable, Hashable {
    var c0: Fp
    var c1: Fp

    @inline(__always)
    init(_ c0: Fp, _ c1: Fp) {
        self.c0 = c0
        self.c1 = c1
    }

    static let zero = Fp2(.zero, .zero)
    static let one = Fp2(.one, .zero)

    @inline(__always) var isZero: Bool { c0.isZero && c1.isZero }

    @inline(__always) static func + (a: Fp2, b: Fp2) -> Fp2 { Fp2(a.c0 + b.c0, a.c1 + b.c1) }
    @inline(__always) static func - (a: Fp2, b: Fp2) -> Fp2 { Fp2(a.c0 - b.c0, a.c1 - b.c1) }
    @inline(__always) static prefix func - (a: Fp2) -> Fp2 { Fp2(-a.c0, -a.c1) }
    @inline(__always) static func += (a: inout Fp2, b: Fp2) { a = a + b }
    @inline(__always) static func -= (a: inout Fp2, b: Fp2) { a = a - b }

    /// Karatsuba: three base-field multiplications.
    @inline(__always)
    static func * (a: Fp2, b: Fp2) -> Fp2 {
        let t0 = a.c0 * b.c0
        let t1 = a.c1 * b.c1
        let t2 = Fp.unreducedSum(a.c0, a.c1) * Fp.unreducedSum(b.c0, b.c1)
        return Fp2(t0 - t1, t2 - t0 - t1)
    }

    @inline(__always) static func *= (a: inout Fp2, b: Fp2) { a = a * b }

    /// Multiplies both coefficients by a base-field element.
    @inline(__always)
    func scaled(by s: Fp) -> Fp2 { Fp2(c0 * s, c1 * s) }

    /// (c0 + c1)(c0 − c1) + 2·c0·c1·u: two multiplications.
    @inline(__always)
    func squared() -> Fp2 {
        let t = c0 * c1
        return Fp2(Fp.unreducedSum(c0, c1) * (c0 - c1), t + t)
    }

    @inline(__always) func doubled() -> Fp2 { Fp2(c0.doubled(), c1.doubled()) }
    @inline(__always) func halved() -> Fp2 { Fp2(c0.halved(), c1.halved()) }

    /// The conjugate c0 − c1·u, which is also the p-power Frobenius.
    @inline(__always) func conjugated() -> Fp2 { Fp2(c0, -c1) }

    /// Multiplication by ξ = 9 + u: (9·c0 − c1) + (c0 + 9·c1)·u, with additions only.
    @inline(__always)
    func mulByNonResidue() -> Fp2 {
        let a8 = c0.doubled().doubled().doubled()
        let b8 = c1.doubled().doubled().doubled()
        return Fp2(a8 + c0 - c1, b8 + c1 + c0)
    }

    /// The inverse, (c0 − c1·u) / (c0² + c1²); zero maps to zero.
    func inverse() -> Fp2 {
        let norm = (c0.squared() + c1.squared()).inverse()
        return Fp2(c0 * norm, -(c1 * norm))
    }

    /// `self^e` for a plain 256-bit exponent.
    func power(_ e: UInt256) -> Fp2 {
        var result = Fp2.one
        for bit in stride(from: e.bitWidth - 1, through: 0, by: -1) {
            result = result.squared()
            if e.bit(bit) { result = result * self }
        }
        return result
    }

    /// A square root when one exists, else `nil`.
    ///
    /// With p ≡ 3 (mod 4): take the norm n = c0² + c1² (it must be a square in F_p), then
    /// x0² = (c0 ± √n)/2 for whichever sign is a square, and x1 = c1 / (2·x0).
    func squareRoot() -> Fp2? {
        if c1.isZero {
            if let r = c0.squareRoot() { return Fp2(r, .zero) }
            // c0 is a non-square in F_p, so −c0 is a square and √c0 = √(−c0)·u.
            if let r = (-c0).squareRoot() { return Fp2(.zero, r) }
            return nil
        }
        guard let s = (c0.squared() + c1.squared()).squareRoot() else { return nil }
        var x0Squared = (c0 + s).halved()
        if !x0Squared.isSquare { x0Squared = (c0 - s).halved() }
        guard let x0 = x0Squared.squareRoot(), !x0.isZero else { return nil }
        let x1 = c1 * x0.doubled().inverse()
        let candidate = Fp2(x0, x1)
        return candidate.squared() == self ? candidate : nil
    }

    /// arkworks' sign: the larger of y and −y, comparing c1 first, then c0.
    var isLexicographicallyLarge: Bool {
        c1.isZero ? c0.isLexicographicallyLarge : c1.isLexicographicallyLarge
    }
}

/// An element c0 + c1·v + c2·v² of F_p6 (v³ = ξ).
struct Fp6: Sendable, Hashable {
    var c0: Fp2
    var c1: Fp2
    var c2: Fp2

    @inline(__always)
    init(_ c0: Fp2, _ c1: Fp2, _ c2: Fp2) {
        self.c0 = c0
        self.c1 = c1
        self.c2 = c2
    }

    static let zero = Fp6(.zero, .zero, .zero)
    static let one = Fp6(.one, .zero, .zero)

    @inline(__always) var isZero: Bool { c0.isZero && c1.isZero && c2.isZero }

    @inline(__always) static func + (a: Fp6, b: Fp6) -> Fp6 { Fp6(a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2) }
    @inline(__always) static func - (a: Fp6, b: Fp6) -> Fp6 { Fp6(a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2) }
    @inline(__always) static prefix func - (a: Fp6) -> Fp6 { Fp6(-a.c0, -a.c1, -a.c2) }

    /// Karatsuba-style: six F_p2 multiplications.
    @inline(__always)
    static func * (a: Fp6, b: Fp6) -> Fp6 {
        let t0 = a.c0 * b.c0
        let t1 = a.c1 * b.c1
        let t2 = a.c2 * b.c2
        let r0 = ((a.c1 + a.c2) * (b.c1 + b.c2) - t1 - t2).mulByNonResidue() + t0
        let r1 = (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1 + t2.mulByNonResidue()
        let r2 = (a.c0 + a.c2) * (b.c0 + b.c2) - t0 - t2 + t1
        return Fp6(r0, r1, r2)
    }

    /// Chung–Hasan squaring (SQR2): two multiplications and three squarings in F_p2.
    @inline(__always)
    func squared() -> Fp6 {
        let s0 = c0.squared()
        let ab = c0 * c1
        let s1 = ab + ab
        let s2 = (c0 - c1 + c2).squared()
        let bc = c1 * c2
        let s3 = bc + bc
        let s4 = c2.squared()
        return Fp6(s0 + s3.mulByNonResidue(), s1 + s4.mulByNonResidue(), s1 + s2 + s3 - s0 - s4)
    }

    /// Multiplication by v: (c0, c1, c2) ↦ (ξ·c2, c0, c1).
    @inline(__always)
    func mulByV() -> Fp6 { Fp6(c2.mulByNonResidue(), c0, c1) }

    /// Multiplication by an F_p2 scalar.
    @inline(__always)
    func scaled(by s: Fp2) -> Fp6 { Fp6(c0 * s, c1 * s, c2 * s) }

    /// Multiplication by the sparse element b0 + b1·v (five F_p2 multiplications).
    @inline(__always)
    func mulBy01(_ b0: Fp2, _ b1: Fp2) -> Fp6 {
        let t0 = c0 * b0
        let t1 = c1 * b1
        let r0 = (c2 * b1).mulByNonResidue() + t0
        let r1 = (c0 + c1) * (b0 + b1) - t0 - t1
        let r2 = c2 * b0 + t1
        return Fp6(r0, r1, r2)
    }

    /// The inverse via the norm to F_p2; zero maps to zero.
    func inverse() -> Fp6 {
        let a = c0.squared() - (c1 * c2).mulByNonResidue()
        let b = c2.squared().mulByNonResidue() - c0 * c1
        let c = c1.squared() - c0 * c2
        let norm = c0 * a + (c2 * b + c1 * c).mulByNonResidue()
        let normInverse = norm.inverse()
        return Fp6(a * normInverse, b * normInverse, c * normInverse)
    }
}

/// An element c0 + c1·w of F_p12 (w² = v); the pairing's target group is a subgroup of its units.
struct Fp12: Sendable, Hashable {
    var c0: Fp6
    var c1: Fp6

    @inline(__always)
    init(_ c0: Fp6, _ c1: Fp6) {
        self.c0 = c0
        self.c1 = c1
    }

    static let one = Fp12(.one, .zero)

    var isOne: Bool { self == Fp12.one }

    @inline(__always)
    static func * (a: Fp12, b: Fp12) -> Fp12 {
        let t0 = a.c0 * b.c0
        let t1 = a.c1 * b.c1
        return Fp12(t0 + t1.mulByV(), (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1)
    }

    @inline(__always) static func *= (a: inout Fp12, b: Fp12) { a = a * b }

    /// Complex squaring: two F_p6 multiplications.
    @inline(__always)
    func squared() -> Fp12 {
        let t = c0 * c1
        let r0 = (c0 + c1) * (c0 + c1.mulByV()) - t - t.mulByV()
        return Fp12(r0, t + t)
    }

    /// The conjugate c0 − c1·w (the p⁶-power Frobenius; the inverse on the cyclotomic subgroup).
    @inline(__always) func conjugated() -> Fp12 { Fp12(c0, -c1) }

    /// The inverse: (c0 − c1·w) / (c0² − v·c1²).
    func inverse() -> Fp12 {
        let normInverse = (c0.squared() - c1.squared().mulByV()).inverse()
        return Fp12(c0 * normInverse, -(c1 * normInverse))
    }

    /// Multiplication by a line value x0 + (x3 + x4·v)·w (the sparse "034" shape of a Miller-loop line).
    @inline(__always)
    func mulByLine(_ x0: Fp2, _ x3: Fp2, _ x4: Fp2) -> Fp12 {
        let a = c0.scaled(by: x0)
        let b = c1.mulBy01(x3, x4)
        let e = (c0 + c1).mulBy01(x0 + x3, x4)
        return Fp12(a + b.mulByV(), e - a - b)
    }

    // MARK: Frobenius
    //
    // Write the element as Σ g_i·w^i (i = 0…5) with c0 = (g0, g2, g4) and c1 = (g1, g3, g5).
    // Then (g·w^i)^(p^k) = g^(p^k) · ξ^(i(p^k − 1)/6) · w^i: conjugate g for odd k and
    // multiply by the constant γ_k,i.

    /// The p-power Frobenius.
    func frobenius() -> Fp12 {
        let g = FrobeniusConstants.self
        return Fp12(
            Fp6(c0.c0.conjugated(), c0.c1.conjugated() * g.gamma1[1], c0.c2.conjugated() * g.gamma1[3]),
            Fp6(c1.c0.conjugated() * g.gamma1[0], c1.c1.conjugated() * g.gamma1[2], c1.c2.conjugated() * g.gamma1[4])
        )
    }

    /// The p²-power Frobenius (its constants lie in F_p).
    func frobeniusSquared() -> Fp12 {
        let g = FrobeniusConstants.self
        return Fp12(
            Fp6(c0.c0, c0.c1.scaled(by: g.gamma2[1]), c0.c2.scaled(by: g.gamma2[3])),
            Fp6(c1.c0.scaled(by: g.gamma2[0]), c1.c1.scaled(by: g.gamma2[2]), c1.c2.scaled(by: g.gamma2[4]))
        )
    }

    /// The p³-power Frobenius.
    func frobeniusCubed() -> Fp12 {
        let g = FrobeniusConstants.self
        return Fp12(
            Fp6(c0.c0.conjugated(), c0.c1.conjugated() * g.gamma3[1], c0.c2.conjugated() * g.gamma3[3]),
            Fp6(c1.c0.conjugated() * g.gamma3[0], c1.c1.conjugated() * g.gamma3[2], c1.c2.conjugated() * g.gamma3[4])
        )
    }
}

/// γ_k,i = ξ^(i(p^k − 1)/6) for i = 1…5 (index i − 1), in Montgomery form; generated offline and
/// checked against direct exponentiation in the tests.
enum FrobeniusConstants {
    static let gamma1: [Fp2] = [
        Fp2(Fp(montgomery: 0xaf9b_a696_3314_4907, 0xca6b_1d73_87af_b78a, 0x11bd_ed5e_f08a_2087, 0x02f3_4d75_1a1f_3a7c),
            Fp(montgomery: 0xa222_ae23_4c49_2d72, 0xd00f_02a4_565d_e15b, 0xdc2f_f3a2_53df_c926, 0x10a7_5716_b389_9551)),
        Fp2(Fp(montgomery: 0xb577_3b10_4563_ab30, 0x347f_91c8_a9aa_6454, 0x7a00_7127_242e_0991, 0x1956_bcd8_1182_14ec),
            Fp(montgomery: 0x6e84_9f1e_a0aa_4757, 0xaa1c_7b6d_89f8_9141, 0xb6e7_13cd_fae0_ca3a, 0x2669_4fbb_4e82_ebc3)),
        Fp2(Fp(montgomery: 0xe4bb_dd0c_2936_b629, 0xbb30_f162_e133_bacb, 0x31a9_d1b6_f964_5366, 0x2535_70be_a500_f8dd),
            Fp(montgomery: 0xa1d7_7ce4_5ffe_77c7, 0x07af_fd11_7826_d1db, 0x6d16_bd27_bb7e_dc6b, 0x2c87_2002_85de_fecc)),
        Fp2(Fp(montgomery: 0x7361_d77f_843a_be92, 0xa5bb_2bd3_2734_11fb, 0x9c94_1f31_4b3e_2399, 0x15df_9cdd_bb9f_d3ec),
            Fp(montgomery: 0x5ddd_fd15_4bd8_c949, 0x62cb_29a5_a444_5b60, 0x37bc_870a_0c7d_d2b9, 0x2483_0a9d_3171_f0fd)),
        Fp2(Fp(montgomery: 0xc970_692f_4169_0fe7, 0xe240_3421_2769_4b0b, 0x32be_e66b_83c4_59e8, 0x12aa_bced_0ab0_8841),
            Fp(montgomery: 0x0d48_5d23_40ae_bfa9, 0x0519_3418_ab2f_cc57, 0xd3b0_a40b_8a49_10f5, 0x2f21_ebb5_35d2_925a)),
    ]
    static let gamma2: [Fp] = [
        Fp(montgomery: 0xca8d_8005_00fa_1bf2, 0xf0c5_d614_68b3_9769, 0x0e20_1271_ad0d_4418, 0x0429_0f65_bad8_56e6),
        Fp(montgomery: 0x3350_c88e_13e8_0b9c, 0x7dce_557c_db5e_56b9, 0x6001_b4b8_b615_564a, 0x2682_e617_0202_17e0),
        Fp(montgomery: 0x68c3_4889_12ed_efaa, 0x8d08_7f68_72aa_bf4f, 0x51e1_a247_0908_1231, 0x2259_d6b1_4729_c0fa),
        Fp(montgomery: 0x7193_0c11_d782_e155, 0xa6bb_947c_ffbe_3323, 0xaa30_3344_d474_1444, 0x2c3b_3f0d_2659_4943),
        Fp(montgomery: 0x08cf_c388_c494_f1ab, 0x19b3_1514_8d13_73d4, 0x584e_90fd_cb6c_0213, 0x09e1_685b_df2f_8849),
    ]
    static let gamma3: [Fp2] = [
        Fp2(Fp(montgomery: 0x3653_1618_4e46_d97d, 0x0af7_129e_d4c9_6d9f, 0x659d_a72f_ca10_09b5, 0x0811_6d89_83a2_0d23),
            Fp(montgomery: 0xb1df_4af7_c39c_1939, 0x3d9f_0287_8a73_bf7f, 0x9b22_2092_8caf_0ae0, 0x2668_4515_eff0_54a6)),
        Fp2(Fp(montgomery: 0xc9af_22f7_16ad_6bad, 0xb311_782a_4aa6_62b2, 0x19ee_af64_e248_c7f4, 0x2027_3e77_e343_9f82),
            Fp(montgomery: 0xacc0_2860_f7ce_93ac, 0x3933_d581_7ba7_6b4c, 0x69e6_188b_446c_8467, 0x0a46_036d_4417_cc55)),
        Fp2(Fp(montgomery: 0x5764_af0a_af46_471e, 0xdc50_792e_873e_0fc1, 0x86a6_73ff_881d_04f6, 0x0b2e_ddb4_3c30_a74c),
            Fp(montgomery: 0x9a49_0f32_787e_8580, 0x8fd1_6d7f_f04a_f8b1, 0x4b39_888e_c602_7bf2, 0x03dd_2e70_5b52_a15d)),
        Fp2(Fp(montgomery: 0x448a_93a5_7b67_62df, 0xbfd6_2df5_28fd_eadf, 0xd858_f5d0_0e9b_d47a, 0x06b0_3d4d_3476_ec58),
            Fp(montgomery: 0x2b19_daf4_bcc9_36d1, 0xa1a5_4e7a_56f4_299f, 0xb533_eee0_5ade_aef1, 0x170c_812b_84dd_a0b2)),
        Fp2(Fp(montgomery: 0xe0bc_4b22_75cf_559f, 0xc238_b945_c154_e60f, 0x8039_82a5_929a_7d5e, 0x15ce_052d_f7e4_a37e),
            Fp(montgomery: 0x2d28_efbd_bf37_99a7, 0x9b09_7e3c_1ad6_0773, 0x982d_4113_af4a_535b, 0x24e1_8991_e305_6063)),
    ]
}
