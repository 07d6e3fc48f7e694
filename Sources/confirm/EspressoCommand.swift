import ArgumentParser
import ConfirmationKit
import ConfirmationKitEspresso
import Foundation

/// `confirm espresso`: verify Espresso (HotShot) leaves, certificates and headers offline.
struct EspressoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "espresso",
        abstract: "Verify Espresso HotShot chains (QCs against stake tables, commitments, finality) and header commitments.",
        subcommands: [VerifyChain.self, HeaderCommitment.self]
    )

    static func readJSON(_ path: String) throws -> EspressoJSON {
        try EspressoJSON(parsing: readInputFile(path))
    }

    /// `confirm espresso verify-chain --network-config N.json --blocks B.json [--stake-table E=T.json …] [--json]`.
    struct VerifyChain: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-chain",
            abstract: "Verify a chain of leaves: every QC against its epoch's stake table, commitments, HotStuff-2 finality.",
            discussion: """
                BLOCKS.json is an array of {"leaf": {"leaf", "qc"}, "block": {"header", "hash", …}} entries (as the \
                recorded legacy chains hold them). The genesis stake table and epoch height come from the HotShot \
                network config; the genesis table signs epochs 1 and 2. Each --stake-table EPOCH=FILE (an ordered \
                PeerConfig list, as /v1/node/stake-table/:epoch serves it) applies from EPOCH on. Prints \
                "N leaves verified, M finalized" and exits 0 when every leaf verifies; exits 1 naming the first \
                failing leaf and rule (an epoch without a known table is unverifiable); exits 2 on malformed input.
                """
        )

        @Option(name: .long, help: "The HotShot network config (genesis stake table, epoch height).")
        var networkConfig: String

        @Option(name: .long, help: "The chain: a JSON array of leaf/block entries.")
        var blocks: String

        @Option(name: .long, help: "EPOCH=FILE: a stake table (PeerConfig list) that applies from EPOCH on. Repeatable.")
        var stakeTable: [String] = []

        @Flag(name: .long, help: "Print the report as JSON (sorted keys).")
        var json = false

        func run() throws {
            let config = try EspressoStakeTables.parseNetworkConfig(EspressoCommand.readJSON(networkConfig))
            var tables = EspressoEpochTables(epochHeight: config.epochHeight ?? 0, genesis: config.entries)
            for argument in stakeTable {
                let parts = argument.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, let epoch = UInt64(parts[0]) else {
                    throw ValidationError("--stake-table takes EPOCH=FILE; got \(argument)")
                }
                tables.add(try EspressoStakeTables.parsePeerConfigs(EspressoCommand.readJSON(String(parts[1]))), from: epoch)
            }
            let entries = try HotShotChainEntry.parseChain(EspressoCommand.readJSON(blocks))
            let report = HotShotChainVerifier(tables: tables).verify(entries)
            let summary = "\(report.verifiedCount) leaves verified, \(report.finalizedCount) finalized"
            if json {
                var object: [String: Any] = [
                    "leaves": entries.count, "verified": report.verifiedCount, "finalized": report.finalizedCount,
                    "valid": report.firstFailure == nil && !entries.isEmpty,
                ]
                if let first = report.firstFailure {
                    object["firstFailure"] = [
                        "index": first.index, "height": first.height, "view": first.view,
                        "failures": first.failures.map { ["code": $0.code.rawValue, "reason": $0.reason] },
                    ] as [String: Any]
                }
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(summary)
            }
            if let first = report.firstFailure {
                let rules = first.failures.map { "\($0.code): \($0.reason)" }.joined(separator: "; ")
                FileHandle.standardError.write(Data("not verified: leaf \(first.index) (height \(first.height), view \(first.view)): \(rules)\n".utf8))
                throw ExitCode.notVerified
            }
            if entries.isEmpty {
                FileHandle.standardError.write(Data("not verified: the chain has no leaves\n".utf8))
                throw ExitCode.notVerified
            }
        }
    }

    /// `confirm espresso header-commitment HEADER.json`.
    struct HeaderCommitment: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "header-commitment",
            abstract: "Print a header's commitment (the block hash, BLOCK~…).",
            discussion: "HEADER.json holds a header (versions 0.1 to 0.6), bare or wrapped as {\"header\": …}."
        )

        @Argument(help: "The header JSON file.")
        var header: String

        func run() throws {
            let header = try EspressoHeader(json: EspressoCommand.readJSON(header))
            print(header.commitment.taggedBase64(tag: "BLOCK"))
        }
    }
}
