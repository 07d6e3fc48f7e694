import ArgumentParser
import ConfirmationKit
import Foundation

/// `confirm proof`: check inclusion proofs.
struct ProofCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proof",
        abstract: "Verify Merkle and namespaced-block proofs.",
        subcommands: [Verify.self]
    )

    /// `confirm proof verify --proof PROOF.json --root HEX [--json]`.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify one proof of any kind against a root or block commitment.",
            discussion: """
                The proof's `kind` field selects the rules: \(InclusionProof.kinds.joined(separator: ", ")). \
                A file that does not start with `{` is read as the binary canonical form. \
                Exit status: 0 verified, 1 well formed but not verified, 2 malformed input.
                """
        )

        @Option(name: .long, help: "The proof file: JSON with a `kind` field, or the binary canonical form.")
        var proof: String

        @Option(name: .long, help: "The trusted root or block commitment, 32 bytes of hex.")
        var root: String

        @Flag(name: .long, help: "Print one JSON object with sorted keys.")
        var json = false

        /// The machine-readable result.
        struct Report: Encodable {
            var kind: String
            var summary: String
            var root: String
            var computedRoot: String?
            var verified: Bool
            var failure: Failure?

            struct Failure: Encodable {
                var code: String
                var reason: String
            }
        }

        func run() throws {
            let root = try Bytes32(hex: self.root)
            let data = try readInputFile(proof, limit: MerkleLimits.maximumEncodedProofBytes)
            let parsed = try Self.parse(data)
            let verdict = parsed.verdict(against: root)
            let report = Report(
                kind: parsed.kind, summary: parsed.summary, root: root.description,
                computedRoot: Self.computedRoot(parsed)?.description, verified: verdict.isVerified,
                failure: verdict.failure.map { Report.Failure(code: $0.code.rawValue, reason: $0.reason) })
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else if let failure = verdict.failure {
                print("not verified: \(parsed.kind): \(parsed.summary)")
                print("  \(failure.code): \(failure.reason)")
            } else {
                print("verified: \(parsed.kind): \(parsed.summary)")
                print("  against \(root)")
            }
            if !verdict.isVerified { throw ExitCode.notVerified }
        }

        /// JSON when the first non-blank byte is `{`, the binary canonical form otherwise.
        static func parse(_ data: Data) throws -> InclusionProof {
            let first = data.first { ![0x20, 0x09, 0x0a, 0x0d].contains($0) }
            if first == UInt8(ascii: "{") {
                return try InclusionProof(jsonData: data)
            }
            return try InclusionProof(canonicalBytes: Array(data))
        }

        /// The root or commitment the proof leads to, when it has one.
        static func computedRoot(_ proof: InclusionProof) -> Bytes32? {
            switch proof {
            case .rfc6962SHA256(let p): p.root
            case .rfc6962Keccak256(let p): p.root
            case .rfc6962SHA256Multi(let p): p.root
            case .rfc6962Keccak256Multi(let p): p.root
            case .namespaceInclusion(let p): p.commitment
            case .namespaceCompleteness(let p): p.commitment
            case .namespaceAbsence(let p): p.commitment
            case .namespaceBundle(let p): p.commitment
            }
        }
    }
}
