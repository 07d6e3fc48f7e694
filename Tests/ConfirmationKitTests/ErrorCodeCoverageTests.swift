import Foundation
import Testing
import VectorSupport

/// Every error code the library declares appears in at least one published invalid vector, unless it
/// is listed below with the reason no data-driven vector can produce it (each of those has a unit test).
@Suite("Error-code coverage of the published vectors")
struct ErrorCodeCoverageTests {
    /// Codes that no vector can reach, and why.
    static let exempt: [String: String] = [
        "simulation.certificate-rejected": "raised only when a demo scenario is itself wrong; never by input",
        "namespace.not-found": "raised when building a proof for a namespace a block lacks (builder, not verifier)",
        "namespace.present": "raised when building an absence proof for a namespace a block has (builder, not verifier)",
        "l1.too-many-unfinalized": "needs 4,096 unfinalized headers; unit-tested in L1ChainViewTests",
        "l1.unknown-block": "raised by an L1Source asked for a block it lacks; unit-tested in L1FollowTests",
        "l1.inconsistent-source": "raised while polling a lying L1Source; unit-tested in L1FollowTests",
        "clocks.certificate-mismatch": "API misuse (a certificate with another certificate's verification); unit-tested in L1FollowTests",
        "clocks.snapshot-inconsistent": "snapshots are an application's local storage, not an exchange format; unit-tested in L1FollowTests",
        "quorum.missing-timestamp": "only a profile whose statements carry no time, combined with NotOlderThan, reaches it; the published profiles' vectors do not combine them; unit-tested in AggregateProfileTests.missingTimestamp",
        "rpc.error-response": "JSON-RPC transport; tested against a loopback server in ConfirmationNetworkTests",
        "rpc.malformed-response": "JSON-RPC transport; tested against a loopback server in ConfirmationNetworkTests",
        "rpc.not-found": "JSON-RPC transport; tested against a loopback server in ConfirmationNetworkTests",
        "rpc.timeout": "JSON-RPC transport; tested against a loopback server in ConfirmationNetworkTests",
        "rpc.transport": "JSON-RPC transport; tested against a loopback server in ConfirmationNetworkTests",
        "cometbft.too-many-validators": "the JSON decoder refuses a validators list above MaxVotesCount first (cometbft.too-many-entries); only Swift callers of CometBFTValidatorSet.init reach it; unit-tested in CometBFTValidatorSetLimitTests",
    ]

    /// `static let name = Self("code")` declarations in `Sources/`.
    static func declaredCodes() throws -> Set<String> {
        let sources = SharedVectors.repositoryRoot.appendingPathComponent("Sources")
        let pattern = try NSRegularExpression(pattern: #"static let \w+ = Self\("([a-z0-9-]+(?:\.[a-z0-9-]+)+)"\)"#)
        var codes = Set<String>()
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let range = Range(match.range(at: 1), in: text) { codes.insert(String(text[range])) }
            }
        }
        return codes
    }

    /// Every string value in the published vector files.
    static func vectorStrings() throws -> Set<String> {
        var strings = Set<String>()
        func walk(_ value: Any) {
            switch value {
            case let text as String: strings.insert(text)
            case let array as [Any]: array.forEach(walk)
            case let object as [String: Any]: object.values.forEach(walk)
            default: break
            }
        }
        let folder = SharedVectors.publishedDirectory
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".json") {
            walk(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name))))
        }
        return strings
    }

    @Test func everyDeclaredCodeHasAnInvalidVector() throws {
        let declared = try Self.declaredCodes()
        #expect(declared.count > 100)
        let published = try Self.vectorStrings()
        let missing = declared.subtracting(published).subtracting(Self.exempt.keys).sorted()
        #expect(missing.isEmpty, "codes without a published vector: \(missing.joined(separator: ", "))")
        let stale = Set(Self.exempt.keys).subtracting(declared).sorted()
        #expect(stale.isEmpty, "exempted codes no longer declared: \(stale)")
        let needless = Set(Self.exempt.keys).intersection(published).sorted()
        #expect(needless.isEmpty, "exempted codes that do have vectors: \(needless)")
    }
}
