public import Foundation
import Testing

/// Runs the built `confirm` executable, which sits beside the test bundle in `.build/<configuration>/`.
public enum ConfirmCLI {
    /// The executable, when it was built.
    public static let executable: URL? = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("confirm")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }()

    /// What one run printed and returned.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `confirm` with `arguments`; standard error is collected concurrently so neither pipe can fill up.
    public static func run(_ arguments: [String], in directory: URL? = nil) throws -> Result {
        let binary = try #require(executable, "the confirm executable was not built next to the tests")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stderrBox = ErrorCollector()
        let reader = Thread { stderrBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !stderrBox.isDone { usleep(1000) }
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderrBox.data, as: UTF8.self))
    }
}

/// Collects standard error on a second thread. `@unchecked Sendable`: written once by the reader
/// thread under the lock, read by the caller after `isDone`.
private final class ErrorCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = Data()
    private var done = false

    var data: Data {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue; done = true } }
    }

    var isDone: Bool { lock.withLock { done } }
}
