public import Foundation
public import Testing

/// Locates the third-party conformance vectors in `../shared/vectors` (never copied into this repository).
///
/// Set `CONFIRMATIONKIT_SHARED_VECTORS` to use another folder. Tests that need the folder use
/// `.enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage)` so that a missing folder
/// shows as a skipped test with this message, never as a pass.
public enum SharedVectors {
    /// The repository root, found from this file's path.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // VectorSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root

    /// The shared vectors folder.
    public static let directory: URL = {
        if let override = ProcessInfo.processInfo.environment["CONFIRMATIONKIT_SHARED_VECTORS"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors")
    }()

    /// Whether the folder is present.
    public static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("README.md").path)
    }

    /// Why a test was skipped.
    public static var skipMessage: Comment {
        Comment(rawValue: "third-party vectors not found at \(directory.path) (set CONFIRMATIONKIT_SHARED_VECTORS); skipping")
    }

    /// The bytes of a file under the shared folder, e.g. `wycheproof/ed25519_test.json`.
    public static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(relativePath))
    }

    /// The published `TestVectors/` folder of this repository.
    public static let publishedDirectory: URL = repositoryRoot.appendingPathComponent("TestVectors")
}
