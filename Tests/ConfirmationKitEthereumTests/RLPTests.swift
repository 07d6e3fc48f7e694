import ConfirmationKit
import ConfirmationKitEthereum
import Foundation
import Testing
import VectorSupport

/// Converts an ethereum/tests RLP `in` value to an item: strings are UTF-8 bytes (`#` = decimal
/// big integer), numbers are minimal big-endian integers, arrays are lists.
func rlpItem(fromTestValue value: Any) throws -> RLPItem {
    if let text = value as? String {
        if text.hasPrefix("#") { return .bytes(try decimalToBigEndian(String(text.dropFirst()))) }
        return .bytes(Array(text.utf8))
    }
    if let list = value as? [Any] { return .list(try list.map(rlpItem(fromTestValue:))) }
    if let number = value as? NSNumber { return .uint(number.uint64Value) }
    throw ConfirmationError(.ethereumInvalidJSON, "unsupported RLP test value \(value)")
}

/// Minimal big-endian bytes of a decimal number of any size.
func decimalToBigEndian(_ decimal: String) throws -> [UInt8] {
    var bytes = [UInt8]()  // little-endian accumulator
    for character in decimal.utf8 {
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(character) else {
            throw ConfirmationError(.ethereumInvalidJSON, "bad decimal digit")
        }
        var carry = UInt(character - UInt8(ascii: "0"))
        for index in bytes.indices {
            let value = UInt(bytes[index]) * 10 + carry
            bytes[index] = UInt8(value & 0xff)
            carry = value >> 8
        }
        while carry > 0 {
            bytes.append(UInt8(carry & 0xff))
            carry >>= 8
        }
    }
    return RLP.trimmingLeadingZeros(bytes.reversed())
}

func loadJSONObject(_ relativePath: String) throws -> [String: Any] {
    let data = try SharedVectors.data(relativePath)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

@Suite("RLP")
struct RLPTests {
    @Test("ethereum/tests rlptest.json: every case encodes to out and decodes back",
          .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
    func validVectors() throws {
        let cases = try loadJSONObject("ethereum/rlptest.json")
        #expect(cases.count == 28)
        var checked = 0
        for (name, body) in cases.sorted(by: { $0.key < $1.key }) {
            let test = try #require(body as? [String: Any])
            let item = try rlpItem(fromTestValue: try #require(test["in"]))
            let expected = try Hex.decode(try #require(test["out"] as? String))
            #expect(RLP.encode(item) == expected, "\(name): encoding differs")
            #expect(try RLP.decode(expected) == item, "\(name): decoding differs")
            checked += 1
        }
        #expect(checked == 28)
    }

    @Test("ethereum/tests invalidRLPTest.json: every case is rejected with an rlp code",
          .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
    func invalidVectors() throws {
        let cases = try loadJSONObject("ethereum/invalidRLPTest.json")
        #expect(cases.count == 26)
        var rejected = 0
        for (name, body) in cases.sorted(by: { $0.key < $1.key }) {
            let test = try #require(body as? [String: Any])
            let bytes = try Hex.decode(try #require(test["out"] as? String))
            do {
                let item = try RLP.decode(bytes)
                Issue.record("\(name): decoded to \(item)")
            } catch let error as ConfirmationError {
                #expect(error.code.rawValue.hasPrefix("rlp."), "\(name): \(error)")
                rejected += 1
            }
        }
        #expect(rejected == 26)
    }

    @Test("non-canonical forms carry specific codes", arguments: [
        ("", "rlp.empty-input"),
        ("8100", "rlp.non-canonical-size"),
        ("817f", "rlp.non-canonical-size"),
        ("b800", "rlp.non-canonical-size"),
        ("b90001" + String(repeating: "00", count: 1), "rlp.non-canonical-size"),
        ("b837" + String(repeating: "61", count: 55), "rlp.non-canonical-size"),
        ("f800", "rlp.non-canonical-size"),
        ("83616263ff", "rlp.trailing-data"),
        ("836162", "rlp.truncated"),
        ("c3830102", "rlp.truncated"),
        ("c28301", "rlp.truncated"),
        ("bf0f000000000000021111", "rlp.too-large"),
        ("ffffffffffffffffff00", "rlp.too-large"),
    ])
    func nonCanonical(hex: String, code: String) throws {
        #expect(throws: ConfirmationError(ConfirmationError.Code(code), "")) { try RLP.decode(Hex.decode(hex)) }
    }

    @Test func limits() throws {
        // 40 nested empty lists exceed the default depth of 32.
        var nested = RLPItem.list([])
        for _ in 0..<40 { nested = .list([nested]) }
        #expect(throws: ConfirmationError(.rlpTooDeep, "")) { try RLP.decode(RLP.encode(nested)) }
        let many = RLPItem.list(Array(repeating: .bytes([1]), count: 100))
        #expect(throws: ConfirmationError(.rlpTooManyItems, "")) {
            try RLP.decode(RLP.encode(many), limits: RLPLimits(maximumItems: 50))
        }
        #expect(throws: ConfirmationError(.rlpTooLarge, "")) {
            try RLP.decode(RLP.encode(.bytes([UInt8](repeating: 7, count: 100))), limits: RLPLimits(maximumBytes: 64))
        }
    }

    @Test func integers() throws {
        for value: UInt64 in [0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff_ffff, .max] {
            let encoded = RLP.encode(value)
            #expect(try RLP.decode(encoded).uint64() == value)
        }
        #expect(throws: ConfirmationError(.rlpNonCanonicalInteger, "")) { try RLPItem.bytes([0, 1]).uint64() }
        #expect(throws: ConfirmationError(.rlpIntegerOverflow, "")) { try RLPItem.bytes([UInt8](repeating: 1, count: 9)).uint64() }
        #expect(throws: ConfirmationError(.rlpUnexpectedShape, "")) { try RLPItem.list([]).uint64() }
    }

    @Test("random items round-trip and every one-byte truncation is rejected")
    func roundTripFuzz() throws {
        var random = DeterministicRandom(seed: 0x524c50)
        for _ in 0..<300 {
            let item = randomItem(&random, depth: 0)
            let encoded = RLP.encode(item)
            #expect(try RLP.decode(encoded) == item)
            if encoded.count > 1 {
                #expect(throws: ConfirmationError.self) { try RLP.decode(Array(encoded.dropLast())) }
            }
            #expect(throws: ConfirmationError(.rlpTrailingData, "")) { try RLP.decode(encoded + [0]) }
        }
    }

    func randomItem(_ random: inout DeterministicRandom, depth: Int) -> RLPItem {
        if depth < 4, random.next() % 3 == 0 {
            return .list((0..<Int(random.next() % 6)).map { _ in randomItem(&random, depth: depth + 1) })
        }
        let lengths = [0, 1, 1, 2, 31, 55, 56, 57, 300]
        let length = lengths[Int(random.next() % UInt64(lengths.count))]
        return .bytes((0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) })
    }
}
