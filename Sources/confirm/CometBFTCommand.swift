import ArgumentParser
import ConfirmationKit
import ConfirmationKitCometBFT
import Foundation

/// `confirm cometbft`: CometBFT light-client verification of real commits.
struct CometBFTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cometbft",
        abstract: "Verify CometBFT commits and light blocks (Astria, Celestia, any CometBFT chain).",
        subcommands: [Verify.self, VerifyCommit.self, HeaderHash.self, AstriaBlob.self]
    )

    /// The machine-readable verdict (`--json`): `verdict`, `code` and `reason` always present.
    struct Report: Encodable {
        var verdict: String
        var code: String?
        var reason: String?
        var height: Int64
        var hash: String?

        init(_ name: String, failure: PolicyFailure?, height: Int64, hash: String?) {
            verdict = name
            code = failure?.code.rawValue
            reason = failure?.reason
            self.height = height
            self.hash = hash
        }

        enum CodingKeys: String, CodingKey { case verdict, code, reason, height, hash }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(verdict, forKey: .verdict)
            try c.encode(code, forKey: .code)  // explicit null on success
            try c.encode(reason, forKey: .reason)
            try c.encode(height, forKey: .height)
            try c.encode(hash, forKey: .hash)
        }

        func print() throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            Swift.print(String(decoding: try encoder.encode(self), as: UTF8.self))
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify an untrusted light block from a trusted one (adjacent or skipping).",
            discussion: """
                Both files are light blocks ({signed_header, validator_set, next_validator_set}); the \
                trusted one needs its next_validator_set. Exit 0 when verified, 1 when not (verdict \
                notEnoughTrust or invalid), 2 when an input is malformed. See Docs/cometbft-astria.md.
                """
        )

        @Option(name: .long, help: "The trusted light block JSON.")
        var trusted: String

        @Option(name: .long, help: "The light block to verify.")
        var untrusted: String

        @Option(name: .long, help: "Trust level N/D for skipping verification, in [1/3, 1].")
        var trustLevel = "1/3"

        @Option(name: .long, help: "Trusting period in seconds (decimals allowed; default 14 days).")
        var trustingPeriod = "1209600"

        @Option(name: .long, help: "Maximum clock drift in seconds (decimals allowed).")
        var clockDrift = "10"

        @Option(name: .long, help: "The verification time, RFC 3339 (default: the system clock).")
        var now: String?

        @Flag(name: .long, help: "Print {verdict, code, reason, height, hash} as JSON.")
        var json = false

        func run() throws {
            let options = CometBFTVerificationOptions(
                trustLevel: try CometBFTTrustLevel(parsing: trustLevel),
                trustingPeriod: try CometBFTDuration(seconds: trustingPeriod),
                clockDrift: try CometBFTDuration(seconds: clockDrift))
            let time = try now.map(CometBFTTime.init(rfc3339:)) ?? Self.systemNow()
            let trustedState = try CometBFTTrustedState(CometBFTJSON.lightBlock(from: readInputFile(trusted)))
            let block = try CometBFTJSON.lightBlock(from: readInputFile(untrusted))
            var cache = CometBFTSignatureCache()
            let verdict = CometBFTLightVerifier(options: options).verify(block, trusted: trustedState, now: time, cache: &cache)
            let hash = block.header.hash()?.hex.uppercased()
            if json {
                try Report(verdict.name, failure: verdict.failure, height: block.height, hash: hash).print()
            } else if let failure = verdict.failure {
                print("NOT VERIFIED (\(verdict.name)) height \(block.height): \(failure.code): \(failure.reason)")
            } else {
                print("VERIFIED height \(block.height) \(hash ?? "") from trusted height \(trustedState.header.height)")
            }
            if verdict != .success { throw ExitCode.notVerified }
        }

        static func systemNow() throws -> CometBFTTime {
            let t = Date().timeIntervalSince1970
            let seconds = t.rounded(.down)
            return try CometBFTTime(seconds: Int64(seconds), nanos: Int32(((t - seconds) * 1e9).rounded(.down)))
        }
    }

    struct VerifyCommit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-commit",
            abstract: "Verify a /commit response against a /validators response or a genesis file.",
            discussion: """
                Checks the header (ValidateBasic, hash = commit block id), that the validator set hashes \
                to validators_hash, and every non-absent signature (NIL included); more than 2/3 of the \
                voting power must have signed. Exit 0 verified, 1 not verified, 2 malformed.
                """
        )

        @Option(name: .long, help: "The /commit response (or its result / signed_header).")
        var commit: String

        @Option(name: .long, help: "The complete /validators response for that height, or a genesis file.")
        var validators: String

        @Option(name: .long, help: "Signature-checking threads (default: all cores).")
        var workers: Int?

        @Flag(name: .long, help: "Print {verdict, code, reason, height, hash} as JSON.")
        var json = false

        func validate() throws {
            if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        }

        func run() throws {
            let signed = try CometBFTJSON.signedHeader(from: readInputFile(commit))
            let set = try CometBFTJSON.validatorSet(from: readInputFile(validators))
            var cache = CometBFTSignatureCache()
            let threads = workers ?? ProcessInfo.processInfo.activeProcessorCount
            let result = CometBFTCommitVerifier.verifySignedHeader(signed, validators: set, cache: &cache, workers: threads)
            let hash = signed.header.hash()?.hex.uppercased()
            if json {
                try Report(result.failure == nil ? "success" : "invalid", failure: result.failure,
                           height: signed.header.height, hash: hash).print()
            } else if let failure = result.failure {
                print("NOT VERIFIED height \(signed.header.height): \(failure.code): \(failure.reason)")
            } else if case .verified(let tally) = result {
                print("VERIFIED height \(signed.header.height) \(hash ?? ""): \(tally.signerIndices.count) of \(set.count) validators, power \(tally.tallied) of \(tally.total)")
            }
            if !result.isVerified { throw ExitCode.notVerified }
        }
    }

    struct HeaderHash: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "header-hash",
            abstract: "Print a header's hash in uppercase hex, as CometBFT does.",
            discussion: "Accepts a header, a signed header, a /commit response or a light block."
        )

        @Argument(help: "The header JSON file.")
        var header: String

        func run() throws {
            let parsed = try CometBFTJSON.header(from: readInputFile(header))
            guard let hash = parsed.hash() else {
                throw ValidationError("the header has no validators_hash, so CometBFT gives it no hash")
            }
            print(hash.hex.uppercased())
        }
    }

    struct AstriaBlob: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "astria-blob",
            abstract: "Decode an Astria Celestia blob (base64 text) and check its proofs.",
            discussion: """
                Metadata blobs: each entry's rollup_transactions_root and rollup_ids_root must be proved \
                in its data_hash. Rollup data blobs are decoded and listed (their proofs need the block's \
                metadata). Exit 0 when every proof holds, 1 when one does not, 2 when the blob is malformed.
                """
        )

        @Argument(help: "A file holding one base64 blob.")
        var blob: String

        @Option(name: .long, help: "metadata or rollup-data.")
        var kind = "metadata"

        func run() throws {
            let text = String(decoding: try readInputFile(blob), as: UTF8.self)
            switch kind {
            case "metadata":
                var failed = false
                for entry in try ConfirmationKitCometBFT.AstriaBlob.metadataList(base64: text) {
                    let failure = entry.proofFailure()
                    failed = failed || failure != nil
                    print("\(entry.header.chainID) height \(entry.header.height) block \(Hex.encode(entry.blockHash).uppercased()) "
                          + "rollups \(entry.rollupIDs.count): \(failure.map { "\($0.code): \($0.reason)" } ?? "proofs verified")")
                }
                if failed { throw ExitCode.notVerified }
            case "rollup-data":
                for entry in try ConfirmationKitCometBFT.AstriaBlob.rollupDataList(base64: text) {
                    print("block \(Hex.encode(entry.blockHash).uppercased()) rollup \(entry.rollupID.hex) "
                          + "items \(entry.transactions.count) root \(entry.provedRoot.hex)")
                }
            default:
                throw ValidationError("--kind is metadata or rollup-data")
            }
        }
    }
}
