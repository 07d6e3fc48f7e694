import ArgumentParser
import ConfirmationKit
import Foundation

/// `confirm verify`: check a proof bundle end to end.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a proof bundle: stake table, certificate, inclusion proofs, transactions, settlement.",
        discussion: """
            Exit 0 when every layer holds, 1 when a layer fails (each failed rule is listed with its code), \
            2 when the bundle is malformed. Without --stake-table an embedded table is used but reported as \
            untrusted; with it, the bundle's table must have the same commitment.
            """
    )

    @Argument(help: "The bundle (JSON).")
    var bundle: String

    @Option(name: .long, help: "The stake table you trust (JSON), checked against the bundle's by commitment.")
    var stakeTable: String?

    @Option(name: .long, help: "The hash of a finalized L1 block you trust (repeatable).")
    var trustedL1Checkpoint: [String] = []

    @Flag(name: .long, help: "Print the full verdict as JSON.")
    var json = false

    func run() throws {
        let data = try readInputFile(bundle, limit: ProofBundle<Secp256k1QuorumProfile>.maximumBytes)
        let profile = try Self.profileName(in: data)
        // Binary bundles start with "CKPB"; JSON ones with "{".
        switch profile {
        case Secp256k1QuorumProfile.name:
            try verify(data, profile: Secp256k1QuorumProfile())
        default:
            throw ConfirmationError(.bundleProfileMismatch, "profile \(profile) is not supported by confirm verify")
        }
    }

    private func verify<Profile: QuorumProfile>(_ data: Data, profile: Profile) throws {
        let bundle = data.starts(with: Array("CKPB".utf8))
            ? try ProofBundle<Profile>(canonicalBytes: Array(data))
            : try ProofBundle<Profile>(jsonData: data)
        var trusted: [StakeTable<Profile.Key>] = []
        if let stakeTable {
            trusted.append(try decodeJSON(StakeTable<Profile.Key>.self, from: readInputFile(stakeTable), what: "stake table"))
        }
        let checkpoints = Set(try trustedL1Checkpoint.map { try Bytes32(hex: $0) })
        let verdict = ProofBundleVerifier(profile: profile)
            .verify(bundle, trustedStakeTables: trusted, allowEmbeddedStakeTable: stakeTable == nil,
                    trustedL1Checkpoints: checkpoints)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(verdict))
            print()
        } else {
            Self.printReport(verdict)
        }
        if !verdict.isValid { throw ExitCode.notVerified }
    }

    static func printReport(_ verdict: BundleVerdict) {
        let s = verdict.summary
        print("proof bundle · \(s.profile)")
        print("network \(s.network) · epoch \(s.epoch) · height \(s.height) · view \(s.view)")
        if let signed = s.signedStake, let total = s.totalStake, let share = s.signedPercentage, let signers = s.signers {
            print("signed stake \(signed) of \(total) (\(String(format: "%.1f", share))%) by \(signers) signers")
        }
        for transaction in s.transactions { print("transaction \(transaction.namespace) \(transaction.hash)") }
        for layer in verdict.layers {
            let mark = layer.isValid ? "✓" : "✗"
            print("\(mark) \(layer.layer.padding(toLength: 13, withPad: " ", startingAt: 0)) \(layer.isValid ? layer.detail : "")")
            for failure in layer.failures { print("    \(failure.code): \(failure.reason)") }
            for warning in layer.warnings { print("    ! \(warning)") }
        }
        print("clocks: pre-confirmation \(s.preconfirmation) · settlement \(s.settlement)")
        print(verdict.isValid ? "VALID" : "INVALID: \(verdict.failureCodes.map(\.rawValue).joined(separator: ", "))")
    }

    /// The profile of a bundle (JSON `profile` field, or the binary form's first section),
    /// read before choosing the decoder.
    static func profileName(in data: Data) throws -> String {
        let bytes = Array(data.prefix(64))
        if bytes.starts(with: Array("CKPB".utf8)) {
            guard bytes.count >= 10, bytes[5] == 1 else {
                throw ConfirmationError(.bundleInvalidBinary, "a binary bundle starts with its profile section")
            }
            let length = Int(bytes[6]) << 24 | Int(bytes[7]) << 16 | Int(bytes[8]) << 8 | Int(bytes[9])
            guard length <= bytes.count - 10 else { throw ConfirmationError(.bundleInvalidBinary, "truncated profile section") }
            return String(decoding: bytes[10..<10 + length], as: UTF8.self)
        }
        struct Header: Decodable { var profile: String }
        do {
            return try JSONDecoder().decode(Header.self, from: data).profile
        } catch {
            throw ConfirmationError(.bundleMalformedJSON, "not a proof bundle: no readable profile field")
        }
    }
}

/// Decodes JSON, turning decoding failures into one-line typed errors.
func decodeJSON<T: Decodable>(_ type: T.Type, from data: Data, what: String) throws -> T {
    do {
        return try JSONDecoder().decode(type, from: data)
    } catch let error as ConfirmationError {
        throw error
    } catch DecodingError.dataCorrupted(let context) {
        if let underlying = context.underlyingError as? ConfirmationError { throw underlying }
        throw ConfirmationError(.bundleMalformedJSON, "the \(what) is not well-formed JSON of the expected shape")
    } catch {
        throw ConfirmationError(.bundleMalformedJSON, "the \(what) is not well-formed JSON of the expected shape")
    }
}
