public import Foundation
public import ConfirmationKit

/// A parsed JSON document, as Espresso's query service serves it.
///
/// Decoding is strict and bounded: integers are read exactly (no floating point), and every accessor
/// names the path of a value that is missing or of the wrong type in an `espresso.malformed` error.
public indirect enum EspressoJSON: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer in 0…2⁶⁴−1, read exactly.
    case unsigned(UInt64)
    /// A negative integer.
    case signed(Int64)
    /// A number with a fraction or exponent (never accepted where an integer is expected).
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([EspressoJSON])
    /// An object (member order is not kept; duplicate members keep one value).
    case object([String: EspressoJSON])

    /// The largest document accepted (64 MiB).
    public static let maximumBytes = 64 << 20

    /// Parses a JSON document.
    /// - Parameter data: the bytes, at most ``maximumBytes``.
    /// - Throws: ``ConfirmationError`` `input.too-long` or `espresso.malformed`.
    public init(parsing data: Data) throws {
        guard data.count <= Self.maximumBytes else {
            throw ConfirmationError(.inputTooLong, "a JSON document is at most \(Self.maximumBytes) bytes")
        }
        do {
            self = try JSONDecoder().decode(EspressoJSON.self, from: data)
        } catch let error as ConfirmationError {
            throw error
        } catch {
            throw ConfirmationError(.espressoMalformed, "not valid JSON")
        }
    }
}

extension EspressoJSON: Codable {
    /// Decodes any JSON value, integers first (so no integer goes through floating point).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(UInt64.self) {
            self = .unsigned(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .signed(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([EspressoJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: EspressoJSON].self))
        }
    }

    /// Encodes the value as it is.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let v): try container.encode(v)
        case .unsigned(let v): try container.encode(v)
        case .signed(let v): try container.encode(v)
        case .double(let v): try container.encode(v)
        case .string(let v): try container.encode(v)
        case .array(let v): try container.encode(v)
        case .object(let v): try container.encode(v)
        }
    }
}

/// A JSON value with the path it was found at, for error messages.
struct JSONCursor {
    let value: EspressoJSON
    let path: String

    init(_ value: EspressoJSON, path: String = "$") {
        self.value = value
        self.path = path
    }

    func fail(_ what: String) -> ConfirmationError {
        ConfirmationError(.espressoMalformed, "\(path): \(what)")
    }

    var isNull: Bool { value == .null }

    func object() throws -> [String: EspressoJSON] {
        guard case .object(let o) = value else { throw fail("expected an object") }
        return o
    }

    func array(maximumCount: Int) throws -> [JSONCursor] {
        guard case .array(let a) = value else { throw fail("expected an array") }
        guard a.count <= maximumCount else { throw fail("at most \(maximumCount) elements; got \(a.count)") }
        return a.enumerated().map { JSONCursor($0.element, path: "\(path)[\($0.offset)]") }
    }

    /// The member `key`; a missing member is an error.
    subscript(_ key: String) -> JSONCursor {
        get throws {
            guard let member = try object()[key] else { throw fail("missing member \"\(key)\"") }
            return JSONCursor(member, path: path + "." + key)
        }
    }

    /// The member `key`, or nil when it is absent or null.
    func optional(_ key: String) throws -> JSONCursor? {
        guard let member = try object()[key], member != .null else { return nil }
        return JSONCursor(member, path: path + "." + key)
    }

    func has(_ key: String) throws -> Bool { try object()[key] != nil }

    func u64() throws -> UInt64 {
        guard case .unsigned(let v) = value else { throw fail("expected an unsigned 64-bit integer") }
        return v
    }

    func u16() throws -> UInt16 {
        guard let v = UInt16(exactly: try u64()) else { throw fail("expected an integer below 65536") }
        return v
    }

    func string() throws -> String {
        guard case .string(let s) = value else { throw fail("expected a string") }
        return s
    }

    func bool() throws -> Bool {
        guard case .bool(let b) = value else { throw fail("expected true or false") }
        return b
    }

    /// A decimal or `0x` hex string (or a JSON integer) as a 256-bit integer.
    func u256() throws -> UInt256 {
        if case .unsigned(let v) = value { return UInt256(v) }
        do { return try UInt256(parsing: try string()) } catch { throw fail("expected a 256-bit integer") }
    }

    /// A decimal string (or JSON integer) that fits in 64 bits.
    func u64String() throws -> UInt64 {
        if case .unsigned(let v) = value { return v }
        guard let v = UInt64(try string()) else { throw fail("expected a decimal 64-bit integer") }
        return v
    }

    func commitment(tags: Set<String> = ["COMMIT"]) throws -> EspressoCommitment {
        do { return try EspressoCommitment(taggedBase64: try string(), tags: tags) } catch let error as ConfirmationError {
            throw ConfirmationError(error.code, "\(path): \(error.reason)")
        }
    }

    func tagged(_ tag: String, maximumBytes: Int) throws -> [UInt8] {
        do {
            let parsed = try TaggedBase64(parsing: try string(), tag: tag)
            guard parsed.value.count <= maximumBytes else { throw fail("\(tag) value longer than \(maximumBytes) bytes") }
            return parsed.value
        } catch let error as ConfirmationError {
            throw ConfirmationError(error.code, "\(path): \(error.reason)")
        }
    }

    func address() throws -> EthereumAddress {
        do { return try EthereumAddress(try string()) } catch let error as ConfirmationError {
            throw ConfirmationError(error.code, "\(path): \(error.reason)")
        }
    }

    func bytes32Hex() throws -> Bytes32 {
        do { return try Bytes32(hex: try string()) } catch let error as ConfirmationError {
            throw ConfirmationError(error.code, "\(path): \(error.reason)")
        }
    }

    func base64(maximumBytes: Int) throws -> [UInt8] {
        do { return try Base64.decode(try string(), maximumBytes: maximumBytes) } catch let error as ConfirmationError {
            throw ConfirmationError(error.code, "\(path): \(error.reason)")
        }
    }
}

extension ConfirmationError.Code {
    /// Espresso JSON is not of the expected shape: a member is missing or has the wrong type,
    /// a count is out of bounds, or a value does not parse.
    public static let espressoMalformed = Self("espresso.malformed")
    /// Well-formed Espresso data this implementation does not support (a header version outside
    /// 0.1–0.6, an upgrade certificate, a bit vector in another order or width).
    public static let espressoUnsupported = Self("espresso.unsupported")
}
