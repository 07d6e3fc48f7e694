public import ConfirmationKit
public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Moves one JSON-RPC request body to an endpoint and returns the response body.
///
/// The default is ``URLSessionTransport``; tests or apps with their own HTTP stack supply another.
public protocol JSONRPCTransport: Sendable {
    /// Sends `body` and returns the response body.
    /// - Throws: ``ConfirmationError`` `rpc.timeout` or `rpc.transport` (retried by ``JSONRPCClient``).
    func send(_ body: Data) async throws -> Data
}

/// HTTP POST over `URLSession` (FoundationNetworking on Linux), with per-request and total time limits.
public struct URLSessionTransport: JSONRPCTransport {
    /// The endpoint URL.
    public let endpoint: URL
    /// The longest a request may take, from sending to the last byte of the response.
    public let timeout: Duration
    private let session: URLSession

    /// Creates a transport with its own ephemeral session (no cookies, no cache).
    public init(endpoint: URL, timeout: Duration = .seconds(10)) {
        self.endpoint = endpoint
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
    }

    /// Posts `body` and returns the response body of a 2xx answer.
    /// - Throws: ``ConfirmationError`` `rpc.timeout` after ``timeout``, `rpc.transport` for connection or HTTP errors.
    public func send(_ body: Data) async throws -> Data {
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let session = self.session
        let timeout = self.timeout
        let finalRequest = request
        // URLSession's own limits are the first line; the race below bounds the call even if a
        // platform's implementation lets a trickling response run on.
        return try await withThrowingTaskGroup(of: Data?.self) { group in
            group.addTask {
                let (data, response): (Data, URLResponse)
                do {
                    (data, response) = try await session.data(for: finalRequest)
                } catch let error as URLError where error.code == .timedOut {
                    throw ConfirmationError(.rpcTimeout, "no complete response within \(timeout)")
                } catch {
                    throw ConfirmationError(.rpcTransport, "request failed: \(error.localizedDescription)")
                }
                guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
                    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                    throw ConfirmationError(.rpcTransport, "HTTP status \(status)")
                }
                return data
            }
            group.addTask {
                try await Task.sleep(for: timeout + .milliseconds(250))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let data = first else {
                throw ConfirmationError(.rpcTimeout, "no complete response within \(timeout)")
            }
            return data
        }
    }
}

/// A JSON-RPC 2.0 client with bounded retries for transport failures.
///
/// Only transport trouble (timeouts, connection errors, HTTP errors, unreadable envelopes) is
/// retried. What the endpoint *says* is never trusted here: results go to the verified source,
/// which rejects anything that does not check out.
public struct JSONRPCClient: Sendable {
    /// The transport.
    public let transport: any JSONRPCTransport
    /// Attempts per call (at least 1).
    public let maximumAttempts: Int
    /// The pause before the second attempt; doubled for each further attempt, up to 10 s.
    public let retryDelay: Duration
    /// The largest response accepted, in bytes.
    public let maximumResponseBytes: Int

    /// Creates a client.
    public init(transport: any JSONRPCTransport, maximumAttempts: Int = 3, retryDelay: Duration = .milliseconds(200),
                maximumResponseBytes: Int = 32 << 20) {
        self.transport = transport
        self.maximumAttempts = max(1, maximumAttempts)
        self.retryDelay = retryDelay
        self.maximumResponseBytes = maximumResponseBytes
    }

    /// Calls `method` and returns its `result` as JSON bytes (`nil` for a JSON `null` result).
    /// - Parameters:
    ///   - method: e.g. `eth_getBlockByNumber`.
    ///   - params: JSON-serialisable parameters.
    /// - Throws: ``ConfirmationError``: `rpc.error-response` for a JSON-RPC error object, or the last
    ///   transport error (`rpc.timeout`, `rpc.transport`, `rpc.malformed-response`) after every attempt failed.
    public func call(_ method: String, _ params: [any Sendable]) async throws -> Data? {
        let body = try JSONSerialization.data(withJSONObject: ["jsonrpc": "2.0", "id": 1, "method": method, "params": params] as [String: Any])
        var lastError = ConfirmationError(.rpcTransport, "no attempt made")
        var delay = retryDelay
        for attempt in 1...maximumAttempts {
            if attempt > 1 {
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(10))
            }
            do {
                let response = try await transport.send(body)
                return try parse(response, method: method)
            } catch let error as ConfirmationError where Self.isRetryable(error.code) {
                lastError = error
            }
        }
        throw ConfirmationError(lastError.code, "\(method) failed after \(maximumAttempts) attempts: \(lastError.reason)")
    }

    static func isRetryable(_ code: ConfirmationError.Code) -> Bool {
        code == .rpcTimeout || code == .rpcTransport || code == .rpcMalformedResponse
    }

    private func parse(_ response: Data, method: String) throws -> Data? {
        guard response.count <= maximumResponseBytes else {
            throw ConfirmationError(.rpcMalformedResponse, "\(method): response of \(response.count) bytes exceeds the limit")
        }
        guard let envelope = try? JSONSerialization.jsonObject(with: response, options: [.fragmentsAllowed]) as? [String: Any] else {
            throw ConfirmationError(.rpcMalformedResponse, "\(method): response is not a JSON-RPC object")
        }
        guard (envelope["id"] as? NSNumber)?.intValue == 1 else {
            throw ConfirmationError(.rpcMalformedResponse, "\(method): response id does not match the request")
        }
        if let error = envelope["error"] as? [String: Any] {
            let code = (error["code"] as? NSNumber)?.intValue ?? 0
            let message = (error["message"] as? String) ?? ""
            throw ConfirmationError(.rpcErrorResponse, "\(method): endpoint error \(code): \(message.prefix(200))")
        }
        guard let result = envelope["result"] else {
            throw ConfirmationError(.rpcMalformedResponse, "\(method): response has neither result nor error")
        }
        if result is NSNull { return nil }
        return try JSONSerialization.data(withJSONObject: result, options: [.fragmentsAllowed])
    }
}

extension ConfirmationError.Code {
    /// The endpoint did not answer within the time limit.
    public static let rpcTimeout = Self("rpc.timeout")
    /// The request could not be delivered or the endpoint answered with an HTTP error.
    public static let rpcTransport = Self("rpc.transport")
    /// The response is not a well-formed JSON-RPC 2.0 response to the request.
    public static let rpcMalformedResponse = Self("rpc.malformed-response")
    /// The endpoint answered with a JSON-RPC error object.
    public static let rpcErrorResponse = Self("rpc.error-response")
    /// The endpoint does not know the requested block.
    public static let rpcNotFound = Self("rpc.not-found")
}
