import ConfirmationKit
public import ConfirmationKitEspresso
public import Foundation

/// `espresso-hotshot.json`: Espresso HotShot data built from fixed seeds (no recorded chain data):
/// commitment known answers, QC verification against stake tables (every rule broken once), chains of
/// leaves with HotStuff-2 finality, finality proofs and block Merkle tree proofs.
public struct EspressoHotShotVectors: VectorSuite {
    public init() {}

    public var fileName: String { "espresso-hotshot.json" }

    /// One case. `kind` says which inputs are set and how they are checked.
    public struct Test: Codable, Sendable {
        public var tcId: Int
        public var comment: String
        public var flags: [String]
        /// `commitment`, `header`, `qc`, `chain`, `finality` or `merkle`.
        public var kind: String
        /// For `commitment`: `quorum-data`, `vote`, `certificate`, `leaf`, `ns-table`, `chain-config`, `l1-block`, `fee-info`.
        public var type: String?
        /// The network config (genesis table, epoch height) for `qc`, `chain` and `finality`.
        public var networkConfig: EspressoJSON?
        /// Tables that apply from an epoch on (ordered PeerConfig lists), by epoch.
        public var stakeTables: [String: EspressoJSON]?
        /// The input: a value, a certificate, a chain, `{leaf, committingQC, decidingQC, child}` or
        /// `{proof, commitment, height, root}`.
        public var input: EspressoJSON
        /// For `qc`: whether the certificate is a next-epoch one.
        public var nextEpoch: Bool?
        /// For `qc`: the epoch of the table to check against (default: the certificate's).
        public var tableEpoch: UInt64?
        public var result: VectorResult
        /// The expected error: a parser's code, or the first of `failures`.
        public var error: String?
        /// Every failed rule's code, sorted (for `qc` and `finality`; for `chain`, the first failing leaf's).
        public var failures: [String]?
        /// The expected commitment (`COMMIT~…` or `BLOCK~…`).
        public var commitment: String?
        /// For a verified `qc`: the signed stake (decimal).
        public var signedStake: String?
        /// For `chain`: how many leaves verify, how many are finalized, and the first failing leaf.
        public var verified: Int?
        public var finalized: Int?
        public var failingLeaf: Int?
    }

    /// A group of cases.
    public struct Group: Codable, Sendable {
        public var comment: String
        public var tests: [Test]
    }

    public func generate() throws -> Data {
        let groups = try EspressoHotShotCases().groups()
        let file = VectorFile(
            schema: "confirmationkit-espresso-hotshot-v1", algorithm: EspressoProfile.name,
            header: [
                "Espresso HotShot: commitments (committable byte stream, Keccak-256), headers 0.1-0.6, QCs with BLS",
                "over BN254 checked against ordered stake tables (supermajority total*2/3+1), chains of leaves with",
                "HotStuff-2 finality, and block Merkle tree proofs (SHA3-256, arity 3, height 32). Keys, stakes and",
                "blocks are synthetic, from fixed seeds. See Docs/espresso.md.",
            ],
            notes: [
                "Genesis": "the genesis certificate: view 0, no signatures, accepted without a check",
                "ExactTwoThirds": "signed stake is floor(2/3 of the total): one unit short of the supermajority",
                "Stake256": "a total above 2^255 - 1, where the threshold is (total/3)*2 + 2",
                "Malformed": "the input does not parse; the error is the parser's code",
            ],
            testGroups: groups, numberOfTests: groups.reduce(0) { $0 + $1.tests.count })
        return try VectorJSON.encode(file)
    }

