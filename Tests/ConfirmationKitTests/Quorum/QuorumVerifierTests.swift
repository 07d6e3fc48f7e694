import ConfirmationKit
import ConfirmationVectors
import Foundation
import Testing

@Suite("Quorum verifier (secp256k1 profile)")
struct QuorumVerifierTests {
    typealias SecpCertificate = QuorumCertificate<Secp256k1QuorumProfile>

    /// Replaces the signature of `signer` in a sorted-list certificate.
    static func replacingSignature(of signer: EthereumAddress, in certificate: SecpCertificate,
                                   with signature: Secp256k1QuorumSignature) -> SecpCertificate {
        guard case .keys(let keys) = certificate.signers, case .individual(var signatures) = certificate.signatures,
              let position = keys.firstIndex(of: signer) else { return certificate }
        signatures[position] = signature
        return SecpCertificate(statement: certificate.statement, signers: certificate.signers, signatures: .individual(signatures))
    }

    static let profile = Secp256k1QuorumProfile()
    static let statement = QuorumFixture.statement(epoch: 7)

    static func verifier(workers: Int = 1) -> QuorumVerifier<Secp256k1QuorumProfile, some QuorumPolicy> {
        QuorumVerifier(profile: profile, workers: workers) {
            QuorumThreshold.twoThirds
            EpochMatches()
        }
    }

    static func codes(_ verdict: QuorumVerdict<Secp256k1QuorumProfile>) -> [String] {
        verdict.failures.map(\.code.rawValue)
    }

    // MARK: The 2/3 boundary

    @Test("exactly 2/3 of the stake is not enough; one unit more is", arguments: [UInt64(3), 30, 300, 3_000_000_000])
    func twoThirdsBoundary(total: UInt64) throws {
        // Stakes: 2/3·total − 1, 1, and the remaining third (with one extra unit split off).
        let twoThirds = total / 3 * 2
        let fixture = try QuorumFixture(seed: total, stakes: [twoThirds - 1, 1, total / 3 - 1, 1], epoch: 7)
        #expect(fixture.table.totalStake == UInt256(total))
        for mode in VerificationMode.allCases {
            let exact = Self.verifier().verify(fixture.certificate(Self.statement, signers: [0, 1]), against: fixture.table, mode: mode)
            #expect(Self.codes(exact) == ["quorum.threshold-not-met"])
            let plusOne = Self.verifier().verify(fixture.certificate(Self.statement, signers: [0, 1, 3]), against: fixture.table, mode: mode)
            let verified = try #require(plusOne.verified)
            #expect(verified.signedStake == UInt256(twoThirds + 1))
        }
    }

    @Test("at-least and absolute thresholds")
    func otherThresholds() throws {
        let fixture = try QuorumFixture(seed: 1, stakes: [100, 100, 100], epoch: 7)
        let certificate = fixture.certificate(Self.statement, signers: [0, 1])
        let reachTwoThirds = try QuorumThreshold.atLeast(2, 3)
        let atLeast = QuorumVerifier(profile: Self.profile) { reachTwoThirds }
        #expect(atLeast.verify(certificate, against: fixture.table).verified?.signedStake == UInt256(200))
        let absolute = QuorumVerifier(profile: Self.profile) { QuorumThreshold.atLeast(stake: UInt256(201)) }
        #expect(Self.codes(absolute.verify(certificate, against: fixture.table)) == ["quorum.threshold-not-met"])
        #expect(throws: ConfirmationError(.quorumInvalidThreshold, "")) { try QuorumThreshold.moreThan(3, 3) }
        #expect(throws: ConfirmationError(.quorumInvalidThreshold, "")) { try QuorumThreshold.atLeast(1, 0) }
    }

    @Test("a verifier without a threshold certifies nothing")
    func noThreshold() throws {
        let fixture = try QuorumFixture(seed: 2, stakes: [1, 1, 1], epoch: 7)
        let verifier = QuorumVerifier(profile: Self.profile) { EpochMatches() }
        let verdict = verifier.verify(fixture.certificate(Self.statement, signers: [0, 1, 2]), against: fixture.table)
        #expect(Self.codes(verdict) == ["quorum.no-threshold"])
    }

