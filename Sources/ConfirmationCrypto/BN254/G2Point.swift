extension BN254 {
    /// A point of G2, the order-r subgroup of the twist E'(F_p2): y² = x³ + 3/(9 + u), stored in
    /// affine coordinates.
    ///
    /// The twist has a large cofactor, so both parsers check the curve equation and subgroup
    /// membership ([r]Q = O).
    ///
    /// ```swift
    /// let q = try BN254.G2Point(eip197Bytes: bytes128)     // x_im‖x_re‖y_im‖y_re, big-endian
    /// let key = try BN254.G2Point(arkworksUncompressed: raw) // x.c0‖x.c1‖y.c0‖y.c1, little-endian
    /// ```
    public struct G2Point: Sendable, Hashable {
        var point: AffinePoint<Fp2>

        init(_ point: AffinePoint<Fp2>) { self.point = point }

        /// The point at infinity (the identity).
        public static let infinity = G2Point(.infinity)

        /// The standard generator of EIP-197.
        public static let generator = G2Point(AffinePoint(
            x: Fp2(Fp(montgomery: 0x8e83_b5d1_02bc_2026, 0xdceb_1935_497b_0172, 0xfbb8_2647_9781_1adf, 0x1957_3841_af96_503b),
                   Fp(montgomery: 0xafb4_737d_a84c_6140, 0x6043_dd5a_5802_d8c4, 0x09e9_50fc_52a0_2f86, 0x14fe_f083_3aea_7b6b)),
            y: Fp2(Fp(montgomery: 0x619d_fa9d_886b_e9f6, 0xfe7f_d297_f59e_9b78, 0xff9e_1a62_231b_7dfe, 0x28fd_7eeb_ae9e_4206),
                   Fp(montgomery: 0x6409_5b56_c718_56ee, 0xdc57_f922_327d_3cbb, 0x55f9_35be_3335_1076, 0x0da4_a0e6_93fd_6482))))

        /// Whether this is the point at infinity.
        public var isInfinity: Bool { point.isInfinity }

        /// Parses the EIP-197 encoding: x_im‖x_re‖y_im‖y_re, each a 32-byte big-endian integer
        /// (the imaginary part first); all zeros is infinity.
        /// - Parameter bytes: exactly 128 bytes.
        /// - Throws: ``ConfirmationError`` `bn254.invalid-length`, `bn254.coordinate-out-of-range`,
        ///   `bn254.not-on-curve` or `bn254.not-in-subgroup`.
        public init(eip197Bytes bytes: some Collection<UInt8>) throws {
            let array = Array(bytes)
            guard array.count == 128 else {
                throw ConfirmationError(.bn254InvalidLength, "a G2 point has 128 bytes, got \(array.count)")
            }
            let candidate = try array.withUnsafeBytes { raw -> AffinePoint<Fp2> in
                let xIm = try CoordinateReader.bigEndian(raw, 0, "G2 x.im")
                let xRe = try CoordinateReader.bigEndian(raw, 32, "G2 x.re")
                let yIm = try CoordinateReader.bigEndian(raw, 64, "G2 y.im")
                let yRe = try CoordinateReader.bigEndian(raw, 96, "G2 y.re")
                let x = Fp2(xRe, xIm)
                let y = Fp2(yRe, yIm)
                if x.isZero && y.isZero { return .infinity }
                return AffinePoint(x: x, y: y)
            }
            try self.init(validating: candidate)
        }

        /// The EIP-197 encoding: 128 bytes x_im‖x_re‖y_im‖y_re big-endian; infinity is all zeros.
        public var eip197Bytes: [UInt8] {
            if point.isInfinity { return [UInt8](repeating: 0, count: 128) }
            return point.x.c1.canonical.bigEndianBytes + point.x.c0.canonical.bigEndianBytes
                + point.y.c1.canonical.bigEndianBytes + point.y.c0.canonical.bigEndianBytes
        }

        /// Parses arkworks' uncompressed encoding: x.c0‖x.c1‖y.c0‖y.c1, each 32 bytes little-endian,
        /// with flags in the top two bits of the last byte (bit 6: infinity, bit 7: y is the larger
        /// root, comparing c1 first, then c0).
        /// - Parameter bytes: exactly 128 bytes.
        /// - Throws: ``ConfirmationError`` `bn254.invalid-length`, `bn254.invalid-flags`,
        ///   `bn254.coordinate-out-of-range`, `bn254.not-on-curve` or `bn254.not-in-subgroup`.
        public init(arkworksUncompressed bytes: some Collection<UInt8>) throws {
            let array = Array(bytes)
            guard array.count == 128 else {
                throw ConfirmationError(.bn254InvalidLength, "an arkworks G2 point has 128 bytes, got \(array.count)")
            }
            let flags = try CoordinateReader.arkworksFlags(array[127])
            let candidate = try array.withUnsafeBytes { raw -> AffinePoint<Fp2> in
                let x = Fp2(try CoordinateReader.littleEndian(raw, 0, maskFlags: false, "G2 x.c0"),
                            try CoordinateReader.littleEndian(raw, 32, maskFlags: false, "G2 x.c1"))
                let y = Fp2(try CoordinateReader.littleEndian(raw, 64, maskFlags: false, "G2 y.c0"),
                            try CoordinateReader.littleEndian(raw, 96, maskFlags: true, "G2 y.c1"))
                return AffinePoint(x: x, y: y)
            }
            if flags.infinity {
                guard candidate.x.isZero && candidate.y.isZero else {
                    throw ConfirmationError(.bn254InvalidFlags, "the infinity flag is set on non-zero coordinates")
                }
                self.init(.infinity)
                return
            }
            try self.init(validating: candidate)
            guard point.y.isLexicographicallyLarge == flags.negative else {
                throw ConfirmationError(.bn254InvalidFlags, "the sign flag disagrees with y")
            }
        }

        /// arkworks' uncompressed encoding: 128 bytes x.c0‖x.c1‖y.c0‖y.c1 little-endian, flags in byte 127.
        public var arkworksUncompressedBytes: [UInt8] {
            if point.isInfinity {
                var out = [UInt8](repeating: 0, count: 128)
                out[127] = 0x40
                return out
            }
            var out = point.x.c0.canonical.littleEndianBytes + point.x.c1.canonical.littleEndianBytes
                + point.y.c0.canonical.littleEndianBytes + point.y.c1.canonical.littleEndianBytes
            if point.y.isLexicographicallyLarge { out[127] |= 0x80 }
            return out
        }

        private init(validating candidate: AffinePoint<Fp2>) throws {
            guard candidate.isOnCurve else {
                throw ConfirmationError(.bn254NotOnCurve, "the G2 point is not on the twist y² = x³ + 3/(9+u)")
            }
            guard G2Point.isInSubgroup(candidate) else {
                throw ConfirmationError(.bn254NotInSubgroup, "the G2 point is not in the order-r subgroup")
            }
            point = candidate
        }

        /// Whether Q is in the order-r subgroup, by the endomorphism test of Dai, Lin, Zhao and Zhou
        /// ("Fast subgroup membership testings for G1, G2 and GT on pairing-friendly curves",
        /// ePrint 2022/348): for BN curves with u ≢ 4 (mod 13) and u ≢ 92 (mod 97), which holds for
        /// BN254, Q ∈ G2 ⇔ [u+1]Q + ψ([u]Q) + ψ²([u]Q) = ψ³([2u]Q), ψ the untwist-Frobenius-twist map.
        /// One 63-bit multiplication instead of a 254-bit one; the tests check it against [r]Q = O.
        static func isInSubgroup(_ q: AffinePoint<Fp2>) -> Bool {
            if q.isInfinity { return true }
            let uq = q.multiplied(by: UInt256(Pairing.u, 0, 0, 0))
            let psiUQ = psi(uq)
            let lhs = uq.adding(q) + psiUQ + psi(psiUQ)
            let rhs = psi(psi(psi(uq.doubled())))
            return lhs.isEqual(to: rhs)
        }

        /// [r]Q = O, r the group order: the textbook check (a test oracle for ``isInSubgroup(_:)``).
        static func isInSubgroupByOrder(_ q: AffinePoint<Fp2>) -> Bool {
            let r = UInt256(0x43e1_f593_f000_0001, 0x2833_e848_79b9_7091, 0xb850_45b6_8181_585d, 0x3064_4e72_e131_a029)
            return q.multiplied(by: r).isInfinity
        }

        /// ψ on Jacobian coordinates: (X̄·ξ^((p−1)/3), Ȳ·ξ^((p−1)/2), Z̄).
        static func psi(_ p: JacobianPoint<Fp2>) -> JacobianPoint<Fp2> {
            JacobianPoint(x: p.x.conjugated() * FrobeniusConstants.gamma1[1],
                          y: p.y.conjugated() * FrobeniusConstants.gamma1[2],
                          z: p.z.conjugated())
        }

        /// The group law.
        public static func + (a: G2Point, b: G2Point) -> G2Point {
            G2Point(a.point.jacobian.adding(b.point).affine)
        }

        /// The sum of many points with a single normalisation at the end (aggregating keys).
        public static func sum(_ points: some Sequence<G2Point>) -> G2Point {
            var acc = JacobianPoint<Fp2>.infinity
            for p in points { acc = acc.adding(p.point) }
            return G2Point(acc.affine)
        }

        /// The inverse point (x, −y).
        public var negated: G2Point { G2Point(point.negated) }

        /// `[k]Q` for any 256-bit k.
        public func multiplied(by k: Scalar) -> G2Point {
            G2Point(point.multiplied(by: k.value).affine)
        }
    }
}
