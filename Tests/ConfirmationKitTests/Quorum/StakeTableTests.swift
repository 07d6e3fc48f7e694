import ConfirmationKit
import ConfirmationVectors
import Foundation
import Testing
import VectorSupport

@Suite("Stake tables, rotation, equivocation")
struct StakeTableTests {
    typealias Profile = Secp256k1QuorumProfile

    @Test("lookups by index and by address")
    func lookups() throws {
        let fixture = try QuorumFixture(seed: 20, stakes: [5, 0, 7], epoch: 1)
        let table = fixture.table
        #expect(table.count == 3)
        #expect(table.totalStake == UInt256(12))
        #expect(table.index(of: fixture.address(2)) == 2)
        #expect(table.entry(for: fixture.address(1))?.stake == .zero)
        #expect(table.entry(at: 3) == nil)
        #expect(table.entry(at: -1) == nil)
        let stranger = try QuorumFixture(seed: 21, stakes: [1], epoch: 1)
        #expect(table.index(of: stranger.address(0)) == nil)
    }

    @Test("the commitment binds the epoch, the order, every key and every stake")
    func commitment() throws {
        let fixture = try QuorumFixture(seed: 22, stakes: [5, 6, 7], epoch: 1)
        let entries = fixture.table.entries
        var variants = [fixture.table]
        variants.append(try StakeTable(epoch: 2, entries: entries))
        variants.append(try StakeTable(epoch: 1, entries: [entries[1], entries[0], entries[2]]))
        variants.append(try StakeTable(epoch: 1, entries: Array(entries.dropLast())))
        var heavier = entries
        heavier[2].stake = UInt256(8)
        variants.append(try StakeTable(epoch: 1, entries: heavier))
        var otherKey = entries
        otherKey[0].key = try QuorumFixture(seed: 23, stakes: [1], epoch: 1).address(0)
        variants.append(try StakeTable(epoch: 1, entries: otherKey))
        #expect(Set(variants.map(\.commitment)).count == variants.count)
        #expect(Keccak256.hash(fixture.table.canonicalEncoding) == fixture.table.commitment)
    }

