import ConfirmationKit
import Foundation
import Testing
import VectorSupport

@Suite("confirm proof verify")
struct ProofCLITests {
    @Test func exitCodesAndJSON() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("confirm-proof-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let block = try NamespacedBlock(transactions: [7: [Array("a".utf8), Array("b".utf8), Array("c".utf8)], 9: [Array("d".utf8)]])
        let proof = InclusionProof.namespaceInclusion(try block.inclusionProof(namespace: 7, index: 2))
        let json = folder.appendingPathComponent("proof.json")
        try proof.jsonData.write(to: json)
        let binary = folder.appendingPathComponent("proof.bin")
        try Data(proof.canonicalBytes).write(to: binary)

        for file in [json, binary] {
            let ok = try ConfirmCLI.run(["proof", "verify", "--proof", file.path, "--root", block.commitment.description])
            #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        }
        let wrongRoot = try ConfirmCLI.run(["proof", "verify", "--proof", json.path, "--root", SHA256.hash([1]).hex])
        #expect(wrongRoot.status == 1)
        let report = try ConfirmCLI.run(["proof", "verify", "--proof", json.path, "--root", SHA256.hash([1]).hex, "--json"])
        #expect(report.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
        #expect(object != nil, "--json prints one JSON object: \(report.stdout)")

        let truncated = folder.appendingPathComponent("truncated.json")
        try Data(proof.jsonData.prefix(40)).write(to: truncated)
        for arguments in [["proof", "verify", "--proof", truncated.path, "--root", block.commitment.hex],
                          ["proof", "verify", "--proof", json.path, "--root", "0x12"],
                          ["proof", "verify", "--proof", folder.appendingPathComponent("missing.json").path, "--root", block.commitment.hex]] {
            let malformed = try ConfirmCLI.run(arguments)
            #expect(malformed.status == 2, "\(arguments): \(malformed.stdout)\(malformed.stderr)")
            #expect(malformed.stderr.hasPrefix("confirm: error: "))
        }
    }
}
