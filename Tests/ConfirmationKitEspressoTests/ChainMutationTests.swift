import ConfirmationKit
import ConfirmationKitEspresso
import Foundation
import Testing
import VectorSupport

/// Mutations of the recorded chain: each must fail the leaf it touches, with the rule's code.
@Suite("Espresso: mutated chain data fails with the right code", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct ChainMutationTests {
    /// Verifies entries `index-1 ... index+1` with the leaf at `index` replaced; returns the codes of that leaf.
    static func codes(at index: Int, _ mutate: (inout HotShotChainEntry) throws -> Void) throws -> [String] {
        var window = Array(V5.entries[(index - 1)...(index + 1)])
        try mutate(&window[1])
        let report = try V5.verifier().verify(window)
        #expect(report.leaves[0].failures.isEmpty)
        return report.leaves[1].failures.map(\.code.rawValue)
    }

    static let indices = [5, 15, 25, 45, 71]

    @Test("the unmodified windows verify", arguments: indices)
    func unmodified(index: Int) throws {
        #expect(try Self.codes(at: index) { _ in }.isEmpty)
    }

    @Test("another valid G1 point as signature: invalid aggregate signature", arguments: indices)
    func signature(index: Int) throws {
        let codes = try Self.codes(at: index) { entry in
            let sig = try #require(entry.qc.signatures)
            entry.qc.signatures?.signature = HotShotAggregateSignature(EspressoBLS.Signature(sig.signature.signature.point + .generator))
        }
        // The leaf commitment and the next leaf's justify QC are unaffected; only the QC fails (and,
        // with no verified signer, the threshold).
        #expect(codes == ["quorum.invalid-aggregate-signature", "quorum.threshold-not-met"])
    }

    @Test("a signer added to the bit vector: invalid aggregate signature", arguments: indices)
    func addedSigner(index: Int) throws {
        let codes = try Self.codes(at: index) { entry in
            let bits = try #require(entry.qc.signatures?.signers)
            let absent = try #require((0..<bits.count).first { !bits.isSet($0) })
            let set = (0..<bits.count).filter { bits.isSet($0) } + [absent]
            entry.qc.signatures?.signers = try HotShotSignerBits(count: bits.count, setting: set)
        }
        #expect(codes == ["quorum.invalid-aggregate-signature", "quorum.threshold-not-met"])
    }

    @Test("a signer removed: invalid aggregate signature or threshold not met", arguments: indices)
    func removedSigner(index: Int) throws {
        let codes = try Self.codes(at: index) { entry in
            let bits = try #require(entry.qc.signatures?.signers)
            let set = (0..<bits.count).filter { bits.isSet($0) }.dropFirst()
            entry.qc.signatures?.signers = try HotShotSignerBits(count: bits.count, setting: set)
        }
        #expect(codes.last == "quorum.threshold-not-met")
        #expect(codes.allSatisfy { ["quorum.invalid-aggregate-signature", "quorum.threshold-not-met"].contains($0) })
    }

    @Test("a bit vector longer than the table: bitmap length mismatch", arguments: indices)
    func longerBitVector(index: Int) throws {
        let codes = try Self.codes(at: index) { entry in
            let bits = try #require(entry.qc.signatures?.signers)
            entry.qc.signatures?.signers = try HotShotSignerBits(count: bits.count + 1,
                                                                 setting: (0..<bits.count).filter { bits.isSet($0) })
        }
        #expect(codes.contains("quorum.bitmap-length-mismatch"))
    }

    @Test("a changed QC view: vote commitment mismatch and view mismatch", arguments: indices)
    func view(index: Int) throws {
        let codes = try Self.codes(at: index) { $0.qc.view += 1 }
        #expect(codes.contains("espresso.vote-commitment-mismatch"))
        #expect(codes.contains("espresso.view-mismatch"))
    }

    @Test("a changed QC view with a matching vote commitment: the signature fails", arguments: indices)
    func viewAndVote(index: Int) throws {
        let codes = try Self.codes(at: index) { entry in
            entry.qc.view += 1
            entry.leaf.view += 1
            entry.qc.voteCommitment = entry.qc.recomputedVoteCommitment
        }
        #expect(codes.contains("quorum.invalid-aggregate-signature"))
        #expect(!codes.contains("espresso.vote-commitment-mismatch"))
    }

    @Test("a changed header field: header and leaf commitment mismatch", arguments: indices)
    func headerField(index: Int) throws {
        let codes = try Self.codes(at: index) { $0.leaf.header.timestamp += 1 }
        #expect(codes.contains("espresso.header-commitment-mismatch"))
        #expect(codes.contains("espresso.leaf-commitment-mismatch"))
        let fee = try Self.codes(at: index) { $0.leaf.header.feeInfo.amount = UInt256(999) }
        #expect(fee.contains("espresso.header-commitment-mismatch"))
    }

    @Test("a changed parent commitment: parent mismatch")
    func parent() throws {
        let codes = try Self.codes(at: 15) { $0.leaf.parentCommitment = EspressoCommitment(.zero) }
        #expect(codes.contains("espresso.parent-mismatch"))
    }

    @Test("a QC for another block number or epoch")
    func blockNumberAndEpoch() throws {
        let number = try Self.codes(at: 15) { entry in
            entry.qc.data.blockNumber = 16
            entry.qc.voteCommitment = entry.qc.recomputedVoteCommitment
        }
        #expect(number.contains("espresso.block-number-mismatch"))
        let epoch = try Self.codes(at: 15) { entry in
            entry.qc.data.epoch = 3
            entry.qc.voteCommitment = entry.qc.recomputedVoteCommitment
        }
        #expect(epoch.contains("quorum.epoch-mismatch"))
    }

    @Test("an unsigned QC other than genesis is refused")
    func unsigned() throws {
        let codes = try Self.codes(at: 15) { $0.qc.signatures = nil }
        #expect(codes == ["espresso.unsigned-certificate"])
    }

    @Test("a missing next-epoch QC in a transition is refused")
    func missingNextEpoch() throws {
        let codes = try Self.codes(at: 9) { $0.leaf.nextEpochJustifyQC = nil }
        // The leaf commitment changes too (it commits to the next-epoch QC).
        #expect(codes.contains("espresso.missing-next-epoch-qc"))
    }

    @Test("an epoch without a known table is unverifiable, never accepted")
    func unknownEpoch() throws {
        let tables = try #require(V5.tables)
        let genesisOnly = EspressoEpochTables(epochHeight: tables.epochHeight, genesis: tables.genesis)
        let report = HotShotChainVerifier(tables: genesisOnly).verify(V5.entries)
        let first = try #require(report.firstFailure)
        // Leaf 18 carries the next-epoch QC of block 17 (epoch 2's transition), signed by epoch 3's table.
        #expect(first.height == 18)
        #expect(first.failures.map(\.code.rawValue) == ["espresso.unknown-epoch"])
        #expect(report.verifiedCount == 18)
    }

    @Test("a break in the middle stops finality at the break")
    func finalityStops() throws {
        var entries = V5.entries
        entries[40].qc.view += 1
        let report = try V5.verifier().verify(entries)
        #expect(report.firstFailure?.index == 40)
        #expect(report.finalizedCount == 39)  // leaves 0…38; leaf 39 lacks a valid deciding QC
    }
}

@Suite("Espresso supermajority threshold")
struct SupermajorityTests {
    @Test("for small totals, signed ≥ ⌊2t/3⌋+1 equals the core's strict two thirds")
    func smallTotals() {
        for total in UInt64(1)...300 {
            let threshold = EspressoSupermajority.threshold(total: UInt256(total))
            #expect(threshold == UInt256(total * 2 / 3 + 1))
            for signed in [threshold.words.0 - 1, threshold.words.0] where signed > 0 {
                #expect(EspressoSupermajority().isStakeSufficient(UInt256(signed), of: UInt256(total))
                    == QuorumThreshold.twoThirds.isStakeSufficient(UInt256(signed), of: UInt256(total)))
            }
        }
    }

    @Test("at and above 2²⁵⁵−1 the (t/3)·2+2 branch applies")
    func hugeTotals() throws {
        let half = UInt256.max.quotientAndRemainder(dividingBy: 2).quotient     // 2²⁵⁵ − 1
        let below = half.subtractingReportingOverflow(UInt256(1)).partialValue
        // Below: ⌊2t/3⌋ + 1.
        let b = EspressoSupermajority.threshold(total: below)
        let expectedBelow = below.multipliedFullWidth(by: 2).low.quotientAndRemainder(dividingBy: 3).quotient
            .addingReportingOverflow(UInt256(1)).partialValue
        #expect(b == expectedBelow)
        // At: (t/3)·2 + 2, one more than the exact rule would ask for t = 3k.
        for total in [half, UInt256.max] {
            let t = EspressoSupermajority.threshold(total: total)
            let third = total.quotientAndRemainder(dividingBy: 3).quotient
            #expect(t == third.multipliedFullWidth(by: 2).low.addingReportingOverflow(UInt256(2)).partialValue)
            #expect(t <= total)
        }
        // 2²⁵⁶−1 = 3k: the exact rule would need 2k+1; Espresso needs 2k+2.
        let k = UInt256.max.quotientAndRemainder(dividingBy: 3)
        #expect(k.remainder == 0)
        let twoKPlusOne = k.quotient.multipliedFullWidth(by: 2).low.addingReportingOverflow(UInt256(1)).partialValue
        #expect(EspressoSupermajority().isStakeSufficient(twoKPlusOne, of: .max) == false)
        #expect(QuorumThreshold.twoThirds.isStakeSufficient(twoKPlusOne, of: .max) == true)
    }

    @Test("the v5 epoch-3 stakes: 3-signer sets can reach two thirds, under genesis stakes none do")
    func v5Stakes() throws {
        let stakes = [823, 969, 816, 1604, 1489].map { UInt256(UInt64($0)) }
        let total = UInt256(5701)
        var reaching = 0
        for a in 0..<5 { for b in (a + 1)..<5 { for c in (b + 1)..<5 {
            let signed = [a, b, c].reduce(UInt256.zero) { $0.addingReportingOverflow(stakes[$1]).partialValue }
            if EspressoSupermajority().isStakeSufficient(signed, of: total) == true { reaching += 1 }
        } } }
        #expect(reaching > 0)
        // Genesis stakes (1 each): 3 of 5 is below ⌊10/3⌋+1 = 4.
        #expect(EspressoSupermajority().isStakeSufficient(UInt256(3), of: UInt256(5)) == false)
        #expect(EspressoSupermajority().isStakeSufficient(UInt256(4), of: UInt256(5)) == true)
    }
}
