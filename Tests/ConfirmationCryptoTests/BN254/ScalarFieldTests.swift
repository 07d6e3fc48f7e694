import Testing
@testable import ConfirmationCrypto

/// F_r and its radix-2 FFT (AvidM's encoder), against plain definitions.
@Suite("BN254 scalar field and FFT")
struct ScalarFieldTests {
    static func random(_ generator: inout some RandomNumberGenerator) -> BN254Scalar {
        BN254Scalar(littleEndian: (0..<31).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    @Test("field axioms on random elements; canonical bytes round-trip below 2²⁴⁸")
    func arithmetic() {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let a = Self.random(&g), b = Self.random(&g), c = Self.random(&g)
            #expect(a * (b + c) == a * b + a * c)
            #expect((a - b) + b == a)
            #expect(a * .one == a)
            #expect(a - a == .zero)
            let bytes = a.littleEndianBytes
            #expect(bytes[31] == 0)
            #expect(BN254Scalar(littleEndian: Array(bytes[0..<31])) == a)
        }
        // Spot values, and (−1)² = 1.
        #expect(BN254Scalar(3) * BN254Scalar(5) == BN254Scalar(15))
        #expect(BN254Scalar(2).power(10) == BN254Scalar(1024))
        #expect((BN254Scalar.zero - .one) * (BN254Scalar.zero - .one) == .one)
    }

    @Test("roots of unity have exactly their order", arguments: [0, 1, 2, 3, 10, 16, 28])
    func rootsOfUnity(log2: Int) {
        let root = BN254Scalar.rootOfUnity(log2Order: log2)
        var x = root
        for _ in 0..<log2 { x = x * x }
        #expect(x == .one)
        if log2 > 0 {
            var half = root
            for _ in 0..<(log2 - 1) { half = half * half }
            #expect(half != .one)
        }
    }

    @Test("the FFT equals direct evaluation at ω^i", arguments: [(1, 1), (2, 5), (3, 8), (8, 8), (335, 1003)])
    func fft(coefficients: Int, points: Int) throws {
        var g = SystemRandomNumberGenerator()
        let domain = try #require(RadixTwoDomain(minimumSize: points))
        #expect(domain.size >= points && domain.size < 2 * max(points, 1) + 1)
        let poly = (0..<coefficients).map { _ in Self.random(&g) }
        let values = domain.evaluate(poly[...])
        let omega = BN254Scalar.rootOfUnity(log2Order: domain.size.trailingZeroBitCount)
        var x = BN254Scalar.one
        for i in 0..<domain.size {
            // Horner.
            var acc = BN254Scalar.zero
            for c in poly.reversed() { acc = acc * x + c }
            #expect(values[i] == acc, "point \(i)")
            x = x * omega
        }
    }

    @Test("domains exist for 1…2²⁸ points only")
    func domainBounds() {
        #expect(RadixTwoDomain(minimumSize: 0) == nil)
        #expect(RadixTwoDomain(minimumSize: 1)?.size == 1)
        #expect(RadixTwoDomain(minimumSize: 5)?.size == 8)
        #expect(RadixTwoDomain(minimumSize: 1003)?.size == 1024)
    }
}
