import ArgumentParser
import ConfirmationKit
import Foundation

/// `confirm`: verify shared-sequencer confirmations instead of trusting an RPC endpoint.
///
/// Exit codes, for every subcommand: 0 valid / done, 1 a well-formed input that does not verify,
/// 2 malformed input or usage (one line on standard error).
@main
struct Confirm: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm",
        abstract: "Verify quorum certificates, inclusion proofs and settlement evidence.",
        subcommands: [
            DemoCommand.self,
            HashCommand.self,
            ECRecoverCommand.self,
            VectorsCommand.self,
            QuorumCommand.self,
            ClocksCommand.self,
            VerifyCommand.self,
            ReportCommand.self,
            ProofCommand.self,
            EthereumCommand.self,
            CometBFTCommand.self,
            EspressoCommand.self,
        ]
    )

    /// Runs the command, mapping every parse or input error to exit code 2 with one line on stderr.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help and --version land here.
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = (error as? ConfirmationError)?.description ?? fullMessage(for: error)
            let firstLine = message.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("confirm: error: \(firstLine)\n".utf8))
            Foundation.exit(2)
        }
    }
}

/// Exits with status 1: the input was well formed but did not verify.
struct NotVerified: Error {}

extension ExitCode {
    /// A well-formed input that does not verify.
    static let notVerified = ExitCode(1)
    /// Malformed input.
    static let malformed = ExitCode(2)
}

/// Reads a file, with a one-line error naming the path when it cannot be read.
func readInputFile(_ path: String, limit: Int = 64 << 20) throws -> Data {
    guard let handle = FileHandle(forReadingAtPath: path) else {
        throw ValidationError("cannot open \(path)")
    }
    defer { try? handle.close() }
    let data = try handle.read(upToCount: limit + 1) ?? Data()
    guard data.count <= limit else {
        throw ValidationError("\(path) is larger than \(limit) bytes")
    }
    return data
}

/// Prints a JSON object on one line with sorted keys (the `--json` output of the verify commands).
func printJSONObject(_ object: [String: Any]) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    print(String(decoding: data, as: UTF8.self))
}
