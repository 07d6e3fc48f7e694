/// A seeded random number generator (SplitMix64) for reproducible test vectors, demos and property tests.
///
/// Not for secrets: the sequence is fully determined by the seed.
///
/// ```swift
/// var rng = DeterministicRandom(seed: 42)
/// let keyBytes = rng.bytes(32)
/// let n = Int.random(in: 1...10, using: &rng)
/// ```
public struct DeterministicRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Starts the sequence for `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` random bytes.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(count)
        while out.count < count {
            var word = next()
            for _ in 0..<min(8, count - out.count) {
                out.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return out
    }

    /// A valid secp256k1 signing key drawn from the sequence.
    public mutating func secp256k1Key() -> Secp256k1PrivateKey {
        while true {
            if let key = try? Secp256k1PrivateKey(bytes: bytes(32)) { return key }
        }
    }
}