    public func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<Group>.self, from: data)
        return file.testGroups.flatMap(\.tests).map(Self.run)
    }

    /// What the library says about a case, in the vector's terms.
    struct Outcome: Equatable {
        var result: VectorResult
        var error: String?
        var failures: [String]?
        var commitment: String?
        var signedStake: String?
        var verified: Int?
        var finalized: Int?
        var failingLeaf: Int?
    }

    static func run(_ test: Test) -> VectorOutcome {
        let outcome = evaluate(test)
        let expected = Outcome(result: test.result, error: test.error, failures: test.failures, commitment: test.commitment,
                               signedStake: test.signedStake, verified: test.verified, finalized: test.finalized,
                               failingLeaf: test.failingLeaf)
        return VectorOutcome(tcId: test.tcId, passed: outcome == expected, detail: outcome == expected ? "" : "got \(outcome)")
    }

    static func tables(_ test: Test) throws -> EspressoEpochTables {
        guard let config = test.networkConfig else { throw ConfirmationError(.espressoMalformed, "no network config") }
        let parsed = try EspressoStakeTables.parseNetworkConfig(config)
        var tables = EspressoEpochTables(epochHeight: parsed.epochHeight ?? 0, genesis: parsed.entries)
        for (epoch, list) in test.stakeTables ?? [:] {
            guard let e = UInt64(epoch) else { throw ConfirmationError(.espressoMalformed, "epoch \(epoch)") }
            tables.add(try EspressoStakeTables.parsePeerConfigs(list), from: e)
        }
        return tables
    }

    static func evaluate(_ test: Test) -> Outcome {
        do {
            switch test.kind {
            case "commitment":
                return Outcome(result: .valid, commitment: try commitment(type: test.type ?? "", test.input))
            case "header":
                return Outcome(result: .valid, commitment: try EspressoHeader(json: test.input).commitment.taggedBase64(tag: "BLOCK"))
            case "qc":
                let tables = try tables(test)
                let qc = try HotShotCertificate(json: test.input)
                let verifier = HotShotCertificateVerifier(epochHeight: tables.epochHeight)
                let epoch = test.tableEpoch ?? verifier.signingEpoch(of: qc, nextEpoch: test.nextEpoch ?? false)
                switch verifier.verify(qc, against: try tables.table(for: epoch), nextEpoch: test.nextEpoch ?? false) {
                case .genesis: return Outcome(result: .valid)
                case .verified(let v): return Outcome(result: .valid, signedStake: v.signedStake.description)
                case .rejected(let f): return rejected(f)
                }
            case "chain":
                let tables = try tables(test)
                let report = HotShotChainVerifier(tables: tables).verify(try HotShotChainEntry.parseChain(test.input))
                guard let first = report.firstFailure else {
                    return Outcome(result: .valid, verified: report.verifiedCount, finalized: report.finalizedCount)
                }
                var outcome = rejected(first.failures)
                outcome.verified = report.verifiedCount
                outcome.finalized = report.finalizedCount
                outcome.failingLeaf = first.index
                return outcome
            case "finality":
                let tables = try tables(test)
                let input = test.input
                guard case .object(let o) = input, let leaf = o["leaf"], let c = o["committingQC"], let d = o["decidingQC"],
                      let child = o["child"] else { throw ConfirmationError(.espressoMalformed, "finality input") }
                let proof = HotStuff2FinalityProof(committingQC: try HotShotCertificate(json: c), decidingQC: try HotShotCertificate(json: d),
                                                   child: try HotShotLeaf(json: child))
                let failures = HotShotChainVerifier(tables: tables).verify(proof, for: try HotShotLeaf(json: leaf))
                return failures.isEmpty ? Outcome(result: .valid) : rejected(failures)
            case "merkle":
                guard case .object(let o) = test.input, let proof = o["proof"], case .string(let commitment)? = o["commitment"],
                      case .unsigned(let height)? = o["height"], case .string(let root)? = o["root"] else {
                    throw ConfirmationError(.espressoMalformed, "merkle input")
                }
                try BlockMerkleProof(json: proof).verify(
                    commitment: EspressoCommitment(taggedBase64: commitment, tags: ["BLOCK"]), height: height,
                    against: BlockMerkleRoot(taggedBase64: root))
                return Outcome(result: .valid)
            default:
                throw ConfirmationError(.espressoMalformed, "unknown kind \(test.kind)")
            }
        } catch let error as ConfirmationError {
            return Outcome(result: .invalid, error: error.code.rawValue)
        } catch {
            return Outcome(result: .invalid, error: "\(error)")
        }
    }

    static func rejected(_ failures: [PolicyFailure]) -> Outcome {
        let codes = failures.map(\.code.rawValue).sorted()
        return Outcome(result: .invalid, error: codes.first, failures: codes)
    }

    static func commitment(type: String, _ json: EspressoJSON) throws -> String {
        switch type {
        case "quorum-data": return try HotShotCertificate(json: json).data.commitment.description
        case "vote": return try HotShotCertificate(json: json).recomputedVoteCommitment.description
        case "certificate": return try HotShotCertificate(json: json).commitment.description
        case "leaf": return try HotShotLeaf(json: json).commitment.description
        case "chain-config": return try EspressoChainConfig(json: json).commitment.description
        case "l1-block": return try EspressoL1Block(json: json).commitment.description
        case "fee-info": return try EspressoFeeInfo(json: json).commitment.description
        case "ns-table":
            guard case .string(let text) = json else { throw ConfirmationError(.espressoMalformed, "ns-table input is base64") }
            let bytes = try Base64.decode(text)
            _ = try EspressoNamespaceTable(bytes: bytes)
            return EspressoNamespaceTable.commitment(of: bytes).description
        default: throw ConfirmationError(.espressoMalformed, "unknown commitment type \(type)")
        }
    }
}

/// Builds the cases of `espresso-hotshot.json`.
struct EspressoHotShotCases {
    typealias Test = EspressoHotShotVectors.Test

    private var tests: [Test] = []
    private var nextID = 1
    let world: SyntheticEspresso

    init() throws { world = try SyntheticEspresso(seed: 0xE5_0001) }

    func groups() throws -> [EspressoHotShotVectors.Group] {
        var builder = self
        return [
            .init(comment: "commitment known answers", tests: try builder.commitments()),
            .init(comment: "header commitments, versions 0.1 to 0.6, and malformed headers", tests: try builder.headers()),
            .init(comment: "quorum certificates against stake tables: every rule", tests: try builder.certificates()),
            .init(comment: "chains of leaves: linkage, epochs, HotStuff-2 finality", tests: try builder.chains()),
            .init(comment: "HotStuff-2 finality proofs", tests: try builder.finality()),
            .init(comment: "block Merkle tree proofs", tests: try builder.merkle()),
        ]
    }

