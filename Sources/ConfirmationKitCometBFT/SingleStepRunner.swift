import ConfirmationKit
public import Foundation

/// Runs tendermint-rs's model-based single-step light-client fixtures
/// (`light-client/tests/support/model_based/single_step/*.json`).
///
/// Each file gives a trusted state (signed header, next validator set, trusting period in ns) and a
/// list of steps (light block, `now`, expected verdict `SUCCESS` / `NOT_ENOUGH_TRUST` / `INVALID`).
/// As tendermint-rs's runner does: trust level 1/3, clock drift 0, and the trusted state advances to
/// the step's block after each success.
public enum SingleStepRunner {
    /// One step's result.
    public struct Outcome: Sendable, Hashable {
        /// The step index.
        public let step: Int
        /// The verdict the fixture expects (`SUCCESS`, `NOT_ENOUGH_TRUST`, `INVALID`).
        public let expected: String
        /// The verdict computed, in the same spelling.
        public let actual: String
        /// The failure code and reason, if any.
        public let detail: String
    }

    /// Runs every step of one fixture file.
    /// - Throws: ``ConfirmationError`` when the file is malformed.
    public static func run(_ data: Data) throws -> [Outcome] {
        let root = try JSONNode(parsing: data)
        let initial = try root.field("initial")
        let initialBlock = CometBFTLightBlock(
            signedHeader: try CometBFTJSON.signedHeader(initial.field("signed_header")),
            validatorSet: nil,
            nextValidatorSet: try CometBFTJSON.validatorSet(initial.field("next_validator_set")))
        var trusted = try CometBFTTrustedState(initialBlock)
        let period = try CometBFTDuration(nanosecondsText: initial.field("trusting_period").string())
        let verifier = CometBFTLightVerifier(options: CometBFTVerificationOptions(
            trustLevel: .oneThird, trustingPeriod: period, clockDrift: .zero))
        var outcomes: [Outcome] = []
        for (i, step) in try root.field("input").array(maximum: 1000).enumerated() {
            let expected = try step.field("verdict").string()
            let now = try step.field("now").time()
            let block = try CometBFTJSON.lightBlock(step.field("block"))
            var cache = CometBFTSignatureCache()
            let verdict = verifier.verify(block, trusted: trusted, now: now, cache: &cache)
            let actual: String
            switch verdict {
            case .success: actual = "SUCCESS"
            case .notEnoughTrust: actual = "NOT_ENOUGH_TRUST"
            case .invalid: actual = "INVALID"
            }
            outcomes.append(Outcome(step: i, expected: expected, actual: actual,
                                    detail: verdict.failure?.description ?? "verified"))
            if case .success = verdict {
                trusted = try CometBFTTrustedState(block)
            }
        }
        return outcomes
    }
}
