public import ConfirmationKit
public import Foundation

/// `stake-table-rotation.json`: chains of stake-table handovers walked from a trusted genesis table.
public struct QuorumRotationVectorSuite: VectorSuite {
    public init() {}

    public var fileName: String { "stake-table-rotation.json" }

    /// One case.
    public struct Test: Codable, Sendable {
        public var tcId: Int
        public var comment: String
        public var flags: [String]
        /// `{"genesis": <table>, "handovers": [{"nextTable", "certificate"}]}`.
        public var chain: JSONValue
        /// The network every handover must be for.
        public var network: String
        /// Lowered decoder limits, if any.
        public var limits: QuorumSecp256k1VectorSuite.Limits?
        public var result: VectorResult
        /// For valid cases: the epoch and commitment of the table reached.
        public var finalEpoch: UInt64?
        public var finalCommitment: Bytes32?
        /// For invalid cases: the expected code (decoder error or first sorted failure).
        public var error: String?
        /// The rejected handover (0-based) and every failed rule's code, sorted.
        public var failedStep: Int?
        public var failures: [String]?
    }

    public struct Group: Codable, Sendable {
        public var comment: String
        public var tests: [Test]
    }

    public func generate() throws -> Data {
        let tests = try Self.cases()
        let file = VectorFile(
            schema: "confirmationkit-stake-table-rotation-v1", algorithm: Secp256k1QuorumProfile.name,
            header: [
                "Stake-table handovers: the table of epoch e+1 is accepted only when more than 2/3 of the stake of",
                "epoch e certifies StakeTableHandover.commitment(network, e+1, commitment of the new table).",
                "A case walks the chain from its genesis table; see Docs/quorum-certificates.md.",
            ],
            notes: ["Malformed": "the chain does not decode; the error is the decoder's code"],
            testGroups: [Group(comment: "handover chains", tests: tests)], numberOfTests: tests.count)
        return try VectorJSON.encode(file)
    }

