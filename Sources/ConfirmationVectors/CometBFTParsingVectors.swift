import ConfirmationKit
import ConfirmationKitCometBFT
public import Foundation

/// `cometbft-parsing.json`: the strict decoders of the CometBFT profile (RFC 3339 times, decimal-second
/// durations, trust levels, and the JSON documents of CometBFT's RPC), each fed raw text.
public struct CometBFTParsingVectors: VectorSuite {
    public init() {}

    public var fileName: String { "cometbft-parsing.json" }

    /// One case.
    public struct Test: Codable, Sendable {
        /// The case id, unique in the file.
        public var tcId: Int
        /// What the case is about.
        public var comment: String
        /// Flags explained in the file's `notes`.
        public var flags: [String]
        /// The raw input text (a timestamp, a duration, a trust level, or a JSON document).
        public var input: String
        /// `valid` or `invalid`.
        public var result: VectorResult
        /// The expected error code (invalid cases).
        public var error: String?
        /// Valid cases: the decoded value in canonical form (see the group's `kind`).
        public var output: String?
    }

    /// A group of cases sharing one decoder.
    public struct Group: Codable, Sendable {
        /// What the group is about.
        public var comment: String
        /// `time`, `duration`, `trustLevel`, `signedHeader` or `validatorSet`.
        public var kind: String
        /// The cases.
        public var tests: [Test]
    }

    public func generate() throws -> Data {
        let groups = try CometBFTVectorCases().parsingGroups()
        let file = VectorFile(
            schema: "confirmationkit-cometbft-parsing-v1", algorithm: "cometbft-parsing",
            header: [
                "Strict decoding of the CometBFT profile's inputs, each given as raw text. Outputs of valid cases:",
                "time: the RFC 3339 UTC form; duration: nanoseconds; trustLevel: N/D; signedHeader: the header hash;",
                "validatorSet: the validator-set hash (hashes in uppercase hex). Invalid cases give the decoder's code.",
                "See Docs/cometbft-astria.md.",
            ],
            notes: [
                "Bounds": "lists are bounded before their entries are decoded (MaxVotesCount = 10,000 signatures or validators)",
                "Paging": "a /validators page that does not hold the whole set (count < total) is refused, not half-used",
            ],
            testGroups: groups, numberOfTests: groups.reduce(0) { $0 + $1.tests.count })
        return try VectorJSON.encode(file)
    }

    public func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<Group>.self, from: data)
        return file.testGroups.flatMap { group in group.tests.map { Self.run($0, kind: group.kind) } }
    }

    /// Decodes `input` as `kind` and returns the canonical output.
    static func decode(_ input: String, kind: String) throws -> String {
        switch kind {
        case "time": return try CometBFTTime(rfc3339: input).rfc3339
        case "duration": return String(try CometBFTDuration(seconds: input).nanoseconds)
        case "trustLevel": return try CometBFTTrustLevel(parsing: input).description
        case "signedHeader":
            let header = try CometBFTJSON.signedHeader(from: Data(input.utf8)).header
            return header.hash()?.hex.uppercased() ?? ""
        case "validatorSet": return try CometBFTJSON.validatorSet(from: Data(input.utf8)).hash().hex.uppercased()
        default: throw ConfirmationError(.cometMalformedJSON, "unknown vector kind \(kind)")
        }
    }

    static func run(_ test: Test, kind: String) -> VectorOutcome {
        do {
            let output = try decode(test.input, kind: kind)
            let ok = test.result == .valid && test.output == output
            return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "decoded as \(output)")
        } catch let error as ConfirmationError {
            let ok = test.result == .invalid && test.error == error.code.rawValue
            return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "threw \(error)")
        } catch {
            return VectorOutcome(tcId: test.tcId, passed: false, detail: "threw \(error)")
        }
    }
}

extension CometBFTVectorCases {
    static func compact(_ value: JSONValue) throws -> String {
        String(decoding: try value.data(), as: UTF8.self)
    }