    private mutating func add(_ comment: String, _ flags: [String] = [], kind: String, type: String? = nil,
                              withConfig: Bool = false, stakeTables: [String: EspressoJSON]? = nil, input: EspressoJSON,
                              nextEpoch: Bool? = nil, tableEpoch: UInt64? = nil, epochHeight: UInt64? = nil) -> Test {
        var test = Test(tcId: nextID, comment: comment, flags: flags, kind: kind, type: type,
                        networkConfig: withConfig ? world.networkConfig(epochHeight: epochHeight ?? world.epochHeight) : nil,
                        stakeTables: stakeTables, input: input, nextEpoch: nextEpoch, tableEpoch: tableEpoch,
                        result: .valid)
        nextID += 1
        // The expected outcome is the library's; the generator asserts below that it is the intended one.
        let outcome = EspressoHotShotVectors.evaluate(test)
        test.result = outcome.result
        test.error = outcome.error
        test.failures = outcome.failures
        test.commitment = outcome.commitment
        test.signedStake = outcome.signedStake
        test.verified = outcome.verified
        test.finalized = outcome.finalized
        test.failingLeaf = outcome.failingLeaf
        return test
    }

    /// Adds a case and checks it came out as intended (valid, or with `codes` exactly).
    private mutating func expect(_ test: Test, _ codes: [String]? = nil, error: String? = nil) throws -> Test {
        if let error, test.error != error {
            throw ConfirmationError(.espressoMalformed, "vector \(test.tcId) (\(test.comment)): expected \(error), got \(test.error ?? "valid")")
        }
        if let codes, test.failures != codes.sorted() {
            throw ConfirmationError(.espressoMalformed, "vector \(test.tcId) (\(test.comment)): expected \(codes), got \(test.failures ?? [])")
        }
        if codes == nil, error == nil, test.result != .valid {
            throw ConfirmationError(.espressoMalformed, "vector \(test.tcId) (\(test.comment)): expected valid, got \(test.error ?? "")")
        }
        return test
    }

    // MARK: Groups

    mutating func commitments() throws -> [Test] {
        let chain = try world.chain(count: 4)
        let qc = chain[2].qc
        let leaf = chain[2].leaf
        var out: [Test] = []
        out.append(try expect(add("quorum data with epoch and block number", kind: "commitment", type: "quorum-data", input: qc.json)))
        var bare = qc
        bare.data.epoch = nil
        bare.data.blockNumber = nil
        out.append(try expect(add("quorum data without epoch (pre-epoch QuorumData)", kind: "commitment", type: "quorum-data", input: bare.json)))
        out.append(try expect(add("vote commitment: RCB(\"Vote\").var_size_bytes(data).u64(view)", kind: "commitment", type: "vote", input: qc.json)))
        out.append(try expect(add("certificate commitment with signatures", kind: "commitment", type: "certificate", input: qc.json)))
        out.append(try expect(add("certificate commitment, genesis (no signatures)", ["Genesis"], kind: "commitment", type: "certificate",
                                  input: chain[0].leaf.justifyQC.json)))
        out.append(try expect(add("leaf commitment with epoch", kind: "commitment", type: "leaf", input: leaf.json)))
        var withDRB = leaf
        withDRB.nextDRBResult = [UInt8](repeating: 0xAB, count: 32)
        out.append(try expect(add("leaf commitment with a next DRB result", kind: "commitment", type: "leaf", input: withDRB.json)))
        var noEpoch = leaf
        noEpoch.withEpoch = false
        out.append(try expect(add("leaf commitment without epoch fields", kind: "commitment", type: "leaf", input: noEpoch.json)))
        out.append(try expect(add("namespace table of two namespaces", kind: "commitment", type: "ns-table",
                                  input: .string(Base64.encode(world.namespaceTable)))))
        out.append(try expect(add("namespace table with its count past the end", ["Malformed"], kind: "commitment", type: "ns-table",
                                  input: .string(Base64.encode([3, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0]))), error: "espresso.malformed"))
        out.append(try expect(add("chain config with fee and stake table contracts", kind: "commitment", type: "chain-config",
                                  input: try world.chainConfig(feeContract: true).json)))
        out.append(try expect(add("chain config without contracts", kind: "commitment", type: "chain-config",
                                  input: try world.chainConfig(feeContract: false).json)))
        out.append(try expect(add("L1 block", kind: "commitment", type: "l1-block", input: world.l1Block)))
        out.append(try expect(add("fee info", kind: "commitment", type: "fee-info", input: world.feeInfo)))
        out.append(try expect(add("fee info without an amount", ["Malformed"], kind: "commitment",
                                  type: "fee-info", input: .object(["account": .string("0x" + String(repeating: "11", count: 20))])),
                              error: "espresso.malformed"))
        return out
    }

