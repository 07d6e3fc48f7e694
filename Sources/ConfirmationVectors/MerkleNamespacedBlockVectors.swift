public import Foundation
import ConfirmationKit

/// `namespaced-block-proofs.json`: inclusion, completeness, absence and bundle proofs against
/// the library's namespaced block commitment.
public struct MerkleNamespacedBlockVectors: VectorSuite {
    /// Creates the suite.
    public init() {}
    /// The file name inside `TestVectors/`.
    public var fileName: String { "namespaced-block-proofs.json" }
    /// Runs every case of the file.
    public func verify(_ data: Data) throws -> [VectorOutcome] { try ProofVectorRunner.verify(data) }

    /// The block most cases use: six namespaces with 5, 1, 3, 8, 2 and 13 transactions.
    static func block(_ rng: inout DeterministicRandom) throws -> NamespacedBlock {
        let layout: [(UInt64, Int)] = [(2, 5), (10, 1), (11, 3), (40, 8), (1000, 2), (0xffff_ffff_ffff_fff0, 13)]
        var transactions: [NamespaceID: [[UInt8]]] = [:]
        for (id, count) in layout {
            transactions[NamespaceID(id)] = MerkleInclusionVectors.randomLeaves(count, &rng).map { NamespaceID(id).bytes + $0 }
        }
        return try NamespacedBlock(transactions: transactions)
    }

