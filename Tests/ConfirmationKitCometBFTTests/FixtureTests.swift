import ConfirmationKit
import ConfirmationKitCometBFT
import Foundation
import Testing
import VectorSupport

/// The real CometBFT data in ../shared/vectors/cometbft.
@Suite(.enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct CometBFTFixtureTests {
    @Test func headerWithKnownHash() throws {
        let header = try CometBFTJSON.header(from: SharedVectors.data("cometbft/header_with_known_hash.json"))
        #expect(header.hash()?.hex.uppercased() == "F30A71F2409FB15AACAEDB6CC122DFA2525BEE9CAE521721B06BFDCA291B8D56")
        var changed = header
        changed.height += 1
        #expect(changed.hash() != header.hash())
    }

    @Test func kvstoreCommitVerifiesAgainstGenesis() throws {
        let signed = try CometBFTJSON.signedHeader(from: SharedVectors.data("cometbft/kvstore_v0_38/commit_at_height_10.json"))
        let validators = try CometBFTJSON.validatorSet(from: SharedVectors.data("cometbft/kvstore_v0_38/genesis.json"))
        #expect(signed.basicValidationFailure(chainID: "dockerchain") == nil)
        #expect(validators.hash().bytes == signed.header.validatorsHash)
        var cache = CometBFTSignatureCache()
        let check = CometBFTCommitVerifier.verifyCommitLight(
            chainID: "dockerchain", validators: validators, blockID: signed.commit.blockID, height: 10,
            commit: signed.commit, cache: &cache)
        #expect(check.isVerified)
        // One flipped signature bit must fail.
        var tampered = signed.commit
        tampered.signatures[0].signature[5] ^= 1
        let bad = CometBFTCommitVerifier.verifyCommitLight(
            chainID: "dockerchain", validators: validators, blockID: signed.commit.blockID, height: 10,
            commit: tampered, cache: &cache)
        #expect(bad.failure?.code == .cometInvalidSignature)
    }

    @Test func mocha4LightBlockVerifiesEverySignature() throws {
        let block = try CometBFTJSON.lightBlock(from: SharedVectors.data("cometbft/mocha-4/block_2279100.json"))
        let vals = try #require(block.validatorSet)
        let next = try #require(block.nextValidatorSet)
        #expect(vals.count == 100)
        #expect(vals.totalVotingPower == 511_862_423)
        #expect(vals.hash().bytes == block.header.validatorsHash)
        #expect(next.hash().bytes == block.header.nextValidatorsHash)
        #expect(block.signedHeader.basicValidationFailure(chainID: "mocha-4") == nil)
        var cache = CometBFTSignatureCache()
        let full = CometBFTCommitVerifier.verifyCommit(
            chainID: "mocha-4", validators: vals, blockID: block.signedHeader.commit.blockID, height: block.height,
            commit: block.signedHeader.commit, cache: &cache)
        guard case .verified(let tally) = full else {
            Issue.record("mocha-4 commit did not verify: \(String(describing: full.failure))")
            return
        }
        #expect(tally.signaturesChecked == 100)  // 99 COMMIT + 1 NIL, all verified
        #expect(tally.signerIndices.count == 99)
        // The published sign bytes of the first COMMIT vote and of the NIL vote.
        let commit = block.signedHeader.commit
        #expect(Hex.encode(commit.voteSignBytes(chainID: "mocha-4", index: 0) ?? []) ==
                "6c080211bcc622000000000022480a20ef3fa80fe032e291dc94cf6f9912071a319e5042f078be98184e3c3ac9ff97e71224080b1220354346de3d8f76cafd9efd545ab336b57a8ae6d11e59ec9334b8dfd3cca061ff2a0c08d3c8dbb40610bfd79b940232076d6f6368612d34")
        let nilIndex = try #require(commit.signatures.firstIndex { $0.flag == .nil })
        #expect(Hex.encode(commit.voteSignBytes(chainID: "mocha-4", index: nilIndex) ?? []) ==
                "22080211bcc62200000000002a0c08d3c8dbb40610adf3aaad0332076d6f6368612d34")
        // In parallel: the same verdict and tally, every signature verified once.
        var parallelCache = CometBFTSignatureCache()
        let parallel = CometBFTCommitVerifier.verifySignedHeader(block.signedHeader, validators: vals, cache: &parallelCache, workers: 4)
        #expect(parallel == full)
        #expect(parallelCache.verifications == 100)
        var tampered = block.signedHeader
        tampered.commit.signatures[40].signature[7] ^= 4
        tampered.commit.signatures[70].signature[7] ^= 4
        var c1 = CometBFTSignatureCache()
        var c2 = CometBFTSignatureCache()
        let sequentialBad = CometBFTCommitVerifier.verifySignedHeader(tampered, validators: vals, cache: &c1)
        let parallelBad = CometBFTCommitVerifier.verifySignedHeader(tampered, validators: vals, cache: &c2, workers: 4)
        #expect(sequentialBad.failure?.signerIndex == 40)
        #expect(parallelBad == sequentialBad)
        // The light path stops at the threshold and checks fewer signatures.
        var lightCache = CometBFTSignatureCache()
        let light = CometBFTCommitVerifier.verifyCommitLight(
            chainID: "mocha-4", validators: vals, blockID: commit.blockID, height: block.height, commit: commit, cache: &lightCache)
        guard case .verified(let lightTally) = light else {
            Issue.record("light verification failed")
            return
        }
        #expect(lightTally.signaturesChecked < 100)
        #expect(lightTally.tallied > lightTally.needed)
    }

    static let singleStepFiles: [String] = {
        let dir = SharedVectors.directory.appendingPathComponent("cometbft/single_step")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    @Test(arguments: singleStepFiles)
    func singleStep(_ file: String) throws {
        let outcomes = try SingleStepRunner.run(SharedVectors.data("cometbft/single_step/" + file))
        #expect(!outcomes.isEmpty)
        for outcome in outcomes {
            #expect(outcome.actual == outcome.expected, "\(file) step \(outcome.step): \(outcome.detail)")
        }
    }
}
