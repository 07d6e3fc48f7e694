import ConfirmationKit
import ConfirmationKitCometBFT
import ConfirmationVectors
import Foundation
import Testing

/// A chain whose validators rotate: every `step` heights one validator of four is replaced, so a
/// header far ahead is signed by too few trusted validators and bisection is needed.
struct RotatingChain {
    let builder = CometBFTChainBuilder(chainID: "rotating")
    var blocks: [CometBFTLightBlock] = []
    var sets: [[CometBFTSimValidator]] = []

    static func time(_ h: Int64) -> CometBFTTime { (try? CometBFTTime(seconds: 1_800_000_000 + h * 6, nanos: 0)) ?? .unixEpoch }

    init(heights: Int64, step: Int64, forkAt: Int64? = nil, forkAppHash: [UInt8] = [], forkDataHash: [UInt8]? = nil) throws {
        var current = try (0..<4).map { try CometBFTSimValidator(id: "rot-\($0)", power: 10) }
        var next = 4
        var schedule: [[CometBFTSimValidator]] = []
        for h in 1...(heights + 1) {
            schedule.append(current)
            if h % step == 0 {
                current.removeFirst()
                current.append(try CometBFTSimValidator(id: "rot-\(next)", power: 10))
                next += 1
            }
        }
        sets = schedule
        var last = CometBFTBlockID.zero
        for h in 1...heights {
            let forked = forkAt.map { h >= $0 } ?? false
            let block = try builder.lightBlock(height: h, time: Self.time(h), validators: schedule[Int(h - 1)],
                                               next: schedule[Int(h)], lastBlockID: last,
                                               dataHash: forked ? (forkDataHash ?? RFC6962SHA256.emptyTreeRoot.bytes)
                                                                : RFC6962SHA256.emptyTreeRoot.bytes,
                                               appHash: forked ? forkAppHash : [])
            blocks.append(block)
            last = block.signedHeader.commit.blockID
        }
    }

    func provider(_ id: String) -> InMemoryLightBlockProvider { InMemoryLightBlockProvider(id: id, blocks: blocks) }
}

@Suite struct CometBFTSkippingTests {
    let verifier = CometBFTLightVerifier(options: CometBFTVerificationOptions(
        trustingPeriod: (try? CometBFTDuration(seconds: "86400")) ?? .zero))
    let now = RotatingChain.time(200)

    @Test func bisectsThroughRotatingValidators() async throws {
        let chain = try RotatingChain(heights: 64, step: 4)
        // Directly from 1 to 64 the trusted validators are all gone.
        var direct = CometBFTSignatureCache()
        let trusted = try CometBFTTrustedState(chain.blocks[0])
        #expect(verifier.verify(chain.blocks[63], trusted: trusted, now: now, cache: &direct).name == "notEnoughTrust")

        var cache = CometBFTSignatureCache()
        let result = await verifier.verifySkipping(from: chain.blocks[0], to: 64, provider: chain.provider("primary"), now: now, cache: &cache)
        guard case .verified(let trace) = result else {
            Issue.record("skipping failed: \(result)")
            return
        }
        #expect(trace.first == chain.blocks[0])
        #expect(trace.last == chain.blocks[63])
        #expect(trace.count > 2)
        let heights = trace.map(\.height)
        #expect(zip(heights, heights.dropFirst()).allSatisfy { $0 < $1 })
        // Every step of the trace is itself a valid verification from its predecessor.
        for (a, b) in zip(trace, trace.dropFirst()) {
            var c = CometBFTSignatureCache()
            #expect(verifier.verify(b, trusted: try CometBFTTrustedState(a), now: now, cache: &c) == .success)
        }
        // The cache answered the second look at each vote (trusting check, then +2/3 check).
        #expect(cache.hits > 0)
        #expect(cache.verifications == cache.count)
    }

    @Test func adjacentTargetNeedsNoPivot() async throws {
        let chain = try RotatingChain(heights: 3, step: 100)
        var cache = CometBFTSignatureCache()
        let result = await verifier.verifySkipping(from: chain.blocks[0], to: 2, provider: chain.provider("p"), now: now, cache: &cache)
        #expect(result.trace.map(\.height) == [1, 2])
    }

