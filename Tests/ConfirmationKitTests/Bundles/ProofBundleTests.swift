import ConfirmationKit
import ConfirmationSimulation
import Foundation
import Testing

/// A tracker that pre-confirmed, posted and finalized two subjects, and the bundles it exports.
struct BundleFixture {
    let f: ClockFixture
    let core: TrackerCore
    let checkpoint: L1BlockHeader
    let bundleID: Bytes32

    init() throws {
        f = try ClockFixture()
        var core = TrackerCore(retainsEvidence: true)
        let bundle = TrackedSubject.bundle([f.alpha, f.gamma])
        core.track(bundle, at: f.t0)
        core.track(.transaction(f.alpha), at: f.t0)
        let genesis = l1Header(10, parent: nil)
        core.startSettlementClock(checkpoint: genesis)
        let proof = InclusionProof.namespaceBundle(try f.produced.block.bundleProof(legs: [
            TransactionLocation(namespace: 7, index: 0), TransactionLocation(namespace: 9, index: 0)]))
        _ = try core.preconfirm(f.produced.verified, certificate: f.produced.certificate, proof: proof, at: f.t0)
        let chain = l1Chain(from: genesis, count: 4)
        _ = try core.applyL1Head(chain[0], postings: [f.posting(in: chain[0])], at: f.t0)
        for block in chain.dropFirst() { _ = try core.applyL1Head(block, postings: [], at: f.t0) }
        _ = try core.applyL1Finalized(chain[2], at: f.t0)
        self.core = core
        self.checkpoint = chain[2]
        self.bundleID = bundle.id
    }

    func export(_ id: Bytes32? = nil, embedded: Bool = true) throws -> ProofBundle<Secp256k1QuorumProfile> {
        try core.exportBundle(for: id ?? bundleID, profile: Secp256k1QuorumProfile.self,
                              stakeTable: embedded ? .embedded(f.sequencer.stakeTable) : nil)
    }

    func verify(_ bundle: ProofBundle<Secp256k1QuorumProfile>, trusted: Bool = true) -> BundleVerdict {
        ProofBundleVerifier(profile: Secp256k1QuorumProfile())
            .verify(bundle, trustedStakeTables: trusted ? [f.sequencer.stakeTable] : [], trustedL1Checkpoints: [checkpoint.hash])
    }
}

@Suite("Proof bundles")
struct ProofBundleTests {
    @Test func exportedBundleVerifiesAndRoundTrips() throws {
        let x = try BundleFixture()
        let bundle = try x.export()
        let verdict = x.verify(bundle)
        #expect(verdict.isValid, "\(verdict.failureCodes)")
        #expect(verdict.layers.map(\.layer) == ["stake-table", "certificate", "inclusion", "transactions", "settlement"])
        #expect(verdict.summary.preconfirmation == "preconfirmed")
        #expect(verdict.summary.settlement == "finalized")
        #expect(Set(verdict.summary.transactions) == [x.f.alpha, x.f.gamma])
        #expect(try ProofBundle<Secp256k1QuorumProfile>(jsonData: bundle.jsonData()) == bundle)
        #expect(try ProofBundle<Secp256k1QuorumProfile>(canonicalBytes: bundle.canonicalBytes()) == bundle)
        // The single transaction's bundle is valid too, and a reference-only table needs the caller's table.
        let single = try x.export(x.f.alpha.subjectID, embedded: false)
        #expect(x.verify(single).isValid)
        #expect(x.verify(single, trusted: false).failureCodes.contains(.bundleStakeTableUnavailable))
    }

    @Test func stakeTableTrust() throws {
        let x = try BundleFixture()
        let bundle = try x.export()
        #expect(x.verify(bundle, trusted: false).failureCodes.first == .bundleUntrustedStakeTable)
        let lax = ProofBundleVerifier(profile: Secp256k1QuorumProfile())
            .verify(bundle, trustedStakeTables: [], allowEmbeddedStakeTable: true)
        #expect(lax.isValid)
        #expect(!lax.layers[0].warnings.isEmpty)
        #expect(lax.summary.settlement == "posted", "finality needs a trusted checkpoint")
    }

