import ConfirmationKit
import ConfirmationKitCometBFT
import ConfirmationVectors
import Foundation
import Testing
import VectorSupport

@Suite struct CometBFTVectorTests {
    static let suites: [any VectorSuite] = [CometBFTCommitVectors(), CometBFTLightVectors()]

    @Test(arguments: 0..<2)
    func publishedFilesRegenerateAndPass(_ index: Int) throws {
        let suite = Self.suites[index]
        let generated = try suite.generate()
        let published = try Data(contentsOf: SharedVectors.publishedDirectory.appendingPathComponent(suite.fileName))
        #expect(generated == published, "\(suite.fileName) differs from the generator's output")
        let outcomes = try suite.verify(generated)
        #expect(outcomes.count > 15)
        for outcome in outcomes where !outcome.passed {
            Issue.record("\(suite.fileName) tcId \(outcome.tcId): \(outcome.detail)")
        }
    }

    @Test func jsonRoundTrip() throws {
        let builder = CometBFTChainBuilder(chainID: "round-trip")
        let vals = try (0..<5).map { try CometBFTSimValidator(id: "rt-\($0)", power: Int64(10 + $0), secp256k1: $0 == 3) }
        let block = try builder.lightBlock(height: 3, time: CometBFTTime(seconds: 1_700_000_000, nanos: 123_456_789),
                                           validators: vals, next: vals, signers: ["rt-0", "rt-1", "rt-2", "rt-3"], nilVoters: ["rt-4"])
        let decoded = try CometBFTJSON.lightBlock(from: CometBFTJSON.encode(block))
        #expect(decoded == block)
        var cache = CometBFTSignatureCache()
        #expect(CometBFTCommitVerifier.verifySignedHeader(decoded.signedHeader, validators: try #require(decoded.validatorSet),
                                                          cache: &cache).isVerified)
    }
}
