import ArgumentParser
import ConfirmationVectors
import Foundation

/// `confirm vectors`: regenerate or run the published test vectors.
struct VectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors",
        abstract: "Generate or verify the published test vectors in TestVectors/.",
        subcommands: [Generate.self, Verify.self]
    )

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Regenerate every vector file deterministically into DIR (default TestVectors).")

        @Argument(help: "The output folder.")
        var directory: String = "TestVectors"

        func run() throws {
            let folder = URL(fileURLWithPath: directory)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for suite in VectorRegistry.suites {
                let data = try suite.generate()
                try data.write(to: folder.appendingPathComponent(suite.fileName))
                print("wrote \(suite.fileName) (\(data.count) bytes)")
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every vector in DIR (default TestVectors) and print `N passed, N failed`.")

        @Argument(help: "The folder holding the vector files.")
        var directory: String = "TestVectors"

        @Flag(name: .long, help: "Print every case, not only failures.")
        var verbose = false

        func run() throws {
            let folder = URL(fileURLWithPath: directory)
            var passed = 0
            var failed = 0
            for suite in VectorRegistry.suites {
                let path = folder.appendingPathComponent(suite.fileName).path
                let outcomes = try suite.verify(readInputFile(path))
                let bad = outcomes.filter { !$0.passed }
                passed += outcomes.count - bad.count
                failed += bad.count
                print("\(suite.fileName): \(outcomes.count - bad.count)/\(outcomes.count)")
                for outcome in (verbose ? outcomes : bad) {
                    print("  tcId \(outcome.tcId): \(outcome.passed ? "pass" : "FAIL") \(outcome.detail)")
                }
            }
            print("\(passed) passed, \(failed) failed")
            if failed > 0 { throw ExitCode.notVerified }
        }
    }
}