    mutating func headers() throws -> [Test] {
        var out: [Test] = []
        for minor in UInt16(1)...6 {
            let header = try world.header(height: 7, minor: minor)
            out.append(try expect(add("header version 0.\(minor)", kind: "header", input: header.json)))
        }
        let v5 = try world.header(height: 7, minor: 5)
        var withNext = v5
        withNext.nextStakeTableHash = EspressoCommitment(SHA3_256.hash([1, 2, 3]))
        out.append(try expect(add("header 0.5 with a next stake table hash", kind: "header", input: withNext.json)))
        out.append(try expect(add("header wrapped as {\"header\": …}", kind: "header", input: .object(["header": v5.json]))))
        let extra = jsonSetting(v5.json, ["fields", "extra"], .unsigned(1))
        out.append(try expect(add("a member the version does not have", ["Malformed"], kind: "header", input: extra), error: "espresso.malformed"))
        let v7 = jsonSetting(v5.json, ["version", "Version", "minor"], .unsigned(7))
        out.append(try expect(add("version 0.7", kind: "header", input: v7), error: "espresso.unsupported"))
        let shortCounts = jsonSetting(v5.json, ["fields", "leader_counts"], .array([.unsigned(0)]))
        out.append(try expect(add("leader_counts with 1 entry instead of 100", ["Malformed"], kind: "header", input: shortCounts),
                              error: "espresso.malformed"))
        return out
    }

    mutating func certificates() throws -> [Test] {
        let chain = try world.chain(count: 5)
        let qc = chain[3].qc
        var out: [Test] = []
        func qcCase(_ comment: String, flags: [String] = [], _ qc: HotShotCertificate, stakeTables: [String: EspressoJSON]? = nil,
                    nextEpoch: Bool? = nil, tableEpoch: UInt64? = nil, codes: [String]? = nil, error: String? = nil) throws {
            try qcJSONCase(comment, flags: flags, qc.json, stakeTables: stakeTables, nextEpoch: nextEpoch, tableEpoch: tableEpoch,
                           codes: codes, error: error)
        }
        func qcJSONCase(_ comment: String, flags: [String] = [], _ qc: EspressoJSON, stakeTables: [String: EspressoJSON]? = nil,
                        nextEpoch: Bool? = nil, tableEpoch: UInt64? = nil, codes: [String]? = nil, error: String? = nil) throws {
            out.append(try expect(add(comment, flags, kind: "qc", withConfig: true, stakeTables: stakeTables, input: qc,
                                      nextEpoch: nextEpoch, tableEpoch: tableEpoch), codes, error: error))
        }
        try qcCase("signers 0, 1, 2 (67 of 100): valid", qc)
        try qcCase("signers 1, 2 (66 of 100: exactly floor(2/3)): threshold not met", flags: ["ExactTwoThirds"],
                   try world.resigned(qc, signers: [1, 2]), codes: ["quorum.threshold-not-met"])
        try qcCase("all signers (100 of 100): valid", try world.resigned(qc, signers: [0, 1, 2, 3]))
        try qcCase("the genesis certificate: view 0, no signatures", flags: ["Genesis"], chain[0].leaf.justifyQC)
        var unsigned = qc
        unsigned.signatures = nil
        try qcCase("no signatures in view 3", unsigned, codes: ["espresso.unsigned-certificate"])
        var otherSignature = qc
        otherSignature.signatures?.signature = HotShotAggregateSignature(EspressoBLS.Signature(qc.signatures!.signature.signature.point + .generator))
        try qcCase("another G1 point as the signature", otherSignature,
                   codes: ["quorum.invalid-aggregate-signature", "quorum.threshold-not-met"])
        var addedBit = qc
        addedBit.signatures?.signers = try HotShotSignerBits(count: 4, setting: [0, 1, 2, 3])
        try qcCase("a signer added to the bit vector", addedBit, codes: ["quorum.invalid-aggregate-signature", "quorum.threshold-not-met"])
        var longer = qc
        longer.signatures?.signers = try HotShotSignerBits(count: 5, setting: [0, 1, 2])
        try qcCase("a bit vector of 5 bits for a table of 4", longer, codes: ["quorum.bitmap-length-mismatch", "quorum.threshold-not-met"])
        var view = qc
        view.view += 1
        try qcCase("the view changed, the vote commitment kept", view,
                   codes: ["espresso.vote-commitment-mismatch", "quorum.invalid-aggregate-signature", "quorum.threshold-not-met"])
        var viewAndVote = view
        viewAndVote.voteCommitment = viewAndVote.recomputedVoteCommitment
        try qcCase("the view and vote commitment changed together", viewAndVote,
                   codes: ["quorum.invalid-aggregate-signature", "quorum.threshold-not-met"])
        try qcCase("checked against the table of another epoch", qc, tableEpoch: 2, codes: ["quorum.epoch-mismatch"])
        var epoch3 = try world.resigned(qc, signers: [0, 1, 2], epoch: 3)
        try qcCase("epoch 3 with only the genesis table", epoch3, error: "espresso.unknown-epoch")
        try qcCase("epoch 3 with a table from epoch 3 on", epoch3, stakeTables: ["3": world.peerConfigs(world.stakes)])
        epoch3 = try world.resigned(qc, signers: [0, 1, 2], epoch: 2)
        try qcCase("a next-epoch certificate of epoch 2, signed by epoch 3's table", epoch3,
                   stakeTables: ["3": world.peerConfigs(world.stakes)], nextEpoch: true)
        // 256-bit stakes: total 3·2^254, threshold (total/3)·2 + 2 = 2^255 + 2.
        let big = world.bigStakes
        let bigTables = ["3": world.peerConfigs(big)]
        let bigQC = try world.resigned(qc, signers: [0, 1, 2], epoch: 3)
        try qcCase("256-bit stakes: 2^255 + 1 signed of 3*2^254, one short of (total/3)*2 + 2", flags: ["Stake256"], bigQC,
                   stakeTables: bigTables, codes: ["quorum.threshold-not-met"])
        try qcCase("256-bit stakes: 3*2^254 - 1 signed of 3*2^254", flags: ["Stake256"], try world.resigned(qc, signers: [0, 1, 3], epoch: 3),
                   stakeTables: bigTables)
        // Malformed certificates.
        let msb = jsonSetting(qc.json, ["signatures"], .array([.string(qc.signatures!.signature.taggedBase64), .object([
            "order": .string("bitvec::order::Msb0"), "head": .object(["width": .unsigned(64), "index": .unsigned(0)]),
            "bits": .unsigned(4), "data": .array([.unsigned(7)]),
        ])]))
        try qcJSONCase("a bit vector in Msb0 order", msb, error: "espresso.unsupported")
        let padding = jsonSetting(qc.json, ["signatures"], .array([.string(qc.signatures!.signature.taggedBase64), .object([
            "order": .string("bitvec::order::Lsb0"), "head": .object(["width": .unsigned(64), "index": .unsigned(0)]),
            "bits": .unsigned(4), "data": .array([.unsigned(0x17)]),
        ])]))
        try qcJSONCase("a bit set past the end of the bit vector", flags: ["Malformed"], padding, error: "espresso.malformed")
        return out
    }

