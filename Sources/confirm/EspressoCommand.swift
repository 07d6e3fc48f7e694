import ArgumentParser
import ConfirmationKit
import ConfirmationKitEspresso
import Foundation

/// `confirm espresso`: verify Espresso (HotShot) leaves, certificates and headers offline.
struct EspressoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "espresso",
        abstract: "Verify Espresso HotShot chains (QCs against stake tables, commitments, finality) and header commitments.",
        subcommands: [VerifyChain.self, HeaderCommitment.self, NamespaceProof.self, VerifyNamespace.self]
    )

    static func readJSON(_ path: String) throws -> EspressoJSON {
        try EspressoJSON(parsing: readInputFile(path))
    }

    /// The epoch schedule from a network config and `EPOCH=FILE` stake tables.
    static func epochTables(networkConfig: String, stakeTables: [String]) throws -> EspressoEpochTables {
        let config = try EspressoStakeTables.parseNetworkConfig(readJSON(networkConfig))
        var tables = EspressoEpochTables(epochHeight: config.epochHeight ?? 0, genesis: config.entries)
        for argument in stakeTables {
            let parts = argument.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let epoch = UInt64(parts[0]) else {
                throw ValidationError("--stake-table takes EPOCH=FILE; got \(argument)")
            }
            tables.add(try EspressoStakeTables.parsePeerConfigs(readJSON(String(parts[1]))), from: epoch)
        }
        return tables
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
                failing leaf and rule (an epoch without a known table is unverifiable); exits 2 on malformed input. \
                Entries that carry their payload and an AvidM VID common also have the payload re-encoded and \
                compared with the header's payload commitment (a second line counts them; a third counts payloads \
                of other VID schemes, which are not bound).
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
            let tables = try EspressoCommand.epochTables(networkConfig: networkConfig, stakeTables: stakeTable)
            let entries = try HotShotChainEntry.parseChain(EspressoCommand.readJSON(blocks))
            let report = HotShotChainVerifier(tables: tables).verify(entries)
            let summary = "\(report.verifiedCount) leaves verified, \(report.finalizedCount) finalized"
            if json {
                var object: [String: Any] = [
                    "leaves": entries.count, "verified": report.verifiedCount, "finalized": report.finalizedCount,
                    "valid": report.firstFailure == nil && !entries.isEmpty, "payloadsBound": report.boundPayloadCount,
                    "payloadsUnchecked": report.uncheckedPayloadCount,
                ]
                if let first = report.firstFailure {
                    object["firstFailure"] = [
                        "index": first.index, "height": first.height, "view": first.view,
                        "failures": first.failures.map { ["code": $0.code.rawValue, "reason": $0.reason] },
                    ] as [String: Any]
                }
                try printJSONObject(object)
            } else {
                print(summary)
                if report.boundPayloadCount > 0 {
                    print("\(report.boundPayloadCount) payloads bound to their headers (AvidM)")
                }
                if let first = report.leaves.first(where: { $0.payloadUncheckedReason != nil }),
                   let reason = first.payloadUncheckedReason {
                    print("\(report.uncheckedPayloadCount) payloads not bound (first at height \(first.height): \(reason))")
                }
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

    /// `confirm espresso namespace-proof --blocks B.json --height H --namespace NS [--out FILE]`.
    struct NamespaceProof: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "namespace-proof",
            abstract: "Build a namespace proof (AvidM) from a block's payload, as a query service would serve it.",
            discussion: """
                Reads the entry at HEIGHT from BLOCKS.json (it must carry block.payload and vid_common), builds the \
                proof that namespace NS's bytes are in the block, and writes {"height", "namespace", "header", \
                "vid_common", "proof"} as JSON to --out or stdout. Exits 1 when the namespace is not in the block, \
                2 on malformed input.
                """
        )

        @Option(name: .long, help: "The chain: a JSON array of leaf/block entries.")
        var blocks: String

        @Option(name: .long, help: "The block height.")
        var height: UInt64

        @Option(name: .long, help: "The namespace id (a rollup).")
        var namespace: UInt32

        @Option(name: .long, help: "Write the proof here instead of stdout.")
        var out: String?

        func run() throws {
            let entries = try HotShotChainEntry.parseChain(EspressoCommand.readJSON(blocks))
            guard let entry = entries.first(where: { $0.leaf.header.height == height }) else {
                throw ConfirmationError(.espressoMalformed, "no entry at height \(height)")
            }
            guard let payload = entry.payload, let parameters = entry.vidParameters else {
                throw ConfirmationError(.espressoMalformed, "the entry at height \(height) carries no payload or AvidM VID common")
            }
            let proof: EspressoNamespaceProof
            do {
                proof = try EspressoNamespaceProof(payload: payload, namespaceTable: entry.leaf.header.namespaceTable,
                                                   namespace: namespace, parameters: parameters)
            } catch let error as ConfirmationError where error.code == .espressoNamespaceNotInTable {
                FileHandle.standardError.write(Data("not in block: \(error.reason)\n".utf8))
                throw ExitCode.notVerified
            }
            let document = EspressoJSON.object([
                "height": .unsigned(height), "namespace": .unsigned(UInt64(namespace)),
                "header": entry.leaf.header.json, "vid_common": parameters.json, "proof": proof.json,
            ])
            let text = String(decoding: try prettyJSON(document), as: UTF8.self) + "\n"
            if let out {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out))
            } else {
                print(text, terminator: "")
            }
        }
    }

    /// `confirm espresso verify-namespace --proof P.json [--header H.json] [--json]`.
    struct VerifyNamespace: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-namespace",
            abstract: "Verify a namespace proof against a header's AvidM payload commitment and list the transactions.",
            discussion: """
                PROOF.json is what `confirm espresso namespace-proof` writes: {"vid_common", "proof"} and, unless \
                --header is given, the "header" to check against. The header must be one you trust: take it from a \
                leaf `confirm espresso verify-chain` finalized (its BLOCK~ commitment is printed). Prints the \
                namespace, the block height and one line per transaction (its SHA-256), exits 0; exits 1 when the \
                proof does not verify (naming the rule), 2 on malformed input. With --network-config (and \
                --stake-table EPOCH=FILE as for verify-chain) the AvidM parameters are derived from the stake table \
                of the header's epoch and the file's vid_common must agree; without, the file's vid_common is used \
                once it pairs n and k as Espresso does.
                """
        )

        @Option(name: .long, help: "The namespace proof file.")
        var proof: String

        @Option(name: .long, help: "The trusted header (bare or {\"header\": …}); default: the proof file's header.")
        var header: String?

        @Option(name: .long, help: "The HotShot network config: derive the VID parameters from the stake tables.")
        var networkConfig: String?

        @Option(name: .long, help: "EPOCH=FILE: a stake table that applies from EPOCH on (with --network-config). Repeatable.")
        var stakeTable: [String] = []

        @Flag(name: .long, help: "Print the result as JSON (sorted keys).")
        var json = false

        func fail(_ error: ConfirmationError) throws -> Never {
            if json {
                let object: [String: Any] = ["valid": false, "code": error.code.rawValue, "reason": error.reason]
                try printJSONObject(object)
            }
            FileHandle.standardError.write(Data("not verified: \(error.code): \(error.reason)\n".utf8))
            throw ExitCode.notVerified
        }

        func run() throws {
            let document = try EspressoCommand.readJSON(proof)
            guard case .object(let members) = document, let proofJSON = members["proof"], let common = members["vid_common"] else {
                throw ConfirmationError(.espressoMalformed, "a namespace proof file has \"proof\" and \"vid_common\" members")
            }
            let headerJSON: EspressoJSON
            if let header {
                headerJSON = try EspressoCommand.readJSON(header)
            } else if let embedded = members["header"] {
                headerJSON = embedded
            } else {
                throw ConfirmationError(.espressoMalformed, "no header: give --header or a proof file with a \"header\" member")
            }
            let header = try EspressoHeader(json: headerJSON)
            let served = try AvidMParameters(json: common)
            let namespaceProof = try EspressoNamespaceProof(json: proofJSON)
            var parameters = served
            if let networkConfig {
                let tables = try EspressoCommand.epochTables(networkConfig: networkConfig, stakeTables: stakeTable)
                let epoch = tables.epoch(ofHeight: header.height)
                do {
                    parameters = try AvidMParameters.espresso(stakeTable: try tables.table(for: epoch), height: header.height,
                                                              withEpochs: tables.epochHeight > 0)
                } catch let error as ConfirmationError {
                    try fail(error)
                }
                guard parameters == served else {
                    try fail(ConfirmationError(.espressoVIDParametersInvalid,
                                               "the file's VID common says \(served); epoch \(epoch)'s stake table gives \(parameters)"))
                }
            }
            let proved: EspressoNamespaceTransactions
            do {
                proved = try namespaceProof.verify(against: header, parameters: parameters)
            } catch let error as ConfirmationError where error.code != .espressoMalformed {
                try fail(error)
            }
            let hashes = proved.transactions.map { TransactionHash.of($0).hex }
            let block = header.commitment.taggedBase64(tag: "BLOCK")
            if json {
                let object: [String: Any] = [
                    "valid": true, "namespace": Int(proved.namespace), "height": header.height, "block": block,
                    "transactions": hashes, "vid": ["total_weights": parameters.totalWeights, "recovery_threshold": parameters.recoveryThreshold],
                ]
                try printJSONObject(object)
            } else {
                print("namespace \(proved.namespace): \(hashes.count) transaction\(hashes.count == 1 ? "" : "s") in block \(header.height) (\(block), \(parameters))")
                for hash in hashes { print("  \(hash)") }
            }
        }
    }
}
