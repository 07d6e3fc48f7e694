import ConfirmationKit
import Testing

/// A toy profile with the shape of Espresso's QCs: a signer bitmap and one aggregate signature,
/// to show that the aggregate case plugs into the verifier's seam.
///
/// Its "aggregate signature" is Keccak-256 over the message and the signers' key ids in table
/// order — not a real signature scheme, only a stand-in with the same verification interface.
struct ToyAggregateProfile: QuorumProfile {
    struct Key: StakeTableKey {
        var id: UInt64
        var keyType: KeyType { .blsBN254 }
        var canonicalBytes: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: id >> (8 * UInt64($0))) } }
        var description: String { "key-\(id)" }
        static func < (lhs: Key, rhs: Key) -> Bool { lhs.id < rhs.id }
    }

    struct Statement: CertifiedStatement {
        var networkID: NetworkID
        var epoch: UInt64
        var height: UInt64
        var view: UInt64
        var blockCommitment: Bytes32
        var signedTime: UInt64? { nil }
    }

    typealias Signature = Bytes32
    typealias Message = Bytes32

    static var name: String { "toy-aggregate" }
    static var signerEncoding: SignerEncoding { .bitmap }
    static var usesAggregateSignatures: Bool { true }

    func message(for statement: Statement) -> Bytes32 {
        Keccak256.hash(Array("\(statement.networkID)|\(statement.epoch)|\(statement.height)|\(statement.view)".utf8)
                       + statement.blockCommitment.bytes)
    }

    static func aggregate(_ message: Bytes32, _ keys: [Key]) -> Bytes32 {
        Keccak256.hash(message.bytes + keys.flatMap(\.canonicalBytes))
    }

    func checkAggregateSignature(_ signature: Bytes32, by keys: [Key], message: Bytes32) -> SignatureCheck {
        Self.aggregate(message, keys) == signature ? .valid : .invalid
    }
}

@Suite("Aggregate-signature profiles")
struct AggregateProfileTests {
    typealias Certificate = QuorumCertificate<ToyAggregateProfile>

    static func table() throws -> StakeTable<ToyAggregateProfile.Key> {
        try StakeTable(epoch: 3, entries: (0..<5).map {
            StakeTableEntry(key: ToyAggregateProfile.Key(id: UInt64($0)), stake: UInt256(UInt64(10 * ($0 + 1))))
        })
    }
    static let statement = ToyAggregateProfile.Statement(networkID: NetworkID("toy"), epoch: 3, height: 9, view: 1,
                                                         blockCommitment: Keccak256.hash([9]))
    static let verifier = QuorumVerifier(profile: ToyAggregateProfile()) {
        QuorumThreshold.twoThirds
        EpochMatches()
        AllowedKeyTypes([.blsBN254])
    }

    static func certificate(_ signers: [Int], count: Int = 5, signedBy: [Int]? = nil) -> Certificate {
        let message = ToyAggregateProfile().message(for: statement)
        let signature = ToyAggregateProfile.aggregate(message, (signedBy ?? signers).map { ToyAggregateProfile.Key(id: UInt64($0)) })
        return Certificate(statement: statement, signers: .bitmap(SignerBitmap(count: count, setting: signers)),
                           signatures: .aggregate(signature))
    }

    @Test("one aggregate check over the bitmap's signers")
    func aggregateVerifies() throws {
        // Stakes 10..50, total 150; signers 2, 3, 4 hold 120 > 100.
        for mode in VerificationMode.allCases {
            let verified = try #require(Self.verifier.verify(Self.certificate([2, 3, 4]), against: try Self.table(), mode: mode).verified)
            #expect(verified.signatureChecks == 1)
            #expect(verified.signedStake == UInt256(120))
            #expect(verified.signerIndices == [2, 3, 4])
        }
    }

    @Test("a wrong aggregate, a short bitmap, too little stake")
    func aggregateFailures() throws {
        let wrong = Self.verifier.verify(Self.certificate([2, 3, 4], signedBy: [1, 3, 4]), against: try Self.table())
        #expect(wrong.failures.map(\.code.rawValue) == ["quorum.invalid-aggregate-signature", "quorum.threshold-not-met"])
        let short = Self.verifier.verify(Self.certificate([2, 3], count: 4), against: try Self.table())
        #expect(short.failures.map(\.code.rawValue) == ["quorum.bitmap-length-mismatch", "quorum.threshold-not-met"])
        // 100 of 150 is exactly 2/3: threshold mode does not even check the aggregate.
        let exact = Self.verifier.verify(Self.certificate([0, 1, 2, 3]), against: try Self.table(), mode: .threshold)
        #expect(exact.failures.map(\.code.rawValue) == ["quorum.threshold-not-met"])
    }

    @Test("signer and signature forms must match the profile")
    func formMismatch() throws {
        let listed = Certificate(statement: Self.statement, signers: .keys([ToyAggregateProfile.Key(id: 4)]),
                                 signatures: .individual([Bytes32.zero]))
        let codes = Self.verifier.verify(listed, against: try Self.table()).failures.map(\.code.rawValue)
        #expect(codes == ["quorum.signer-encoding-mismatch", "quorum.signature-form-mismatch", "quorum.threshold-not-met"])
    }

    @Test("an age policy needs a signed time")
    func missingTimestamp() throws {
        let verifier = QuorumVerifier(profile: ToyAggregateProfile()) {
            QuorumThreshold.twoThirds
            NotOlderThan(seconds: 60, now: 1_000)
        }
        let codes = verifier.verify(Self.certificate([2, 3, 4]), against: try Self.table()).failures.map(\.code.rawValue)
        #expect(codes == ["quorum.missing-timestamp"])
    }
}
