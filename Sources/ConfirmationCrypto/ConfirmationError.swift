/// The error every ConfirmationKit decoder and parser throws for malformed input.
///
/// Equality compares ``code`` only, so tests and callers can match on the stable code
/// while the ``reason`` stays free to say exactly what was wrong:
///
/// ```swift
/// do {
///     _ = try Hex.decode("0xabc")
/// } catch let error as ConfirmationError where error.code == .hexOddLength {
///     print(error.reason)
/// }
/// ```
public struct ConfirmationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable, machine-readable code (also used by the published test vectors).
    public let code: Code
    /// A human-readable explanation of this particular failure.
    public let reason: String
    /// Where the error was raised, for diagnostics only.
    public let fileID: String
    /// The line where the error was raised, for diagnostics only.
    public let line: Int

    /// Creates an error; used by the ConfirmationKit modules.
    package init(_ code: Code, _ reason: String, fileID: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.fileID = fileID
        self.line = line
    }

    public static func == (lhs: ConfirmationError, rhs: ConfirmationError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }

    /// `code: reason`, one line.
    public var description: String { "\(code): \(reason)" }

    /// A stable error code such as `hex.odd-length`.
    ///
    /// Codes are dotted, lowercase strings; they never change meaning once published.
    /// Only ConfirmationKit's own modules declare codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible, Codable {
        /// The code as written in vectors and JSON output.
        public let rawValue: String

        package init(_ rawValue: String) { self.rawValue = rawValue }

        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        public var description: String { rawValue }
    }
}

extension ConfirmationError.Code {
    // Text encodings.
    /// A hex string has a character outside `0-9a-fA-F`.
    public static let hexInvalidCharacter = Self("hex.invalid-character")
    /// A hex string has an odd number of digits.
    public static let hexOddLength = Self("hex.odd-length")
    /// A base64 or base64url string is not in canonical form.
    public static let base64Invalid = Self("base64.invalid")
    /// An input is longer than the decoder accepts.
    public static let inputTooLong = Self("input.too-long")
    /// An input has the wrong fixed length.
    public static let invalidLength = Self("input.invalid-length")

    // Keys and signatures.
    /// A secp256k1 public key does not parse (wrong prefix, length or not on the curve).
    public static let invalidPublicKey = Self("key.invalid-public-key")
    /// A signature encoding is malformed (length, DER structure, scalar out of range).
    public static let invalidSignature = Self("signature.invalid-encoding")
    /// A DER signature breaks a strict DER rule.
    public static let invalidDER = Self("signature.invalid-der")
    /// A recoverable signature has a recovery id other than 0, 1, 27 or 28.
    public static let invalidRecoveryID = Self("signature.invalid-recovery-id")
    /// Public-key recovery failed for this digest and signature.
    public static let recoveryFailed = Self("signature.recovery-failed")
    /// An Ethereum address string is malformed or has a wrong EIP-55 checksum.
    public static let invalidAddress = Self("address.invalid")
    /// An Ethereum address has mixed case that does not match its EIP-55 checksum.
    public static let addressChecksumMismatch = Self("address.checksum-mismatch")
}
