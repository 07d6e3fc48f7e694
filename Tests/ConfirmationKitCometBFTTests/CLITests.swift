import ConfirmationKit
import ConfirmationKitCometBFT
import Foundation
import Testing
import VectorSupport

/// Runs the built `confirm` executable (beside the test bundle in `.build/<configuration>/`).
enum CometBFTCLI {
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try ConfirmCLI.run(arguments)
        return (result.status, result.stdout, result.stderr)
    }

    static func temporary(_ data: Data, _ name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cometbft-\(UUID().uuidString)-\(name)")
        try data.write(to: url)
        return url.path
    }

    static func jsonObject(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

@Suite(.enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct CometBFTCLITests {
    let vectors = SharedVectors.directory.appendingPathComponent("cometbft").path

    @Test func headerHash() throws {
        let result = try CometBFTCLI.run(["cometbft", "header-hash", vectors + "/header_with_known_hash.json"])
        #expect(result.status == 0)
        #expect(result.stdout == "F30A71F2409FB15AACAEDB6CC122DFA2525BEE9CAE521721B06BFDCA291B8D56\n")
        let block = try CometBFTCLI.run(["cometbft", "header-hash", vectors + "/mocha-4/block_2279100.json"])
        #expect(block.stdout == "EF3FA80FE032E291DC94CF6F9912071A319E5042F078BE98184E3C3AC9FF97E7\n")
    }

    @Test func verifyCommitKvstoreAndMocha() throws {
        let kv = try CometBFTCLI.run(["cometbft", "verify-commit", "--commit", vectors + "/kvstore_v0_38/commit_at_height_10.json",
                                      "--validators", vectors + "/kvstore_v0_38/genesis.json", "--json"])
        #expect(kv.status == 0)
        let report = try CometBFTCLI.jsonObject(kv.stdout)
        #expect(report["verdict"] as? String == "success")
        #expect(report["code"] is NSNull)
        let mocha = vectors + "/mocha-4/block_2279100.json"
        let ok = try CometBFTCLI.run(["cometbft", "verify-commit", "--commit", mocha, "--validators", mocha])
        #expect(ok.status == 0)
        #expect(ok.stdout.hasPrefix("VERIFIED height 2279100"))
        // The validators of another chain: not verified (exit 1) with a code.
        let wrong = try CometBFTCLI.run(["cometbft", "verify-commit", "--commit", mocha,
                                         "--validators", vectors + "/kvstore_v0_38/genesis.json", "--json"])
        #expect(wrong.status == 1)
        #expect(try CometBFTCLI.jsonObject(wrong.stdout)["code"] as? String == "cometbft.validators-hash-mismatch")
    }

    @Test func verifyCommitRejectsATamperedSignature() throws {
        var text = try String(decoding: SharedVectors.data("cometbft/kvstore_v0_38/commit_at_height_10.json"), as: UTF8.self)
        text = text.replacingOccurrences(of: "5y0Kas3bSrgVYG", with: "5y0Kas3bSrgVYH")
        let commit = try CometBFTCLI.temporary(Data(text.utf8), "commit.json")
        let result = try CometBFTCLI.run(["cometbft", "verify-commit", "--commit", commit,
                                          "--validators", vectors + "/kvstore_v0_38/genesis.json", "--json"])
        #expect(result.status == 1)
        #expect(try CometBFTCLI.jsonObject(result.stdout)["code"] as? String == "cometbft.invalid-signature")
    }

    @Test func malformedInputExitsTwo() throws {
        let broken = try CometBFTCLI.temporary(Data("{\"signed_header\": 3}".utf8), "broken.json")
        let result = try CometBFTCLI.run(["cometbft", "verify-commit", "--commit", broken,
                                          "--validators", vectors + "/kvstore_v0_38/genesis.json"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("cometbft.malformed-json"))
        let level = try CometBFTCLI.run(["cometbft", "verify", "--trusted", broken, "--untrusted", broken, "--trust-level", "1/4"])
        #expect(level.status == 2)
        #expect(level.stderr.contains("cometbft.invalid-trust-level"))
    }

    /// MC10_3_faulty_TestSuccess: step 0 is NOT_ENOUGH_TRUST from the initial state, step 1 SUCCESS.
    @Test func verifyLightBlocksFromSingleStepFixture() throws {
        let data = try SharedVectors.data("cometbft/single_step/MC10_3_faulty_TestSuccess.json")
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let initial = try #require(root["initial"] as? [String: Any])
        let steps = try #require(root["input"] as? [[String: Any]])
        let trusted = try CometBFTCLI.temporary(try JSONSerialization.data(withJSONObject: initial), "trusted.json")
        for (index, expected) in [(0, (Int32(1), "notEnoughTrust")), (1, (Int32(0), "success"))] {
            let step = steps[index]
            let untrusted = try CometBFTCLI.temporary(try JSONSerialization.data(withJSONObject: try #require(step["block"])), "untrusted.json")
            let now = try #require(step["now"] as? String)
            let result = try CometBFTCLI.run(["cometbft", "verify", "--trusted", trusted, "--untrusted", untrusted,
                                              "--trusting-period", "1400", "--clock-drift", "0", "--now", now, "--json"])
            #expect(result.status == expected.0, "step \(index): \(result.stdout) \(result.stderr)")
            #expect(try CometBFTCLI.jsonObject(result.stdout)["verdict"] as? String == expected.1)
            // With a trusting period that ended before `now`, the same step is invalid.
            let expired = try CometBFTCLI.run(["cometbft", "verify", "--trusted", trusted, "--untrusted", untrusted,
                                               "--trusting-period", "0.5", "--clock-drift", "0", "--now", now, "--json"])
            #expect(expired.status == 1)
            #expect(try CometBFTCLI.jsonObject(expired.stdout)["code"] as? String == "cometbft.trusted-header-expired")
        }
    }

    @Test func astriaBlobs() throws {
        let astria = SharedVectors.directory.appendingPathComponent("astria/parse_blob").path
        let metadata = try CometBFTCLI.run(["cometbft", "astria-blob", astria + "/batched_metadata/input.txt"])
        #expect(metadata.status == 0)
        #expect(metadata.stdout.split(separator: "\n").count == 5)
        #expect(metadata.stdout.contains("astria-dusk-5 height 597420"))
        let rollup = try CometBFTCLI.run(["cometbft", "astria-blob", "--kind", "rollup-data", astria + "/batched_rollup_data/input.txt"])
        #expect(rollup.status == 0)
        #expect(rollup.stdout.split(separator: "\n").count == 5)
        let garbage = try CometBFTCLI.temporary(Data("AAAA".utf8), "blob.txt")
        let bad = try CometBFTCLI.run(["cometbft", "astria-blob", garbage])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("brotli.invalid"))
    }
}
