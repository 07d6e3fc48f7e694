import ConfirmationKit
import ConfirmationKitCometBFT
public import Foundation

/// `cometbft-skipping.json`: skipping (bisection) verification from a trusted light block to a target
/// height over a provider modelled in the file: the chain's light blocks, heights the provider lacks,
/// heights where it fails, and a fetch limit.
public struct CometBFTSkippingVectors: VectorSuite {
    public init() {}

    public var fileName: String { "cometbft-skipping.json" }

    /// One case: a run over the group's chain.
    public struct Test: Codable, Sendable {
        /// The case id, unique in the file.
        public var tcId: Int
        /// What the case is about.
        public var comment: String
        /// Flags explained in the file's `notes`.
        public var flags: [String]
        /// The height to verify.
        public var targetHeight: Int64
        /// Heights of the group's chain the provider does not have.
        public var missingHeights: [Int64]
        /// Heights at which the provider fails (a transport error, not a `ConfirmationError`).
        public var failingHeights: [Int64]
        /// The most light blocks the run may fetch.
        public var maximumFetches: Int
        /// Trust level `N/D`.
        public var trustLevel: String
        /// The trusting period, decimal seconds.
        public var trustingPeriod: String
        /// The clock drift, decimal seconds.
        public var clockDrift: String
        /// The verification time, RFC 3339.
        public var now: String
        /// `valid` or `invalid`.
        public var result: VectorResult
        /// The failure code (invalid cases).
        public var error: String?
        /// The heights verified, the trusted one first (for invalid cases, those verified before the failure).
        public var trace: [Int64]
    }

    /// A chain and the runs over it.
    public struct Group: Codable, Sendable {
        /// What the group is about.
        public var comment: String
        /// The trusted light block (with `next_validator_set`).
        public var trusted: JSONValue
        /// The light blocks the provider holds, by height.
        public var blocks: [JSONValue]
        /// The cases.
        public var tests: [Test]
    }

    public func generate() throws -> Data {
        let groups = try CometBFTVectorCases().skippingGroups()
        let file = VectorFile(
            schema: "confirmationkit-cometbft-skipping-v1", algorithm: "cometbft-light-verify-skipping",
            header: [
                "CometBFT skipping verification (light.Client.verifySkipping): try the target from the latest",
                "verified block; on notEnoughTrust fetch a pivot at trusted + (target - trusted) * 9/16 and try it",
                "first. Each light block is checked as in cometbft-light.json. The provider serves `blocks` by height",
                "except `missingHeights` (cometbft.provider-missing-block) and `failingHeights` (a transport error,",
                "cometbft.provider-failed); fetching more than `maximumFetches` blocks is cometbft.too-many-fetches.",
                "`trace` lists the verified heights. See Docs/cometbft-astria.md.",
            ],
            notes: [
                "Rotation": "each height replaces one of four equal validators, so a quarter of the power leaves per height",
                "FetchLimit": "the fetch limit counts the target and every pivot",
            ],
            testGroups: groups, numberOfTests: groups.reduce(0) { $0 + $1.tests.count })
        return try VectorJSON.encode(file)
    }

    public func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<Group>.self, from: data)
        return file.testGroups.flatMap { group in group.tests.map { Self.run($0, group: group) } }
    }

    /// The error a failing provider throws: not a `ConfirmationError`, as a network error would not be.
    struct ProviderUnreachable: Error, CustomStringConvertible {
        var height: Int64
        var description: String { "connection refused fetching height \(height)" }
    }

    static func run(_ test: Test, group: Group) -> VectorOutcome {
        do {
            let options = CometBFTVerificationOptions(
                trustLevel: try CometBFTTrustLevel(parsing: test.trustLevel),
                trustingPeriod: try CometBFTDuration(seconds: test.trustingPeriod),
                clockDrift: try CometBFTDuration(seconds: test.clockDrift))
            let trusted = try CometBFTJSON.lightBlock(from: group.trusted.data())
            let missing = Set(test.missingHeights)
            let blocks = try group.blocks.map { try CometBFTJSON.lightBlock(from: $0.data()) }.filter { !missing.contains($0.height) }
            let provider = InMemoryLightBlockProvider(id: "vector", blocks: blocks)
            let failing = Set(test.failingHeights)
            var cache = CometBFTSignatureCache()
            let result = CometBFTLightVerifier(options: options).verifySkipping(
                from: trusted, to: test.targetHeight, providerID: provider.id, now: try CometBFTTime(rfc3339: test.now),
                maximumFetches: test.maximumFetches, cache: &cache
            ) { height in
                if failing.contains(height) { throw ProviderUnreachable(height: height) }
                return try provider.block(at: height)
            }
            let trace = result.trace.map(\.height)
            switch result {
            case .verified:
                let ok = test.result == .valid && test.trace == trace
                return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "verified through \(trace)")
            case .failed(let failure, _):
                let ok = test.result == .invalid && test.error == failure.code.rawValue && test.trace == trace
                return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "failed with \(failure) after \(trace)")
            }
        } catch {
            return VectorOutcome(tcId: test.tcId, passed: false, detail: "threw \(error)")
        }
    }
}

