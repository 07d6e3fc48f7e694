import ConfirmationKit
import Foundation
import Testing

@Suite("Namespaced block commitment and proofs")
struct NamespacedBlockTests {
    /// A random block: `namespaceCount` distinct even ids (so odd ids are absent), 1…`maxTransactions` each.
    static func randomBlock(namespaceCount: Int, maxTransactions: Int, _ rng: inout DeterministicRandom) throws -> NamespacedBlock {
        var transactions: [NamespaceID: [[UInt8]]] = [:]
        while transactions.count < namespaceCount {
            let id = NamespaceID(UInt64.random(in: 1...10_000, using: &rng) * 2)
            let count = Int.random(in: 1...maxTransactions, using: &rng)
            transactions[id] = MerkleTreeTests.randomLeaves(count, &rng).map { id.bytes + $0 }
        }
        return try NamespacedBlock(transactions: transactions)
    }

    @Test("the commitment follows the documented byte rules")
    func commitmentRules() throws {
        let txs: [[UInt8]] = [[0xaa], [0xbb, 0xcc]]
        let block = try NamespacedBlock(transactions: [7: txs, 3: [[0x01]], 9: []])
        #expect(block.namespaces == [3, 7])
        func entry(_ id: UInt64, _ leaves: [[UInt8]]) throws -> Bytes32 {
            let root = try MerkleTree<RFC6962SHA256>(leaves: leaves).root
            var preimage: [UInt8] = [0x02] + NamespaceID(id).bytes
            preimage += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(leaves.count) >> UInt64(56 - 8 * $0)) }
            return SHA256.hash(preimage + root.bytes)
        }
        let table = SHA256.hash([0x03] + (try entry(3, [[0x01]])).bytes + (try entry(7, txs)).bytes)
        #expect(block.commitment == SHA256.hash([0x04, 0, 0, 0, 0, 0, 0, 0, 2] + table.bytes))
        let empty = try NamespacedBlock(transactions: [:])
        #expect(empty.commitment == SHA256.hash([0x04] + [UInt8](repeating: 0, count: 40)))
        #expect(block.entry(for: 7)?.namespaceRoot == (try MerkleTree<RFC6962SHA256>(leaves: txs)).root)
        #expect(block.entry(for: 9) == nil)
        #expect(block.transactionCount == 3)
    }

    @Test("inclusion and completeness proofs verify for every namespace of random blocks")
    func inclusionAndCompleteness() throws {
        var rng = DeterministicRandom(seed: 0x4E53_0001)
        for namespaceCount in [1, 2, 3, 5, 8, 13, 40] {
            let block = try Self.randomBlock(namespaceCount: namespaceCount, maxTransactions: 9, &rng)
            let other = try Self.randomBlock(namespaceCount: namespaceCount, maxTransactions: 9, &rng)
            for namespace in block.namespaces {
                let transactions = block.transactions(in: namespace)
                for index in transactions.indices {
                    let proof = try block.inclusionProof(namespace: namespace, index: index)
                    #expect(proof.verify(against: block.commitment))
                    #expect(!proof.verify(against: other.commitment))
                    #expect(proof.namespaceRoot == block.entry(for: namespace)?.namespaceRoot)
                }
                let complete = try block.completenessProof(namespace: namespace)
                #expect(complete.verify(against: block.commitment))
                #expect(complete.transactions == transactions)
                // Leaving one out, adding one, or reordering fails.
                let path = complete.tablePath
                if transactions.count > 1 {
                    let missing = try NamespaceCompletenessProof(namespace: namespace, transactions: transactions.dropLast(), tablePath: path)
                    #expect(missing.verdict(against: block.commitment).failure?.code == .merkleRootMismatch)
                    let reordered = try NamespaceCompletenessProof(namespace: namespace, transactions: transactions.reversed(), tablePath: path)
                    #expect(!reordered.verify(against: block.commitment))
                }
                let extra = try NamespaceCompletenessProof(namespace: namespace, transactions: transactions + [[1]], tablePath: path)
                #expect(!extra.verify(against: block.commitment))
                // The same transactions claimed for another namespace fail.
                let renamed = try NamespaceCompletenessProof(
                    namespace: NamespaceID(namespace.rawValue + 1), transactions: transactions, tablePath: path)
                #expect(!renamed.verify(against: block.commitment))
            }
        }
    }

    @Test("inclusion proofs reject a changed count, index, namespace or sibling")
    func inclusionMutations() throws {
        var rng = DeterministicRandom(seed: 0x4E53_0002)
        let block = try Self.randomBlock(namespaceCount: 6, maxTransactions: 12, &rng)
        for namespace in block.namespaces {
            let count = block.transactions(in: namespace).count
            let proof = try block.inclusionProof(namespace: namespace, index: count - 1)
            func check(_ build: () throws -> NamespaceInclusionProof) {
                guard let mutated = try? build() else { return }
                #expect(!mutated.verify(against: block.commitment))
            }
            check {
                try NamespaceInclusionProof(
                    namespace: namespace, transaction: proof.transaction, transactionIndex: proof.transactionIndex,
                    transactionCount: proof.transactionCount + 1, transactionSiblings: proof.transactionSiblings, tablePath: proof.tablePath)
            }
            check {
                try NamespaceInclusionProof(
                    namespace: NamespaceID(namespace.rawValue ^ 1), transaction: proof.transaction,
                    transactionIndex: proof.transactionIndex, transactionCount: proof.transactionCount,
                    transactionSiblings: proof.transactionSiblings, tablePath: proof.tablePath)
            }
            check {
                try NamespaceInclusionProof(
                    namespace: namespace, transaction: proof.transaction, transactionIndex: proof.transactionIndex ^ 1,
                    transactionCount: proof.transactionCount, transactionSiblings: proof.transactionSiblings, tablePath: proof.tablePath)
            }
            for s in proof.tablePath.siblings.indices {
                var siblings = proof.tablePath.siblings
                siblings[s] = MerkleTreeTests.flip(siblings[s], bit: Int.random(in: 0..<256, using: &rng))
                check {
                    try NamespaceInclusionProof(
                        namespace: namespace, transaction: proof.transaction, transactionIndex: proof.transactionIndex,
                        transactionCount: proof.transactionCount, transactionSiblings: proof.transactionSiblings,
                        tablePath: NamespaceTablePath(
                            position: proof.tablePath.position, namespaceCount: proof.tablePath.namespaceCount, siblings: siblings))
                }
            }
        }
        #expect(throws: ConfirmationError(.namespaceNotFound, "")) { try block.inclusionProof(namespace: 1, index: 0) }
        #expect(throws: ConfirmationError(.merkleIndexOutOfRange, "")) {
            try block.inclusionProof(namespace: block.namespaces[0], index: 1000)
        }
    }

    @Test("absence: empty block, before the first, between two, after the last")
    func absence() throws {
        var rng = DeterministicRandom(seed: 0x4E53_0003)
        let empty = try NamespacedBlock(transactions: [:])
        let none = try empty.absenceProof(namespace: 5)
        #expect(none.lower == nil && none.upper == nil)
        #expect(none.verify(against: empty.commitment))
        for namespaceCount in [1, 2, 3, 7, 16, 33] {
            let block = try Self.randomBlock(namespaceCount: namespaceCount, maxTransactions: 4, &rng)
            #expect(!none.verify(against: block.commitment))
            var probes: [NamespaceID] = [0, 1, NamespaceID(UInt64.max)]
            probes += block.namespaces.map { NamespaceID($0.rawValue + 1) }
            probes += block.namespaces.map { NamespaceID($0.rawValue - 1) }
            for namespace in probes {
                let proof = try block.absenceProof(namespace: namespace)
                #expect(proof.verify(against: block.commitment), "absence of \(namespace)")
                #expect(proof.lower == nil || proof.upper == nil || proof.upper!.position == proof.lower!.position + 1)
                // The same neighbours cannot show a present namespace absent.
                for present in block.namespaces {
                    let forged = try NamespaceAbsenceProof(
                        namespace: present, namespaceCount: proof.namespaceCount, lower: proof.lower, upper: proof.upper,
                        tableSiblings: proof.tableSiblings)
                    #expect(forged.verdict(against: block.commitment).failure?.code == .namespaceOutOfOrder)
                }
            }
            for present in block.namespaces {
                #expect(throws: ConfirmationError(.namespacePresent, "")) { try block.absenceProof(namespace: present) }
            }
        }
    }

    @Test("absence neighbours must sit where they claim; the count is bound by the commitment")
    func absenceShape() throws {
        var rng = DeterministicRandom(seed: 0x4E53_0004)
        let block = try Self.randomBlock(namespaceCount: 8, maxTransactions: 3, &rng)
        let last = block.namespaces[7]
        let proof = try block.absenceProof(namespace: NamespaceID(last.rawValue + 1))
        let lower = try #require(proof.lower)
        #expect(proof.upper == nil && lower.position == 7)
        // Claiming a shorter table so that an inner entry looks last.
        let inner = try block.absenceProof(namespace: NamespaceID(block.namespaces[4].rawValue + 1))
        let innerLower = try #require(inner.lower)
        #expect(throws: ConfirmationError(.namespaceInvalidNeighbours, "")) {
            try NamespaceAbsenceProof(
                namespace: inner.namespace, namespaceCount: 8, lower: innerLower, upper: nil, tableSiblings: inner.tableSiblings)
        }
        // With a count of 5 the entry at position 4 is "last"; the commitment binds the count, so it fails.
        let shortened = try NamespaceAbsenceProof(
            namespace: inner.namespace, namespaceCount: 5, lower: innerLower, upper: nil,
            tableSiblings: Array(repeating: .zero, count: 1))
        #expect(!shortened.verify(against: block.commitment))
        #expect(throws: ConfirmationError(.namespaceInvalidNeighbours, "")) {
            try NamespaceAbsenceProof(namespace: 1, namespaceCount: 8, lower: nil, upper: nil, tableSiblings: [])
        }
        #expect(throws: ConfirmationError(.namespaceInvalidNeighbours, "")) {
            try NamespaceAbsenceProof(
                namespace: inner.namespace, namespaceCount: 8, lower: innerLower,
                upper: .init(position: innerLower.position + 2, entry: innerLower.entry), tableSiblings: inner.tableSiblings)
        }
        #expect(throws: ConfirmationError(.namespaceEmpty, "")) {
            try NamespaceEntry(namespace: 1, transactionCount: 0, namespaceRoot: .zero)
        }
    }

    @Test("atomic bundles: one proof for legs in several namespaces")
    func bundles() throws {
        var rng = DeterministicRandom(seed: 0x4E53_0005)
        for namespaceCount in [1, 2, 5, 17] {
            let block = try Self.randomBlock(namespaceCount: namespaceCount, maxTransactions: 20, &rng)
            let other = try Self.randomBlock(namespaceCount: namespaceCount, maxTransactions: 20, &rng)
            for _ in 0..<10 {
                var legs: Set<TransactionLocation> = []
                for _ in 0..<Int.random(in: 1...8, using: &rng) {
                    let namespace = block.namespaces.randomElement(using: &rng)!
                    let count = block.transactions(in: namespace).count
                    legs.insert(TransactionLocation(namespace: namespace, index: UInt64.random(in: 0..<UInt64(count), using: &rng)))
                }
                let proof = try block.bundleProof(legs: Array(legs).shuffled(using: &rng))
                #expect(proof.locations == legs.sorted())
                #expect(proof.verify(against: block.commitment))
                #expect(!proof.verify(against: other.commitment))
                for (g, group) in proof.groups.enumerated() {
                    for (l, leg) in group.legs.enumerated() {
                        #expect(leg.transaction == block.transactions(in: group.namespace)[Int(leg.index)])
                        var legsChanged = group.legs
                        legsChanged[l] = .init(index: leg.index, transaction: leg.transaction + [7])
                        var groups = proof.groups
                        groups[g] = try .init(
                            namespace: group.namespace, position: group.position, transactionCount: group.transactionCount,
                            legs: legsChanged, transactionSiblings: group.transactionSiblings)
                        let forged = try NamespaceBundleProof(
                            namespaceCount: proof.namespaceCount, groups: groups, tableSiblings: proof.tableSiblings)
                        #expect(!forged.verify(against: block.commitment))
                    }
                }
            }
        }
    }

    @Test("bundle shape: duplicate legs, order, empty")
    func bundleShape() throws {
        var rng = DeterministicRandom(seed: 0x4E53_0006)
        let block = try Self.randomBlock(namespaceCount: 4, maxTransactions: 6, &rng)
        let a = block.namespaces[0]
        let b = block.namespaces[2]
        let legs = [TransactionLocation(namespace: b, index: 0), TransactionLocation(namespace: a, index: 0)]
        #expect(throws: ConfirmationError(.namespaceDuplicateLeg, "")) { try block.bundleProof(legs: legs + [legs[0]]) }
        #expect(throws: ConfirmationError(.namespaceNoLegs, "")) { try block.bundleProof(legs: []) }
        #expect(throws: ConfirmationError(.namespaceNotFound, "")) {
            try block.bundleProof(legs: [TransactionLocation(namespace: 1, index: 0)])
        }
        let proof = try block.bundleProof(legs: legs)
        #expect(throws: ConfirmationError(.namespaceLegsNotSorted, "")) {
            try NamespaceBundleProof(namespaceCount: 4, groups: proof.groups.reversed(), tableSiblings: proof.tableSiblings)
        }
        let group = proof.groups[0]
        #expect(throws: ConfirmationError(.namespaceDuplicateLeg, "")) {
            try NamespaceBundleProof.Group(
                namespace: group.namespace, position: group.position, transactionCount: group.transactionCount,
                legs: group.legs + group.legs, transactionSiblings: group.transactionSiblings)
        }
        // Swapping the two groups' positions keeps the shape but breaks the table order.
        let swapped = try [
            NamespaceBundleProof.Group(
                namespace: proof.groups[0].namespace, position: proof.groups[1].position,
                transactionCount: proof.groups[0].transactionCount, legs: proof.groups[0].legs,
                transactionSiblings: proof.groups[0].transactionSiblings),
            NamespaceBundleProof.Group(
                namespace: proof.groups[1].namespace, position: proof.groups[0].position,
                transactionCount: proof.groups[1].transactionCount, legs: proof.groups[1].legs,
                transactionSiblings: proof.groups[1].transactionSiblings),
        ]
        let outOfOrder = try NamespaceBundleProof(namespaceCount: 4, groups: swapped, tableSiblings: proof.tableSiblings)
        #expect(outOfOrder.verdict(against: block.commitment).failure?.code == .namespaceOutOfOrder)
    }

    @Test("domain separation: a table path is not a transaction path, an entry is not a transaction")
    func domainSeparation() throws {
        var rng = DeterministicRandom(seed: 0x4E53_0007)
        let block = try Self.randomBlock(namespaceCount: 6, maxTransactions: 3, &rng)
        let namespace = block.namespaces[2]
        let entry = try #require(block.entry(for: namespace))
        let proof = try block.inclusionProof(namespace: namespace, index: 0)
        let path = proof.tablePath
        // The table root, recomputed with the table rules, is what the commitment binds ...
        let tableAsTable = SHA256.hash([0x04] + NamespaceID(UInt64(6)).bytes + (try tableRoot(entry, path)).bytes)
        #expect(tableAsTable == block.commitment)
        // ... while the same path and entry bytes under the transaction rules lead elsewhere.
        var entryBytes = entry.namespace.bytes + NamespaceID(entry.transactionCount).bytes
        entryBytes += entry.namespaceRoot.bytes
        let asTransactions = try MerkleInclusionProof<RFC6962SHA256>(
            leaf: entryBytes, leafIndex: path.position, treeSize: path.namespaceCount, siblings: path.siblings)
        #expect(asTransactions.root != (try tableRoot(entry, path)))
        // An entry's bytes offered as a transaction of a one-transaction namespace do not give the entry hash.
        #expect(RFC6962SHA256.leafHash(entryBytes) != entry.entryHash)
    }

    /// The table root from an entry and its path, written out with the documented prefixes.
    func tableRoot(_ entry: NamespaceEntry, _ path: NamespaceTablePath) throws -> Bytes32 {
        var hash = entry.entryHash
        var position = path.position
        var width = path.namespaceCount
        var siblings = path.siblings[...]
        while width > 1 {
            if position & 1 == 1 {
                hash = SHA256.hash([0x03] + siblings.removeFirst().bytes + hash.bytes)
            } else if position < width - 1 {
                hash = SHA256.hash([0x03] + hash.bytes + siblings.removeFirst().bytes)
            }
            position >>= 1
            width = (width + 1) / 2
        }
        return hash
    }
}
