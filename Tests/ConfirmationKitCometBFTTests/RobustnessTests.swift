import ConfirmationCompression
import ConfirmationKit
@testable import ConfirmationKitCometBFT
import Foundation
import Testing
import VectorSupport

/// Mutated inputs never trap: every decoder either decodes or throws a typed error.
@Suite(.enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct CometBFTRobustnessTests {
    @Test func mutatedLightBlocksThrowOrParse() throws {
        let original = Array(try SharedVectors.data("cometbft/mocha-4/block_2279100.json"))
        let originalBlock = try CometBFTJSON.lightBlock(from: Data(original))
        var rng = DeterministicRandom(seed: 7)
        var parsed = 0
        var verifiedAfterMutation = 0
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let i = Int(rng.next() % UInt64(bytes.count))
                bytes[i] = UInt8(truncatingIfNeeded: rng.next())
            }
            guard let block = try? CometBFTJSON.lightBlock(from: Data(bytes)) else { continue }
            parsed += 1
            if let vals = block.validatorSet {
                var cache = CometBFTSignatureCache()
                if CometBFTCommitVerifier.verifySignedHeader(block.signedHeader, validators: vals, cache: &cache).isVerified {
                    verifiedAfterMutation += 1
                    // Only a change that leaves every signed or hashed value intact (names, hex case,
                    // the ignored total) may still verify.
                    #expect(block.signedHeader == originalBlock.signedHeader)
                    #expect(block.validatorSet == originalBlock.validatorSet)
                }
            }
        }
        #expect(parsed > 0)
        #expect(verifiedAfterMutation < 300)
    }

    @Test func mutatedAstriaProtobufThrowsOrDecodes() throws {
        let text = String(decoding: try SharedVectors.data("astria/parse_blob/batched_metadata/input.txt"), as: UTF8.self)
        let plain = try Brotli.decompress(try Base64.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)), maximumBytes: 1 << 20)
        var rng = DeterministicRandom(seed: 11)
        var decoded = 0
        for round in 0..<2000 {
            var bytes = plain
            if round % 3 == 0 {
                bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count))))
            } else {
                let i = Int(rng.next() % UInt64(bytes.count))
                bytes[i] = UInt8(truncatingIfNeeded: rng.next())
            }
            if let entries = try? AstriaBlob.entries(bytes).map(AstriaBlob.metadata) {
                decoded += 1
                _ = entries.map { $0.proofFailure() }
            }
        }
        #expect(decoded < 2000)
    }
}