    mutating func chains() throws -> [Test] {
        var out: [Test] = []
        func chainCase(_ comment: String, _ entries: [HotShotChainEntry], epochHeight: UInt64? = nil,
                       stakeTables: [String: EspressoJSON]? = nil, codes: [String]? = nil, error: String? = nil) throws {
            out.append(try expect(add(comment, kind: "chain", withConfig: true, stakeTables: stakeTables,
                                      input: .array(entries.map(\.json)), epochHeight: epochHeight), codes, error: error))
        }
        let chain = try world.chain(count: 10)
        let six = try world.chain(count: 6)
        try chainCase("10 leaves from genesis, next-epoch QCs around the transition: 10 verified, 9 finalized", chain)
        try chainCase("a header field changed before signing: the block hash is the original header's",
                      try world.chain(count: 6, mutateLeaf: { i, leaf in if i == 4 { leaf.header.timestamp += 1 } }),
                      codes: ["espresso.header-commitment-mismatch"])
        var wrongHash = six
        wrongHash[4].blockHash = six[5].blockHash
        try chainCase("the block hash of another block", wrongHash, codes: ["espresso.header-commitment-mismatch"])
        var unsignedLeaf = six
        unsignedLeaf[4].leaf.header.feeInfo.amount = UInt256(1)
        try chainCase("a header changed after signing", unsignedLeaf,
                      codes: ["espresso.header-commitment-mismatch", "espresso.leaf-commitment-mismatch"])
        try chainCase("a QC from another view than its leaf", try world.chain(count: 6, qcView: { $0 == 4 ? 40 : nil }),
                      codes: ["espresso.view-mismatch"])
        try chainCase("a QC for another block number", try world.chain(count: 6, qcBlockNumber: { $0 == 4 ? 40 : nil }),
                      codes: ["espresso.block-number-mismatch"])
        try chainCase("a QC for another epoch than its height's", try world.chain(count: 6, qcEpoch: { $0 == 4 ? 2 : nil }),
                      codes: ["quorum.epoch-mismatch"])
        try chainCase("a leaf whose parent commitment is not the previous leaf", try world.chain(count: 6, mutateLeaf: { i, leaf in
            if i == 4 { leaf.parentCommitment = EspressoCommitment(.zero) }
        }), codes: ["espresso.parent-mismatch", "espresso.parent-mismatch"])
        try chainCase("a leaf in an epoch transition without the parent's next-epoch QC", try world.chain(count: 10, mutateLeaf: { i, leaf in
            if i == 9 { leaf.nextEpochJustifyQC = nil }
        }), codes: ["espresso.missing-next-epoch-qc"])
        var badNext = chain
        if var next = badNext[8].leaf.nextEpochJustifyQC {
            next.signatures?.signers = try HotShotSignerBits(count: 4, setting: [1, 2])
            badNext[8].leaf.nextEpochJustifyQC = next
        }
        try chainCase("a next-epoch QC below the threshold (the leaf commitment changes too)", badNext,
                      codes: ["espresso.leaf-commitment-mismatch", "quorum.threshold-not-met"])
        let short = try world.chain(count: 10, epochHeight: 3)
        try chainCase("epochs of 3 blocks: epoch 3 (from height 7) has no table", short, epochHeight: 3, codes: ["espresso.unknown-epoch"])
        try chainCase("epochs of 3 blocks with a table from epoch 3 on", short, epochHeight: 3,
                      stakeTables: ["3": world.peerConfigs(world.stakes)])
        try chainCase("the last QC from a later view: the last two leaves are not finalized",
                      try world.chain(count: 10, qcView: { $0 == 9 ? 12 : nil }, leafView: { $0 == 9 ? 12 : nil }))
        return out
    }

