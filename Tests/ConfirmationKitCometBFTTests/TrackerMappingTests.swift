import ConfirmationKit
import ConfirmationKitCometBFT
import ConfirmationVectors
import Foundation
import Testing
import VectorSupport

@Suite struct CometBFTTrackerMappingTests {
    @Test(.enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
    func mochaCommitBecomesACertifiedBlock() throws {
        let block = try CometBFTJSON.lightBlock(from: SharedVectors.data("cometbft/mocha-4/block_2279100.json"))
        let vals = try #require(block.validatorSet)
        var cache = CometBFTSignatureCache()
        let verdict = CometBFTCertificateMapping.verify(block.signedHeader, validators: vals, cache: &cache)
        let verified = try #require(verdict.verified, "\(verdict.failures)")
        let certified = CertifiedBlock(verified)
        #expect(certified.blockCommitment == block.header.hash())
        #expect(certified.network == NetworkID("cometbft:mocha-4"))
        #expect(certified.height == 2_279_100)
        #expect(certified.totalStake == UInt256(511_862_423))
        #expect(UInt256.isProduct(certified.signedStake, greaterThanProductOf: certified.totalStake, 2, times: 3))
        #expect(certified.signedTime == UInt64(block.header.time.seconds))
    }

    @Test func rejectedCommitsDoNotMap() throws {
        let builder = CometBFTChainBuilder(chainID: "map")
        let vals = try (0..<4).map { try CometBFTSimValidator(id: "map-\($0)", power: 10) }
        let weak = try builder.lightBlock(height: 5, time: CometBFTTime(seconds: 1_700_000_000, nanos: 0), validators: vals,
                                          next: vals, signers: ["map-0", "map-1"])
        var cache = CometBFTSignatureCache()
        let verdict = CometBFTCertificateMapping.verify(weak.signedHeader, validators: try #require(weak.validatorSet), cache: &cache)
        #expect(verdict.verified == nil)
        #expect(verdict.failures.first?.code == .cometInsufficientVotingPower)
    }

    @Test func transactionsProveIntoTheCertifiedBlockHash() throws {
        let txs: [[UInt8]] = (0..<7).map { Array("tx-\($0)".utf8) }
        let builder = CometBFTChainBuilder(chainID: "map")
        let vals = try (0..<4).map { try CometBFTSimValidator(id: "map-\($0)", power: 10) }
        let block = try builder.lightBlock(height: 9, time: CometBFTTime(seconds: 1_700_000_000, nanos: 0), validators: vals,
                                           next: vals, dataHash: CometBFTBlockData.dataHash(txs).bytes)
        var cache = CometBFTSignatureCache()
        let set = try #require(block.validatorSet)
        let verified = try #require(CometBFTCertificateMapping.verify(block.signedHeader, validators: set, cache: &cache).verified)
        let certified = CertifiedBlock(verified)
        for i in txs.indices {
            let proof = try CometBFTTransactionProof(transactions: txs, index: i, header: block.header)
            #expect(proof.verify(against: certified.blockCommitment))
            #expect(!proof.verify(against: SHA256.hash([1])))
        }
        #expect(throws: ConfirmationError(.merkleIndexOutOfRange, "")) {
            try CometBFTTransactionProof(transactions: txs, index: 7, header: block.header)
        }
        #expect(throws: ConfirmationError(.astriaBlockMismatch, "")) {
            try CometBFTTransactionProof(transactions: Array(txs.dropLast()), index: 0, header: block.header)
        }
    }

    @Test func aVerifiedCommitPreconfirmsItsTransactionsInTheTracker() throws {
        let txs: [[UInt8]] = (0..<5).map { Array("rollup tx \($0)".utf8) }
        let builder = CometBFTChainBuilder(chainID: "map")
        let vals = try (0..<4).map { try CometBFTSimValidator(id: "map-\($0)", power: 10) }
        let block = try builder.lightBlock(height: 12, time: CometBFTTime(seconds: 1_700_000_000, nanos: 0), validators: vals,
                                           next: vals, dataHash: CometBFTBlockData.dataHash(txs).bytes)
        var cache = CometBFTSignatureCache()
        let validators = try #require(block.validatorSet)
        let verified = try #require(CometBFTCertificateMapping.verify(block.signedHeader, validators: validators, cache: &cache).verified)
        var core = TrackerCore()
        let t0 = Timestamp(seconds: 1_700_000_000)
        let reference = TransactionReference(namespace: CometBFTTransactionProof.namespace, transaction: txs[3])
        core.track(.transaction(reference), at: t0)
        let proof = try CometBFTTransactionProof(transactions: txs, index: 3, header: block.header)
        let updates = try core.preconfirm(CertifiedBlock(verified), evidence: proof, at: t0.adding(milliseconds: 900))
        #expect(updates.map(\.clocks.id) == [reference.subjectID])
        guard case .preconfirmed(let p) = core.items[reference.subjectID]?.preconfirmation else {
            Issue.record("not pre-confirmed")
            return
        }
        #expect(p.block.height == 12)
        // Evidence for another block is refused.
        var other = CertifiedBlock(verified)
        other.blockCommitment = SHA256.hash([7])
        #expect(throws: ConfirmationError(.clocksProofNotVerified, "")) { try core.preconfirm(other, evidence: proof, at: t0) }
    }
}
