extension BN254 {
    /// A point of G1 = E(F_p), E: y² = x³ + 3, stored in affine coordinates.
    ///
    /// G1 has prime order r (cofactor 1), so any point on the curve is a valid group element;
    /// the parsers check the coordinates' range and the curve equation.
    ///
    /// ```swift
    /// let p = try BN254.G1Point(eip196Bytes: Hex.decode(hex64))
    /// let q = p + BN254.G1Point.generator
    /// let bytes = q.eip196Bytes          // 64 bytes, x‖y big-endian
    /// ```
    public struct G1Point: Sendable, Hashable {
        var point: AffinePoint<Fp>

        init(_ point: AffinePoint<Fp>) { self.point = point }

        /// The point at infinity (the identity).
        public static let infinity = G1Point(.infinity)

        /// The standard generator (1, 2).
        public static let generator = G1Point(AffinePoint(x: .one, y: Fp(2)))

        /// Whether this is the point at infinity.
        public var isInfinity: Bool { point.isInfinity }

        /// Parses the EIP-196 encoding: x‖y as 32-byte big-endian integers; (0, 0) is infinity.
        /// - Parameter bytes: exactly 64 bytes.
        /// - Throws: ``ConfirmationError`` `bn254.invalid-length`, `bn254.coordinate-out-of-range`
        ///   or `bn254.not-on-curve`.
        public init(eip196Bytes bytes: some Collection<UInt8>) throws {
            let array = Array(bytes)
            guard array.count == 64 else {
                throw ConfirmationError(.bn254InvalidLength, "a G1 point has 64 bytes, got \(array.count)")
            }
            point = try array.withUnsafeBytes { raw in
                let x = try CoordinateReader.bigEndian(raw, 0, "G1 x")
                let y = try CoordinateReader.bigEndian(raw, 32, "G1 y")
                if x.isZero && y.isZero { return .infinity }
                return AffinePoint(x: x, y: y)
            }
            guard point.isOnCurve else { throw ConfirmationError(.bn254NotOnCurve, "the G1 point is not on y² = x³ + 3") }
        }

        /// The EIP-196 encoding: 64 bytes, x‖y big-endian; infinity is all zeros.
        public var eip196Bytes: [UInt8] {
            if point.isInfinity { return [UInt8](repeating: 0, count: 64) }
            return point.x.canonical.bigEndianBytes + point.y.canonical.bigEndianBytes
        }

        /// Parses arkworks' uncompressed encoding: x‖y as 32-byte little-endian integers, with
        /// flags in the top two bits of the last byte (bit 6: infinity, bit 7: y is the larger root).
        ///
        /// Infinity must be encoded as zero coordinates with only the infinity flag; the sign flag
        /// must agree with y.
        /// - Parameter bytes: exactly 64 bytes.
        /// - Throws: ``ConfirmationError`` `bn254.invalid-length`, `bn254.invalid-flags`,
        ///   `bn254.coordinate-out-of-range` or `bn254.not-on-curve`.
        public init(arkworksUncompressed bytes: some Collection<UInt8>) throws {
            let array = Array(bytes)
            guard array.count == 64 else {
                throw ConfirmationError(.bn254InvalidLength, "an arkworks G1 point has 64 bytes, got \(array.count)")
            }
            let flags = try CoordinateReader.arkworksFlags(array[63])
            let parsed = try array.withUnsafeBytes { raw in
                (try CoordinateReader.littleEndian(raw, 0, maskFlags: false, "G1 x"),
                 try CoordinateReader.littleEndian(raw, 32, maskFlags: true, "G1 y"))
            }
            if flags.infinity {
                guard parsed.0.isZero && parsed.1.isZero else {
                    throw ConfirmationError(.bn254InvalidFlags, "the infinity flag is set on non-zero coordinates")
                }
                point = .infinity
                return
            }
            point = AffinePoint(x: parsed.0, y: parsed.1)
            guard point.isOnCurve else { throw ConfirmationError(.bn254NotOnCurve, "the G1 point is not on y² = x³ + 3") }
            guard point.y.isLexicographicallyLarge == flags.negative else {
                throw ConfirmationError(.bn254InvalidFlags, "the sign flag disagrees with y")
            }
        }

        /// arkworks' uncompressed encoding: 64 bytes, x‖y little-endian with flags in byte 63.
        public var arkworksUncompressedBytes: [UInt8] {
            if point.isInfinity {
                var out = [UInt8](repeating: 0, count: 64)
                out[63] = 0x40
                return out
            }
            var out = point.x.canonical.littleEndianBytes + point.y.canonical.littleEndianBytes
            if point.y.isLexicographicallyLarge { out[63] |= 0x80 }
            return out
        }

        /// The group law.
        public static func + (a: G1Point, b: G1Point) -> G1Point {
            G1Point(a.point.jacobian.adding(b.point).affine)
        }

        /// The inverse point (x, −y).
        public var negated: G1Point { G1Point(point.negated) }

        /// `[k]P` for any 256-bit k.
        public func multiplied(by k: Scalar) -> G1Point {
            G1Point(point.multiplied(by: k.value).affine)
        }
    }
}
