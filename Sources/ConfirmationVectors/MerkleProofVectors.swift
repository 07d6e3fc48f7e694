import Foundation
import ConfirmationKit

/// One case of a proof vector file: a proof (JSON form, binary form or both), a root, and the
/// expected result with, for invalid cases, the error or verdict code.
struct ProofVectorTest: Codable, Sendable {
    var tcId: Int
    var comment: String
    var flags: [String]
    /// The trusted root or block commitment, `0x` hex.
    var root: String
    /// The proof's JSON form, exactly as a verifier would receive it.
    var proof: JSONValue?
    /// The proof's binary canonical form, hex (present for every valid case).
    var binary: String?
    var result: VectorResult
    /// For invalid cases: the `ConfirmationError` code thrown while parsing, or the verdict's failure code.
    var error: String?
}

/// A group of cases sharing a description.
struct ProofVectorGroup: Codable, Sendable {
    var description: String
    var tests: [ProofVectorTest]
}

/// Builds the cases of one proof vector file.
struct ProofVectorBuilder {
    private(set) var groups: [ProofVectorGroup] = []
    private var current: [ProofVectorTest] = []
    private var currentDescription = ""
    private var nextID = 1

    mutating func group(_ description: String) {
        flush()
        currentDescription = description
    }

    mutating func flush() {
        if !current.isEmpty { groups.append(ProofVectorGroup(description: currentDescription, tests: current)) }
        current = []
    }

    private mutating func add(_ comment: String, _ flags: [String], root: Bytes32, proof: JSONValue?, binary: [UInt8]?,
                              result: VectorResult, error: ConfirmationError.Code?) {
        current.append(ProofVectorTest(
            tcId: nextID, comment: comment, flags: flags, root: root.description, proof: proof,
            binary: binary.map { "0x" + Hex.encode($0) }, result: result, error: error?.rawValue))
        nextID += 1
    }

    /// A proof that verifies against `root`.
    mutating func valid(_ comment: String, flags: [String] = [], _ proof: InclusionProof, root: Bytes32) throws {
        add(comment, flags, root: root, proof: try JSONValue(proof), binary: proof.canonicalBytes, result: .valid, error: nil)
    }

    /// A well-formed proof whose verdict fails with `error`.
    mutating func fails(_ comment: String, flags: [String], _ proof: InclusionProof, root: Bytes32, error: ConfirmationError.Code) throws {
        add(comment, flags, root: root, proof: try JSONValue(proof), binary: proof.canonicalBytes, result: .invalid, error: error)
    }

    /// A malformed JSON proof rejected with `error`.
    mutating func malformed(_ comment: String, flags: [String], json: JSONValue, root: Bytes32, error: ConfirmationError.Code) {
        add(comment, flags, root: root, proof: json, binary: nil, result: .invalid, error: error)
    }

    /// A malformed binary proof rejected with `error`.
    mutating func malformed(_ comment: String, flags: [String], binary: [UInt8], root: Bytes32, error: ConfirmationError.Code) {
        add(comment, flags, root: root, proof: nil, binary: binary, result: .invalid, error: error)
    }

    /// The finished file.
    mutating func file(schema: String, algorithm: String, header: [String], notes: [String: String]) throws -> Data {
        flush()
        let file = VectorFile(
            schema: schema, algorithm: algorithm, header: header, notes: notes, testGroups: groups,
            numberOfTests: groups.reduce(0) { $0 + $1.tests.count })
        return try VectorJSON.encode(file)
    }
}

/// Runs proof vector files: the shared `verify` of every Merkle and namespaced-block suite.
enum ProofVectorRunner {
    static func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<ProofVectorGroup>.self, from: data)
        return file.testGroups.flatMap(\.tests).map(run)
    }

    /// Parses the JSON form, the binary form, or both; both must agree.
    static func parse(_ test: ProofVectorTest) throws -> InclusionProof {
        var parsed: [InclusionProof] = []
        if let json = test.proof {
            let proof = try InclusionProof(jsonData: json.data())
            // The JSON form is canonical: re-encoding gives the same value.
            guard try JSONValue(proof) == json else {
                throw ConfirmationError(.proofInvalidJSON, "the JSON form does not re-encode to itself")
            }
            parsed.append(proof)
        }
        if let binary = test.binary {
            let bytes = try Hex.decode(binary)
            let proof = try InclusionProof(canonicalBytes: bytes)
            guard proof.canonicalBytes == bytes else {
                throw ConfirmationError(.proofInvalidEncoding, "the binary form does not re-encode to itself")
            }
            parsed.append(proof)
        }
        guard let first = parsed.first, parsed.allSatisfy({ $0 == first }) else {
            throw ConfirmationError(.proofInvalidEncoding, "the JSON and binary forms differ")
        }
        return first
    }

    static func run(_ test: ProofVectorTest) -> VectorOutcome {
        let code: String?
        do {
            let root = try Bytes32(hex: test.root)
            let proof = try parse(test)
            code = proof.verdict(against: root).failure?.code.rawValue
        } catch let error as ConfirmationError {
            code = error.code.rawValue
        } catch {
            return VectorOutcome(tcId: test.tcId, passed: false, detail: "unexpected error \(error)")
        }
        switch test.result {
        case .valid:
            return VectorOutcome(tcId: test.tcId, passed: code == nil, detail: code.map { "rejected with \($0)" } ?? "")
        case .invalid:
            guard let code else { return VectorOutcome(tcId: test.tcId, passed: false, detail: "accepted") }
            return VectorOutcome(
                tcId: test.tcId, passed: code == test.error, detail: code == test.error ? "" : "got \(code), expected \(test.error ?? "-")")
        }
    }
}

/// Notes on the flags shared by every proof vector file.
let proofVectorNotes: [String: String] = [
    "Valid": "A well-formed proof that verifies against root.",
    "WrongIndex": "The leaf index was changed; the path no longer leads to root.",
    "WrongSibling": "One bit of one sibling was flipped.",
    "WrongLeaf": "The leaf data was changed.",
    "WrongRoot": "The proof is intact; the root it is checked against differs.",
    "TruncatedPath": "The last sibling was removed: a shape error before hashing.",
    "ExtraSibling": "A sibling was appended: a shape error before hashing.",
    "IndexOutOfRange": "The index is not below the tree size.",
    "EmptyTree": "The tree size is zero.",
    "LeafAsNode": "An interior node's preimage is offered as a leaf of a smaller tree (second-preimage attempt).",
    "WrongHash": "The proof is checked against the root of the same leaves under the other hash function.",
    "TooLong": "A count exceeds a hard limit.",
    "Malformed": "The JSON or binary form is not a valid proof.",
    "Unsorted": "Indices, namespaces or legs are out of their canonical increasing order.",
    "Duplicate": "An index or leg appears twice.",
    "NamespaceOrder": "A namespace is not strictly between its neighbours, or table positions do not follow namespace order.",
    "DomainSeparation": "A value of one kind (entry, node, table path) is offered as another.",
    "Completeness": "The transaction list is not the whole namespace.",
]
