public import ConfirmationKit

/// A source of light blocks (a CometBFT RPC node, a cache, a file). The verifier trusts nothing it
/// returns: every block is verified before it is used.
public protocol LightBlockProvider: Sendable {
    /// A name for reports and evidence (e.g. the node's id or URL).
    var id: String { get }
    /// The light block at `height`, with its validator set and next validator set.
    /// - Throws: when the provider has no block there or cannot be reached.
    func lightBlock(at height: Int64) async throws -> CometBFTLightBlock
}

/// Light blocks held in memory, by height.
///
/// ```swift
/// let provider = InMemoryLightBlockProvider(id: "primary", blocks: chain)
/// let block = try await provider.lightBlock(at: 12)
/// ```
public struct InMemoryLightBlockProvider: LightBlockProvider {
    /// The provider's name.
    public let id: String
    /// The blocks by height.
    public let blocks: [Int64: CometBFTLightBlock]

    /// Indexes `blocks` by height (a later block at the same height replaces an earlier one).
    public init(id: String, blocks: [CometBFTLightBlock]) {
        self.id = id
        var byHeight: [Int64: CometBFTLightBlock] = [:]
        for block in blocks { byHeight[block.height] = block }
        self.blocks = byHeight
    }

    /// - Throws: ``ConfirmationError`` `cometbft.provider-missing-block`.
    public func lightBlock(at height: Int64) async throws -> CometBFTLightBlock {
        try block(at: height)
    }

    /// The block at `height`, synchronously.
    /// - Throws: ``ConfirmationError`` `cometbft.provider-missing-block`.
    public func block(at height: Int64) throws -> CometBFTLightBlock {
        guard let block = blocks[height] else {
            throw ConfirmationError(.cometProviderMissingBlock, "provider \(id) has no light block at height \(height)")
        }
        return block
    }
}

/// The outcome of skipping verification.
public enum CometBFTSkippingResult: Sendable, Hashable {
    /// The target verified. `trace` runs from the trusted block to the target, both included.
    case verified(trace: [CometBFTLightBlock])
    /// A block on the way was invalid (or the provider misbehaved); `trace` holds what verified so far.
    case failed(PolicyFailure, trace: [CometBFTLightBlock])

    /// The verified target, if any.
    public var target: CometBFTLightBlock? {
        if case .verified(let trace) = self { return trace.last }
        return nil
    }

    /// The trace (verified blocks, the trusted one first).
    public var trace: [CometBFTLightBlock] {
        switch self {
        case .verified(let t), .failed(_, let t): t
        }
    }
}

extension CometBFTLightVerifier {
    /// The most light blocks one skipping verification fetches by default: bisection by 9/16 needs
    /// about 76 levels to cross 2^63 heights, so 128 is never reached by an honest provider.
    public static let maximumFetches = 128

    /// Skipping (bisection) verification, as `light.Client.verifySkipping`: try the target from the
    /// latest verified block; when the trusted validators' share is too small
    /// (``CometBFTVerdict/notEnoughTrust(_:)``), fetch a pivot at `trusted + (target − trusted)·9/16`
    /// and try that first. One signature cache serves the whole run, so no vote is verified twice.
    ///
    /// ```swift
    /// var cache = CometBFTSignatureCache()
    /// let result = await verifier.verifySkipping(from: trusted, to: 1_000, provider: node, now: now, cache: &cache)
    /// if let target = result.target { /* trusted now */ }
    /// ```
    /// - Parameters:
    ///   - trusted: the trusted light block (its next validator set included).
    ///   - height: the target height, above the trusted one.
    ///   - provider: where the blocks come from.
    ///   - now: the verification time.
    ///   - maximumFetches: the most blocks to fetch before failing with `cometbft.too-many-fetches`.
    ///   - cache: the signature cache, shared across calls if wanted.
    /// - Returns: the trace, or the first failure with what verified before it.
    public func verifySkipping(from trusted: CometBFTLightBlock, to height: Int64, provider: some LightBlockProvider,
                               now: CometBFTTime, maximumFetches: Int = Self.maximumFetches,
                               cache: inout CometBFTSignatureCache) async -> CometBFTSkippingResult {
        var run = SkippingBisection(verifier: self, trusted: trusted, target: height, now: now, maximumFetches: maximumFetches)
        while true {
            switch run.step() {
            case .done(let result):
                return result
            case .fetch(let h):
                let fetched: Result<CometBFTLightBlock, any Error>
                do {
                    fetched = .success(try await provider.lightBlock(at: h))
                } catch {
                    fetched = .failure(error)
                }
                run.receive(fetched, providerID: provider.id, cache: &cache)
            }
        }
    }

    /// Skipping verification over a synchronous source of light blocks (a file, a fixture, memory):
    /// the same bisection as the `async` variant.
    ///
    /// ```swift
    /// let result = verifier.verifySkipping(from: trusted, to: 40, providerID: "file", now: now, cache: &cache) { h in
    ///     try store.block(at: h)
    /// }
    /// ```
    /// - Parameters:
    ///   - trusted: the trusted light block (its next validator set included).
    ///   - height: the target height, above the trusted one.
    ///   - providerID: the source's name, for failure reasons.
    ///   - now: the verification time.
    ///   - maximumFetches: the most blocks to fetch before failing with `cometbft.too-many-fetches`.
    ///   - cache: the signature cache.
    ///   - lightBlock: returns the light block at a height, or throws (a ``ConfirmationError`` keeps its
    ///     code; any other error becomes `cometbft.provider-failed`).
    /// - Returns: the trace, or the first failure with what verified before it.
    public func verifySkipping(from trusted: CometBFTLightBlock, to height: Int64, providerID: String, now: CometBFTTime,
                               maximumFetches: Int = Self.maximumFetches, cache: inout CometBFTSignatureCache,
                               lightBlock: (Int64) throws -> CometBFTLightBlock) -> CometBFTSkippingResult {
        var run = SkippingBisection(verifier: self, trusted: trusted, target: height, now: now, maximumFetches: maximumFetches)
        while true {
            switch run.step() {
            case .done(let result):
                return result
            case .fetch(let h):
                run.receive(Result { try lightBlock(h) }, providerID: providerID, cache: &cache)
            }
        }
    }
}

