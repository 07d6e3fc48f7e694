import ConfirmationKit
import Foundation
import Testing

@Suite("UInt256")
struct UInt256Tests {
    /// Values below 2^128 checked against the standard library's `UInt128`.
    static func random128(_ rng: inout DeterministicRandom) -> UInt128 {
        let shift = UInt128(rng.next() % 128)
        return (UInt128(rng.next()) << 64 | UInt128(rng.next())) >> shift
    }

    static func make(_ value: UInt128) -> UInt256 {
        UInt256(words: (UInt64(truncatingIfNeeded: value), UInt64(truncatingIfNeeded: value >> 64), 0, 0))
    }

    @Test("decimal, hex and comparison agree with UInt128 on random values")
    func differentialAgainstUInt128() throws {
        var rng = DeterministicRandom(seed: 256)
        for _ in 0..<2000 {
            let a = Self.random128(&rng), b = Self.random128(&rng)
            let x = Self.make(a), y = Self.make(b)
            #expect(x.description == String(a))
            #expect(try UInt256(decimal: String(a)) == x)
            #expect(try UInt256(hexString: "0x" + String(a, radix: 16)) == x)
            #expect(x.hexString == "0x" + String(a, radix: 16))
            #expect((x < y) == (a < b))
            let (sum, overflow) = a.addingReportingOverflow(b)
            if !overflow { #expect(x.addingReportingOverflow(y) == (Self.make(sum), false)) }
            if a >= b { #expect(x.subtractingReportingOverflow(y) == (Self.make(a - b), false)) }
        }
    }

    @Test("fraction comparison a·m vs b·n matches UInt128 arithmetic")
    func compareProductsDifferential() {
        var rng = DeterministicRandom(seed: 257)
        for _ in 0..<2000 {
            let a = rng.next(), b = rng.next()
            let m = rng.next() % 1000 + 1, n = rng.next() % 1000
            let left = UInt128(a) * UInt128(m), right = UInt128(b) * UInt128(n)
            let expected = left < right ? -1 : left == right ? 0 : 1
            #expect(UInt256.compareProducts(UInt256(a), m, UInt256(b), n) == expected)
        }
    }

    @Test("products beyond 256 bits compare exactly")
    func wideProducts() throws {
        let max = UInt256.max
        // (2^256 − 1)·3 > (2^256 − 1)·2, though both overflow 256 bits.
        #expect(UInt256.isProduct(max, greaterThanProductOf: max, 2, times: 3))
        #expect(!UInt256.isProduct(max, greaterThanProductOf: max, 3, times: 3))
        // 2X vs 3X·2/3 with X = 2^254 + 1: equal, so "more than 2/3" fails and "at least" holds.
        let x = try UInt256(hexString: "0x4000000000000000000000000000000000000000000000000000000000000001")
        let twoX = x.addingReportingOverflow(x).partialValue
        let threeX = twoX.addingReportingOverflow(x).partialValue
        #expect(UInt256.compareProducts(twoX, 3, threeX, 2) == 0)
        #expect(UInt256.compareProducts(twoX.addingReportingOverflow(UInt256(1)).partialValue, 3, threeX, 2) > 0)
        let (high, low) = max.multipliedFullWidth(by: .max)
        // (2^256 − 1)(2^64 − 1) = 2^320 − 2^256 − 2^64 + 1
        #expect(high == UInt64.max - 1)
        #expect(low == UInt256(words: (1, .max, .max, .max)))
    }

    @Test("overflow is reported, never wrapped silently")
    func overflow() throws {
        let (sum, overflow) = UInt256.max.addingReportingOverflow(UInt256(1))
        #expect(overflow)
        #expect(sum == .zero)
        #expect(UInt256.zero.subtractingReportingOverflow(UInt256(1)).overflow)
        let maxText = "115792089237316195423570985008687907853269984665640564039457584007913129639935"
        #expect(try UInt256(decimal: maxText) == .max)
        #expect(UInt256.max.description == maxText)
        #expect(throws: ConfirmationError(.amountOverflow, "")) {
            try UInt256(decimal: "115792089237316195423570985008687907853269984665640564039457584007913129639936")
        }
        #expect(throws: ConfirmationError(.amountOverflow, "")) { try UInt256(hexString: "0x1" + String(repeating: "0", count: 64)) }
        #expect(try UInt256(hexString: "0x" + String(repeating: "0", count: 10) + "ff") == UInt256(255))
    }

    @Test("malformed amounts", arguments: ["", "-1", "+1", "01", "1.0", "1e3", "0x", "0xg1", " 1", String(repeating: "9", count: 80)])
    func malformed(text: String) {
        #expect(throws: ConfirmationError.self) { try UInt256(parsing: text) }
    }

    @Test("JSON: decimal string out, decimal / hex / integer in")
    func json() throws {
        let value = try UInt256(decimal: "1000000000000000000000")
        let data = try JSONEncoder().encode([value])
        #expect(String(decoding: data, as: UTF8.self) == #"["1000000000000000000000"]"#)
        let decoded = try JSONDecoder().decode([UInt256].self, from: Data(#"["1000000000000000000000", "0x3635c9adc5dea00000", 42]"#.utf8))
        #expect(decoded == [value, value, UInt256(42)])
        #expect(throws: ConfirmationError.self) { try JSONDecoder().decode([UInt256].self, from: Data("[-5]".utf8)) }
        #expect(throws: ConfirmationError.self) { try JSONDecoder().decode([UInt256].self, from: Data("[1.5]".utf8)) }
    }

    @Test("big-endian bytes round-trip")
    func bytes() throws {
        var rng = DeterministicRandom(seed: 258)
        for _ in 0..<100 {
            let raw = rng.bytes(32)
            let value = try UInt256(bigEndianBytes: raw)
            #expect(value.bigEndianBytes == raw)
            #expect(try UInt256(hexString: "0x" + Hex.encode(raw)) == value)
        }
    }
}
