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
    /// The most light blocks one skipping verification fetches: bisection by 9/16 needs about 76
    /// levels to cross 2^63 heights, so 128 is never reached by an honest provider.
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
    ///   - cache: the signature cache, shared across calls if wanted.
    /// - Returns: the trace, or the first failure with what verified before it.
    public func verifySkipping(from trusted: CometBFTLightBlock, to height: Int64, provider: some LightBlockProvider,
                               now: CometBFTTime, cache: inout CometBFTSignatureCache) async -> CometBFTSkippingResult {
        var trace = [trusted]
        var state: CometBFTTrustedState
        do {
            state = try CometBFTTrustedState(trusted)
        } catch let error as ConfirmationError {
            return .failed(PolicyFailure(error.code, error.reason), trace: trace)
        } catch {
            return .failed(PolicyFailure(.cometProviderFailed, "\(error)"), trace: trace)
        }
        guard height > trusted.height else {
            return .failed(PolicyFailure(.cometNonIncreasingHeight, "target height \(height) is not above \(trusted.height)"), trace: trace)
        }
        var pending: [CometBFTLightBlock] = []  // blocks to verify, target first, pivots after
        var fetches = 0
        func fetch(_ h: Int64) async -> Fetched {
            fetches += 1
            guard fetches <= Self.maximumFetches else {
                return .failed(PolicyFailure(.cometTooManyFetches, "more than \(Self.maximumFetches) light blocks fetched"))
            }
            do {
                let block = try await provider.lightBlock(at: h)
                guard block.height == h else {
                    return .failed(PolicyFailure(.cometProviderFailed, "provider \(provider.id) returned height \(block.height) for \(h)"))
                }
                return .block(block)
            } catch let error as ConfirmationError {
                return .failed(PolicyFailure(error.code, error.reason))
            } catch {
                return .failed(PolicyFailure(.cometProviderFailed, "provider \(provider.id): \(error)"))
            }
        }
        switch await fetch(height) {
        case .block(let block): pending.append(block)
        case .failed(let failure): return .failed(failure, trace: trace)
        }
        var depth = 0
        while true {
            let candidate = pending[depth]
            switch verify(candidate, trusted: state, now: now, cache: &cache) {
            case .success:
                do {
                    state = try CometBFTTrustedState(candidate)
                } catch let error as ConfirmationError {
                    return .failed(PolicyFailure(error.code, error.reason), trace: trace)
                } catch {
                    return .failed(PolicyFailure(.cometProviderFailed, "\(error)"), trace: trace)
                }
                trace.append(candidate)
                if depth == 0 { return .verified(trace: trace) }
                pending.removeSubrange(depth...)
                depth = 0
            case .notEnoughTrust(let failure):
                if depth == pending.count - 1 {
                    let from = state.header.height
                    let gap = candidate.height - from  // > 1: adjacent blocks never lack trust
                    let pivot = from + gap / 16 * 9 + gap % 16 * 9 / 16
                    guard pivot > from, pivot < candidate.height else {
                        return .failed(failure, trace: trace)
                    }
                    switch await fetch(pivot) {
                    case .block(let block): pending.append(block)
                    case .failed(let failure): return .failed(failure, trace: trace)
                    }
                }
                depth += 1
            case .invalid(let failure):
                return .failed(failure, trace: trace)
            }
        }
    }
}

/// A fetched block or why there is none.
enum Fetched {
    case block(CometBFTLightBlock)
    case failed(PolicyFailure)
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
    /// Skipping verification fetched more blocks than ``CometBFTLightVerifier/maximumFetches``.
    public static let cometTooManyFetches = Self("cometbft.too-many-fetches")
}