extension CometBFTVectorCases {
    func skippingGroups() throws -> [CometBFTSkippingVectors.Group] {
        // Heights 1...9; height h is signed by validators h...h+3 (power 10 each), so the trusted
        // next set shares 3, 2, 1, 0 validators with heights h+2, h+3, h+4, h+5.
        let pool = try validators("rot-", Array(repeating: 10, count: 14))
        func window(_ h: Int64) -> [CometBFTSimValidator] { Array(pool[Int(h)..<Int(h) + 4]) }
        let heights = Array(Int64(1)...9)
        let chain = try heights.map { h in try self.chain.lightBlock(height: h, time: time(h), validators: window(h), next: window(h + 1)) }
        let now = time(12)
        var id = 0
        func test(_ comment: String, _ flags: [String] = [], target: Int64 = 9, missing: [Int64] = [], failing: [Int64] = [],
                  maximumFetches: Int = CometBFTLightVerifier.maximumFetches, error: ConfirmationError.Code? = nil,
                  trace: [Int64]) -> CometBFTSkippingVectors.Test {
            id += 1
            return .init(tcId: id, comment: comment, flags: flags, targetHeight: target, missingHeights: missing, failingHeights: failing,
                         maximumFetches: maximumFetches, trustLevel: "1/3", trustingPeriod: "3600", clockDrift: "10", now: now.rfc3339,
                         result: error == nil ? .valid : .invalid, error: error?.rawValue, trace: trace)
        }
        func group(_ comment: String, _ blocks: [CometBFTLightBlock], _ tests: [CometBFTSkippingVectors.Test]) throws -> CometBFTSkippingVectors.Group {
            .init(comment: comment, trusted: try Self.json(CometBFTJSON.encode(blocks[0])),
                  blocks: try blocks.dropFirst().map { try Self.json(CometBFTJSON.encode($0)) }, tests: tests)
        }

        // 1 → 9 lacks trust, so does 1 → 5; 1 → 3 verifies, then 3 → 5; 5 → 9 lacks trust, 5 → 7 and 7 → 9 verify:
        // fetches 9, 5, 3, 7.
        let rotating = [
            test("bisection through pivots 5, 3 and 7", ["Rotation"], trace: [1, 3, 5, 7, 9]),
            test("a fetch limit of exactly the four fetches needed", ["Rotation", "FetchLimit"], maximumFetches: 4, trace: [1, 3, 5, 7, 9]),
            test("a fetch limit of three", ["Rotation", "FetchLimit"], maximumFetches: 3, error: .cometTooManyFetches, trace: [1, 3, 5]),
            test("the provider lacks pivot 3", ["Rotation"], missing: [3], error: .cometProviderMissingBlock, trace: [1]),
            test("the provider fails at pivot 5", ["Rotation"], failing: [5], error: .cometProviderFailed, trace: [1]),
            test("the provider fails at pivot 7 after 3 and 5 verified", ["Rotation"], failing: [7], error: .cometProviderFailed,
                 trace: [1, 3, 5]),
            test("target at the trusted height", ["Rotation"], target: 1, error: .cometNonIncreasingHeight, trace: [1]),
        ]

        var forged = chain
        forged[2].signedHeader.commit.signatures[1].signature[0] ^= 1
        let forgedTests = [
            test("pivot 3 carries a bad signature", ["Rotation"], error: .cometInvalidSignature, trace: [1]),
        ]
        return [
            try group("a chain whose validators rotate by a quarter per height", chain, rotating),
            try group("the same chain with a forged signature at height 3", forged, forgedTests),
        ]
    }
}
