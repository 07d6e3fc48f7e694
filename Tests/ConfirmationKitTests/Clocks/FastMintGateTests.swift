import ConfirmationKit
import Testing

@Suite("Fast-mint gate")
struct FastMintGateTests {
    let policy = FastMintPolicy(
        maximumAmountPerMint: UInt256(1_000), maximumAmountPerWindow: UInt256(2_500), windowMilliseconds: 60_000,
        minimumSignedStake: .init(numerator: 2, denominator: 3), maximumCertificateAgeMilliseconds: 30_000,
        finalityRequiredAbove: UInt256(5_000))

    func preconfirmed(_ f: ClockFixture, _ reference: TransactionReference) throws -> TrackedClocks {
        var core = TrackerCore()
        core.track(.transaction(reference), at: f.t0)
        let index = reference == f.alpha ? 0 : 1
        _ = try core.preconfirm(f.block, proof: try f.inclusion(7, index), at: f.t0.adding(milliseconds: 1000))
        return try #require(core.items[reference.subjectID])
    }

    @Test func decisionsFollowEveryRule() throws {
        let f = try ClockFixture()
        let alpha = try preconfirmed(f, f.alpha)
        let now = f.t0.adding(milliseconds: 2000)
        var gate = FastMintGate(policy: policy)
        #expect(gate.decide(mintID: "zero", amount: .zero, clocks: alpha, at: now) == .reject(code: "mint.zero-amount"))
        #expect(gate.decide(mintID: "big", amount: UInt256(6_000), clocks: alpha, at: now) == .waitForSettlement(code: "mint.requires-finality"))
        #expect(gate.decide(mintID: "mid", amount: UInt256(2_000), clocks: alpha, at: now) == .waitForSettlement(code: "mint.amount-above-limit"))
        #expect(gate.decide(mintID: "old", amount: UInt256(10), clocks: alpha, at: f.t0.adding(milliseconds: 31_000))
                == .waitForSettlement(code: "mint.certificate-too-old"))
        var pending = alpha
        pending.preconfirmation = .pending
        #expect(gate.decide(mintID: "p", amount: UInt256(10), clocks: pending, at: now) == .waitForSettlement(code: "mint.not-preconfirmed"))

        #expect(gate.decide(mintID: "m1", amount: UInt256(1_000), clocks: alpha, at: now) == .mintNow)
        #expect(gate.decide(mintID: "m1", amount: UInt256(1_000), clocks: alpha, at: now) == .reject(code: "mint.duplicate"))
        #expect(gate.decide(mintID: "m2", amount: UInt256(1_000), clocks: alpha, at: now) == .mintNow)
        #expect(gate.decide(mintID: "m3", amount: UInt256(1_000), clocks: alpha, at: now) == .waitForSettlement(code: "mint.window-limit"))
        #expect(gate.outstandingValue == UInt256(2_000))

        let strict = FastMintPolicy(maximumAmountPerMint: UInt256(1_000), maximumAmountPerWindow: UInt256(2_500),
                                    windowMilliseconds: 60_000, minimumSignedStake: .init(numerator: 99, denominator: 100),
                                    maximumCertificateAgeMilliseconds: 30_000, finalityRequiredAbove: UInt256(5_000))
        var strictGate = FastMintGate(policy: strict)
        #expect(strictGate.decide(mintID: "s", amount: UInt256(1), clocks: alpha, at: now) == .waitForSettlement(code: "mint.stake-below-minimum"))
    }

    @Test func reversionReturnsExactlyTheAffectedMints() throws {
        let f = try ClockFixture()
        let alpha = try preconfirmed(f, f.alpha)
        let beta = try preconfirmed(f, TransactionReference(namespace: 7, transaction: Array("beta".utf8)))
        let now = f.t0.adding(milliseconds: 2000)
        var gate = FastMintGate(policy: policy)
        #expect(gate.decide(mintID: "a1", amount: UInt256(100), clocks: alpha, at: now) == .mintNow)
        #expect(gate.decide(mintID: "a2", amount: UInt256(200), clocks: alpha, at: now) == .mintNow)
        #expect(gate.decide(mintID: "b1", amount: UInt256(300), clocks: beta, at: now) == .mintNow)

        var reverted = alpha
        let summary = EquivocationSummary(network: f.block.network, epoch: 1, height: 1, view: 1, commitments: [],
                                          doubleSignerCount: 4, doubleSignedStake: UInt256(1), totalStake: UInt256(1))
        reverted.preconfirmation = .reverted(Reversion(reason: .equivocation(summary), at: now))
        let affected = gate.apply(ClockUpdate(clocks: reverted, at: now))
        #expect(Set(affected.map(\.mintID)) == ["a1", "a2"])
        #expect(gate.outstanding.map(\.mintID) == ["b1"])
        #expect(gate.decide(mintID: "a3", amount: UInt256(1), clocks: reverted, at: now) == .reject(code: "mint.reverted"))

        var final = beta
        final.settlement = .finalized(Settlement(l1Block: l1Header(1, parent: nil), evidence: "test", depth: 70,
                                                 postedAt: now, finalizedAt: now))
        #expect(gate.apply(ClockUpdate(clocks: final, at: now)).isEmpty)
        #expect(gate.outstanding.isEmpty)
        #expect(gate.decide(mintID: "big-final", amount: UInt256(1_000_000), clocks: final, at: now) == .mintNow)
    }
}