    // MARK: Accounting

    @Test("duplicates count once, unknown signers count nothing, order is enforced")
    func accounting() throws {
        let fixture = try QuorumFixture(seed: 3, stakes: [100, 100, 100], epoch: 7)
        let outsider = try QuorumFixture(seed: 4, stakes: [1], epoch: 7)
        let certificate = fixture.certificate(Self.statement, signers: [0, 2])
        guard case .keys(let keys) = certificate.signers, case .individual(let signatures) = certificate.signatures else {
            Issue.record("unexpected certificate shape")
            return
        }
        let duplicated = SecpCertificate(statement: Self.statement, signers: .keys([keys[0], keys[0], keys[1]]),
                                         signatures: .individual([signatures[0], signatures[0], signatures[1]]))
        let verdict = Self.verifier().verify(duplicated, against: fixture.table, mode: .full)
        #expect(Self.codes(verdict) == ["quorum.duplicate-signer", "quorum.threshold-not-met"])

        let withOutsider = Secp256k1QuorumProfile.makeCertificate(statement: Self.statement,
                                                                   signingKeys: fixture.keys + outsider.keys)
        #expect(Self.codes(Self.verifier().verify(withOutsider, against: fixture.table)) == ["quorum.unknown-signer"])

        let reversed = SecpCertificate(statement: Self.statement, signers: .keys(keys.reversed()),
                                       signatures: .individual(signatures.reversed()))
        #expect(Self.codes(Self.verifier().verify(reversed, against: fixture.table)).contains("quorum.signers-not-sorted"))
    }

