/// The BN254 (alt_bn128) pairing-friendly curve of Ethereum's EIP-196/197 precompiles, in pure Swift.
///
/// - G1 is E(F_p): y² = x³ + 3. Its order is the prime r, so every point on the curve is in G1
///   (cofactor 1): parsing checks the curve equation and nothing more.
/// - G2 is the order-r subgroup of the sextic twist E'(F_p2): y² = x³ + 3/(9 + u). The twist has a
///   large cofactor, so parsing checks the curve equation **and** subgroup membership.
/// - The pairing is the optimal ate pairing; ``BN254/multiPairingIsOne(_:)`` checks a product of
///   pairings against 1 with a single final exponentiation.
///
/// ```swift
/// let p = try BN254.G1Point(eip196Bytes: g1Bytes)
/// let q = try BN254.G2Point(eip197Bytes: g2Bytes)
/// let ok = BN254.multiPairingIsOne([(p, q), (p.negated, q)])   // true
/// ```
///
/// The arithmetic is not constant time; it verifies public data only and never handles secrets.
public enum BN254 {}

extension ConfirmationError.Code {
    /// A BN254 coordinate, as encoded, is not below the field modulus p.
    public static let bn254CoordinateOutOfRange = Self("bn254.coordinate-out-of-range")
    /// A BN254 point does not satisfy its curve equation.
    public static let bn254NotOnCurve = Self("bn254.not-on-curve")
    /// A G2 point is on the twist but not in the order-r subgroup.
    public static let bn254NotInSubgroup = Self("bn254.not-in-subgroup")
    /// The flag bits of an arkworks point encoding are invalid or disagree with the point.
    public static let bn254InvalidFlags = Self("bn254.invalid-flags")
    /// A well-formed pairing check whose product is not 1 (a verdict, not a parse error).
    public static let bn254PairingCheckFailed = Self("bn254.pairing-check-failed")
    /// A BN254 encoding has the wrong number of bytes.
    public static let bn254InvalidLength = Self("bn254.invalid-length")
}

extension BN254 {
    /// A 256-bit unsigned scalar for point multiplication (not reduced modulo r, as in EIP-196).
    public struct Scalar: Sendable, Hashable {
        var value: UInt256

        init(_ value: UInt256) { self.value = value }

        /// Reads a 32-byte big-endian integer.
        /// - Throws: ``ConfirmationError`` `bn254.invalid-length` unless there are exactly 32 bytes.
        public init(bigEndianBytes bytes: some Collection<UInt8>) throws {
            let array = Array(bytes)
            guard array.count == 32 else {
                throw ConfirmationError(.bn254InvalidLength, "a scalar has 32 bytes, got \(array.count)")
            }
            value = array.withUnsafeBytes { UInt256(bigEndian: $0, offset: 0) }
        }

        /// A small scalar.
        public init(_ small: UInt64) { value = UInt256(small, 0, 0, 0) }

        /// The 32 big-endian bytes.
        public var bigEndianBytes: [UInt8] { value.bigEndianBytes }
    }

    /// Whether the product of the pairings e(Pi, Qi) is the identity of G_T.
    ///
    /// All Miller loops share one accumulator and one final exponentiation, so checking
    /// `e(a, b) == e(c, d)` as `e(−a, b)·e(c, d) == 1` costs little more than one pairing.
    /// Pairs with a point at infinity contribute 1; an empty list gives `true` (as EIP-197).
    ///
    /// ```swift
    /// BN254.multiPairingIsOne([(sigma, BN254.G2Point.generator.negated), (h, key)])
    /// ```
    /// - Parameter pairs: (G1, G2) points, already validated by their parsers.
    /// - Returns: `true` when Π e(Pi, Qi) = 1.
    public static func multiPairingIsOne(_ pairs: [(G1Point, G2Point)]) -> Bool {
        Pairing.productIsOne(pairs.map { ($0.0.point, $0.1.point) })
    }
}

// MARK: - Coordinates from bytes

enum CoordinateReader {
    /// A big-endian field element at `offset`; throws when not below p.
    static func bigEndian(_ bytes: UnsafeRawBufferPointer, _ offset: Int, _ what: String) throws -> Fp {
        guard let value = Fp(canonical: UInt256(bigEndian: bytes, offset: offset)) else {
            throw ConfirmationError(.bn254CoordinateOutOfRange, "\(what) is not below the field modulus")
        }
        return value
    }

    /// A little-endian field element at `offset`, with the top two bits of its last byte
    /// cleared when `maskFlags` is set; throws when not below p.
    static func littleEndian(_ bytes: UnsafeRawBufferPointer, _ offset: Int, maskFlags: Bool, _ what: String) throws -> Fp {
        var value = UInt256(littleEndian: bytes, offset: offset)
        if maskFlags { value.l3 &= 0x3fff_ffff_ffff_ffff }
        guard let element = Fp(canonical: value) else {
            throw ConfirmationError(.bn254CoordinateOutOfRange, "\(what) is not below the field modulus")
        }
        return element
    }

    /// The arkworks flags in the top two bits of a byte: (infinity, y is the larger root).
    static func arkworksFlags(_ byte: UInt8) throws -> (infinity: Bool, negative: Bool) {
        let infinity = byte & 0x40 != 0
        let negative = byte & 0x80 != 0
        if infinity && negative {
            throw ConfirmationError(.bn254InvalidFlags, "both the infinity and the sign flag are set")
        }
        return (infinity, negative)
    }
}

extension BN254 {
    /// The most pairs ``pairingCheck(eip197Input:)`` accepts (bounds the work an input can ask for).
    public static let maximumPairingInputPairs = 64

    /// EIP-197's pairing check on its calldata: k × (G1 x‖y, G2 x_im‖x_re‖y_im‖y_re), 192 bytes per pair.
    ///
    /// ```swift
    /// let holds = try BN254.pairingCheck(eip197Input: calldata)   // the precompile's 1 or 0
    /// ```
    /// - Parameter input: a multiple of 192 bytes (empty is allowed and gives `true`), at most
    ///   ``maximumPairingInputPairs`` pairs.
    /// - Returns: whether the product of the pairings is 1.
    /// - Throws: ``ConfirmationError`` `bn254.invalid-length`, `input.too-long`, or the point errors
    ///   of ``G1Point/init(eip196Bytes:)`` and ``G2Point/init(eip197Bytes:)``.
    public static func pairingCheck(eip197Input input: [UInt8]) throws -> Bool {
        guard input.count % 192 == 0 else {
            throw ConfirmationError(.bn254InvalidLength, "pairing input of \(input.count) bytes is not a multiple of 192")
        }
        guard input.count / 192 <= maximumPairingInputPairs else {
            throw ConfirmationError(.inputTooLong, "more than \(maximumPairingInputPairs) pairs")
        }
        var pairs: [(G1Point, G2Point)] = []
        pairs.reserveCapacity(input.count / 192)
        for start in stride(from: 0, to: input.count, by: 192) {
            let p = try G1Point(eip196Bytes: input[start..<start + 64])
            let q = try G2Point(eip197Bytes: input[start + 64..<start + 192])
            pairs.append((p, q))
        }
        return multiPairingIsOne(pairs)
    }
}
