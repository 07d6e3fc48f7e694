public import ConfirmationKit

/// One value of Ethereum's Recursive Length Prefix encoding: a byte string or a list of values.
///
/// ```swift
/// let item = RLPItem.list([.bytes(Array("cat".utf8)), .bytes(Array("dog".utf8))])
/// let encoded = RLP.encode(item)          // c8 83 636174 83 646f67
/// let back = try RLP.decode(encoded)
/// assert(back == item)
/// ```
public enum RLPItem: Hashable, Sendable {
    /// A byte string (possibly empty).
    case bytes([UInt8])
    /// A list of items (possibly empty).
    case list([RLPItem])

    /// An unsigned integer as its minimal big-endian byte string (0 is the empty string).
    public static func uint(_ value: UInt64) -> RLPItem { .bytes(RLP.minimalBigEndian(value)) }

    /// The byte string this item holds.
    /// - Throws: ``ConfirmationError`` `rlp.unexpected-shape` if the item is a list.
    public func byteString() throws -> [UInt8] {
        guard case .bytes(let bytes) = self else {
            throw ConfirmationError(.rlpUnexpectedShape, "expected an RLP byte string, found a list")
        }
        return bytes
    }

    /// The items of this list.
    /// - Throws: ``ConfirmationError`` `rlp.unexpected-shape` if the item is a byte string.
    public func listItems() throws -> [RLPItem] {
        guard case .list(let items) = self else {
            throw ConfirmationError(.rlpUnexpectedShape, "expected an RLP list, found a byte string")
        }
        return items
    }

    /// The canonical unsigned integer this byte string holds (no leading zero byte, at most 8 bytes).
    /// - Throws: ``ConfirmationError`` `rlp.non-canonical-integer`, `rlp.integer-overflow` or `rlp.unexpected-shape`.
    public func uint64() throws -> UInt64 {
        let bytes = try byteString()
        return try RLP.uint64(bigEndian: bytes)
    }

    /// Exactly 32 bytes.
    /// - Throws: ``ConfirmationError`` `rlp.unexpected-shape` for a list or any other length.
    public func bytes32() throws -> Bytes32 {
        let bytes = try byteString()
        guard bytes.count == 32 else {
            throw ConfirmationError(.rlpUnexpectedShape, "expected a 32-byte string, found \(bytes.count) bytes")
        }
        return try Bytes32(bytes)
    }
}

/// Bounds a decoder applies to untrusted RLP.
public struct RLPLimits: Sendable, Hashable {
    /// The largest input accepted, in bytes.
    public var maximumBytes: Int
    /// The deepest list nesting accepted (the top-level list is depth 1).
    public var maximumDepth: Int
    /// The most items (strings and lists, at every depth) accepted in one input.
    public var maximumItems: Int

    /// Creates limits.
    public init(maximumBytes: Int = 16 << 20, maximumDepth: Int = 32, maximumItems: Int = 1 << 20) {
        self.maximumBytes = maximumBytes
        self.maximumDepth = maximumDepth
        self.maximumItems = maximumItems
    }

    /// 16 MiB, depth 32, 2²⁰ items: generous for headers, receipts and trie nodes.
    public static let `default` = RLPLimits()
}

/// RLP encoding and a strict decoder.
///
/// The decoder accepts only the canonical encoding: it rejects a single byte below `0x80`
/// wrapped as a string, a long form for a payload under 56 bytes, length fields with leading
/// zeros, lengths running past their container, and anything after the top-level item.
public enum RLP {
    // MARK: Encoding

    /// Encodes an item.
    public static func encode(_ item: RLPItem) -> [UInt8] {
        var out = [UInt8]()
        append(item, to: &out)
        return out
    }

    /// Appends the encoding of `item` to `out`.
    public static func append(_ item: RLPItem, to out: inout [UInt8]) {
        switch item {
        case .bytes(let bytes):
            appendString(bytes, to: &out)
        case .list(let items):
            var payload = [UInt8]()
            for child in items { append(child, to: &payload) }
            appendListHeader(payloadLength: payload.count, to: &out)
            out.append(contentsOf: payload)
        }
    }

    /// Encodes a byte string.
    public static func encodeString(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        appendString(bytes, to: &out)
        return out
    }

    /// Appends the encoding of a byte string.
    public static func appendString(_ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        if bytes.count == 1, let only = bytes.first, only < 0x80 {
            out.append(only)
            return
        }
        appendLength(bytes.count, offset: 0x80, to: &out)
        out.append(contentsOf: bytes)
    }

