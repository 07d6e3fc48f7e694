public import Foundation
import ConfirmationKit

/// One published vector file in `TestVectors/`: generated deterministically from fixed seeds,
/// and verified case by case against the library.
///
/// Each profile or toolkit adds a conforming type and lists it in ``VectorRegistry/suites``.
/// `confirm vectors generate` writes ``generate()`` for every suite; `confirm vectors verify`
/// and the test suite run ``verify(_:)`` over the committed files.
public protocol VectorSuite: Sendable {
    /// The file name inside `TestVectors/`, e.g. `merkle-rfc6962-sha256.json`.
    var fileName: String { get }
    /// The file's bytes: the same on every run and every machine.
    func generate() throws -> Data
    /// Runs every case of a vector file and reports each one.
    /// - Throws: when the file itself cannot be read as this suite's format.
    func verify(_ data: Data) throws -> [VectorOutcome]
}

/// The outcome of one vector case.
public struct VectorOutcome: Sendable, Equatable {
    /// The case's `tcId`.
    public var tcId: Int
    /// Whether the library's answer matched the vector's `result` (and error code, for invalid cases).
    public var passed: Bool
    /// What differed, when it did not pass.
    public var detail: String

    public init(tcId: Int, passed: Bool, detail: String = "") {
        self.tcId = tcId
        self.passed = passed
        self.detail = detail
    }
}

/// The expected outcome of a vector case.
public enum VectorResult: String, Codable, Sendable {
    case valid
    case invalid
}

/// The Wycheproof-like shape every published vector file shares (see `Docs/test-vectors.md`).
public struct VectorFile<Group: Codable & Sendable>: Codable, Sendable {
    /// The schema identifier, e.g. `confirmationkit-merkle-inclusion-v1`.
    public var schema: String
    /// The algorithm or profile the file exercises.
    public var algorithm: String
    /// The count of all tests in all groups.
    public var numberOfTests: Int
    /// Free-form lines describing the file.
    public var header: [String]
    /// Explanations of the flags used by the tests.
    public var notes: [String: String]
    /// The groups of tests.
    public var testGroups: [Group]

    public init(schema: String, algorithm: String, header: [String], notes: [String: String],
                testGroups: [Group], numberOfTests: Int) {
        self.schema = schema
        self.algorithm = algorithm
        self.header = header
        self.notes = notes
        self.testGroups = testGroups
        self.numberOfTests = numberOfTests
    }
}

/// Deterministic JSON for published files: sorted keys, two-space indentation, a final newline.
public enum VectorJSON {
    public static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }
}
