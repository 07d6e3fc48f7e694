import Foundation
import Testing

/// A JSON-RPC server on 127.0.0.1 serving recorded responses, run as a small python3 script.
///
/// Routes are keyed by URL path (one scenario per path), then by `method + " " + selector`, where
/// the selector is the first parameter (the block hash for `eth_getProof`). Each entry may add a
/// delay in seconds and a number of initial HTTP 503 answers. The server exits by itself after
/// `lifetime` seconds, and ``stop()`` ends it earlier.
final class LoopbackServer: @unchecked Sendable {
    struct Entry {
        var result: Any
        var delay: Double = 0
        var failFirst: Int = 0
        /// A JSON-RPC error object to answer with instead of the result.
        var error: [String: Any]? = nil
        /// A raw body to answer with instead of a JSON-RPC response.
        var raw: String? = nil
    }

    static let python: String? = {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
            .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static var isAvailable: Bool { python != nil }

    static let script = #"""
    import json, os, signal, sys, threading, time
    from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
    # The parent may spawn us with SIGTERM blocked; unblock it so stop() ends us at once.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    routes = json.load(open(sys.argv[1]))
    threading.Timer(float(sys.argv[2]), lambda: os._exit(0)).start()
    counts, lock = {}, threading.Lock()
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *args): pass
        def do_POST(self):
            request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            params = request.get("params", [])
            selector = params[2]["blockHash"] if request["method"] == "eth_getProof" else (params[0] if params else "")
            key = request["method"] + " " + str(selector)
            entry = routes.get(self.path, {}).get(key)
            with lock:
                seen = counts.get((self.path, key), 0)
                counts[(self.path, key)] = seen + 1
            if entry and seen < entry.get("failFirst", 0):
                self.send_response(503); self.send_header("Content-Length", "0"); self.end_headers(); return
            if entry and entry.get("delay", 0) > 0:
                time.sleep(entry["delay"])
            if entry and "raw" in entry:
                body = entry["raw"].encode()
            elif entry and "error" in entry:
                body = json.dumps({"jsonrpc": "2.0", "id": request["id"], "error": entry["error"]}).encode()
            else:
                body = json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": entry["result"] if entry else None}).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """#

    let process = Process()
    let port: Int
    private let directory: URL

    /// Starts the server with `routes[path][key]` and waits for its port.
    init(routes: [String: [String: Entry]], lifetime: Double = 60) throws {
        let python = try #require(Self.python)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("confirm-rpc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let scriptURL = directory.appendingPathComponent("server.py")
        let routesURL = directory.appendingPathComponent("routes.json")
        try Data(Self.script.utf8).write(to: scriptURL)
        var json = [String: [String: [String: Any]]]()
        for (path, entries) in routes {
            json[path] = entries.mapValues { entry in
                var object: [String: Any] = ["result": entry.result, "delay": entry.delay, "failFirst": entry.failFirst]
                if let error = entry.error { object["error"] = error }
                if let raw = entry.raw { object["raw"] = raw }
                return object
            }
        }
        try JSONSerialization.data(withJSONObject: json).write(to: routesURL)

        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [scriptURL.path, routesURL.path, String(lifetime)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        let deadline = Date().addingTimeInterval(20)
        while !line.contains(UInt8(ascii: "\n")), Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let text = String(data: line, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), let port = Int(text) else {
            process.terminate()
            throw CancellationError()
        }
        self.port = port
    }

    /// The URL of one scenario.
    func url(_ path: String) -> URL {
        URL(string: "http://127.0.0.1:\(port)\(path)") ?? URL(fileURLWithPath: "/")
    }

    /// Stops the server (only this process) and removes its files.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}
