/// Package-internal entry points for `confirm-bench`: they time the field and pairing layers
/// that the public API does not expose. Each runs real work on fixed inputs and returns a value
/// derived from the result so the optimiser cannot drop it.
package enum BN254BenchmarkHooks {
    /// `count` dependent F_p multiplications.
    package static func fpMultiplications(_ count: Int) -> UInt64 {
        var a = opaque(Fp(7))
        let b = opaque(Fp(0x1234_5678_9abc_def0))
        for _ in 0..<count { a = a * b }
        return a.l0
    }

    /// `count` dependent F_p12 multiplications.
    package static func fp12Multiplications(_ count: Int) -> UInt64 {
        let g = opaque(Fp12(Fp6(Fp2(Fp(3), Fp(5)), Fp2(Fp(7), Fp(11)), Fp2(Fp(13), Fp(17))),
                     Fp6(Fp2(Fp(19), Fp(23)), Fp2(Fp(29), Fp(31)), Fp2(Fp(37), Fp(41)))))
        var a = g
        for _ in 0..<count { a = a * g }
        return a.c0.c0.c0.l0
    }

    /// One Miller loop for (G1 generator, G2 generator).
    package static func millerLoop() -> UInt64 {
        let pair = [(BN254.G1Point.generator.point, BN254.G2Point.generator.point)]
        return pair.withUnsafeBufferPointer { Pairing.millerLoop($0) }.digest
    }

    /// A fixed F_p12 element for timing the final exponentiation.
    package struct GTInput: Sendable { let value: Fp12 }

    package static func finalExponentiationInput() -> GTInput {
        let pair = [(BN254.G1Point.generator.point, BN254.G2Point.generator.point)]
        return GTInput(value: pair.withUnsafeBufferPointer { Pairing.millerLoop($0) })
    }

    package static func finalExponentiation(_ input: GTInput) -> UInt64 {
        Pairing.finalExponentiation(input.value).digest
    }

    /// One G2 subgroup check.
    package static func g2SubgroupCheck(_ q: BN254.G2Point) -> Bool {
        BN254.G2Point.isInSubgroup(q.point)
    }

    /// `count` G2 additions in Jacobian coordinates (mixed with an affine point).
    package static func g2Additions(_ count: Int) -> UInt64 {
        let q = BN254.G2Point.generator.point
        var acc = q.jacobian.doubled()
        for _ in 0..<count { acc = acc.adding(q) }
        return acc.x.c0.l0
    }

    /// One F_p inversion.
    package static func fpInverse(_ seed: UInt64) -> UInt64 { Fp(seed).inverse().l0 }
}

extension BN254BenchmarkHooks {
    /// `count` rounds of four independent F_p multiplications (throughput rather than latency).
    package static func fpMultiplicationsIndependent(_ count: Int) -> UInt64 {
        var a = opaque(Fp(7)), b = opaque(Fp(5)), c = opaque(Fp(3)), d = opaque(Fp(13))
        let k = opaque(Fp(0x1234_5678_9abc_def0))
        for _ in 0..<count {
            a = a * k
            b = b * k
            c = c * k
            d = d * k
        }
        return a.l0 ^ b.l0 ^ c.l0 ^ d.l0
    }

    /// `count` dependent F_p additions.
    package static func fpAdditions(_ count: Int) -> UInt64 {
        var a = opaque(Fp(7))
        let b = opaque(Fp(0x1234_5678_9abc_def0))
        for _ in 0..<count { a = a + b }
        return a.l0
    }
}

extension Fp12 {
    /// XOR of every limb: a result the optimiser must compute in full.
    var digest: UInt64 {
        var d: UInt64 = 0
        for e in [c0.c0, c0.c1, c0.c2, c1.c0, c1.c1, c1.c2] {
            d ^= e.c0.l0 ^ e.c0.l1 ^ e.c0.l2 ^ e.c0.l3 ^ e.c1.l0 ^ e.c1.l1 ^ e.c1.l2 ^ e.c1.l3
        }
        return d
    }
}

/// Returns its argument through a call the optimiser cannot see into, so benchmark inputs are
/// not constants it could fold.
@inline(never)
func opaque<T>(_ value: T) -> T { value }
