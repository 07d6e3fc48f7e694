import ConfirmationKit
@testable import ConfirmationKitCometBFT
import Foundation
import Testing

@Suite struct CometBFTEncodingTests {
    @Test func ed25519SigningMatchesRFC8032TestOne() throws {
        let key = try Ed25519PrivateKey(seed: Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
        #expect(Hex.encode(key.publicKey.rawRepresentation) == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        let signature = try key.signature(for: [])
        #expect(Hex.encode(signature) == "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
        #expect(key.publicKey.isValidSignature(signature, for: []))
        #expect(!key.publicKey.isValidSignature(signature, for: [0]))
    }

    /// cometbft `types/vote_test.go` TestVoteSignBytesTestVectors, the PRECOMMIT case at height 1,
    /// round 1, zero time and no chain id.
    @Test func voteSignBytesMatchCometBFTVector() {
        let bytes = CometBFTCommit.canonicalVoteSignBytes(chainID: "", height: 1, round: 1, blockID: .zero, time: .goZero)
        #expect(bytes == [0x21, 0x08, 0x02, 0x11, 1, 0, 0, 0, 0, 0, 0, 0, 0x19, 1, 0, 0, 0, 0, 0, 0, 0,
                          0x2a, 0x0b, 0x08, 0x80, 0x92, 0xb8, 0xc3, 0x98, 0xfe, 0xff, 0xff, 0xff, 0x01])
        // Round 0 disappears; a chain id is appended as field 6.
        let zeroRound = CometBFTCommit.canonicalVoteSignBytes(chainID: "c", height: 1, round: 0, blockID: .zero, time: .unixEpoch)
        #expect(zeroRound == [0x10, 0x08, 0x02, 0x11, 1, 0, 0, 0, 0, 0, 0, 0, 0x2a, 0x00, 0x32, 0x01, 0x63])
    }

    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0), Int32(0)),
        ("0001-01-01T00:00:00Z", Int64(-62_135_596_800), Int32(0)),
        ("2024-07-16T21:21:11.200637657Z", Int64(1_721_164_871), Int32(200_637_657)),
        ("2023-05-17T14:12:53.6Z", Int64(1_684_332_773), Int32(600_000_000)),
        ("2000-02-29T23:59:59+01:00", Int64(951_865_199), Int32(0)),
        ("9999-12-31T23:59:59.999999999Z", Int64(253_402_300_799), Int32(999_999_999)),
    ])
    func timeParsing(text: String, seconds: Int64, nanos: Int32) throws {
        let time = try CometBFTTime(rfc3339: text)
        #expect(time.seconds == seconds)
        #expect(time.nanos == nanos)
        #expect(try CometBFTTime(rfc3339: time.rfc3339) == time)
    }

    @Test(arguments: ["", "2024-07-16", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-01T24:00:00Z",
                      "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00.1234567890Z", "2024-01-01T00:00:00", "0000-01-01T00:00:00Z",
                      "2024-01-01T00:00:00Zx", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00+0100"])
    func timeRejects(text: String) {
        #expect(throws: ConfirmationError(.cometInvalidTime, "")) { try CometBFTTime(rfc3339: text) }
    }

    @Test func durations() throws {
        #expect(try CometBFTDuration(seconds: "10.5").nanoseconds == 10_500_000_000)
        #expect(try CometBFTDuration(seconds: "0.000000001").nanoseconds == 1)
        #expect(try CometBFTDuration(seconds: "9223372036.854775807").nanoseconds == Int64.max)
        for bad in ["", "-1", "1.", ".5", "1e3", "1.0000000001", "99999999999999", "99999999999", "9223372037"] {
            #expect(throws: ConfirmationError(.cometInvalidDuration, "")) { try CometBFTDuration(seconds: bad) }
        }
        let t = try CometBFTTime(rfc3339: "1970-01-01T00:00:01.9Z")
        #expect(t.adding(try CometBFTDuration(seconds: "0.2")) == (try CometBFTTime(rfc3339: "1970-01-01T00:00:02.1Z")))
    }

    @Test func trustLevels() throws {
        #expect(try CometBFTTrustLevel(parsing: "1/3") == .oneThird)
        #expect(try CometBFTTrustLevel(parsing: "1/1").numerator == 1)
        #expect(try CometBFTTrustLevel(parsing: "2/3").denominator == 3)
        for bad in ["1/4", "4/3", "0/1", "1/0", "1", "a/b", "1/3/1", "-1/3"] {
            #expect(throws: ConfirmationError(.cometInvalidTrustLevel, "")) { try CometBFTTrustLevel(parsing: bad) }
        }
    }

    @Test func strictJSON() throws {
        func block(_ mutate: (inout String) -> Void) throws -> CometBFTLightBlock {
            var text = Self.minimalLightBlock
            mutate(&text)
            return try CometBFTJSON.lightBlock(from: Data(text.utf8))
        }
        _ = try block { _ in }
        #expect(throws: ConfirmationError(.hexInvalidCharacter, "")) { try block { $0 = $0.replacingOccurrences(of: "\"data_hash\": \"\"", with: "\"data_hash\": \"zz\"") } }
        #expect(throws: ConfirmationError(.inputTooLong, "")) { try block { $0 = $0.replacingOccurrences(of: "\"data_hash\": \"\"", with: "\"data_hash\": \"" + String(repeating: "00", count: 33) + "\"") } }
        #expect(throws: ConfirmationError(.cometInvalidBlockIDFlag, "")) { try block { $0 = $0.replacingOccurrences(of: "\"block_id_flag\": 2", with: "\"block_id_flag\": 0") } }
        #expect(throws: ConfirmationError(.cometAddressMismatch, "")) { try block { $0 = $0.replacingOccurrences(of: "\"address\": \"0616A636E7D0579A632EC37ED3C3F2B7E8522A0A\"", with: "\"address\": \"0616A636E7D0579A632EC37ED3C3F2B7E8522A0B\"") } }
        #expect(throws: ConfirmationError(.cometNegativeVotingPower, "")) { try block { $0 = $0.replacingOccurrences(of: "\"voting_power\": \"50\"", with: "\"voting_power\": \"-50\"") } }
        #expect(throws: ConfirmationError(.cometTotalVotingPowerOverflow, "")) { try block { $0 = $0.replacingOccurrences(of: "\"voting_power\": \"50\"", with: "\"voting_power\": \"1152921504606846976\"") } }
        #expect(throws: ConfirmationError(.cometUnsupportedKeyType, "")) { try block { $0 = $0.replacingOccurrences(of: "tendermint/PubKeyEd25519", with: "tendermint/PubKeySr25519") } }
        #expect(throws: ConfirmationError(.base64Invalid, "")) { try block { $0 = $0.replacingOccurrences(of: "kwd8trZ8t5ASwgUbBEAnDq49nRRrrKvt2onhS4JSfQM=", with: "kwd8trZ8t5ASwgUbBEAnDq49nRRrrKvt2onhS4JSfQM") } }
        #expect(throws: ConfirmationError(.cometMalformedJSON, "")) { try block { $0 = $0.replacingOccurrences(of: "\"height\": \"1\"", with: "\"height\": \"1.0\"") } }
        #expect(throws: ConfirmationError(.cometMalformedJSON, "")) { try block { $0.removeLast(3) } }
        #expect(throws: ConfirmationError(.cometInvalidTime, "")) { try block { $0 = $0.replacingOccurrences(of: "\"time\": \"1970-01-01T00:00:01Z\"", with: "\"time\": \"yesterday\"") } }
    }

    @Test func pagedValidatorsAreRefused() throws {
        let page = """
            {"jsonrpc": "2.0", "id": 1, "result": {"block_height": "5", "count": "1", "total": "2", "validators": [
              {"address": "0616A636E7D0579A632EC37ED3C3F2B7E8522A0A", "voting_power": "50", "proposer_priority": "0",
               "pub_key": {"type": "tendermint/PubKeyEd25519", "value": "kwd8trZ8t5ASwgUbBEAnDq49nRRrrKvt2onhS4JSfQM="}}]}}
            """
        #expect(throws: ConfirmationError(.cometIncompleteValidatorSet, "")) { try CometBFTJSON.validatorSet(from: Data(page.utf8)) }
        let whole = page.replacingOccurrences(of: "\"total\": \"2\"", with: "\"total\": \"1\"")
        #expect(try CometBFTJSON.validatorSet(from: Data(whole.utf8)).count == 1)
    }

    /// A one-validator light block (key from the model-based fixtures), enough for parser checks.
    static let minimalLightBlock = """
        {"signed_header": {"header": {"version": {"block": "11", "app": "0"}, "chain_id": "test-chain", "height": "1",
          "time": "1970-01-01T00:00:01Z", "last_block_id": null, "last_commit_hash": "", "data_hash": "",
          "validators_hash": "", "next_validators_hash": "", "consensus_hash": "", "app_hash": "", "last_results_hash": "",
          "evidence_hash": "", "proposer_address": "0616A636E7D0579A632EC37ED3C3F2B7E8522A0A"},
          "commit": {"height": "1", "round": 1, "block_id": {"hash": "", "part_set_header": {"total": 1, "hash": ""}},
          "signatures": [{"block_id_flag": 2, "validator_address": "0616A636E7D0579A632EC37ED3C3F2B7E8522A0A",
          "timestamp": "1970-01-01T00:00:01Z", "signature": "b4EEs6bu0AC1twxXA0e8UbhV9NwmUqGTGswdi6BOuSggQ5MagG+N89/Y9586132/L/NJsoBJ9TqSHwtWMigWCA=="}]}},
         "validator_set": {"validators": [{"address": "0616A636E7D0579A632EC37ED3C3F2B7E8522A0A",
          "pub_key": {"type": "tendermint/PubKeyEd25519", "value": "kwd8trZ8t5ASwgUbBEAnDq49nRRrrKvt2onhS4JSfQM="},
          "voting_power": "50"}]}}
        """
}
