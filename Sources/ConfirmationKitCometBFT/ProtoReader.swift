import ConfirmationKit

/// A bounded protobuf reader for the few Astria messages this profile decodes.
///
/// Every read checks the remaining length; varints are at most ten bytes; unknown fields are skipped
/// (wire types 0, 1, 2 and 5); groups (3, 4) are rejected. Errors are `astria.malformed-protobuf`.
struct ProtoReader {
    private let bytes: [UInt8]
    private var position: Int
    private let end: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = 0
        end = bytes.count
    }

    private init(_ bytes: [UInt8], from start: Int, to end: Int) {
        self.bytes = bytes
        position = start
        self.end = end
    }

    var isAtEnd: Bool { position >= end }

    static func fail(_ why: String) -> ConfirmationError {
        ConfirmationError(.astriaMalformedProtobuf, why)
    }

    mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: UInt64(0), to: 70, by: 7) {
            guard position < end else { throw Self.fail("truncated varint") }
            let byte = bytes[position]
            position += 1
            guard shift < 63 || byte <= 1 else { throw Self.fail("varint overflows 64 bits") }
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value }
        }
        throw Self.fail("varint longer than ten bytes")
    }

    /// The next field's number and wire type, or `nil` at the end.
    mutating func nextField() throws -> (number: UInt64, wireType: UInt64)? {
        guard !isAtEnd else { return nil }
        let key = try varint()
        let number = key >> 3
        guard number > 0 else { throw Self.fail("field number 0") }
        return (number, key & 7)
    }

    /// The payload of a length-delimited field.
    mutating func lengthDelimited() throws -> ProtoReader {
        let length = try varint()
        guard length <= UInt64(end - position) else { throw Self.fail("length \(length) runs past the message") }
        let start = position
        position += Int(length)
        return ProtoReader(bytes, from: start, to: position)
    }

    mutating func bytesField() throws -> [UInt8] {
        let sub = try lengthDelimited()
        return Array(sub.bytes[sub.position..<sub.end])
    }

    mutating func skip(wireType: UInt64) throws {
        switch wireType {
        case 0: _ = try varint()
        case 1: try advance(8)
        case 2: _ = try lengthDelimited()
        case 5: try advance(4)
        default: throw Self.fail("unsupported wire type \(wireType)")
        }
    }

    private mutating func advance(_ n: Int) throws {
        guard end - position >= n else { throw Self.fail("truncated fixed-width field") }
        position += n
    }

    /// Checks that a field has the wire type its schema says.
    static func expect(_ wireType: UInt64, _ expected: UInt64, _ field: String) throws {
        guard wireType == expected else { throw fail("\(field) has wire type \(wireType), expected \(expected)") }
    }
}