    func parsingGroups() throws -> [CometBFTParsingVectors.Group] {
        var id = 0
        func valid(_ comment: String, _ input: String, kind: String, flags: [String] = []) throws -> CometBFTParsingVectors.Test {
            id += 1
            return .init(tcId: id, comment: comment, flags: flags, input: input, result: .valid, error: nil,
                         output: try CometBFTParsingVectors.decode(input, kind: kind))
        }
        func invalid(_ comment: String, _ input: String, _ error: ConfirmationError.Code, flags: [String] = []) -> CometBFTParsingVectors.Test {
            id += 1
            return .init(tcId: id, comment: comment, flags: flags, input: input, result: .invalid, error: error.rawValue, output: nil)
        }

        let times = [
            try valid("UTC with nanoseconds", "2026-01-01T00:00:35.123456789Z", kind: "time"),
            try valid("a +01:00 offset is normalised to UTC", "2026-01-01T01:00:35+01:00", kind: "time"),
            invalid("no time zone", "2026-01-01T00:00:35", .cometInvalidTime),
            invalid("ten fraction digits", "2026-01-01T00:00:35.1234567890Z", .cometInvalidTime),
            invalid("year 0000 (before 0001-01-01)", "0000-12-31T23:59:59Z", .cometInvalidTime),
        ]
        let durations = [
            try valid("whole seconds", "1209600", kind: "duration"),
            try valid("fractional seconds", "10.5", kind: "duration"),
            invalid("negative duration", "-1", .cometInvalidDuration),
            invalid("exponent notation", "1e3", .cometInvalidDuration),
            invalid("ten fraction digits", "0.0000000001", .cometInvalidDuration),
        ]
        let trustLevels = [
            try valid("one third", "1/3", kind: "trustLevel"),
            try valid("two thirds", "2/3", kind: "trustLevel"),
            invalid("below 1/3", "1/4", .cometInvalidTrustLevel),
            invalid("above 1", "4/3", .cometInvalidTrustLevel),
            invalid("not N/D", "0.5", .cometInvalidTrustLevel),
        ]

        let vals = try validators("val-", [10, 10, 10, 10])
        let block = try chain.lightBlock(height: 7, time: time(7), validators: vals, next: vals)
        let signed = try Self.json(CometBFTJSON.encode(block.signedHeader))
        guard case .object(let signedObject) = signed, case .object(let commit)? = signedObject["commit"] else {
            throw ConfirmationError(.cometMalformedJSON, "vector generator: unexpected signed header JSON")
        }
        func withSignatures(_ signatures: JSONValue) -> JSONValue {
            signed.setting("commit", JSONValue.object(commit).setting("signatures", signatures))
        }
        let padding = JSONValue.array(Array(repeating: .unsigned(0), count: CometBFTJSON.maximumSignatures + 1))
        let headers = [
            try valid("a signed header as /commit returns it", try Self.compact(signed), kind: "signedHeader"),
            invalid("block_id_flag 4", try Self.compact(try Self.edit(signed, "\"block_id_flag\":2", "\"block_id_flag\":4")),
                    .cometInvalidBlockIDFlag),
            invalid("10,001 commit signatures", try Self.compact(withSignatures(padding)), .cometTooManyEntries, flags: ["Bounds"]),
        ]

        let set = try Self.json(CometBFTJSON.encode(try Self.required(block.validatorSet)))
        guard case .object(let setObject) = set, let list = setObject["validators"] else {
            throw ConfirmationError(.cometMalformedJSON, "vector generator: unexpected validator set JSON")
        }
        func page(count: Int, total: Int) -> JSONValue {
            .object(["block_height": .string("7"), "validators": list, "count": .string(String(count)), "total": .string(String(total))])
        }
        let sets = [
            try valid("a complete /validators page", try Self.compact(page(count: 4, total: 4)), kind: "validatorSet", flags: ["Paging"]),
            invalid("a /validators page of 4 validators of 5", try Self.compact(page(count: 4, total: 5)), .cometIncompleteValidatorSet,
                    flags: ["Paging"]),
        ]
        return [
            .init(comment: "RFC 3339 timestamps (years 0001-9999, at most nine fraction digits)", kind: "time", tests: times),
            .init(comment: "durations in decimal seconds", kind: "duration", tests: durations),
            .init(comment: "trust levels N/D in [1/3, 1]", kind: "trustLevel", tests: trustLevels),
            .init(comment: "signed headers: block_id_flag values, signature-list bound", kind: "signedHeader", tests: headers),
            .init(comment: "validator sets from /validators pages", kind: "validatorSet", tests: sets),
        ]
    }
}
