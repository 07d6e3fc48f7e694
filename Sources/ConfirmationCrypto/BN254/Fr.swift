// The BN254 scalar field F_r, r = 36u⁴ + 36u³ + 18u² + 6u + 1 (the order of G1 and G2), and the
// radix-2 FFT over it that Espresso's AvidM VID scheme encodes payloads with.
//
// Same representation as `Fp`: Montgomery form on four limbs, always reduced, allocation free.

/// An element of the BN254 scalar field in Montgomery form; always fully reduced (`< r`).
package struct BN254Scalar: Sendable, Hashable, CustomStringConvertible {
    var l0: UInt64
    var l1: UInt64
    var l2: UInt64
    var l3: UInt64

    @inline(__always)
    init(montgomery limbs: Montgomery4.Limbs) {
        (l0, l1, l2, l3) = limbs
    }

    @inline(__always)
    var limbs: Montgomery4.Limbs { (l0, l1, l2, l3) }

    // r, least significant limb first.
    static let r0: UInt64 = 0x43e1_f593_f000_0001
    static let r1: UInt64 = 0x2833_e848_79b9_7091
    static let r2: UInt64 = 0xb850_45b6_8181_585d
    static let r3: UInt64 = 0x3064_4e72_e131_a029
    /// −r⁻¹ mod 2⁶⁴.
    static let inv: UInt64 = 0xc2e1_f593_efff_ffff
    /// 2⁵¹² mod r, to enter Montgomery form.
    static let rSquared = BN254Scalar(montgomery: (0x1bb8_e645_ae21_6da7, 0x53fe_3ab1_e35c_59e3,
                                                   0x8c49_833d_53bb_8085, 0x0216_d0b1_7f4e_44a5))

    /// The modulus r as a plain integer.
    static let modulus = UInt256(r0, r1, r2, r3)

    package static let zero = BN254Scalar(montgomery: (0, 0, 0, 0))
    /// 1 in Montgomery form (2²⁵⁶ mod r).
    package static let one = BN254Scalar(montgomery: (0xac96_341c_4fff_fffb, 0x36fc_7695_9f60_cd29,
                                                      0x666e_a36f_7879_462e, 0x0e0a_77c1_9a07_df2f))

    /// The largest power of two dividing r − 1 is 2²⁸.
    package static let twoAdicity = 28
    /// A primitive 2²⁸-th root of unity: 5^((r − 1) / 2²⁸), 5 being the generator arkworks uses.
    static let twoAdicRoot = BN254Scalar(montgomery: (0x636e_7355_80d1_3d9c, 0xa22b_f374_2445_ffd6,
                                                      0x5645_2ac0_1eb2_03d8, 0x1860_ef94_2963_f9e7))

    /// A small integer.
    package init(_ small: UInt64) {
        self = BN254Scalar(montgomery: (small, 0, 0, 0)) * BN254Scalar.rSquared
    }

    /// Up to 31 little-endian bytes as an integer (always below r, so never reduced): how AvidM
    /// turns payload bytes into field elements.
    /// - Precondition: `bytes.count <= 31`.
    package init(littleEndian bytes: [UInt8]) {
        precondition(bytes.count <= 31, "at most 31 bytes fit below r without reduction")
        var padded = bytes + [UInt8](repeating: 0, count: 31 - bytes.count)
        self = padded.withUnsafeMutableBytes { BN254Scalar(littleEndian31: UnsafeRawPointer($0.baseAddress!)) }
    }

    /// Exactly 31 little-endian bytes at `pointer` as an integer (below 2²⁴⁸ < r, so never reduced).
    @inline(__always)
    package init(littleEndian31 pointer: UnsafeRawPointer) {
        let w0 = UInt64(littleEndian: pointer.loadUnaligned(as: UInt64.self))
        let w1 = UInt64(littleEndian: pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let w2 = UInt64(littleEndian: pointer.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        // The last 7 bytes: a 4-byte, a 2-byte and a 1-byte load.
        let w3 = UInt64(UInt32(littleEndian: pointer.loadUnaligned(fromByteOffset: 24, as: UInt32.self)))
            | UInt64(UInt16(littleEndian: pointer.loadUnaligned(fromByteOffset: 28, as: UInt16.self))) << 32
            | UInt64(pointer.load(fromByteOffset: 30, as: UInt8.self)) << 48
        self = BN254Scalar(montgomery: (w0, w1, w2, w3)) * BN254Scalar.rSquared
    }

    /// The canonical value as 32 little-endian bytes (arkworks' uncompressed serialization).
    package var littleEndianBytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBytes { storeLittleEndian(to: $0.baseAddress!) }
        return out
    }

    /// Writes the 32 little-endian canonical bytes at `pointer`.
    @inline(__always)
    package func storeLittleEndian(to pointer: UnsafeMutableRawPointer) {
        let c = Montgomery4.product(limbs, (1, 0, 0, 0), Self.r0, Self.r1, Self.r2, Self.r3, Self.inv)
        pointer.storeBytes(of: c.0.littleEndian, toByteOffset: 0, as: UInt64.self)
        pointer.storeBytes(of: c.1.littleEndian, toByteOffset: 8, as: UInt64.self)
        pointer.storeBytes(of: c.2.littleEndian, toByteOffset: 16, as: UInt64.self)
        pointer.storeBytes(of: c.3.littleEndian, toByteOffset: 24, as: UInt64.self)
    }

    package var description: String { "0x" + Hex.encode(littleEndianBytes.reversed()) }

    @inline(__always)
    package static func * (a: BN254Scalar, b: BN254Scalar) -> BN254Scalar {
        BN254Scalar(montgomery: Montgomery4.product(a.limbs, b.limbs, r0, r1, r2, r3, inv))
    }

    @inline(__always)
    package static func + (a: BN254Scalar, b: BN254Scalar) -> BN254Scalar {
        BN254Scalar(montgomery: Montgomery4.sum(a.limbs, b.limbs, r0, r1, r2, r3))
    }

    @inline(__always)
    package static func - (a: BN254Scalar, b: BN254Scalar) -> BN254Scalar {
        BN254Scalar(montgomery: Montgomery4.difference(a.limbs, b.limbs, r0, r1, r2, r3))
    }

    /// `self^e`, square-and-multiply over the bits of `e`.
    package func power(_ e: UInt64) -> BN254Scalar {
        var result = BN254Scalar.one
        var base = self
        var e = e
        while e != 0 {
            if e & 1 == 1 { result = result * base }
            base = base * base
            e >>= 1
        }
        return result
    }

    /// A primitive root of unity of order 2^`log2Order` (`log2Order` ≤ 28).
    package static func rootOfUnity(log2Order: Int) -> BN254Scalar {
        precondition((0...twoAdicity).contains(log2Order), "F_r has roots of unity of order up to 2²⁸")
        var root = twoAdicRoot
        for _ in log2Order..<twoAdicity { root = root * root }
        return root
    }
}

/// The evaluation domain {ω⁰, ω¹, …, ω^(n−1)} of a power-of-two size n, ω a primitive n-th root of
/// unity (arkworks' `Radix2EvaluationDomain` without a coset offset), with the twiddle factors of an
/// iterative Cooley–Tukey FFT computed once.
package struct RadixTwoDomain: Sendable {
    /// The domain size (a power of two).
    package let size: Int
    /// log₂ of ``size``.
    let log2Size: Int
    /// ω^0 … ω^(size/2 − 1).
    let twiddles: [BN254Scalar]
    /// Position i holds i with its ``log2Size`` low bits reversed.
    let reversal: [Int]

    /// The smallest domain of at least `minimumSize` points, or `nil` above 2²⁸.
    package init?(minimumSize: Int) {
        guard minimumSize >= 1, minimumSize <= 1 << BN254Scalar.twoAdicity else { return nil }
        var log2 = 0
        while (1 << log2) < minimumSize { log2 += 1 }
        size = 1 << log2
        log2Size = log2
        let omega = BN254Scalar.rootOfUnity(log2Order: log2)
        var twiddles: [BN254Scalar] = []
        twiddles.reserveCapacity(max(size / 2, 1))
        var w = BN254Scalar.one
        for _ in 0..<max(size / 2, 1) {
            twiddles.append(w)
            w = w * omega
        }
        self.twiddles = twiddles
        reversal = (0..<size).map { i in
            var r = 0
            for bit in 0..<log2 where i >> bit & 1 == 1 { r |= 1 << (log2 - 1 - bit) }
            return r
        }
    }

    /// The evaluations p(ω⁰), …, p(ω^(size−1)) of the polynomial with `coefficients` (lowest degree
    /// first, at most ``size`` of them; missing ones are zero), in natural order.
    package func evaluate(_ coefficients: ArraySlice<BN254Scalar>) -> [BN254Scalar] {
        precondition(coefficients.count <= size, "more coefficients than domain points")
        var values = [BN254Scalar](repeating: .zero, count: size)
        // Load in bit-reversed order, then butterflies from the smallest blocks up.
        for (i, c) in coefficients.enumerated() { values[reversal[i]] = c }
        values.withUnsafeMutableBufferPointer { v in
            twiddles.withUnsafeBufferPointer { tw in
                var half = 1
                while half < size {
                    let stride = size / (2 * half)
                    var start = 0
                    while start < size {
                        for j in 0..<half {
                            let t = v[start + j + half] * tw[j * stride]
                            let u = v[start + j]
                            v[start + j] = u + t
                            v[start + j + half] = u - t
                        }
                        start += 2 * half
                    }
                    half *= 2
                }
            }
        }
        return values
    }
}