    /// Encodes a list whose items are already encoded (their encodings concatenated in order).
    public static func encodeList(encodedItems: [[UInt8]]) -> [UInt8] {
        let length = encodedItems.reduce(0) { $0 + $1.count }
        var out = [UInt8]()
        out.reserveCapacity(length + 9)
        appendListHeader(payloadLength: length, to: &out)
        for item in encodedItems { out.append(contentsOf: item) }
        return out
    }

    /// Appends a list header for a payload of `payloadLength` bytes.
    public static func appendListHeader(payloadLength: Int, to out: inout [UInt8]) {
        appendLength(payloadLength, offset: 0xc0, to: &out)
    }

    /// Encodes an unsigned integer (its minimal big-endian string).
    public static func encode(_ value: UInt64) -> [UInt8] { encodeString(minimalBigEndian(value)) }

    /// The minimal big-endian bytes of `value` (empty for zero).
    public static func minimalBigEndian(_ value: UInt64) -> [UInt8] {
        var out = [UInt8]()
        var started = false
        for shift in stride(from: 56, through: 0, by: -8) {
            let byte = UInt8(truncatingIfNeeded: value >> UInt64(shift))
            if byte != 0 || started {
                out.append(byte)
                started = true
            }
        }
        return out
    }

    /// `bytes` without leading zero bytes.
    public static func trimmingLeadingZeros(_ bytes: some Collection<UInt8>) -> [UInt8] {
        Array(bytes.drop { $0 == 0 })
    }

    private static func appendLength(_ length: Int, offset: UInt8, to out: inout [UInt8]) {
        if length < 56 {
            out.append(offset + UInt8(length))
        } else {
            let lengthBytes = minimalBigEndian(UInt64(length))
            out.append(offset + 55 + UInt8(lengthBytes.count))
            out.append(contentsOf: lengthBytes)
        }
    }

    // MARK: Decoding

    /// Decodes exactly one item that spans the whole input.
    ///
    /// ```swift
    /// let item = try RLP.decode([0x82, 0x04, 0x00])   // .bytes([0x04, 0x00])
    /// ```
    /// - Parameters:
    ///   - bytes: the encoding.
    ///   - limits: the bounds applied (size, depth, item count).
    /// - Returns: the decoded item.
    /// - Throws: ``ConfirmationError`` with an `rlp.*` code for every non-canonical or truncated form.
    public static func decode(_ bytes: [UInt8], limits: RLPLimits = .default) throws -> RLPItem {
        guard bytes.count <= limits.maximumBytes else {
            throw ConfirmationError(.rlpTooLarge, "RLP input of \(bytes.count) bytes exceeds the limit of \(limits.maximumBytes)")
        }
        guard !bytes.isEmpty else {
            throw ConfirmationError(.rlpEmptyInput, "RLP input is empty")
        }
        var itemCount = 0
        let header = try readHeader(bytes, at: 0, end: bytes.count)
        let item = try decodeItem(bytes, header, depth: 0, limits: limits, itemCount: &itemCount)
        guard header.end == bytes.count else {
            throw ConfirmationError(.rlpTrailingData, "\(bytes.count - header.end) bytes follow the RLP item")
        }
        return item
    }

    private static func decodeItem(_ bytes: [UInt8], _ header: Header, depth: Int, limits: RLPLimits,
                                   itemCount: inout Int) throws -> RLPItem {
        itemCount += 1
        guard itemCount <= limits.maximumItems else {
            throw ConfirmationError(.rlpTooManyItems, "RLP input has more than \(limits.maximumItems) items")
        }
        guard header.isList else {
            return .bytes(Array(bytes[header.payloadStart..<header.end]))
        }
        guard depth < limits.maximumDepth else {
            throw ConfirmationError(.rlpTooDeep, "RLP lists nest deeper than \(limits.maximumDepth)")
        }
        var items = [RLPItem]()
        var offset = header.payloadStart
        while offset < header.end {
            let child = try readHeader(bytes, at: offset, end: header.end)
            items.append(try decodeItem(bytes, child, depth: depth + 1, limits: limits, itemCount: &itemCount))
            offset = child.end
        }
        return .list(items)
    }

    /// The position of one encoded item inside a buffer.
    package struct Header: Sendable {
        /// Whether the item is a list.
        package var isList: Bool
        /// Where the payload starts.
        package var payloadStart: Int
        /// One past the payload's last byte (the end of the whole item).
        package var end: Int
    }