    @Test("tables refuse duplicates, overflowing totals and excess entries")
    func validation() throws {
        let fixture = try QuorumFixture(seed: 24, stakes: [1, 2], epoch: 1)
        let entries = fixture.table.entries
        #expect(throws: ConfirmationError(.stakeTableDuplicateKey, "")) {
            try StakeTable(epoch: 1, entries: [entries[0], entries[1], entries[0]])
        }
        let half = try UInt256(hexString: "0x8000000000000000000000000000000000000000000000000000000000000000")
        #expect(throws: ConfirmationError(.stakeTableTotalOverflow, "")) {
            try StakeTable(epoch: 1, entries: [StakeTableEntry(key: entries[0].key, stake: half),
                                               StakeTableEntry(key: entries[1].key, stake: half)])
        }
        // Just below the overflow: fine, and the total is exact.
        let below = try StakeTable(epoch: 1, entries: [
            StakeTableEntry(key: entries[0].key, stake: half),
            StakeTableEntry(key: entries[1].key, stake: half.subtractingReportingOverflow(UInt256(1)).partialValue)])
        #expect(below.totalStake == .max)
        #expect(throws: ConfirmationError(.stakeTableTooManyEntries, "")) {
            try StakeTable(epoch: 1, entries: entries, limits: QuorumLimits(maximumEntries: 1))
        }
    }

    // MARK: Rotation

    @Test("a chain of handovers from genesis reaches the current table")
    func rotation() throws {
        let network = NetworkID("eip155:31337")
        let epochs = try (0..<4).map { try QuorumFixture(seed: 30 + UInt64($0), stakes: [10, 20, 30, 40], epoch: UInt64($0)) }
        func handover(_ from: Int, to next: StakeTable<EthereumAddress>, signers: [Int] = [1, 2, 3]) -> StakeTableHandover<Profile> {
            let commitment = StakeTableHandover<Profile>.commitment(networkID: network, nextEpoch: next.epoch,
                                                                   nextTableCommitment: next.commitment)
            let statement = Secp256k1QuorumStatement(chainId: 31337, epoch: epochs[from].table.epoch, height: 1, view: 1,
                                                     blockCommitment: commitment, timestamp: 0)
            return StakeTableHandover(nextTable: next, certificate: epochs[from].certificate(statement, signers: signers))
        }
        let good = (0..<3).map { handover($0, to: epochs[$0 + 1].table) }
        let chain = StakeTableChain(genesis: epochs[0].table, handovers: good)
        #expect(chain.walk(network: network, profile: Profile()) == .accepted(epochs[3].table))
        #expect(chain.walk(network: network, profile: Profile(), mode: .full, workers: 2) == .accepted(epochs[3].table))

        // Skipping epoch 2.
        let skip = StakeTableChain(genesis: epochs[0].table, handovers: [good[0], handover(1, to: epochs[3].table)])
        guard case .rejected(let step, let failures, let last) = skip.walk(network: network, profile: Profile()) else {
            Issue.record("a skipped epoch was accepted")
            return
        }
        #expect(step == 1)
        #expect(failures.map(\.code) == [.rotationEpochNotNext])
        #expect(last == epochs[1].table)

        // Signed by the wrong table: epoch 0's validators sign the handover from epoch 1.
        var forged = handover(0, to: epochs[2].table)
        forged.certificate.statement.epoch = 1
        forged = StakeTableHandover(nextTable: epochs[2].table, certificate: epochs[0].certificate(forged.certificate.statement, signers: [0, 1, 2, 3]))
        let wrong = StakeTableChain(genesis: epochs[0].table, handovers: [good[0], forged])
        guard case .rejected(1, let reasons, _) = wrong.walk(network: network, profile: Profile()) else {
            Issue.record("a handover signed by the wrong table was accepted")
            return
        }
        #expect(reasons.contains { $0.code == .quorumUnknownSigner })
        #expect(reasons.contains { $0.code == .quorumThresholdNotMet })
    }

    // MARK: Equivocation

    @Test("conflicting certificates yield evidence of more than a third of the stake, which verifies on its own")
    func equivocation() throws {
        let fixture = try QuorumFixture(seed: 40, stakes: [13, 17, 19, 23, 29, 31], epoch: 5)
        let x = QuorumFixture.statement(epoch: 5, height: 77, view: 4, block: "X")
        let y = QuorumFixture.statement(epoch: 5, height: 77, view: 4, block: "Y")
        // 13+17+19+23+29 = 101 of 132 and 19+23+29+31 = 102 of 132: both above 2/3 (88).
        let a = fixture.certificate(x, signers: [0, 1, 2, 3, 4])
        let b = fixture.certificate(y, signers: [2, 3, 4, 5])
        let evidence = try EquivocationEvidence.detect(first: a, second: b, table: fixture.table, profile: Profile()).get()
        #expect(evidence.doubleSigners == [2, 3, 4].map(fixture.address))
        #expect(evidence.doubleSignedStake == UInt256(71))
        // At least a third of the total stake, as the 2/3 threshold guarantees.
        #expect(UInt256.compareProducts(evidence.doubleSignedStake, 3, evidence.totalStake, 1) >= 0)
        #expect(evidence.verify(profile: Profile(), trustedStakeTableCommitment: fixture.table.commitment).isEmpty)

        let json = try QuorumJSON.encode(evidence)
        let decoded = try QuorumJSON.decode(EquivocationEvidence<Profile>.self, from: json)
        #expect(decoded == evidence)
        #expect(decoded.verify(profile: Profile()).isEmpty)

        let same = EquivocationEvidence.detect(first: a, second: fixture.certificate(x, signers: [1, 2, 3, 4, 5]),
                                               table: fixture.table, profile: Profile())
        guard case .failure(let rejection) = same else {
            Issue.record("two certificates for one block were taken as equivocation")
            return
        }
        #expect(rejection.failures.map(\.code) == [.equivocationSameBlock])
    }

    // MARK: Examples

    @Test("Docs/examples holds exactly what `confirm quorum example` writes, and the sample verifies")
    func examples() throws {
        let folder = SharedVectors.repositoryRoot.appendingPathComponent("Docs/examples")
        for file in try QuorumExamples.files() {
            let committed = try Data(contentsOf: folder.appendingPathComponent(file.name))
            #expect(committed == file.data, "Docs/examples/\(file.name) differs: run `swift run confirm quorum example`")
        }
        let table = try QuorumJSON.decode(StakeTable<EthereumAddress>.self,
                                          from: Data(contentsOf: folder.appendingPathComponent("stake-table.json")))
        let certificate = try QuorumJSON.decode(QuorumCertificate<Profile>.self,
                                                from: Data(contentsOf: folder.appendingPathComponent("certificate.json")))
        let weak = try QuorumJSON.decode(QuorumCertificate<Profile>.self,
                                         from: Data(contentsOf: folder.appendingPathComponent("certificate-insufficient.json")))
        let verifier = QuorumVerifier(profile: Profile()) { QuorumThreshold.twoThirds; EpochMatches() }
        #expect(verifier.verify(certificate, against: table, mode: .full).verified != nil)
        #expect(verifier.verify(weak, against: table, mode: .full).failures.map(\.code) == [.quorumThresholdNotMet])
    }
}
