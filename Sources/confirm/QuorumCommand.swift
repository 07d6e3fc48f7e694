import ArgumentParser
import ConfirmationKit
import ConfirmationVectors
import Foundation

/// `confirm quorum`: quorum certificates of the secp256k1 quorum profile.
struct QuorumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quorum",
        abstract: "Verify quorum certificates against stake tables (secp256k1 quorum profile).",
        subcommands: [Verify.self, Example.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that validators holding enough stake signed a certificate.",
            discussion: """
                Exit 0 when the certificate verifies, 1 when it does not (every failed rule is printed \
                with its code), 2 when an input is malformed. The epoch must match the table's; the \
                default threshold is more than 2/3 of the total stake. See Docs/quorum-certificates.md.
                """
        )

        @Option(name: .long, help: "The certificate JSON file.")
        var certificate: String

        @Option(name: .long, help: "The stake table JSON file of the certificate's epoch.")
        var stakeTable: String

        @Option(name: .long, help: "threshold (stop once the threshold is proven) or full (check every signature).")
        var mode: ModeOption = .threshold

        @Option(name: .long, help: "Required stake: a fraction N/D that must be exceeded (default 2/3).")
        var moreThan: String?

        @Option(name: .long, help: "Required stake: a fraction N/D that must be reached.")
        var atLeast: String?

        @Option(name: .long, help: "Required stake: an absolute amount (decimal or 0x hex).")
        var absolute: String?

        @Option(name: .long, help: "The network the certificate must be for, e.g. eip155:31337.")
        var network: String?

        @Option(name: .long, help: "The greatest accepted age in seconds (needs --now).")
        var maxAge: UInt64?

        @Option(name: .long, help: "The verification time, seconds since the Unix epoch.")
        var now: UInt64?

        @Flag(name: .long, help: "Accept signatures whose s is above n/2.")
        var allowHighS = false

        @Option(name: .long, help: "Signature-checking threads (default: all cores).")
        var workers: Int?

        @Flag(name: .long, help: "Print the verdict as JSON.")
        var json = false

        func validate() throws {
            guard [moreThan, atLeast, absolute].compactMap({ $0 }).count <= 1 else {
                throw ValidationError("give at most one of --more-than, --at-least and --absolute")
            }
            if maxAge != nil && now == nil { throw ValidationError("--max-age needs --now") }
            if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        }

        func run() throws {
            let table = try QuorumJSON.decode(StakeTable<EthereumAddress>.self, from: readInputFile(stakeTable))
            let certificate = try QuorumJSON.decode(QuorumCertificate<Secp256k1QuorumProfile>.self, from: readInputFile(self.certificate))
            let spec = QuorumPolicySpec(threshold: try threshold(), network: network, now: now, maxAgeSeconds: maxAge,
                                        allowHighS: allowHighS ? true : nil)
            let threads = workers ?? ProcessInfo.processInfo.activeProcessorCount
            let verdict = try spec.verifier(profile: Secp256k1QuorumProfile(), workers: threads)
                .verify(certificate, against: table, mode: mode.mode)
            if json {
                let report = QuorumVerdictReport(verdict, table: table, mode: mode.mode)
                print(String(decoding: try QuorumJSON.encode(report), as: UTF8.self), terminator: "")
            } else {
                printHuman(verdict, certificate.statement, table)
            }
            if verdict.verified == nil { throw ExitCode.notVerified }
        }

        private func threshold() throws -> QuorumPolicySpec.Threshold {
            func fraction(_ text: String, _ kind: String) throws -> QuorumPolicySpec.Threshold {
                let parts = text.split(separator: "/", omittingEmptySubsequences: false)
                guard parts.count == 2, let n = UInt64(parts[0]), let d = UInt64(parts[1]) else {
                    throw ValidationError("a fraction is written N/D, e.g. 2/3")
                }
                return .init(kind: kind, numerator: n, denominator: d)
            }
            if let moreThan { return try fraction(moreThan, "more-than") }
            if let atLeast { return try fraction(atLeast, "at-least") }
            if let absolute { return .init(kind: "absolute", stake: try UInt256(parsing: absolute)) }
            return .twoThirds
        }

        private func printHuman(_ verdict: QuorumVerdict<Secp256k1QuorumProfile>, _ statement: Secp256k1QuorumStatement,
                                _ table: StakeTable<EthereumAddress>) {
            switch verdict {
            case .verified(let v):
                let percent = String(format: "%.2f", v.signedPercentage)
                print("valid: \(statement.networkID) epoch \(statement.epoch) height \(statement.height) view \(statement.view) "
                      + "block \(statement.blockCommitment); signed stake \(v.signedStake) of \(v.totalStake) (\(percent)%), "
                      + "\(v.signers.count) of \(table.count) signers verified (\(mode.rawValue) mode, \(v.signatureChecks) signature checks)")
            case .rejected(let failures):
                print("not verified: \(failures.count) rule\(failures.count == 1 ? "" : "s") failed")
                for failure in failures { print("  \(failure.code): \(failure.reason)") }
            }
        }
    }

    /// The `--mode` values.
    enum ModeOption: String, ExpressibleByArgument, CaseIterable {
        case threshold
        case full

        var mode: VerificationMode { self == .full ? .full : .threshold }
    }

    struct Example: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a deterministic sample stake table and certificates into DIR (default Docs/examples).")

        @Argument(help: "The output folder.")
        var directory: String = "Docs/examples"

        func run() throws {
            let folder = URL(fileURLWithPath: directory)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in try QuorumExamples.files() {
                try file.data.write(to: folder.appendingPathComponent(file.name))
                print("wrote \(file.name) (\(file.data.count) bytes)")
            }
        }
    }
}

