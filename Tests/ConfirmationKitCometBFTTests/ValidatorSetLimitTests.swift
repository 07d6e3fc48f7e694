import ConfirmationKit
import ConfirmationKitCometBFT
import ConfirmationVectors
import Foundation
import Testing

/// `MaxVotesCount` on validator sets: the initialiser's own bound (which no JSON input can reach,
/// because the decoder bounds the list first), and the decoder's bound.
@Suite struct CometBFTValidatorSetLimitTests {
    @Test func theInitialiserRefusesMoreThanMaxVotesCountValidators() throws {
        let one = try CometBFTSimValidator(id: "limit", power: 1).validator()
        let maximum = CometBFTValidatorSet.maximumValidators
        #expect(throws: ConfirmationError(.cometTooManyValidators, "")) {
            try CometBFTValidatorSet(validators: Array(repeating: one, count: maximum + 1))
        }
        // At the limit the count is accepted and the next rule (distinct addresses) decides.
        #expect(throws: ConfirmationError(.cometDuplicateValidator, "")) {
            try CometBFTValidatorSet(validators: Array(repeating: one, count: maximum))
        }
    }

    @Test func theDecoderBoundsTheListBeforeBuildingTheSet() throws {
        let maximum = CometBFTValidatorSet.maximumValidators
        let document = "{\"validators\":[" + Array(repeating: "0", count: maximum + 1).joined(separator: ",") + "]}"
        #expect(throws: ConfirmationError(.cometTooManyEntries, "")) { try CometBFTJSON.validatorSet(from: Data(document.utf8)) }
    }
}