    @Test func failuresAreReported() async throws {
        let chain = try RotatingChain(heights: 16, step: 4)
        var cache = CometBFTSignatureCache()
        let missing = await verifier.verifySkipping(from: chain.blocks[0], to: 30, provider: chain.provider("p"), now: now, cache: &cache)
        #expect(missing.target == nil)
        guard case .failed(let failure, _) = missing else { return }
        #expect(failure.code == .cometProviderMissingBlock)

        // A provider that lies about heights.
        var shifted = chain.blocks
        shifted[15] = chain.blocks[14]
        struct Shifted: LightBlockProvider {
            let id = "shifted"
            let blocks: [CometBFTLightBlock]
            func lightBlock(at height: Int64) async throws -> CometBFTLightBlock { blocks[Int(height) - 1] }
        }
        let wrong = await verifier.verifySkipping(from: chain.blocks[0], to: 16, provider: Shifted(blocks: shifted), now: now, cache: &cache)
        guard case .failed(let f, _) = wrong else {
            Issue.record("a shifted provider verified")
            return
        }
        #expect(f.code == .cometProviderFailed)

        let expired = await verifier.verifySkipping(from: chain.blocks[0], to: 16, provider: chain.provider("p"),
                                                    now: RotatingChain.time(1).adding(try CometBFTDuration(seconds: "86400")), cache: &cache)
        guard case .failed(let e, _) = expired else { return }
        #expect(e.code == .cometTrustedHeaderExpired)
    }

    @Test func detectsLunaticForkAndBuildsEvidence() async throws {
        let honest = try RotatingChain(heights: 40, step: 8)
        let forked = try RotatingChain(heights: 40, step: 8, forkAt: 21, forkAppHash: Array("forged state".utf8))
        var cache = CometBFTSignatureCache()
        let primaryRun = await verifier.verifySkipping(from: forked.blocks[0], to: 40, provider: forked.provider("primary"),
                                                       now: now, cache: &cache)
        guard case .verified(let trace) = primaryRun else {
            Issue.record("the forked chain should verify on its own: \(primaryRun)")
            return
        }
        // An honest witness agrees: nothing to report.
        let sameCheck = await verifier.detectFork(primaryTrace: trace, witness: forked.provider("twin"), now: now, cache: &cache)
        #expect(sameCheck == .consistent)

        let check = await verifier.detectFork(primaryTrace: trace, witness: honest.provider("witness"), now: now, cache: &cache)
        guard case .attack(let evidence, let counter) = check else {
            Issue.record("no attack found: \(check)")
            return
        }
        #expect(evidence.kind == .lunatic)
        #expect(evidence.conflictingBlock.height >= 21)
        #expect(evidence.commonHeight < 21)
        #expect(evidence.conflictingBlock.header.appHash == Array("forged state".utf8))
        #expect(!evidence.byzantineValidators.isEmpty)
        #expect(counter.conflictingBlock.header.appHash.isEmpty)
        let json = try JSONSerialization.jsonObject(with: evidence.jsonData()) as? [String: Any]
        #expect(json?["type"] as? String == "tendermint/LightClientAttackEvidence")
        let value = json?["value"] as? [String: Any]
        #expect(value?["common_height"] as? String == String(evidence.commonHeight))
    }

    @Test func faultyWitnessIsReported() async throws {
        let chain = try RotatingChain(heights: 20, step: 5)
        var cache = CometBFTSignatureCache()
        let trace = await verifier.verifySkipping(from: chain.blocks[0], to: 20, provider: chain.provider("p"), now: now, cache: &cache).trace
        // A witness whose block at 20 is signed by nobody it can prove.
        let strangers = try (0..<4).map { try CometBFTSimValidator(id: "stranger-\($0)", power: 10) }
        var blocks = chain.blocks
        blocks[19] = try CometBFTChainBuilder(chainID: "rotating").lightBlock(height: 20, time: RotatingChain.time(20),
                                                                               validators: strangers, next: strangers)
        let check = await verifier.detectFork(primaryTrace: trace, witness: InMemoryLightBlockProvider(id: "w", blocks: blocks),
                                              now: now, cache: &cache)
        guard case .faultyWitness = check else {
            Issue.record("expected a faulty witness, got \(check)")
            return
        }
    }