    @Test func everyLayerFailsWithItsCode() throws {
        let x = try BundleFixture()
        let good = try x.export()

        var badSignature = good
        if case .individual(var signatures) = badSignature.certificate.signatures {
            var rsv = signatures[0].rsv
            rsv[10] ^= 1
            signatures[0] = try Secp256k1QuorumSignature(rsv: rsv)
            badSignature.certificate.signatures = .individual(signatures)
        }
        #expect(x.verify(badSignature).layers.first { !$0.isValid }?.layer == "certificate")

        var badStatement = good
        badStatement.certificate.statement.view += 1
        #expect(x.verify(badStatement).layers.first { !$0.isValid }?.layer == "certificate")

        var otherBlock = good
        otherBlock.proofs = [try x.f.inclusion(7, 1)]
        let verdict = x.verify(otherBlock)
        #expect(verdict.layers.first { !$0.isValid }?.layer == "transactions")
        #expect(verdict.failureCodes.contains(.bundleTransactionNotProven))

        var badProof = good
        let foreign = try NamespacedBlock(transactions: [7: [Array("alpha".utf8)]])
        badProof.proofs = [.namespaceInclusion(try foreign.inclusionProof(namespace: 7, index: 0))]
        #expect(x.verify(badProof).failureCodes.contains(.bundleProofNotVerified))

        var noProofs = good
        noProofs.proofs = []
        #expect(x.verify(noProofs).failureCodes.contains(.bundleNoProofs))

        var wrongTransaction = good
        wrongTransaction.transactions[0] = BundledTransaction(namespace: 7, transaction: Array("alphA".utf8))
        #expect(x.verify(wrongTransaction).failureCodes == [.bundleTransactionNotProven])

        var noTransactions = good
        noTransactions.transactions = []
        #expect(x.verify(noTransactions).failureCodes == [.bundleNoTransactions])

        var wrongPosting = try #require(good.settlement)
        wrongPosting.posting.blockCommitment = SHA256.hash([1])
        var badSettlement = good
        badSettlement.settlement = wrongPosting
        #expect(x.verify(badSettlement).failureCodes.contains(.bundleSettlementMismatch))

        var brokenChain = try #require(good.settlement)
        brokenChain.headers.remove(at: 1)
        badSettlement.settlement = brokenChain
        #expect(x.verify(badSettlement).failureCodes.contains(.bundleSettlementBrokenChain))
    }

    @Test func malformedDocumentsThrowTypedErrors() throws {
        let x = try BundleFixture()
        let json = try x.export().jsonData()
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        for (key, value, code) in [("format", "other" as Any, ConfirmationError.Code.bundleWrongFormat),
                                   ("version", 2 as Any, .bundleUnsupportedVersion),
                                   ("profile", "espresso" as Any, .bundleProfileMismatch),
                                   ("network", "eip155:1" as Any, .bundleNetworkMismatch)] {
            var changed = object
            changed[key] = value
            #expect(throws: ConfirmationError(code, "")) {
                try ProofBundle<Secp256k1QuorumProfile>(jsonData: try JSONSerialization.data(withJSONObject: changed))
            }
        }
        object["transactions"] = [["namespace": "0x0000000000000007", "transaction": "0x00", "hash": SHA256.hash([1]).description]]
        #expect(throws: ConfirmationError(.bundleTransactionHashMismatch, "")) {
            try ProofBundle<Secp256k1QuorumProfile>(jsonData: try JSONSerialization.data(withJSONObject: object))
        }
        #expect(throws: ConfirmationError(.bundleMalformedJSON, "")) {
            try ProofBundle<Secp256k1QuorumProfile>(jsonData: Data("{\"format\": 1".utf8))
        }
    }

    /// Every truncation and many single-byte flips of the binary form give a typed error or another valid parse.
    @Test func binaryFormIsStrict() throws {
        let x = try BundleFixture()
        let bytes = try x.export().canonicalBytes()
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 400)) {
            #expect(throws: ConfirmationError.self) { try ProofBundle<Secp256k1QuorumProfile>(canonicalBytes: Array(bytes.prefix(cut))) }
        }
        #expect(throws: ConfirmationError(.bundleInvalidBinary, "")) {
            try ProofBundle<Secp256k1QuorumProfile>(canonicalBytes: bytes + [7])
        }
        // Flips inside the certificate, stake table, proofs and transactions (every section before the
        // settlement, whose free-text `evidence` label is descriptive only) never yield a different valid bundle.
        let original = try x.export()
        var withoutSettlement = original
        withoutSettlement.settlement = nil
        let covered = try withoutSettlement.canonicalBytes().count
        var rng = DeterministicRandom(seed: 11)
        var rejected = 0
        for _ in 0..<400 {
            var mutated = bytes
            mutated[Int(rng.next() % UInt64(covered))] ^= UInt8(1 << (rng.next() % 8))
            do {
                let parsed = try ProofBundle<Secp256k1QuorumProfile>(canonicalBytes: mutated)
                let verdict = x.verify(parsed)
                #expect(parsed == original || !verdict.isValid)
                if !verdict.isValid { rejected += 1 }
            } catch is ConfirmationError {
                rejected += 1
            } catch {
                Issue.record("untyped error \(error)")
            }
        }
        #expect(rejected > 300)
    }
}