    public func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<Group>.self, from: data)
        return file.testGroups.flatMap(\.tests).map(Self.run)
    }

    static func run(_ test: Test) -> VectorOutcome {
        let chain: StakeTableChain<Secp256k1QuorumProfile>
        do {
            chain = try QuorumJSON.decode(StakeTableChain<Secp256k1QuorumProfile>.self, from: test.chain.data(),
                                          limits: test.limits?.quorumLimits ?? .standard)
        } catch let error as ConfirmationError {
            let ok = test.result == .invalid && test.error == error.code.rawValue && test.failures == nil
            return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "threw \(error)")
        } catch {
            return VectorOutcome(tcId: test.tcId, passed: false, detail: "threw \(error)")
        }
        switch chain.walk(network: NetworkID(test.network), profile: Secp256k1QuorumProfile(), mode: .full) {
        case .accepted(let table):
            let ok = test.result == .valid && test.finalEpoch == table.epoch && test.finalCommitment == table.commitment
            return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "accepted epoch \(table.epoch)")
        case .rejected(let step, let failures, _):
            let codes = failures.map(\.code.rawValue).sorted()
            let ok = test.result == .invalid && test.failedStep == step && test.failures == codes && test.error == codes.first
            return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "rejected at step \(step) with \(codes)")
        }
    }

    typealias Chain = StakeTableChain<Secp256k1QuorumProfile>
    typealias Handover = StakeTableHandover<Secp256k1QuorumProfile>

    /// A handover from `signers` of `current` (signing as `epoch`) to `next`, certifying `certified` (default `next`).
    static func handover(from current: QuorumFixture, signers: [Int], to next: StakeTable<EthereumAddress>,
                         certifying certified: StakeTable<EthereumAddress>? = nil, epoch: UInt64? = nil) -> Handover {
        let target = certified ?? next
        let network = Secp256k1QuorumStatement.networkID(chainId: 31337)
        let commitment = Handover.commitment(networkID: network, nextEpoch: target.epoch, nextTableCommitment: target.commitment)
        let statement = Secp256k1QuorumStatement(
            chainId: 31337, epoch: epoch ?? current.table.epoch, height: 10_000 * (target.epoch), view: 10_000 * target.epoch + 1,
            blockCommitment: commitment, namespaceRoot: .zero, timestamp: 1_767_225_600 + 3600 * target.epoch)
        return Handover(nextTable: next, certificate: current.certificate(statement, signers: signers))
    }

    /// Three epochs: genesis (validators 0–3), epoch 1 (2–5), epoch 2 (4–7), stakes 10/20/30/40 in each.
    static func epochs() throws -> [QuorumFixture] {
        var rng = DeterministicRandom(seed: 0x2070_7A7E)
        let keys = (0..<8).map { _ in rng.secp256k1Key() }
        return try (0..<3).map { e in
            try QuorumFixture(keys: Array(keys[(2 * e)..<(2 * e + 4)]), stakes: [10, 20, 30, 40], epoch: UInt64(e))
        }
    }

    static func cases() throws -> [Test] {
        let network = "eip155:31337"
        let f = try epochs()
        let h0 = handover(from: f[0], signers: [1, 2, 3], to: f[1].table)
        let h1 = handover(from: f[1], signers: [0, 2, 3], to: f[2].table)
        var tests: [Test] = []
        func add(_ comment: String, _ genesis: StakeTable<EthereumAddress>, _ handovers: [Handover],
                 final: StakeTable<EthereumAddress>? = nil, step: Int? = nil, failures: [ConfirmationError.Code] = [],
                 network: String = network) throws {
            let codes = failures.map(\.rawValue).sorted()
            tests.append(Test(tcId: tests.count + 1, comment: comment, flags: [],
                              chain: try JSONValue(encoding: Chain(genesis: genesis, handovers: handovers)),
                              network: network, limits: nil, result: final == nil ? .invalid : .valid,
                              finalEpoch: final?.epoch, finalCommitment: final?.commitment, error: codes.first,
                              failedStep: step, failures: final == nil ? codes : nil))
        }
        try add("no handovers: the genesis table is current", f[0].table, [], final: f[0].table)
        try add("one handover: genesis to epoch 1 (90 of 100 sign)", f[0].table, [h0], final: f[1].table)
        try add("two handovers: genesis to epoch 2", f[0].table, [h0, h1], final: f[2].table)
        try add("a handover from genesis straight to epoch 2 skips epoch 1", f[0].table,
                [handover(from: f[0], signers: [1, 2, 3], to: f[2].table)], step: 0, failures: [.rotationEpochNotNext])
        try add("a handover that installs epoch 0 again", f[0].table,
                [handover(from: f[0], signers: [1, 2, 3], to: f[0].table)], step: 0, failures: [.rotationEpochNotNext])
        try add("the handover to epoch 2 is signed by the genesis validators (epoch 0) instead of epoch 1's", f[0].table,
                [h0, handover(from: f[0], signers: [0, 1, 2, 3], to: f[2].table)], step: 1,
                failures: [.rotationWrongSigningEpoch, .quorumEpochMismatch, .quorumUnknownSigner, .quorumUnknownSigner,
                           .quorumThresholdNotMet])
        let impostor = try QuorumFixture(seed: 0xBAD, stakes: [10, 20, 30, 40], epoch: 0)
        try add("the handover is signed by another table of epoch 0", f[0].table,
                [handover(from: impostor, signers: [0, 1, 2, 3], to: f[1].table)], step: 0,
                failures: [.quorumUnknownSigner, .quorumUnknownSigner, .quorumUnknownSigner, .quorumUnknownSigner,
                           .quorumThresholdNotMet])
        let altered = try QuorumFixture(keys: f[1].keys, stakes: [10, 20, 30, 41], epoch: 1)
        try add("the certificate certifies another epoch-1 table than the one installed", f[0].table,
                [handover(from: f[0], signers: [1, 2, 3], to: f[1].table, certifying: altered.table)], step: 0,
                failures: [.rotationCommitmentMismatch])
        try add("only 60 of 100 certify the handover", f[0].table,
                [handover(from: f[0], signers: [1, 3], to: f[1].table)], step: 0, failures: [.quorumThresholdNotMet])
        try add("70 of 100 certify the handover (30 + 40)", f[0].table,
                [handover(from: f[0], signers: [2, 3], to: f[1].table)], final: f[1].table)
        try add("the handovers are for another network", f[0].table, [h0], step: 0,
                failures: [.rotationCommitmentMismatch, .quorumNetworkMismatch], network: "eip155:1")

        // Malformed chains.
        func malformed(_ comment: String, _ chain: JSONValue, _ code: ConfirmationError.Code,
                       limits: QuorumSecp256k1VectorSuite.Limits? = nil) {
            tests.append(Test(tcId: tests.count + 1, comment: comment, flags: ["Malformed"], chain: chain, network: network,
                              limits: limits, result: .invalid, finalEpoch: nil, finalCommitment: nil,
                              error: code.rawValue, failedStep: nil, failures: nil))
        }
        let good = try JSONValue(encoding: Chain(genesis: f[0].table, handovers: [h0, h1]))
        malformed("two handovers where the limit is one", good, .rotationTooManyHandovers, limits: .init(maximumHandovers: 1))
        if case .array(let list)? = good["handovers"], let first = list.first {
            let bad = first.setting("nextTable", first["nextTable"]?.setting("commitment", .string(Bytes32.zero.description)) ?? .null)
            malformed("a next table whose stated commitment is wrong", good.setting("handovers", .array([bad])),
                      .stakeTableCommitmentMismatch)
        }
        malformed("no genesis", good.removing("genesis"), .quorumMalformedJSON)
        return tests
    }
}

extension QuorumFixture {
    /// Validators with given keys and stakes.
    init(keys: [Secp256k1PrivateKey], stakes: [UInt64], epoch: UInt64) throws {
        self.init(uncheckedKeys: keys, table: try StakeTable(epoch: epoch, entries: zip(keys, stakes).map {
            StakeTableEntry(key: $0.publicKey.ethereumAddress, stake: UInt256($1))
        }))
    }
}