    /// Reads and checks the header of the item at `offset`, which must end at or before `end`.
    ///
    /// `end` must be within `bytes`. Every rule of canonical RLP is checked here.
    package static func readHeader(_ bytes: [UInt8], at offset: Int, end: Int) throws -> Header {
        guard offset < end, end <= bytes.count else {
            throw ConfirmationError(.rlpTruncated, "RLP item expected at offset \(offset) but the input ends")
        }
        let prefix = bytes[offset]
        let available = end - offset - 1
        switch prefix {
        case 0x00..<0x80:
            return Header(isList: false, payloadStart: offset, end: offset + 1)
        case 0x80...0xb7, 0xc0...0xf7:
            let isList = prefix >= 0xc0
            let length = Int(prefix - (isList ? 0xc0 : 0x80))
            guard length <= available else {
                throw ConfirmationError(.rlpTruncated, "RLP item at offset \(offset) declares \(length) bytes, \(available) remain")
            }
            if !isList, length == 1, bytes[offset + 1] < 0x80 {
                throw ConfirmationError(.rlpNonCanonicalSize, "single byte below 0x80 at offset \(offset) must encode as itself")
            }
            return Header(isList: isList, payloadStart: offset + 1, end: offset + 1 + length)
        default:
            let isList = prefix >= 0xf8
            let lengthOfLength = Int(prefix - (isList ? 0xf7 : 0xb7))
            guard lengthOfLength <= available else {
                throw ConfirmationError(.rlpTruncated, "RLP length field at offset \(offset) runs past the input")
            }
            guard bytes[offset + 1] != 0 else {
                throw ConfirmationError(.rlpNonCanonicalSize, "RLP length at offset \(offset) has a leading zero")
            }
            var length = 0
            for index in (offset + 1)...(offset + lengthOfLength) {
                // At most 8 length bytes; anything past Int.max / 256 cannot fit in memory anyway.
                guard length <= (Int.max >> 8) else {
                    throw ConfirmationError(.rlpTooLarge, "RLP length at offset \(offset) overflows")
                }
                length = length << 8 | Int(bytes[index])
            }
            guard length >= 56 else {
                throw ConfirmationError(.rlpNonCanonicalSize, "RLP item at offset \(offset) uses the long form for \(length) bytes")
            }
            guard length <= available - lengthOfLength else {
                if length > bytes.count {
                    throw ConfirmationError(.rlpTooLarge, "RLP item at offset \(offset) declares \(length) bytes, more than the whole input")
                }
                throw ConfirmationError(.rlpTruncated, "RLP item at offset \(offset) declares \(length) bytes, \(available - lengthOfLength) remain")
            }
            let start = offset + 1 + lengthOfLength
            return Header(isList: isList, payloadStart: start, end: start + length)
        }
    }

    /// Reads a canonical big-endian unsigned integer of at most 8 bytes.
    /// - Throws: ``ConfirmationError`` `rlp.non-canonical-integer` or `rlp.integer-overflow`.
    public static func uint64(bigEndian bytes: some Collection<UInt8>) throws -> UInt64 {
        guard bytes.first != 0 else {
            throw ConfirmationError(.rlpNonCanonicalInteger, "integer has a leading zero byte")
        }
        guard bytes.count <= 8 else {
            throw ConfirmationError(.rlpIntegerOverflow, "integer of \(bytes.count) bytes does not fit in 64 bits")
        }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}

extension ConfirmationError.Code {
    /// The RLP input is empty.
    public static let rlpEmptyInput = Self("rlp.empty-input")
    /// An RLP length runs past the end of the input or of the enclosing list.
    public static let rlpTruncated = Self("rlp.truncated")
    /// An RLP length is not in its shortest form (leading zero, long form under 56 bytes, a single byte below 0x80 wrapped as a string).
    public static let rlpNonCanonicalSize = Self("rlp.non-canonical-size")
    /// Bytes follow the top-level RLP item.
    public static let rlpTrailingData = Self("rlp.trailing-data")
    /// The RLP input, or a length it declares, exceeds the limit.
    public static let rlpTooLarge = Self("rlp.too-large")
    /// RLP lists nest deeper than the limit.
    public static let rlpTooDeep = Self("rlp.too-deep")
    /// The RLP input has more items than the limit.
    public static let rlpTooManyItems = Self("rlp.too-many-items")
    /// An RLP integer has a leading zero byte.
    public static let rlpNonCanonicalInteger = Self("rlp.non-canonical-integer")
    /// An RLP integer is wider than its field.
    public static let rlpIntegerOverflow = Self("rlp.integer-overflow")
    /// An RLP item has the wrong shape for its field (list for string, wrong count or length).
    public static let rlpUnexpectedShape = Self("rlp.unexpected-shape")
}
