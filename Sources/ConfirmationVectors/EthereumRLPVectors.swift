public import Foundation
import ConfirmationKit
import ConfirmationKitEthereum

/// An RLP item in vector JSON: a byte string as `0x…` hex, a list as a JSON array.
enum RLPJSON: Codable, Sendable, Equatable {
    case bytes(String)
    case list([RLPJSON])

    init(_ item: RLPItem) {
        switch item {
        case .bytes(let bytes): self = .bytes("0x" + Hex.encode(bytes))
        case .list(let items): self = .list(items.map(RLPJSON.init))
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .bytes(text)
        } else {
            self = .list(try container.decode([RLPJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .bytes(let text): try container.encode(text)
        case .list(let items): try container.encode(items)
        }
    }
}

/// `ethereum-rlp.json`: canonical RLP encodings and every class of non-canonical one.
public struct EthereumRLPVectors: VectorSuite {
    public init() {}
    public var fileName: String { "ethereum-rlp.json" }

    struct Test: Codable, Sendable {
        var tcId: Int
        var comment: String
        var flags: [String]
        var encoded: String
        var decoded: RLPJSON?
        var result: VectorResult
        var error: String?
    }

    struct Group: Codable, Sendable {
        var type: String
        var limits: [String: Int]
        var tests: [Test]
    }

    public func generate() throws -> Data {
        var tests = [Test]()
        func valid(_ comment: String, _ item: RLPItem, _ flags: [String] = ["Canonical"]) {
            tests.append(Test(tcId: tests.count + 1, comment: comment, flags: flags, encoded: "0x" + Hex.encode(RLP.encode(item)),
                              decoded: RLPJSON(item), result: .valid, error: nil))
        }
        func invalid(_ comment: String, _ hex: String, _ code: ConfirmationError.Code, _ flags: [String]) {
            tests.append(Test(tcId: tests.count + 1, comment: comment, flags: flags, encoded: "0x" + hex, decoded: nil,
                              result: .invalid, error: code.rawValue))
        }
        var random = DeterministicRandom(seed: 0x524c_5056)
        valid("empty string", .bytes([]))
        valid("single byte 0x00 encodes as itself", .bytes([0x00]))
        valid("single byte 0x7f encodes as itself", .bytes([0x7f]))
        valid("single byte 0x80 needs a prefix", .bytes([0x80]))
        for length in [2, 55, 56, 255, 256, 1024] {
            valid("string of \(length) bytes", .bytes(random.bytes(length)), length >= 56 ? ["Canonical", "LongForm"] : ["Canonical"])
        }
        valid("empty list", .list([]))
        valid("list of strings", .list([.bytes(Array("cat".utf8)), .bytes(Array("dog".utf8))]))
        valid("nested empty lists", .list([.list([]), .list([.list([])]), .list([.list([]), .list([.list([])])])]))
        valid("list of 56 bytes of payload (long form)", .list((0..<14).map { _ in .bytes(random.bytes(3)) }), ["Canonical", "LongForm"])
        for value: UInt64 in [0, 1, 127, 128, 1024, 0xffff_ffff_ffff_ffff] {
            valid("integer \(value)", .uint(value), ["Canonical", "Integer"])
        }
        valid("a header-like list of 21 fields", .list((0..<21).map { index in .bytes(random.bytes(index % 3 == 0 ? 32 : index)) }), ["Canonical", "LongForm"])

        invalid("empty input", "", .rlpEmptyInput, ["EmptyInput"])
        invalid("single byte 0x00 wrapped as a string", "8100", .rlpNonCanonicalSize, ["SingleByteAsString"])
        invalid("single byte 0x7f wrapped as a string", "817f", .rlpNonCanonicalSize, ["SingleByteAsString"])
        invalid("long-form string of 0 bytes", "b800", .rlpNonCanonicalSize, ["NonMinimalLength"])
        invalid("long-form string of 55 bytes", "b837" + String(repeating: "61", count: 55), .rlpNonCanonicalSize, ["NonMinimalLength"])
        invalid("long-form list of 1 byte", "f80180", .rlpNonCanonicalSize, ["NonMinimalLength"])
        invalid("length of length with a leading zero", "b90040" + String(repeating: "00", count: 64), .rlpNonCanonicalSize, ["LeadingZeroLength"])
        invalid("list length with a leading zero", "f9003c" + String(repeating: "00", count: 60), .rlpNonCanonicalSize, ["LeadingZeroLength"])
        invalid("string longer than the input", "8561626364", .rlpTruncated, ["Truncated"])
        invalid("list longer than the input", "c5010203", .rlpTruncated, ["Truncated"])
        invalid("item running past its list", "c28301", .rlpTruncated, ["Truncated"])
        invalid("long length field cut short", "b9ff", .rlpTruncated, ["Truncated"])
        invalid("bytes after the item", "83616263ff", .rlpTrailingData, ["TrailingData"])
        invalid("two top-level items", "c0c0", .rlpTrailingData, ["TrailingData"])
        invalid("8-byte length far beyond the input", "bf0f000000000000021111", .rlpTooLarge, ["LengthOverflow"])
        invalid("9-byte-looking length overflowing 63 bits", "ffffffffffffffffff00", .rlpTooLarge, ["LengthOverflow"])
        var deep = RLPItem.list([])
        for _ in 0..<RLPLimits.default.maximumDepth { deep = .list([deep]) }
        invalid("lists nested \(RLPLimits.default.maximumDepth + 1) deep", Hex.encode(RLP.encode(deep)), .rlpTooDeep, ["DepthLimit"])

        let group = Group(type: "RLPDecode", limits: ["maximumDepth": RLPLimits.default.maximumDepth,
                                                      "maximumItems": RLPLimits.default.maximumItems,
                                                      "maximumBytes": RLPLimits.default.maximumBytes], tests: tests)

        // Tight limits, as callers decoding small structures set them (a header: 4096 bytes, depth 2, 32 items).
        let tight = RLPLimits(maximumBytes: 64, maximumDepth: 2, maximumItems: 4)
        let firstTight = tests.count
        valid("list of three strings: 4 items, at the item limit", .list([.bytes([1]), .bytes([2]), .bytes([3])]), ["Canonical", "ItemLimit"])
        invalid("list of four strings: 5 items, over the item limit", Hex.encode(RLP.encode(.list((1...4).map { .bytes([$0]) }))),
                .rlpTooManyItems, ["ItemLimit"])
        invalid("two lists of one string: 5 items counted at every depth, over the item limit",
                Hex.encode(RLP.encode(.list([.list([.bytes([1])]), .list([.bytes([2])])]))), .rlpTooManyItems, ["ItemLimit"])
        invalid("empty lists nested 3 deep, over a depth limit of 2", Hex.encode(RLP.encode(.list([.list([.list([])])]))), .rlpTooDeep, ["DepthLimit"])
        invalid("a 64-byte string: 66 bytes of input, over a size limit of 64", Hex.encode(RLP.encode(.bytes(random.bytes(64)))),
                .rlpTooLarge, ["SizeLimit"])
        let tightGroup = Group(type: "RLPDecode", limits: ["maximumDepth": tight.maximumDepth, "maximumItems": tight.maximumItems,
                                                           "maximumBytes": tight.maximumBytes], tests: Array(tests[firstTight...]))
        let defaultGroup = Group(type: group.type, limits: group.limits, tests: Array(tests[..<firstTight]))
        let file = VectorFile(
            schema: "confirmationkit-ethereum-rlp-v1", algorithm: "RLP",
            header: ["Ethereum Recursive Length Prefix: canonical encodings (decode, then re-encode byte for byte) and",
                     "non-canonical or truncated inputs a strict decoder must reject with the given code.",
                     "`decoded` is the item: a 0x-hex string for a byte string, an array for a list. Each group's `limits` bound the",
                     "decoder (input bytes, list depth with the top-level list at depth 1, items at every depth). See Docs/ethereum-l1.md."],
            notes: ["Canonical": "A canonical encoding; decoding then encoding gives the same bytes.",
                    "LongForm": "Uses the long length form (payload of 56 bytes or more).",
                    "Integer": "An unsigned integer as its minimal big-endian string (0 is the empty string).",
                    "EmptyInput": "No bytes at all.",
                    "SingleByteAsString": "A byte below 0x80 must encode as itself, not as 0x81 followed by it.",
                    "NonMinimalLength": "The long form is used for a payload under 56 bytes.",
                    "LeadingZeroLength": "The length field starts with a zero byte.",
                    "Truncated": "A declared length runs past the input or the enclosing list.",
                    "TrailingData": "Bytes follow the top-level item.",
                    "LengthOverflow": "A declared length is larger than any input could be.",
                    "DepthLimit": "Lists nest deeper than the decoder's limit.",
                    "ItemLimit": "Counts items (strings and lists, at every depth, the top-level list included) against the group's limit.",
                    "SizeLimit": "The input is longer than the group's byte limit."],
            testGroups: [defaultGroup, tightGroup], numberOfTests: tests.count)
        return try VectorJSON.encode(file)
    }

    public func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<Group>.self, from: data)
        var outcomes = [VectorOutcome]()
        for group in file.testGroups {
            let limits = RLPLimits(maximumBytes: group.limits["maximumBytes"] ?? RLPLimits.default.maximumBytes,
                                   maximumDepth: group.limits["maximumDepth"] ?? RLPLimits.default.maximumDepth,
                                   maximumItems: group.limits["maximumItems"] ?? RLPLimits.default.maximumItems)
            for test in group.tests {
                do {
                    let bytes = try Hex.decode(test.encoded)
                    let item = try RLP.decode(bytes, limits: limits)
                    let roundTrip = RLP.encode(item) == bytes
                    let matches = test.decoded.map { RLPJSON(item) == $0 } ?? true
                    outcomes.append(VectorOutcome(tcId: test.tcId, passed: test.result == .valid && roundTrip && matches,
                                                  detail: test.result == .valid ? "decoded item or re-encoding differs" : "accepted an invalid encoding"))
                } catch let error as ConfirmationError {
                    let passed = test.result == .invalid && error.code.rawValue == test.error
                    outcomes.append(VectorOutcome(tcId: test.tcId, passed: passed, detail: passed ? "" : "got \(error.code)"))
                }
            }
        }
        return outcomes
    }
}
