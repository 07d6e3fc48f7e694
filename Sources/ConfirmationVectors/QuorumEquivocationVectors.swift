public import ConfirmationKit
public import Foundation

/// `equivocation-evidence.json`: detecting conflicting certificates and checking evidence on its own.
public struct QuorumEquivocationVectorSuite: VectorSuite {
    public init() {}

    public var fileName: String { "equivocation-evidence.json" }

    /// One case: `detect` (two certificates and a table) or `verify` (an evidence document).
    public struct Test: Codable, Sendable {
        public var tcId: Int
        public var comment: String
        public var flags: [String]
        /// `detect` or `verify`.
        public var operation: String
        /// detect: the table and the two certificates.
        public var stakeTable: JSONValue?
        public var first: JSONValue?
        public var second: JSONValue?
        /// verify: the evidence, and optionally the table commitment the verifier trusts.
        public var evidence: JSONValue?
        public var trustedStakeTableCommitment: Bytes32?
        /// The threshold each certificate must meet (default more than 2/3).
        public var threshold: QuorumPolicySpec.Threshold?
        public var result: VectorResult
        /// For valid cases: the double signers (table order) and their stake.
        public var doubleSigners: [EthereumAddress]?
        public var doubleSignedStake: UInt256?
        /// For invalid cases: the expected code and every failed rule's code, sorted.
        public var error: String?
        public var failures: [String]?
    }

    public struct Group: Codable, Sendable {
        public var comment: String
        public var tests: [Test]
    }

    typealias Certificate = QuorumCertificate<Secp256k1QuorumProfile>
    typealias Evidence = EquivocationEvidence<Secp256k1QuorumProfile>

    public func generate() throws -> Data {
        let groups = try Self.groups()
        let file = VectorFile(
            schema: "confirmationkit-equivocation-evidence-v1", algorithm: Secp256k1QuorumProfile.name,
            header: [
                "Equivocation: two certificates, each valid in full mode against the same stake table, for the same",
                "(network, epoch, height, view) and different block commitments. The evidence names every validator",
                "with a valid signature in both and their stake. See Docs/quorum-certificates.md.",
            ],
            notes: ["Malformed": "the evidence does not decode; the error is the decoder's code"],
            testGroups: groups, numberOfTests: groups.reduce(0) { $0 + $1.tests.count })
        return try VectorJSON.encode(file)
    }