/// The bisection between fetches, shared by the `async` and synchronous entry points: ``step()`` says
/// which height to fetch (or gives the result), ``receive(_:providerID:cache:)`` takes the answer.
struct SkippingBisection {
    enum Step {
        case fetch(Int64)
        case done(CometBFTSkippingResult)
    }

    enum Phase {
        case waiting(Int64)
        case finished(CometBFTSkippingResult)
    }

    let verifier: CometBFTLightVerifier
    let now: CometBFTTime
    let maximumFetches: Int
    var trace: [CometBFTLightBlock]
    var state: CometBFTTrustedState?
    var pending: [CometBFTLightBlock] = []  // blocks to verify, target first, pivots after
    var depth = 0
    var fetches = 0
    var phase: Phase

    init(verifier: CometBFTLightVerifier, trusted: CometBFTLightBlock, target: Int64, now: CometBFTTime, maximumFetches: Int) {
        self.verifier = verifier
        self.now = now
        self.maximumFetches = maximumFetches
        trace = [trusted]
        do {
            state = try CometBFTTrustedState(trusted)
        } catch {
            phase = .finished(.failed(Self.failure(error), trace: [trusted]))
            return
        }
        guard target > trusted.height else {
            phase = .finished(.failed(PolicyFailure(.cometNonIncreasingHeight, "target height \(target) is not above \(trusted.height)"),
                                      trace: [trusted]))
            return
        }
        phase = .waiting(target)
    }

    /// A thrown error as a failure: a ``ConfirmationError`` keeps its code.
    static func failure(_ error: any Error, providerID: String? = nil) -> PolicyFailure {
        if let error = error as? ConfirmationError { return PolicyFailure(error.code, error.reason) }
        return PolicyFailure(.cometProviderFailed, providerID.map { "provider \($0): \(error)" } ?? "\(error)")
    }

    /// The next height to fetch (counted against the limit), or the result.
    mutating func step() -> Step {
        switch phase {
        case .finished(let result):
            return .done(result)
        case .waiting(let h):
            fetches += 1
            guard fetches <= maximumFetches else {
                let result = CometBFTSkippingResult.failed(
                    PolicyFailure(.cometTooManyFetches, "more than \(maximumFetches) light blocks fetched"), trace: trace)
                phase = .finished(result)
                return .done(result)
            }
            return .fetch(h)
        }
    }

    /// Takes the provider's answer for the height ``step()`` asked for, and verifies until the next
    /// fetch or the end.
    mutating func receive(_ fetched: Result<CometBFTLightBlock, any Error>, providerID: String, cache: inout CometBFTSignatureCache) {
        guard case .waiting(let h) = phase else { return }
        switch fetched {
        case .success(let block):
            guard block.height == h else {
                phase = .finished(.failed(PolicyFailure(.cometProviderFailed, "provider \(providerID) returned height \(block.height) for \(h)"),
                                          trace: trace))
                return
            }
            pending.append(block)
        case .failure(let error):
            phase = .finished(.failed(Self.failure(error, providerID: providerID), trace: trace))
            return
        }
        advance(cache: &cache)
    }

    /// Verifies pending blocks until one more is needed or the run ends.
    mutating func advance(cache: inout CometBFTSignatureCache) {
        while let trusted = state, pending.indices.contains(depth) {
            let candidate = pending[depth]
            switch verifier.verify(candidate, trusted: trusted, now: now, cache: &cache) {
            case .success:
                do {
                    state = try CometBFTTrustedState(candidate)
                } catch {
                    phase = .finished(.failed(Self.failure(error), trace: trace))
                    return
                }
                trace.append(candidate)
                if depth == 0 {
                    phase = .finished(.verified(trace: trace))
                    return
                }
                pending.removeSubrange(depth...)
                depth = 0
            case .notEnoughTrust(let failure):
                depth += 1
                if depth == pending.count {
                    let from = trusted.header.height
                    let gap = candidate.height - from  // > 1: adjacent blocks never lack trust
                    let pivot = from + gap / 16 * 9 + gap % 16 * 9 / 16
                    guard pivot > from, pivot < candidate.height else {
                        phase = .finished(.failed(failure, trace: trace))
                        return
                    }
                    phase = .waiting(pivot)
                    return
                }
            case .invalid(let failure):
                phase = .finished(.failed(failure, trace: trace))
                return
            }
        }
    }
}

extension CometBFTTrustedState {
    /// The trusted block as a light block.
    public var lightBlock: CometBFTLightBlock {
        CometBFTLightBlock(signedHeader: signedHeader, validatorSet: validators, nextValidatorSet: nextValidators)
    }
}

extension ConfirmationError.Code {
    /// A provider has no block at the height asked.
    public static let cometProviderMissingBlock = Self("cometbft.provider-missing-block")
    /// A provider failed or answered for another height.
    public static let cometProviderFailed = Self("cometbft.provider-failed")
    /// Skipping verification fetched more blocks than its limit (``CometBFTLightVerifier/maximumFetches`` by default).
    public static let cometTooManyFetches = Self("cometbft.too-many-fetches")
}
