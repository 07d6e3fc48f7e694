/// The Keccak-f[1600] state: 25 lanes of 64 bits, lane (x, y) at index x + 5y.
struct KeccakState {
    var lanes: (
        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64
    ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    /// XORs `laneCount` little-endian lanes from `block` into the state.
    @inline(__always)
    mutating func absorb(_ block: UnsafeRawPointer, laneCount: Int) {
        withUnsafeMutableBytes(of: &lanes) { raw in
            let state = raw.baseAddress!.assumingMemoryBound(to: UInt64.self)
            for i in 0..<laneCount {
                let word = UInt64(littleEndian: block.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self))
                state[i] ^= word
            }
        }
    }
}

/// Keccak-256 as used by Ethereum: Keccak-f[1600], rate 136 bytes, original padding `0x01 … 0x80`.
///
/// Written in Swift because OpenSSL 3.0 offers only FIPS 202 SHA3 (padding `0x06`).
/// One-shot and incremental forms give the same digest:
///
/// ```swift
/// let a = Keccak256.hash(Array("hello".utf8))
/// var hasher = Keccak256()
/// hasher.update(Array("hel".utf8))
/// hasher.update(Array("lo".utf8))
/// assert(hasher.finalize() == a)
/// ```
public struct Keccak256: Sendable {
    /// Bytes absorbed per permutation.
    public static let rate = 136

    private var state = KeccakState()
    private var buffer = (
        UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
        UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0)
    )
    private var buffered = 0

    /// A fresh hasher.
    public init() {}

    /// Hashes a byte array in one call.
    @inlinable public static func hash(_ bytes: [UInt8]) -> Bytes32 {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// Hashes raw memory in one call.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> Bytes32 {
        var hasher = Keccak256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Absorbs more bytes.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Absorbs the 32 bytes of a digest.
    public mutating func update(_ value: Bytes32) {
        value.withUnsafeBytes { update($0) }
    }

    /// Absorbs raw memory.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var input = bytes.baseAddress, bytes.count > 0 else { return }
        var remaining = bytes.count
        let rate = Self.rate
        if buffered > 0 {
            let take = min(rate - buffered, remaining)
            withUnsafeMutableBytes(of: &buffer) { raw in
                raw.baseAddress!.advanced(by: buffered).copyMemory(from: input, byteCount: take)
            }
            buffered += take
            input += take
            remaining -= take
            if buffered < rate { return }
            withUnsafeBytes(of: buffer) { state.absorb($0.baseAddress!, laneCount: 17) }
            state.permute()
            buffered = 0
        }
        while remaining >= rate {
            state.absorb(input, laneCount: 17)
            state.permute()
            input += rate
            remaining -= rate
        }
        if remaining > 0 {
            withUnsafeMutableBytes(of: &buffer) { raw in
                raw.baseAddress!.copyMemory(from: input, byteCount: remaining)
            }
            buffered = remaining
        }
    }

    /// Pads, permutes and returns the 32-byte digest. The hasher should not be used afterwards.
    public mutating func finalize() -> Bytes32 {
        withUnsafeMutableBytes(of: &buffer) { raw in
            for i in buffered..<Self.rate { raw[i] = 0 }
            raw[buffered] ^= 0x01
            raw[Self.rate - 1] ^= 0x80
        }
        withUnsafeBytes(of: buffer) { state.absorb($0.baseAddress!, laneCount: 17) }
        state.permute()
        let lanes = state.lanes
        return Bytes32(storage: (lanes.0.littleEndian, lanes.1.littleEndian, lanes.2.littleEndian, lanes.3.littleEndian))
    }
}