    public func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<Group>.self, from: data)
        return file.testGroups.flatMap(\.tests).map(Self.run)
    }

    static func run(_ test: Test) -> VectorOutcome {
        let profile = Secp256k1QuorumProfile()
        do {
            let threshold = try (test.threshold ?? .twoThirds).make()
            let failures: [PolicyFailure]
            var found: Evidence?
            switch test.operation {
            case "detect":
                let table = try QuorumJSON.decode(StakeTable<EthereumAddress>.self, from: (test.stakeTable ?? .null).data())
                let a = try QuorumJSON.decode(Certificate.self, from: (test.first ?? .null).data())
                let b = try QuorumJSON.decode(Certificate.self, from: (test.second ?? .null).data())
                switch Evidence.detect(first: a, second: b, table: table, profile: profile, threshold: threshold) {
                case .success(let evidence): found = evidence; failures = []
                case .failure(let rejection): failures = rejection.failures
                }
            case "verify":
                let evidence = try QuorumJSON.decode(Evidence.self, from: (test.evidence ?? .null).data())
                failures = evidence.verify(profile: profile, threshold: threshold,
                                           trustedStakeTableCommitment: test.trustedStakeTableCommitment)
                if failures.isEmpty { found = evidence }
            default:
                return VectorOutcome(tcId: test.tcId, passed: false, detail: "unknown operation \(test.operation)")
            }
            if let found {
                let ok = test.result == .valid && test.doubleSigners == found.doubleSigners
                    && test.doubleSignedStake == found.doubleSignedStake
                return VectorOutcome(tcId: test.tcId, passed: ok,
                                     detail: ok ? "" : "evidence of \(found.doubleSigners.count) signers, \(found.doubleSignedStake)")
            }
            let codes = failures.map(\.code.rawValue).sorted()
            let ok = test.result == .invalid && test.failures == codes && test.error == codes.first
            return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "rejected with \(codes)")
        } catch let error as ConfirmationError {
            let ok = test.result == .invalid && test.error == error.code.rawValue && test.failures == nil
            return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "threw \(error)")
        } catch {
            return VectorOutcome(tcId: test.tcId, passed: false, detail: "threw \(error)")
        }
    }

    /// Four validators of 25 each; A = {0, 1, 2} signs block X, B = {1, 2, 3} signs block Y.
    static func groups() throws -> [Group] {
        let f = try QuorumFixture(seed: 0xE9_01CA, stakes: [25, 25, 25, 25], epoch: 9)
        let x = QuorumFixture.statement(epoch: 9, height: 500, view: 2, block: "block X")
        let y = QuorumFixture.statement(epoch: 9, height: 500, view: 2, block: "block Y")
        let a = f.certificate(x, signers: [0, 1, 2])
        let b = f.certificate(y, signers: [1, 2, 3])
        let table = try JSONValue(encoding: f.table)
        var detect: [Test] = []
        var id = 1
        func add(_ into: inout [Test], _ comment: String, operation: String, first: Certificate? = nil, second: Certificate? = nil,
                 evidence: JSONValue? = nil, trusted: Bytes32? = nil, threshold: QuorumPolicySpec.Threshold? = nil,
                 valid: [Int]? = nil, failures: [ConfirmationError.Code] = [], error: ConfirmationError.Code? = nil,
                 flags: [String] = []) throws {
            let codes = failures.map(\.rawValue).sorted()
            let stake = valid.map { $0.reduce(UInt256.zero) { $0.addingReportingOverflow(f.table.entries[$1].stake).partialValue } }
            into.append(Test(
                tcId: id, comment: comment, flags: flags, operation: operation,
                stakeTable: operation == "detect" ? table : nil,
                first: try first.map(JSONValue.init(encoding:)), second: try second.map(JSONValue.init(encoding:)),
                evidence: evidence, trustedStakeTableCommitment: trusted, threshold: threshold,
                result: valid == nil ? .invalid : .valid, doubleSigners: valid?.map(f.address), doubleSignedStake: stake,
                error: error?.rawValue ?? codes.first, failures: valid == nil && error == nil ? codes : nil))
            id += 1
        }
        try add(&detect, "blocks X and Y at the same slot: validators 1 and 2 (50 of 100) signed both",
                operation: "detect", first: a, second: b, valid: [1, 2])
        try add(&detect, "all four sign X, three sign Y: 75 of 100 signed both",
                operation: "detect", first: f.certificate(x, signers: [0, 1, 2, 3]), second: b, valid: [1, 2, 3])
        try add(&detect, "two certificates for the same block are no conflict", operation: "detect",
                first: a, second: f.certificate(x, signers: [1, 2, 3]), failures: [.equivocationSameBlock])
        var laterHeight = y
        laterHeight.height += 1
        try add(&detect, "different heights", operation: "detect", first: a,
                second: f.certificate(laterHeight, signers: [1, 2, 3]), failures: [.equivocationDifferentSlot])
        var laterView = y
        laterView.view += 1
        try add(&detect, "different views", operation: "detect", first: a,
                second: f.certificate(laterView, signers: [1, 2, 3]), failures: [.equivocationDifferentSlot])
        var otherChain = y
        otherChain.chainId = 1
        try add(&detect, "different networks", operation: "detect", first: a,
                second: f.certificate(otherChain, signers: [1, 2, 3]), failures: [.equivocationDifferentSlot])
        try add(&detect, "the second certificate has only 50 of 100", operation: "detect", first: a,
                second: f.certificate(y, signers: [2, 3]), failures: [.equivocationInvalidCertificate])
        if case .keys(let k) = b.signers, case .individual(var g) = b.signatures {
            g[0] = g[1]
            try add(&detect, "the second certificate has a signature of the wrong signer", operation: "detect", first: a,
                    second: Certificate(statement: y, signers: .keys(k), signatures: .individual(g)),
                    failures: [.equivocationInvalidCertificate])
        }
        try add(&detect, "absolute threshold 50: disjoint signer sets prove nothing", operation: "detect",
                first: f.certificate(x, signers: [0, 1]), second: f.certificate(y, signers: [2, 3]),
                threshold: .init(kind: "absolute", stake: UInt256(50)), failures: [.equivocationNoDoubleSigners])

        var verify: [Test] = []
        guard case .success(let evidence) = Evidence.detect(first: a, second: b, table: f.table, profile: Secp256k1QuorumProfile())
        else { return [] }
        let good = try JSONValue(encoding: evidence)
        try add(&verify, "the evidence verifies on its own", operation: "verify", evidence: good, valid: [1, 2])
        try add(&verify, "the evidence verifies against the trusted table commitment", operation: "verify", evidence: good,
                trusted: f.table.commitment, valid: [1, 2])
        try add(&verify, "the trusted commitment is another table's", operation: "verify", evidence: good,
                trusted: Keccak256.hash(Array("another table".utf8)), failures: [.equivocationTableMismatch])
        try add(&verify, "the claimed stake is inflated to 75", operation: "verify",
                evidence: good.setting("doubleSignedStake", .string("75")), failures: [.equivocationClaimMismatch])
        try add(&verify, "a double signer is left out", operation: "verify",
                evidence: good.setting("doubleSigners", .array([.string(f.address(1).checksummed)])),
                failures: [.equivocationClaimMismatch])
        try add(&verify, "the claimed total stake is wrong", operation: "verify",
                evidence: good.setting("totalStake", .string("1000")), failures: [.equivocationClaimMismatch])
        try add(&verify, "the second certificate is replaced by the first", operation: "verify",
                evidence: good.setting("second", try JSONValue(encoding: a)), failures: [.equivocationSameBlock])
        var forged = b
        forged.statement = laterHeight
        try add(&verify, "the second certificate's height is edited (its signatures no longer verify)", operation: "verify",
                evidence: good.setting("second", try JSONValue(encoding: forged)),
                failures: [.equivocationDifferentSlot, .equivocationInvalidCertificate])
        try add(&verify, "no stake table", operation: "verify", evidence: good.removing("stakeTable"),
                error: .quorumMalformedJSON, flags: ["Malformed"])
        return [Group(comment: "detect", tests: detect), Group(comment: "verify evidence", tests: verify)]
    }
}