    mutating func finality() throws -> [Test] {
        let chain = try world.chain(count: 6)
        var out: [Test] = []
        func proof(_ leaf: HotShotLeaf, _ c: HotShotCertificate, _ d: HotShotCertificate, _ child: HotShotLeaf) -> EspressoJSON {
            .object(["leaf": leaf.json, "committingQC": c.json, "decidingQC": d.json, "child": child.json])
        }
        out.append(try expect(add("committing QC of leaf 3 and deciding QC of leaf 4 (views 3, 4)", kind: "finality", withConfig: true,
                                  input: proof(chain[3].leaf, chain[3].qc, chain[4].qc, chain[4].leaf))))
        out.append(try expect(add("a deciding QC two views later", kind: "finality", withConfig: true,
                                  input: proof(chain[3].leaf, chain[3].qc, chain[5].qc, chain[4].leaf)),
                              ["espresso.finality-proof-invalid", "espresso.finality-proof-invalid"]))
        out.append(try expect(add("the committing QC of another leaf", kind: "finality", withConfig: true,
                                  input: proof(chain[3].leaf, chain[2].qc, chain[4].qc, chain[4].leaf)),
                              ["espresso.finality-proof-invalid", "espresso.finality-proof-invalid", "espresso.finality-proof-invalid"]))
        return out
    }

    mutating func merkle() throws -> [Test] {
        var out: [Test] = []
        let commitments = try (0..<5).map { try world.header(height: UInt64($0), minor: 5).commitment }
        func input(_ proof: EspressoJSON, _ commitment: EspressoCommitment, _ height: UInt64, _ root: [UInt8]) -> EspressoJSON {
            .object(["proof": proof, "commitment": .string(commitment.taggedBase64(tag: "BLOCK")), "height": .unsigned(height),
                     "root": .string(TaggedBase64(knownTag: "MERKLE_COMM", value: root).description)])
        }
        let (proof, root) = SyntheticEspresso.merkleProof(commitments, position: 3)
        out.append(try expect(add("header 3 of a tree of 5 headers", kind: "merkle", input: input(proof, commitments[3], 3, root))))
        let (proof0, _) = SyntheticEspresso.merkleProof(commitments, position: 0)
        out.append(try expect(add("header 0 of a tree of 5 headers", kind: "merkle", input: input(proof0, commitments[0], 0, root))))
        out.append(try expect(add("another header commitment", kind: "merkle", input: input(proof, commitments[2], 3, root)),
                              error: "espresso.merkle-element-mismatch"))
        let (_, root3) = SyntheticEspresso.merkleProof(Array(commitments.prefix(3)), position: 0)
        out.append(try expect(add("a root over the first 3 headers only", kind: "merkle", input: input(proof, commitments[3], 3, root3)),
                              error: "espresso.merkle-position-out-of-range"))
        let (otherProof, otherRoot) = SyntheticEspresso.merkleProof(commitments.reversed(), position: 1)
        _ = otherRoot
        out.append(try expect(add("a proof for the same header in another tree", kind: "merkle",
                                  input: input(otherProof, commitments[3], 1, root)), error: "espresso.merkle-root-mismatch"))
        guard case .array(let levels) = proof else { return out }
        out.append(try expect(add("a proof of 32 entries instead of 33", ["Malformed"], kind: "merkle",
                                  input: input(.array(Array(levels.dropLast())), commitments[3], 3, root)), error: "espresso.malformed"))
        return out
    }
}

/// Sets a member at `path` inside nested objects.
func jsonSetting(_ json: EspressoJSON, _ path: [String], _ value: EspressoJSON) -> EspressoJSON {
    guard let key = path.first else { return value }
    guard case .object(var object) = json else { return json }
    object[key] = jsonSetting(object[key] ?? .null, Array(path.dropFirst()), value)
    return .object(object)
}

/// A synthetic Espresso network: four validators with BLS keys from a seed and stakes 1, 33, 33, 33.
struct SyntheticEspresso {
    let secrets: [BN254.Scalar]
    let keys: [EspressoStakeKey]
    let epochHeight: UInt64 = 10
    let namespaceTable: [UInt8] = [2, 0, 0, 0, 101, 0, 0, 0, 16, 0, 0, 0, 102, 0, 0, 0, 16, 0, 0, 0]

    init(seed: UInt64) throws {
        var rng = DeterministicRandom(seed: seed)
        secrets = (0..<4).map { _ in
            (try? BN254.Scalar(bigEndianBytes: rng.bytes(32).enumerated().map { $0.offset == 0 ? $0.element & 0x1f : $0.element }))
                ?? BN254.Scalar(1)
        }
        keys = try secrets.map { EspressoStakeKey(try EspressoBLS.VerificationKey(BN254.G2Point.generator.multiplied(by: $0))) }
    }

    var stakes: [StakeTableEntry<EspressoStakeKey>] {
        zip(keys, [1, 33, 33, 33]).map { StakeTableEntry(key: $0, stake: UInt256(UInt64($1))) }
    }

