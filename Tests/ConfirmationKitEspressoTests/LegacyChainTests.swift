import ConfirmationKit
import ConfirmationKitEspresso
import Foundation
import Testing
import VectorSupport

/// The recorded v5 chain (`espresso/legacy-chains-v5/`), parsed once.
enum V5 {
    static let folder = "espresso/legacy-chains-v5/"

    static func json(_ name: String) throws -> EspressoJSON {
        try EspressoJSON(parsing: SharedVectors.data(folder + name))
    }

    static let entries: [HotShotChainEntry] = {
        guard SharedVectors.isAvailable, let json = try? json("blocks.json") else { return [] }
        return (try? HotShotChainEntry.parseChain(json)) ?? []
    }()

    static let tables: EspressoEpochTables? = {
        guard SharedVectors.isAvailable,
              let config = try? EspressoStakeTables.parseNetworkConfig(json("network-config.json")),
              let epoch3 = try? EspressoStakeTables.parsePeerConfigs(json("stake-table-epoch-3.json"))
        else { return nil }
        var tables = EspressoEpochTables(epochHeight: config.epochHeight ?? 0, genesis: config.entries)
        tables.add(epoch3, from: 3)
        return tables
    }()

    static func verifier() throws -> HotShotChainVerifier {
        HotShotChainVerifier(tables: try #require(tables))
    }
}

@Suite("Espresso: the recorded v5 chain", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct LegacyChainTests {
    @Test("81 entries parse; the network config has epoch height 10 and 5 genesis keys of stake 1")
    func parses() throws {
        #expect(V5.entries.count == 81)
        let tables = try #require(V5.tables)
        #expect(tables.epochHeight == 10)
        #expect(tables.genesis.count == 5)
        #expect(tables.genesis.allSatisfy { $0.stake == UInt256(1) })
        let epoch3 = try tables.table(for: 3)
        #expect(epoch3.count == 5)
        // Same keys, same order as genesis (taken from the source, never re-sorted).
        #expect(epoch3.entries.map(\.key) == tables.genesis.map(\.key))
        #expect(epoch3.totalStake == (try UInt256(decimal: "5701000000000000000000")))
    }

    @Test("every header commitment equals the block hash")
    func headerCommitments() throws {
        for entry in V5.entries {
            let hash = try #require(entry.blockHash)
            #expect(entry.leaf.header.commitment == hash, "height \(entry.leaf.header.height)")
            #expect(entry.blockHeader?.commitment == hash)
        }
    }

    @Test("every leaf commitment equals its QC's leaf_commit and the next leaf's parent commitment")
    func leafCommitments() throws {
        for (i, entry) in V5.entries.enumerated() {
            let commitment = entry.leaf.commitment
            #expect(entry.qc.data.leafCommit == commitment, "leaf \(i)")
            if i + 1 < V5.entries.count {
                #expect(V5.entries[i + 1].leaf.parentCommitment == commitment, "leaf \(i + 1)'s parent")
                #expect(V5.entries[i + 1].leaf.justifyQC.data.leafCommit == commitment)
            }
        }
    }

    @Test("every signed QC's vote commitment is recomputed from its data and view")
    func voteCommitments() {
        var checked = 0
        for entry in V5.entries {
            for qc in [entry.qc, entry.leaf.justifyQC] + (entry.leaf.nextEpochJustifyQC.map { [$0] } ?? []) where qc.signatures != nil {
                #expect(qc.recomputedVoteCommitment == qc.voteCommitment)
                checked += 1
            }
        }
        #expect(checked > 160)
    }

    @Test("the whole chain: 81 leaves verified, 80 finalized")
    func chain() throws {
        let report = try V5.verifier().verify(V5.entries)
        if let first = report.firstFailure { Issue.record("leaf \(first.index): \(first.failures)") }
        #expect(report.verifiedCount == 81)
        #expect(report.finalizedCount == 80)
        #expect(!report.leaves[80].finalized)
        // Thresholds were checked: under the epoch-3 table the signed stake is the L1 stake.
        for leaf in report.leaves where leaf.epoch >= 3 {
            let verified = try #require(leaf.verified)
            #expect(verified.totalStake == (try UInt256(decimal: "5701000000000000000000")))
            #expect(verified.signedStake >= EspressoSupermajority.threshold(total: verified.totalStake))
        }
    }
}