    @Test("empty and zero-stake tables are rejected")
    func emptyTables() throws {
        let zero = try QuorumFixture(seed: 5, stakes: [0, 0], epoch: 7)
        let certificate = zero.certificate(Self.statement, signers: [0, 1])
        #expect(Self.codes(Self.verifier().verify(certificate, against: zero.table))
                == ["quorum.zero-total-stake", "quorum.threshold-not-met"])
        let empty = try StakeTable<EthereumAddress>(epoch: 7, entries: [])
        #expect(Self.codes(Self.verifier().verify(certificate, against: empty)).first == "quorum.empty-table")
    }

    @Test("a signature over any other statement is invalid")
    func exactStatementBytes() throws {
        let fixture = try QuorumFixture(seed: 6, stakes: [1, 1, 1, 1], epoch: 7)
        var other = Self.statement
        other.timestamp += 1
        let signed = fixture.certificate(other, signers: [0, 1, 2, 3])
        let claimed = SecpCertificate(statement: Self.statement, signers: signed.signers, signatures: signed.signatures)
        let verdict = Self.verifier().verify(claimed, against: fixture.table, mode: .full)
        #expect(Self.codes(verdict).filter { $0 == "quorum.invalid-signature" }.count == 4)
        #expect(Self.verifier().verify(signed, against: fixture.table, mode: .full).verified != nil)
    }

    @Test("high-S twins are refused unless a policy allows them")
    func highS() throws {
        let fixture = try QuorumFixture(seed: 7, stakes: [1, 1, 1, 1], epoch: 7)
        let certificate = fixture.certificate(Self.statement, signers: [0, 1, 2, 3])
        guard case .individual(let signatures) = certificate.signatures, case .keys(let keys) = certificate.signers else { return }
        let malleated = Self.replacingSignature(of: keys[0], in: certificate, with: try QuorumFixture.highSTwin(of: signatures[0]))
        #expect(Self.codes(Self.verifier().verify(malleated, against: fixture.table, mode: .full))
                == ["quorum.signature-high-s"])
        let lenient = QuorumVerifier(profile: Self.profile) {
            QuorumThreshold.twoThirds
            SignatureRules(allowHighS: true)
        }
        #expect(lenient.verify(malleated, against: fixture.table, mode: .full).verified?.signers.count == 4)
        // A forbidding rule wins over an allowing one.
        let conflicting = QuorumVerifier(profile: Self.profile) {
            QuorumThreshold.twoThirds
            SignatureRules(allowHighS: true)
            SignatureRules(allowHighS: false)
        }
        #expect(conflicting.verify(malleated, against: fixture.table, mode: .full).verified == nil)
    }

    // MARK: Policies

    @Test("policies compose with conditions and report every failure")
    func composition() throws {
        let fixture = try QuorumFixture(seed: 8, stakes: [10, 10, 10], epoch: 7)
        let certificate = fixture.certificate(QuorumFixture.statement(epoch: 8), signers: [0])
        for strict in [false, true] {
            let verifier = QuorumVerifier(profile: Self.profile) {
                QuorumThreshold.twoThirds
                EpochMatches()
                if strict {
                    NetworkMatches(NetworkID("eip155:1"))
                    NotOlderThan(seconds: 10, now: Self.statement.timestamp + 11)
                } else {
                    AllowedKeyTypes([.ed25519])
                }
            }
            let codes = Self.codes(verifier.verify(certificate, against: fixture.table))
            let expected = strict
                ? ["quorum.threshold-not-met", "quorum.epoch-mismatch", "quorum.network-mismatch", "quorum.certificate-too-old"]
                : ["quorum.threshold-not-met", "quorum.epoch-mismatch", "quorum.key-type-not-allowed"]
            #expect(codes == expected)
        }
    }

    // MARK: Modes and parallelism

    @Test("threshold mode checks the largest stakes first and stops")
    func thresholdModeOrder() throws {
        let fixture = try QuorumFixture(seed: 9, stakes: [1, 50, 2, 30, 3, 14], epoch: 7)
        let certificate = fixture.certificate(Self.statement, signers: Array(0..<6))
        let verified = try #require(Self.verifier().verify(certificate, against: fixture.table, mode: .threshold).verified)
        // 50 + 30 = 80 of 100 > 2/3 after two checks.
        #expect(verified.signatureChecks == 2)
        #expect(verified.signerIndices == [1, 3])
        let full = try #require(Self.verifier().verify(certificate, against: fixture.table, mode: .full).verified)
        #expect(full.signatureChecks == 6)
        #expect(full.signedStake == UInt256(100))
    }

    @Test("parallel verification gives the same verdict as sequential", arguments: [1, 2, 3, 8])
    func parallelDeterminism(workers: Int) throws {
        let stakes = (0..<80).map { UInt64($0 % 7 + 1) }
        let fixture = try QuorumFixture(seed: 10, stakes: stakes, epoch: 7)
        var certificate = fixture.certificate(Self.statement, signers: Array(0..<80))
        var other = Self.statement
        other.height += 5
        for bad in [3, 40, 77] {
            certificate = Self.replacingSignature(of: fixture.address(bad), in: certificate,
                                             with: Secp256k1QuorumProfile.sign(other, with: fixture.keys[bad]))
        }
        for mode in VerificationMode.allCases {
            let sequential = Self.verifier(workers: 1).verify(certificate, against: fixture.table, mode: mode)
            let parallel = Self.verifier(workers: workers).verify(certificate, against: fixture.table, mode: mode)
            #expect(parallel == sequential)
        }
        let full = Self.verifier(workers: workers).verify(certificate, against: fixture.table, mode: .full)
        #expect(Set(full.failures.compactMap(\.signerIndex)) == [3, 40, 77])
    }

    // MARK: JSON

    @Test("certificates and tables round-trip through JSON")
    func jsonRoundTrip() throws {
        let fixture = try QuorumFixture(seed: 11, stakes: [5, 6, 7], epoch: 7)
        let certificate = fixture.certificate(Self.statement, signers: [0, 2])
        let decodedCertificate = try QuorumJSON.decode(SecpCertificate.self, from: QuorumJSON.encode(certificate))
        #expect(decodedCertificate == certificate)
        let decodedTable = try QuorumJSON.decode(StakeTable<EthereumAddress>.self, from: QuorumJSON.encode(fixture.table))
        #expect(decodedTable == fixture.table)
        #expect(decodedTable.commitment == fixture.table.commitment)
    }
}