    @Test func equivocationBlamesValidatorsWhoSignedBoth() async throws {
        let honest = try RotatingChain(heights: 12, step: 100)
        // Same validators and state hashes, other transactions: an equivocation at height 12.
        let forked = try RotatingChain(heights: 12, step: 100, forkAt: 12, forkDataHash: SHA256.hash(Array("other txs".utf8)).bytes)
        var cache = CometBFTSignatureCache()
        let trace = await verifier.verifySkipping(from: forked.blocks[0], to: 12, provider: forked.provider("primary"),
                                                  now: now, cache: &cache).trace
        #expect(trace.last?.height == 12)
        let check = await verifier.detectFork(primaryTrace: trace, witness: honest.provider("witness"), now: now, cache: &cache)
        guard case .attack(let evidence, _) = check else {
            Issue.record("no attack found: \(check)")
            return
        }
        #expect(evidence.kind == .equivocation)
        #expect(evidence.commonHeight == 12)
        #expect(evidence.byzantineValidators.count == 4)
        #expect(evidence.totalVotingPower == 40)
    }
}

/// The synchronous skipping variant and the fetch limit.
@Suite struct CometBFTSynchronousSkippingTests {
    let verifier = CometBFTLightVerifier(options: CometBFTVerificationOptions(
        trustingPeriod: (try? CometBFTDuration(seconds: "86400")) ?? .zero))
    let now = RotatingChain.time(200)

    @Test func theSynchronousVariantTakesTheSameSteps() async throws {
        let chain = try RotatingChain(heights: 64, step: 4)
        let provider = chain.provider("primary")
        var asyncCache = CometBFTSignatureCache()
        let expected = await verifier.verifySkipping(from: chain.blocks[0], to: 64, provider: provider, now: now, cache: &asyncCache)
        var fetched: [Int64] = []
        var syncCache = CometBFTSignatureCache()
        let result = verifier.verifySkipping(from: chain.blocks[0], to: 64, providerID: provider.id, now: now, cache: &syncCache) { h in
            fetched.append(h)
            return try provider.block(at: h)
        }
        #expect(result == expected)
        #expect(result.target == chain.blocks[63])
        #expect(fetched.first == 64)
        #expect(Set(fetched).count == fetched.count)  // no block is fetched twice
        #expect(syncCache.count == asyncCache.count)

        // One fetch fewer than the run needs fails with the trace so far; exactly enough succeeds.
        var limited = CometBFTSignatureCache()
        let short = await verifier.verifySkipping(from: chain.blocks[0], to: 64, provider: provider, now: now,
                                                  maximumFetches: fetched.count - 1, cache: &limited)
        guard case .failed(let failure, let trace) = short else {
            Issue.record("a run one fetch short verified")
            return
        }
        #expect(failure.code == .cometTooManyFetches)
        #expect(trace.count < expected.trace.count)
        var exact = CometBFTSignatureCache()
        let enough = await verifier.verifySkipping(from: chain.blocks[0], to: 64, provider: provider, now: now,
                                                   maximumFetches: fetched.count, cache: &exact)
        #expect(enough == expected)
    }

    @Test func aNonConfirmationErrorIsAProviderFailure() throws {
        struct Refused: Error {}
        let chain = try RotatingChain(heights: 8, step: 100)
        var cache = CometBFTSignatureCache()
        let result = verifier.verifySkipping(from: chain.blocks[0], to: 8, providerID: "down", now: now, cache: &cache) { _ in
            throw Refused()
        }
        guard case .failed(let failure, let trace) = result else {
            Issue.record("a failing provider verified")
            return
        }
        #expect(failure.code == .cometProviderFailed)
        #expect(trace == [chain.blocks[0]])
    }
}
