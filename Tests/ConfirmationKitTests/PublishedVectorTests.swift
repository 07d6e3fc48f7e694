import ConfirmationVectors
import Foundation
import Testing
import VectorSupport

/// The committed `TestVectors/` files are exactly what the generators produce, and every case passes.
@Suite("Published test vectors")
struct PublishedVectorTests {
    static let suiteNames = VectorRegistry.suites.map(\.fileName)

    @Test("regenerates byte for byte", arguments: suiteNames)
    func regeneratesIdentically(fileName: String) throws {
        let suite = try #require(VectorRegistry.suites.first { $0.fileName == fileName })
        let committed = try Data(contentsOf: SharedVectors.publishedDirectory.appendingPathComponent(fileName))
        let generated = try suite.generate()
        #expect(generated == committed, "TestVectors/\(fileName) differs from the generator: run `swift run confirm vectors generate`")
    }

    @Test("every case passes", arguments: suiteNames)
    func everyCasePasses(fileName: String) throws {
        let suite = try #require(VectorRegistry.suites.first { $0.fileName == fileName })
        let committed = try Data(contentsOf: SharedVectors.publishedDirectory.appendingPathComponent(fileName))
        let outcomes = try suite.verify(committed)
        #expect(!outcomes.isEmpty)
        for outcome in outcomes where !outcome.passed {
            Issue.record("\(fileName) tcId \(outcome.tcId): \(outcome.detail)")
        }
    }
}
