import ConfirmationKit
import Foundation
import Testing
import VectorSupport

@Suite("confirm demo / verify / report / clocks simulate", .serialized)
struct DemoCLITests {
    /// Runs the demo once into a fresh folder; returns the folder and the trusted checkpoint it printed.
    static func runDemo() throws -> (folder: URL, checkpoint: String, output: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("confirm-demo-\(UUID().uuidString)")
        let result = try ConfirmCLI.run(["demo", "--fast", "--out", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        let marker = "--trusted-l1-checkpoint "
        let checkpoint = result.stdout.components(separatedBy: marker).last?.prefix(66).description ?? ""
        return (folder, checkpoint, result.stdout)
    }

    @Test func demoRunsAndItsBundleVerifies() throws {
        let (folder, checkpoint, output) = try Self.runDemo()
        defer { try? FileManager.default.removeItem(at: folder) }
        for expected in ["pre ✗ equivocation", "L1 reorg", "bridge mints", "reversion affects mint", "Latency from submission", "VALID"] {
            #expect(output.contains(expected), "demo output lacks \(expected)")
        }
        for file in ["confirm-demo-bundle.json", "confirm-demo-stake-table.json", "confirm-demo-metrics.json", "confirm-demo-clocks.svg"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "missing \(file)")
        }
        let bundle = folder.appendingPathComponent("confirm-demo-bundle.json").path
        let table = folder.appendingPathComponent("confirm-demo-stake-table.json").path
        let verified = try ConfirmCLI.run(["verify", bundle, "--stake-table", table, "--trusted-l1-checkpoint", checkpoint])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("settlement finalized"))

        let json = try ConfirmCLI.run(["verify", bundle, "--stake-table", table, "--json"])
        #expect(json.status == 0)
        let verdict = try JSONDecoder().decode(BundleVerdict.self, from: Data(json.stdout.utf8))
        #expect(verdict.isValid && verdict.layers.count == 5)

        let svg = try String(contentsOf: folder.appendingPathComponent("confirm-demo-clocks.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("seconds since submission") && svg.contains("minutes since submission"))
    }

    @Test func tamperedBundlesFailNamingTheLayer() throws {
        let (folder, _, _) = try Self.runDemo()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bundleURL = folder.appendingPathComponent("confirm-demo-bundle.json")
        let table = folder.appendingPathComponent("confirm-demo-stake-table.json").path
        let original = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: bundleURL)) as? [String: Any])

        func flipHex(_ text: String, at index: Int) -> String {
            var characters = Array(text)
            characters[index] = characters[index] == "0" ? "1" : "0"
            return String(characters)
        }
        func check(_ mutate: (inout [String: Any]) throws -> Void, layer: String) throws {
            var object = original
            try mutate(&object)
            let path = folder.appendingPathComponent("tampered-\(layer).json")
            try JSONSerialization.data(withJSONObject: object).write(to: path)
            let result = try ConfirmCLI.run(["verify", path.path, "--stake-table", table])
            #expect(result.status == 1, "tampering \(layer): \(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("✗ \(layer)"), "tampering \(layer) should fail that layer: \(result.stdout)")
        }
        try check({ object in
            var certificate = try #require(object["certificate"] as? [String: Any])
            var signatures = try #require(certificate["signatures"] as? [String])
            signatures[0] = flipHex(signatures[0], at: 20)
            certificate["signatures"] = signatures
            object["certificate"] = certificate
        }, layer: "certificate")
        try check({ object in
            var proofs = try #require(object["proofs"] as? [[String: Any]])
            var siblings = try #require(proofs[0]["tableSiblings"] as? [String])
            siblings[0] = flipHex(siblings[0], at: 30)
            proofs[0]["tableSiblings"] = siblings
            object["proofs"] = proofs
        }, layer: "inclusion")
        try check({ object in
            var transactions = try #require(object["transactions"] as? [[String: Any]])
            let bytes = try #require(transactions[0]["transaction"] as? String)
            transactions[0]["transaction"] = flipHex(bytes, at: 4)
            transactions[0]["hash"] = nil
            object["transactions"] = transactions
        }, layer: "transactions")

        // Malformed: exit 2 with one line.
        let truncated = folder.appendingPathComponent("truncated.json")
        try Data(try Data(contentsOf: bundleURL).prefix(200)).write(to: truncated)
        let malformed = try ConfirmCLI.run(["verify", truncated.path])
        #expect(malformed.status == 2)
        #expect(malformed.stderr.hasPrefix("confirm: error: "))
    }

    @Test func simulateAndReport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("confirm-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let metrics = folder.appendingPathComponent("metrics.json").path
        let simulate = try ConfirmCLI.run(["clocks", "simulate", "--transactions", "8", "--validators", "5", "--reorg",
                                           "--json", "--metrics-out", metrics])
        #expect(simulate.status == 0, "\(simulate.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(simulate.stdout.utf8)) as? [String: Any])
        #expect((object["outcomes"] as? [Any])?.count == 8 + 1)
        let svg = folder.appendingPathComponent("chart.svg").path
        let report = try ConfirmCLI.run(["report", metrics, "--svg", svg])
        #expect(report.status == 0)
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("L1 settlement"))
        let bad = try ConfirmCLI.run(["report", "/nonexistent.json", "--svg", svg])
        #expect(bad.status == 2)
        let human = try ConfirmCLI.run(["clocks", "simulate", "--transactions", "3", "--equivocate"])
        #expect(human.status == 0 && human.stdout.contains("pre-confirmation  p50"))
    }
}