    /// Generates the file from fixed seeds.
    public func generate() throws -> Data {
        var rng = DeterministicRandom(seed: 0x4E53_424C)
        var b = ProofVectorBuilder()
        let block = try Self.block(&rng)
        let other = try Self.block(&rng)
        let commitment = block.commitment

        b.group("inclusion: transaction i of namespace n is in the block")
        for namespace in block.namespaces {
            let count = block.transactions(in: namespace).count
            for index in Set([0, count / 2, count - 1]).sorted() {
                try b.valid("transaction \(index) of \(count) in namespace \(namespace)", flags: ["Valid"],
                            .namespaceInclusion(block.inclusionProof(namespace: namespace, index: index)), root: commitment)
            }
        }
        let proof = try block.inclusionProof(namespace: 40, index: 0)
        let json = try JSONValue(.namespaceInclusion(proof))
        func inclusion(transaction: [UInt8]? = nil, namespace: NamespaceID? = nil, index: UInt64? = nil, count: UInt64? = nil,
                       siblings: [Bytes32]? = nil, path: NamespaceTablePath? = nil) throws -> InclusionProof {
            .namespaceInclusion(try NamespaceInclusionProof(
                namespace: namespace ?? proof.namespace, transaction: transaction ?? proof.transaction,
                transactionIndex: index ?? proof.transactionIndex, transactionCount: count ?? proof.transactionCount,
                transactionSiblings: siblings ?? proof.transactionSiblings, tablePath: path ?? proof.tablePath))
        }
        try b.fails("wrong index (1 instead of 0)", flags: ["WrongIndex"], inclusion(index: 1), root: commitment, error: .merkleRootMismatch)
        try b.fails("wrong namespace (41)", flags: ["WrongIndex"], inclusion(namespace: 41), root: commitment, error: .merkleRootMismatch)
        try b.fails("transaction count 7 instead of 8 (same path shape; the entry binds the count)", flags: ["WrongIndex"],
                    inclusion(count: 7), root: commitment, error: .merkleRootMismatch)
        var siblings = proof.transactionSiblings
        siblings[1] = try MerkleInclusionVectors.flip(siblings[1], bit: 17)
        try b.fails("one bit of transaction sibling 1 flipped", flags: ["WrongSibling"], inclusion(siblings: siblings), root: commitment,
                    error: .merkleRootMismatch)
        var tableSiblings = proof.tablePath.siblings
        tableSiblings[0] = try MerkleInclusionVectors.flip(tableSiblings[0], bit: 200)
        try b.fails("one bit of table sibling 0 flipped", flags: ["WrongSibling"], inclusion(path: NamespaceTablePath(
            position: 3, namespaceCount: 6, siblings: tableSiblings)), root: commitment, error: .merkleRootMismatch)
        try b.fails("the table path of namespace 11 (position 2) with a transaction of namespace 40", flags: ["WrongIndex"],
                    inclusion(path: block.inclusionProof(namespace: 11, index: 0).tablePath), root: commitment, error: .merkleRootMismatch)
        try b.fails("intact proof against another block's commitment", flags: ["WrongRoot"], .namespaceInclusion(proof),
                    root: other.commitment, error: .merkleRootMismatch)
        // The node above transactions 0 and 1 of namespace 40, offered as a transaction of a 4-transaction namespace.
        let tree = try MerkleTree<RFC6962SHA256>(leaves: block.transactions(in: 40))
        try b.fails("preimage of the node over transactions 0 and 1 as transaction 0 of 4", flags: ["LeafAsNode"],
                    inclusion(transaction: tree.leafHash(at: 0).bytes + tree.leafHash(at: 1).bytes, count: 4,
                              siblings: Array(proof.transactionSiblings.dropFirst())), root: commitment, error: .merkleRootMismatch)
        let entry = try requireEntry(block.entry(for: 40))
        var entryBytes = entry.namespace.bytes + NamespaceID(entry.transactionCount).bytes
        entryBytes += entry.namespaceRoot.bytes
        try b.fails("namespace 40's entry bytes offered as the only transaction of namespace 40", flags: ["DomainSeparation"],
                    inclusion(transaction: entryBytes, count: 1, siblings: []), root: commitment, error: .merkleRootMismatch)
        var truncated = json
        truncated["transactionSiblings"] = .array(json["transactionSiblings"]?.elements.dropLast() ?? [])
        b.malformed("transaction path truncated", flags: ["TruncatedPath"], json: truncated, root: commitment,
                    error: .merkleProofLengthMismatch)
        var extra = json
        extra["tableSiblings"] = .array((json["tableSiblings"]?.elements ?? []) + [MerkleInclusionVectors.zeroNode])
        b.malformed("extra table sibling", flags: ["ExtraSibling"], json: extra, root: commitment, error: .merkleProofLengthMismatch)
        var outside = json
        outside["tablePosition"] = .unsigned(6)
        b.malformed("table position 6 of 6", flags: ["IndexOutOfRange"], json: outside, root: commitment, error: .merkleIndexOutOfRange)
        var shortID = json
        shortID["namespace"] = .string("0x28")
        b.malformed("namespace id of 1 byte (ids are 8 bytes)", flags: ["Malformed"], json: shortID, root: commitment,
                    error: .invalidLength)
        var tooMany = json
        tooMany["namespaceCount"] = .unsigned(UInt64(MerkleLimits.maximumNamespaces) + 1)
        b.malformed("namespace count above the limit", flags: ["TooLong"], json: tooMany, root: commitment, error: .namespaceTooMany)
        b.malformed("binary form with a trailing byte", flags: ["Malformed"],
                    binary: proof.canonicalBytes + [0], root: commitment, error: .proofInvalidEncoding)

        b.group("completeness: these transactions are the whole namespace")
        for namespace in block.namespaces {
            try b.valid("all \(block.transactions(in: namespace).count) transactions of \(namespace)", flags: ["Valid"],
                        .namespaceCompleteness(block.completenessProof(namespace: namespace)), root: commitment)
        }
        let complete = try block.completenessProof(namespace: 2)
        let all = complete.transactions
        func completeness(_ transactions: [[UInt8]], namespace: NamespaceID = 2) throws -> InclusionProof {
            .namespaceCompleteness(try NamespaceCompletenessProof(namespace: namespace, transactions: transactions, tablePath: complete.tablePath))
        }
        try b.fails("last transaction left out", flags: ["Completeness"], completeness(Array(all.dropLast())), root: commitment,
                    error: .merkleRootMismatch)
        try b.fails("middle transaction left out", flags: ["Completeness"],
                    completeness(Array(all[..<2] + all[3...])), root: commitment, error: .merkleRootMismatch)
        try b.fails("a transaction added", flags: ["Completeness"], completeness(all + [[0x01]]), root: commitment,
                    error: .merkleRootMismatch)
        try b.fails("first two swapped", flags: ["Completeness"], completeness([all[1], all[0]] + all[2...]), root: commitment,
                    error: .merkleRootMismatch)
        try b.fails("claimed for namespace 3", flags: ["WrongIndex"], completeness(all, namespace: 3), root: commitment,
                    error: .merkleRootMismatch)
        var completeSiblings = complete.tablePath.siblings
        completeSiblings[2] = try MerkleInclusionVectors.flip(completeSiblings[2], bit: 3)
        try b.fails("one bit of table sibling 2 flipped", flags: ["WrongSibling"], .namespaceCompleteness(NamespaceCompletenessProof(
            namespace: 2, transactions: all, tablePath: NamespaceTablePath(position: 0, namespaceCount: 6, siblings: completeSiblings))),
                    root: commitment, error: .merkleRootMismatch)
        try b.fails("the table position of namespace 10 (1 instead of 0)", flags: ["WrongIndex"], .namespaceCompleteness(
            NamespaceCompletenessProof(namespace: 2, transactions: all, tablePath: NamespaceTablePath(
                position: 1, namespaceCount: 6, siblings: complete.tablePath.siblings))), root: commitment, error: .merkleRootMismatch)
        var completeTruncated = try JSONValue(.namespaceCompleteness(complete))
        completeTruncated["tableSiblings"] = .array(completeTruncated["tableSiblings"]?.elements.dropLast() ?? [])
        b.malformed("table path truncated", flags: ["TruncatedPath"], json: completeTruncated, root: commitment,
                    error: .merkleProofLengthMismatch)
        var none = try JSONValue(.namespaceCompleteness(complete))
        none["transactions"] = .array([])
        b.malformed("no transactions", flags: ["Malformed"], json: none, root: commitment, error: .namespaceEmpty)

        b.group("absence: the namespace has no transactions in the block")
        for namespace: NamespaceID in [0, 1, 3, 12, 39, 41, 999, 1001, NamespaceID(0xffff_ffff_ffff_ffef), NamespaceID(.max)] {
            let absence = try block.absenceProof(namespace: namespace)
            let shape = absence.lower == nil ? "before the first" : absence.upper == nil ? "after the last" : "between two"
            try b.valid("\(namespace): \(shape)", flags: ["Valid"], .namespaceAbsence(absence), root: commitment)
        }
        let empty = try NamespacedBlock(transactions: [:])
        try b.valid("empty block", flags: ["Valid"], .namespaceAbsence(empty.absenceProof(namespace: 7)), root: empty.commitment)
        try b.fails("empty-block proof against a non-empty block", flags: ["WrongRoot"],
                    .namespaceAbsence(empty.absenceProof(namespace: 7)), root: commitment, error: .merkleRootMismatch)
        let between = try block.absenceProof(namespace: 12)
        for (claimed, why) in [(NamespaceID(11), "equal to the lower neighbour"), (40, "equal to the upper neighbour"),
                               (5, "below the lower neighbour"), (41, "above the upper neighbour")] {
            try b.fails("neighbours 11 and 40 offered for namespace \(claimed) (\(why))", flags: ["NamespaceOrder"],
                        .namespaceAbsence(NamespaceAbsenceProof(
                            namespace: claimed, namespaceCount: 6, lower: between.lower, upper: between.upper,
                            tableSiblings: between.tableSiblings)), root: commitment, error: .namespaceOutOfOrder)
        }
        // Claim a table of 4 so that the entry at position 3 (namespace 40) looks last.
        let inner = try block.inclusionProof(namespace: 40, index: 0).tablePath
        try b.fails("table shortened to 4 so that namespace 40 looks last (the commitment binds the count)", flags: ["NamespaceOrder"],
                    .namespaceAbsence(NamespaceAbsenceProof(
                        namespace: 41, namespaceCount: 4,
                        lower: .init(position: 3, entry: try requireEntry(block.entry(for: 40))), upper: nil,
                        tableSiblings: Array(inner.siblings.prefix(2)))), root: commitment, error: .merkleRootMismatch)
        var absenceSiblings = between.tableSiblings
        absenceSiblings[0] = try MerkleInclusionVectors.flip(absenceSiblings[0], bit: 100)
        try b.fails("one bit of table sibling 0 flipped", flags: ["WrongSibling"], .namespaceAbsence(NamespaceAbsenceProof(
            namespace: 12, namespaceCount: 6, lower: between.lower, upper: between.upper, tableSiblings: absenceSiblings)),
                    root: commitment, error: .merkleRootMismatch)
        let lowerEntry = try requireEntry(between.lower?.entry)
        try b.fails("lower neighbour's namespace root changed", flags: ["WrongLeaf"], .namespaceAbsence(NamespaceAbsenceProof(
            namespace: 12, namespaceCount: 6,
            lower: .init(position: 2, entry: NamespaceEntry(
                namespace: 11, transactionCount: lowerEntry.transactionCount,
                namespaceRoot: MerkleInclusionVectors.flip(lowerEntry.namespaceRoot, bit: 0))),
            upper: between.upper, tableSiblings: between.tableSiblings)), root: commitment, error: .merkleRootMismatch)
        let betweenJSON = try JSONValue(.namespaceAbsence(between))
        var gap = betweenJSON
        gap["upper"]?["tablePosition"] = .unsigned(5)
        b.malformed("neighbours at positions 2 and 5", flags: ["NamespaceOrder"], json: gap, root: commitment,
                    error: .namespaceInvalidNeighbours)
        var lone = betweenJSON
        lone["upper"] = .null
        b.malformed("a lone lower neighbour that is not last", flags: ["NamespaceOrder"], json: lone, root: commitment,
                    error: .namespaceInvalidNeighbours)
        var zero = betweenJSON
        zero["lower"]?["entry"]?["transactionCount"] = .unsigned(0)
        b.malformed("a neighbour entry with zero transactions", flags: ["Malformed"], json: zero, root: commitment,
                    error: .namespaceEmpty)
        var absenceExtra = betweenJSON
        absenceExtra["tableSiblings"] = .array((betweenJSON["tableSiblings"]?.elements ?? []) + [MerkleInclusionVectors.zeroNode])
        b.malformed("extra table sibling", flags: ["ExtraSibling"], json: absenceExtra, root: commitment,
                    error: .merkleProofLengthMismatch)
        var flags = between.canonicalBytes
        flags[2 + 16] |= 0x04
        b.malformed("binary flags byte with an unknown bit", flags: ["Malformed"], binary: flags, root: commitment,
                    error: .proofInvalidEncoding)

        b.group("atomic bundles: every leg in one block")
        let legSets: [[TransactionLocation]] = [
            [.init(namespace: 2, index: 4)],
            [.init(namespace: 40, index: 7), .init(namespace: 2, index: 0)],
            [.init(namespace: 1000, index: 1), .init(namespace: 10, index: 0), .init(namespace: 40, index: 3),
             .init(namespace: 40, index: 2), .init(namespace: NamespaceID(0xffff_ffff_ffff_fff0), index: 12)],
        ]
        for legs in legSets {
            let bundle = try block.bundleProof(legs: legs)
            try b.valid("legs \(bundle.locations.map(\.description).joined(separator: ", "))", flags: ["Valid"],
                        .namespaceBundle(bundle), root: commitment)
        }
        let bundle = try block.bundleProof(legs: legSets[2])
        let bundleJSON = try JSONValue(.namespaceBundle(bundle))
        try b.fails("intact bundle against another block's commitment", flags: ["WrongRoot"], .namespaceBundle(bundle),
                    root: other.commitment, error: .merkleRootMismatch)
        var groups = bundle.groups
        let g = groups[1]
        groups[1] = try .init(namespace: g.namespace, position: g.position, transactionCount: g.transactionCount,
                              legs: [g.legs[0], .init(index: g.legs[1].index, transaction: g.legs[1].transaction + [0])],
                              transactionSiblings: g.transactionSiblings)
        try b.fails("one leg's transaction changed", flags: ["WrongLeaf"], .namespaceBundle(NamespaceBundleProof(
            namespaceCount: 6, groups: groups, tableSiblings: bundle.tableSiblings)), root: commitment, error: .merkleRootMismatch)
        groups = bundle.groups
        groups[1] = try .init(namespace: g.namespace, position: g.position, transactionCount: g.transactionCount,
                              legs: [.init(index: 0, transaction: g.legs[0].transaction), .init(index: 1, transaction: g.legs[1].transaction)],
                              transactionSiblings: g.transactionSiblings)
        try b.fails("legs 40/2 and 40/3 claimed at indices 0 and 1 (same shape)", flags: ["WrongIndex"], .namespaceBundle(
            NamespaceBundleProof(namespaceCount: 6, groups: groups, tableSiblings: bundle.tableSiblings)), root: commitment,
                    error: .merkleRootMismatch)
        var bundleSiblings = bundle.tableSiblings
        bundleSiblings[0] = try MerkleInclusionVectors.flip(bundleSiblings[0], bit: 255)
        try b.fails("one bit of table sibling 0 flipped", flags: ["WrongSibling"], .namespaceBundle(NamespaceBundleProof(
            namespaceCount: 6, groups: bundle.groups, tableSiblings: bundleSiblings)), root: commitment, error: .merkleRootMismatch)
        groups = bundle.groups
        let (p0, p1) = (groups[0].position, groups[1].position)
        groups[0] = try .init(namespace: groups[0].namespace, position: p1, transactionCount: groups[0].transactionCount,
                              legs: groups[0].legs, transactionSiblings: groups[0].transactionSiblings)
        groups[1] = try .init(namespace: groups[1].namespace, position: p0, transactionCount: groups[1].transactionCount,
                              legs: groups[1].legs, transactionSiblings: groups[1].transactionSiblings)
        try b.fails("table positions of namespaces 10 and 40 swapped", flags: ["NamespaceOrder"], .namespaceBundle(NamespaceBundleProof(
            namespaceCount: 6, groups: groups, tableSiblings: bundle.tableSiblings)), root: commitment, error: .namespaceOutOfOrder)
        var groupList = bundleJSON["groups"]?.elements ?? []
        var doubled = groupList[1]
        let legList = doubled["legs"]?.elements ?? []
        doubled["legs"] = .array([legList[0], legList[0]] + legList.dropFirst())
        var duplicateLeg = bundleJSON
        duplicateLeg["groups"] = .array([groupList[0], doubled] + groupList.dropFirst(2))
        b.malformed("leg 40/2 listed twice", flags: ["Duplicate"], json: duplicateLeg, root: commitment, error: .namespaceDuplicateLeg)
        var reversedLegs = groupList[1]
        reversedLegs["legs"] = .array(legList.reversed())
        var legsUnsorted = bundleJSON
        legsUnsorted["groups"] = .array([groupList[0], reversedLegs] + groupList.dropFirst(2))
        b.malformed("legs 40/3 and 40/2 out of order", flags: ["Unsorted"], json: legsUnsorted, root: commitment,
                    error: .namespaceLegsNotSorted)
        var groupsUnsorted = bundleJSON
        groupsUnsorted["groups"] = .array([groupList[1], groupList[0]] + groupList.dropFirst(2))
        b.malformed("namespace groups 40 and 10 out of order", flags: ["Unsorted"], json: groupsUnsorted, root: commitment,
                    error: .namespaceLegsNotSorted)
        var samePosition = groupList[0]
        samePosition["tablePosition"] = groupList[1]["tablePosition"]
        var positionTwice = bundleJSON
        positionTwice["groups"] = .array([samePosition] + groupList.dropFirst())
        b.malformed("two groups at the same table position", flags: ["Duplicate"], json: positionTwice, root: commitment,
                    error: .merkleDuplicateIndex)
        var noLegs = groupList[0]
        noLegs["legs"] = .array([])
        groupList[0] = noLegs
        var emptyGroup = bundleJSON
        emptyGroup["groups"] = .array(groupList)
        b.malformed("a group without legs", flags: ["Malformed"], json: emptyGroup, root: commitment, error: .namespaceNoLegs)
        var noGroups = bundleJSON
        noGroups["groups"] = .array([])
        b.malformed("no groups", flags: ["Malformed"], json: noGroups, root: commitment, error: .namespaceNoLegs)
        var bundleTruncated = bundleJSON
        bundleTruncated["tableSiblings"] = .array(bundleJSON["tableSiblings"]?.elements.dropLast() ?? [])
        b.malformed("table siblings truncated", flags: ["TruncatedPath"], json: bundleTruncated, root: commitment,
                    error: .merkleProofLengthMismatch)
        var hugeBundle: [UInt8] = [ProofKindTag.version, ProofKindTag.namespaceBundle.rawValue]
        hugeBundle += [0, 0, 0, 0, 0, 0, 0, 6] + [0, 0, 0x01, 0x01]
        b.malformed("binary group count 257 (at most 256 legs)", flags: ["TooLong"], binary: hugeBundle, root: commitment,
                    error: .namespaceTooManyLegs)

        return try b.file(
            schema: "confirmationkit-merkle-proof-v1", algorithm: "namespaced-block-sha256",
            header: [
                "Proofs against the namespaced block commitment SHA-256(0x04 || namespaceCount (8, BE) || tableRoot).",
                "Transactions: RFC 6962 SHA-256 per namespace (0x00 leaves, 0x01 nodes). Table: entries",
                "SHA-256(0x02 || namespace (8, BE) || transactionCount (8, BE) || namespaceRoot), nodes",
                "SHA-256(0x03 || left || right), sorted by namespace. Kinds: namespace-inclusion, namespace-completeness,",
                "namespace-absence, namespace-bundle. See Docs/merkle-proofs.md.",
            ],
            notes: proofVectorNotes)
    }
}

/// Unwraps a value the generator knows is present, with an error instead of a trap.
private func requireEntry<T>(_ value: T?) throws -> T {
    guard let value else { throw ConfirmationError(.namespaceNotFound, "vector generator: missing entry") }
    return value
}