    /// Stakes 2^254, 2^254, 1, 2^254 − 1 (total 3·2^254).
    var bigStakes: [StakeTableEntry<EspressoStakeKey>] {
        let p254 = UInt256(words: (0, 0, 0, 1 << 62))
        let amounts = [p254, p254, UInt256(1), p254.subtractingReportingOverflow(UInt256(1)).partialValue]
        return zip(keys, amounts).map { StakeTableEntry(key: $0, stake: $1) }
    }

    func peerConfigs(_ entries: [StakeTableEntry<EspressoStakeKey>]) -> EspressoJSON {
        EspressoStakeTables.peerConfigsJSON(entries)
    }

    func networkConfig(epochHeight: UInt64) -> EspressoJSON {
        EspressoStakeTables.networkConfigJSON(genesis: stakes, epochHeight: epochHeight)
    }

    func chainConfig(feeContract: Bool) throws -> EspressoChainConfig {
        let contract = try EthereumAddress(bytes: [UInt8](repeating: 0xC0, count: 20))
        return .full(.init(chainID: UInt256(35353), maxBlockSize: 30720, baseFee: UInt256(feeContract ? 7 : 0),
                           feeContract: feeContract ? contract : nil, feeRecipient: try EthereumAddress(bytes: [UInt8](repeating: 0xFE, count: 20)),
                           stakeTableContract: feeContract ? contract : nil))
    }

    var l1Block: EspressoJSON {
        .object(["number": .unsigned(31), "timestamp": .string("0x6ac93f79"),
                 "hash": .string("0x" + String(repeating: "97", count: 32))])
    }

    var feeInfo: EspressoJSON {
        .object(["account": .string("0x" + String(repeating: "71", count: 20)), "amount": .string("123")])
    }

    /// A header at `height` of version 0.`minor`, built as JSON and parsed.
    func header(height: UInt64, minor: UInt16) throws -> EspressoHeader {
        var fields: [String: EspressoJSON] = [
            "chain_config": try chainConfig(feeContract: false).json,
            "height": .unsigned(height), "timestamp": .unsigned(1_791_573_870 + height), "l1_head": .unsigned(20 + height),
            "l1_finalized": height == 0 ? .null : l1Block,
            "payload_commitment": .string(TaggedBase64(knownTag: "AvidMCommit", value: Keccak256.hash(Array("payload \(height)".utf8)).bytes).description),
            "builder_commitment": .string(TaggedBase64(knownTag: "BUILDER_COMMITMENT", value: Keccak256.hash(Array("builder \(height)".utf8)).bytes).description),
            "ns_table": .object(["bytes": .string(Base64.encode(namespaceTable))]),
            "block_merkle_tree_root": .string(TaggedBase64(knownTag: "MERKLE_COMM", value: [UInt8](repeating: UInt8(height % 256), count: 32)
                + [32, 0, 0, 0, 0, 0, 0, 0] + littleEndianBytes(height)).description),
            "fee_merkle_tree_root": .string(TaggedBase64(knownTag: "MERKLE_COMM", value: [UInt8](repeating: 0xFE, count: 32)
                + [20, 0, 0, 0, 0, 0, 0, 0] + [2, 0, 0, 0, 0, 0, 0, 0]).description),
            "fee_info": feeInfo,
            "builder_signature": .null,
        ]
        if minor >= 3 {
            fields["reward_merkle_tree_root"] = .string(TaggedBase64(knownTag: "MERKLE_COMM", value: [UInt8](repeating: 0, count: 48)).description)
        }
        if minor >= 4 {
            fields["timestamp_millis"] = .unsigned((1_791_573_870 + height) * 1000 + 199)
            fields["total_reward_distributed"] = .string("1000")
            fields["next_stake_table_hash"] = .null
        }
        if minor >= 5 {
            fields["leader_counts"] = .array((0..<100).map { .unsigned($0 < 4 ? height / 4 + UInt64($0 == Int(height % 4) ? 1 : 0) : 0) })
        }
        let json: EspressoJSON = minor == 1 ? .object(fields) : .object([
            "version": .object(["Version": .object(["major": .unsigned(0), "minor": .unsigned(UInt64(minor))])]),
            "fields": .object(fields),
        ])
        return try EspressoHeader(json: json)
    }

    /// The aggregate signature of `signers` on the vote commitment of `data` in `view`.
    func sign(_ data: HotShotQuorumData, view: UInt64, signers: [Int]) throws -> HotShotCertificate.Signatures {
        let message = data.voteCommitment(view: view).bytes.bytes
        let h = EspressoBLS.hashToG1(message + EspressoBLS.ciphersuiteID)
        var sigma = BN254.G1Point.infinity
        for i in signers { sigma = sigma + h.multiplied(by: secrets[i]) }
        return .init(signature: HotShotAggregateSignature(EspressoBLS.Signature(sigma)),
                     signers: try HotShotSignerBits(count: keys.count, setting: signers))
    }

    /// `qc` with new signers (and optionally another epoch), re-signed and with its vote commitment recomputed.
    func resigned(_ qc: HotShotCertificate, signers: [Int], epoch: UInt64? = nil) throws -> HotShotCertificate {
        var out = qc
        if let epoch { out.data.epoch = epoch }
        out.voteCommitment = out.recomputedVoteCommitment
        out.signatures = try sign(out.data, view: out.view, signers: signers)
        return out
    }

