/// The few canonical protobuf (proto3) encodings CometBFT hashes and signs, written by hand.
///
/// Only what header hashing, validator-set hashing and vote sign-bytes need: varints, fixed
/// 64-bit integers and length-delimited fields. Proto3 rules apply: a scalar field equal to zero
/// and an empty bytes/string field are omitted; an embedded message is emitted whenever the
/// caller asks for it (non-nullable gogoproto fields are always emitted, even when empty).
/// Field order is ascending field number, as Go's generated marshallers write it.
struct ProtoWriter: Sendable {
    /// The bytes written so far.
    private(set) var bytes: [UInt8] = []

    init() {}

    /// Appends an unsigned LEB128 varint.
    mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    /// Appends a field key (field number and wire type).
    mutating func appendKey(_ field: UInt64, wireType: UInt64) {
        appendVarint(field << 3 | wireType)
    }

    /// A varint field (`uint32`, `uint64`, enums, and `int32`/`int64` as two's complement); omitted when zero.
    mutating func varintField(_ field: UInt64, _ value: UInt64) {
        guard value != 0 else { return }
        appendKey(field, wireType: 0)
        appendVarint(value)
    }

    /// A signed varint field (`int64`, `int32`: negative values take ten bytes); omitted when zero.
    mutating func int64Field(_ field: UInt64, _ value: Int64) {
        varintField(field, UInt64(bitPattern: value))
    }

    /// An `sfixed64` field (eight little-endian bytes); omitted when zero.
    mutating func sfixed64Field(_ field: UInt64, _ value: Int64) {
        guard value != 0 else { return }
        appendKey(field, wireType: 1)
        let v = UInt64(bitPattern: value)
        for shift in stride(from: 0, to: 64, by: 8) {
            bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(shift)))
        }
    }

    /// A `bytes` or `string` field; omitted when empty.
    mutating func bytesField(_ field: UInt64, _ value: [UInt8]) {
        guard !value.isEmpty else { return }
        appendKey(field, wireType: 2)
        appendVarint(UInt64(value.count))
        bytes += value
    }

    /// An embedded message, always emitted (even when its encoding is empty).
    mutating func messageField(_ field: UInt64, _ message: [UInt8]) {
        appendKey(field, wireType: 2)
        appendVarint(UInt64(message.count))
        bytes += message
    }

    /// `bytes` prefixed with their length as a uvarint (`protoio.MarshalDelimited`).
    static func delimited(_ message: [UInt8]) -> [UInt8] {
        var writer = ProtoWriter()
        writer.appendVarint(UInt64(message.count))
        return writer.bytes + message
    }
}