    /// A chain of `count` leaves from genesis, signed by validators 0, 1, 2. Hooks change a leaf before its
    /// QC is signed, or the QC's view, block number or epoch (re-signed), or the entry after signing.
    func chain(count: Int, epochHeight: UInt64? = nil,
               qcView: (Int) -> UInt64? = { _ in nil }, leafView: (Int) -> UInt64? = { _ in nil },
               qcBlockNumber: (Int) -> UInt64? = { _ in nil }, qcEpoch: (Int) -> UInt64? = { _ in nil },
               mutateLeaf: (Int, inout HotShotLeaf) -> Void = { _, _ in },
               mutateEntry: (Int, inout HotShotChainEntry) throws -> Void = { _, _ in }) throws -> [HotShotChainEntry] {
        let tables = EspressoEpochTables(epochHeight: epochHeight ?? self.epochHeight, genesis: stakes)
        let verifier = HotShotChainVerifier(tables: tables)
        var entries: [HotShotChainEntry] = []
        var parentCommitment = EspressoCommitment(try Bytes32(hex: "0x" + String(repeating: "00", count: 31) + "01"))
        var parentQC: HotShotCertificate?
        for i in 0..<count {
            let height = UInt64(i)
            let header = try self.header(height: height, minor: 4)
            let view = leafView(i) ?? height
            let justify: HotShotCertificate
            if let parentQC {
                justify = parentQC
            } else {
                let data = HotShotQuorumData(leafCommit: parentCommitment, epoch: 1, blockNumber: 0)
                justify = HotShotCertificate(data: data, voteCommitment: data.commitment, view: 0, signatures: nil)
            }
            var next: HotShotCertificate?
            if let parentNumber = justify.data.blockNumber, verifier.isTransitionBlock(parentNumber) { next = justify }
            var leaf = HotShotLeaf(view: view, justifyQC: justify, nextEpochJustifyQC: next, parentCommitment: parentCommitment,
                                   header: header, withEpoch: true, nextDRBResult: nil)
            mutateLeaf(i, &leaf)
            let commitment = leaf.commitment
            let data = HotShotQuorumData(leafCommit: commitment, epoch: qcEpoch(i) ?? tables.epoch(ofHeight: height),
                                         blockNumber: qcBlockNumber(i) ?? height)
            let qcViewNumber = qcView(i) ?? view
            let qc: HotShotCertificate
            if i == 0 {
                qc = HotShotCertificate(data: data, voteCommitment: data.voteCommitment(view: 0), view: 0, signatures: nil)
            } else {
                qc = HotShotCertificate(data: data, voteCommitment: data.voteCommitment(view: qcViewNumber), view: qcViewNumber,
                                        signatures: try sign(data, view: qcViewNumber, signers: [0, 1, 2]))
            }
            var entry = HotShotChainEntry(leaf: leaf, qc: qc, blockHash: header.commitment)
            try mutateEntry(i, &entry)
            entries.append(entry)
            parentCommitment = commitment
            parentQC = qc
        }
        return entries
    }

    /// A proof for `position` in the block tree over `commitments`, and the 48-byte root.
    static func merkleProof(_ commitments: [EspressoCommitment], position: Int) -> (EspressoJSON, [UInt8]) {
        var level = commitments.map { SHA3_256.hash($0.bytes.bytes) }
        var index = position
        var branches: [EspressoJSON] = []
        for _ in 0..<BlockMerkleProof.treeHeight {
            let base = index - index % 3
            let children: [EspressoJSON] = (0..<3).map { k in
                let i = base + k
                guard i < level.count else { return .string("Empty") }
                return .object(["ForgettenSubtree": .object(["value": .string(TaggedBase64(knownTag: "FIELD", value: level[i].bytes).description)])])
            }
            branches.append(.object(["Branch": .object([
                "value": .string(TaggedBase64(knownTag: "FIELD", value: [UInt8](repeating: 0, count: 32)).description),
                "children": .array(children)])]))
            var next: [Bytes32] = []
            var i = 0
            while i < level.count {
                let triple = (0..<3).map { i + $0 < level.count ? level[i + $0] : Bytes32.zero }
                next.append(SHA3_256.hash(triple.flatMap(\.bytes)))
                i += 3
            }
            level = next
            index /= 3
        }
        let leaf: EspressoJSON = .object(["Leaf": .object([
            "value": .string(TaggedBase64(knownTag: "FIELD", value: SHA3_256.hash(commitments[position].bytes.bytes).bytes).description),
            "pos": .string(TaggedBase64(knownTag: "FIELD", value: littleEndianBytes(UInt64(position))).description),
            "elem": .string(TaggedBase64(knownTag: "FIELD", value: commitments[position].bytes.bytes).description),
        ])])
        let root = (level.first ?? .zero).bytes + littleEndianBytes(32) + littleEndianBytes(UInt64(commitments.count))
        return (.array([leaf] + branches), root)
    }
}

func littleEndianBytes(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * $0)) } }
