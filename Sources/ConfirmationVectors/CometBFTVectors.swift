import ConfirmationKit
import ConfirmationKitCometBFT
public import Foundation

/// `cometbft-commit.json`: signed headers checked against validator sets as `confirm cometbft
/// verify-commit` does (header rules, `validators_hash`, every non-absent signature, +2/3), with
/// regression cases for the bugs other verifiers shipped.
public struct CometBFTCommitVectors: VectorSuite {
    public init() {}

    public var fileName: String { "cometbft-commit.json" }

    /// One case.
    public struct Test: Codable, Sendable {
        /// The case id, unique in the file.
        public var tcId: Int
        /// What the case (or group) is about.
        public var comment: String
        /// Flags explained in the file's `notes`.
        public var flags: [String]
        /// `{header, commit}` as CometBFT's RPC writes it.
        public var signedHeader: JSONValue
        /// `{validators: […]}`, in any order.
        public var validators: JSONValue
        /// `valid` or `invalid`.
        public var result: VectorResult
        /// The expected error code (invalid cases).
        public var error: String?
        /// Valid cases: the header hash (uppercase hex).
        public var headerHash: String?
        /// Valid cases: the validator-set hash (uppercase hex).
        public var validatorsHash: String?
        /// Valid cases: the sign bytes of commit slot 0 (hex).
        public var signBytes0: String?
        /// Valid cases: the voting power that signed COMMIT.
        public var signedPower: Int64?
    }

    /// A group of cases.
    public struct Group: Codable, Sendable {
        /// What the case (or group) is about.
        public var comment: String
        /// The cases.
        public var tests: [Test]
    }

    public func generate() throws -> Data {
        let groups = try CometBFTVectorCases().commitGroups()
        let file = VectorFile(
            schema: "confirmationkit-cometbft-commit-v1", algorithm: "cometbft-verify-commit",
            header: [
                "CometBFT commits checked against a validator set (types/validation.go VerifyCommit plus",
                "SignedHeader.ValidateBasic and validators_hash). Validators may be listed in any order; they are",
                "sorted by power descending, then address. Invalid cases give the first failed rule's code or the",
                "decoder's code. Inputs use CometBFT's JSON conventions (uppercase hex hashes, base64 keys and",
                "signatures, int64 as strings), not the 0x-hex default. See Docs/cometbft-astria.md.",
            ],
            notes: [
                "AbsentOnly": "tendermint-rs#650: a commit with only absent signatures must not verify",
                "NilNotCounted": "tendermint-rs#282: NIL votes are verified but never counted",
                "ExactTwoThirds": "signed power equal to 2/3 of the total is not enough",
                "AddressAtIndex": "a valid signature by another validator at index i must not count for validator i",
                "PowerBounds": "negative powers and totals above Int64.max/8 are rejected (cardano-ibc-incubator#668)",
                "Secp256k1": "secp256k1 validator keys: RIPEMD-160(SHA-256(key)) addresses, ECDSA over SHA-256, low S only",
            ],
            testGroups: groups, numberOfTests: groups.reduce(0) { $0 + $1.tests.count })
        return try VectorJSON.encode(file)
    }

    public func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<Group>.self, from: data)
        return file.testGroups.flatMap(\.tests).map(Self.run)
    }

    static func run(_ test: Test) -> VectorOutcome {
        do {
            let signed = try CometBFTJSON.signedHeader(from: test.signedHeader.data())
            let set = try CometBFTJSON.validatorSet(from: test.validators.data())
            var cache = CometBFTSignatureCache()
            let check = CometBFTCommitVerifier.verifySignedHeader(signed, validators: set, cache: &cache)
            switch check {
            case .verified(let tally):
                let signBytes = signed.commit.voteSignBytes(chainID: signed.header.chainID, index: 0).map { Hex.encode($0) }
                let ok = test.result == .valid && test.signedPower == tally.tallied
                    && test.headerHash == signed.header.hash()?.hex.uppercased()
                    && test.validatorsHash == set.hash().hex.uppercased() && test.signBytes0 == signBytes
                return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "verified with power \(tally.tallied)")
            case .insufficientPower(let failure, _), .invalid(let failure):
                let ok = test.result == .invalid && test.error == failure.code.rawValue
                return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "failed with \(failure)")
            }
        } catch let error as ConfirmationError {
            let ok = test.result == .invalid && test.error == error.code.rawValue
            return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "threw \(error)")
        } catch {
            return VectorOutcome(tcId: test.tcId, passed: false, detail: "threw \(error)")
        }
    }
}

/// `cometbft-light.json`: light-client verification of an untrusted light block from a trusted one
/// (`light.Verify`), as `confirm cometbft verify` does.
public struct CometBFTLightVectors: VectorSuite {
    public init() {}

    public var fileName: String { "cometbft-light.json" }

    /// One case.
    public struct Test: Codable, Sendable {
        /// The case id, unique in the file.
        public var tcId: Int
        /// What the case (or group) is about.
        public var comment: String
        /// Flags explained in the file's `notes`.
        public var flags: [String]
        /// The trusted light block (with `next_validator_set`).
        public var trusted: JSONValue
        /// The light block to verify.
        public var untrusted: JSONValue
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
        /// `success`, `notEnoughTrust` or `invalid`; `malformed` when an input is rejected before
        /// verification (a thrown error, e.g. a trusted block without its next validator set).
        public var verdict: String
        /// The failure code when not `success`.
        public var error: String?
    }

    /// A group of cases.
    public struct Group: Codable, Sendable {
        /// What the case (or group) is about.
        public var comment: String
        /// The cases.
        public var tests: [Test]
    }

    public func generate() throws -> Data {
        let groups = try CometBFTVectorCases().lightGroups()
        let file = VectorFile(
            schema: "confirmationkit-cometbft-light-v1", algorithm: "cometbft-light-verify",
            header: [
                "CometBFT light-client verification (light/verifier.go Verify): adjacent headers need",
                "validators_hash == trusted next_validators_hash and +2/3 of the new set; other heights need more",
                "than the trust level of the trusted next validator set (else notEnoughTrust) and +2/3 of the new set.",
                "Checks run in the order of Docs/cometbft-astria.md; `error` is the first failure's code. Light blocks",
                "use CometBFT's JSON conventions (uppercase hex, base64, int64 as strings); times are RFC 3339.",
            ],
            notes: [
                "DoubleVote": "tendermint-rs#335: a validator signing twice must not be counted twice",
                "TrustLevel": "the trust level is a strict threshold over the trusted next validator set",
                "Time": "trusted.time + period must be after now; the new time must be after the trusted time and before now + drift",
                "ValidateBasic": "ValidatorSet.ValidateBasic and Commit.ValidateBasic run before any signature is checked",
            ],
            testGroups: groups, numberOfTests: groups.reduce(0) { $0 + $1.tests.count })
        return try VectorJSON.encode(file)
    }

    public func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<Group>.self, from: data)
        return file.testGroups.flatMap(\.tests).map(Self.run)
    }

    static func run(_ test: Test) -> VectorOutcome {
        do {
            let options = CometBFTVerificationOptions(
                trustLevel: try CometBFTTrustLevel(parsing: test.trustLevel),
                trustingPeriod: try CometBFTDuration(seconds: test.trustingPeriod),
                clockDrift: try CometBFTDuration(seconds: test.clockDrift))
            let trusted = try CometBFTTrustedState(CometBFTJSON.lightBlock(from: test.trusted.data()))
            let untrusted = try CometBFTJSON.lightBlock(from: test.untrusted.data())
            var cache = CometBFTSignatureCache()
            let verdict = CometBFTLightVerifier(options: options)
                .verify(untrusted, trusted: trusted, now: try CometBFTTime(rfc3339: test.now), cache: &cache)
            let ok = verdict.name == test.verdict && verdict.failure?.code.rawValue == test.error
                && (test.result == .valid) == (verdict == .success)
            return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "\(verdict.name) \(verdict.failure?.description ?? "")")
        } catch let error as ConfirmationError {
            let ok = test.result == .invalid && test.verdict == "malformed" && test.error == error.code.rawValue
            return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "threw \(error)")
        } catch {
            return VectorOutcome(tcId: test.tcId, passed: false, detail: "threw \(error)")
        }
    }
}

/// Builds the CometBFT vector cases from fixed validator ids (deterministic keys and signatures).
struct CometBFTVectorCases {
    let chain = CometBFTChainBuilder(chainID: "confirmationkit-test")
    let t0: CometBFTTime

    init() {
        // 2026-01-01T00:00:00Z; a constant, not the clock.
        t0 = CometBFTTime(unsafeSeconds: 1_767_225_600)
    }

    func time(_ height: Int64) -> CometBFTTime { CometBFTTime(unsafeSeconds: t0.seconds + height * 5) }

    func validators(_ prefix: String, _ powers: [Int64], secp256k1: Bool = false) throws -> [CometBFTSimValidator] {
        try powers.enumerated().map { try CometBFTSimValidator(id: "\(prefix)\($0)", power: $1, secp256k1: secp256k1) }
    }

    /// Unwraps a value the generator's fixed inputs always provide.
    static func required<T>(_ value: T?) throws -> T {
        guard let value else { throw ConfirmationError(.cometMalformedJSON, "vector generator: a fixed input is missing") }
        return value
    }

    static func json(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    static func edit(_ value: JSONValue, _ from: String, _ to: String) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try encoder.encode(value), as: UTF8.self)
        guard text.contains(from) else {
            throw ConfirmationError(.cometMalformedJSON, "vector generator: edit target \(from) not found")
        }
        return try JSONDecoder().decode(JSONValue.self, from: Data(text.replacingOccurrences(of: from, with: to).utf8))
    }

    // MARK: Commit cases

    func commitGroups() throws -> [CometBFTCommitVectors.Group] {
        var id = 0
        func test(_ comment: String, _ flags: [String], _ block: CometBFTLightBlock, validators: CometBFTValidatorSet? = nil,
                  error: ConfirmationError.Code? = nil) throws -> CometBFTCommitVectors.Test {
            id += 1
            let set = try validators ?? Self.required(block.validatorSet)
            var t = CometBFTCommitVectors.Test(
                tcId: id, comment: comment, flags: flags, signedHeader: try Self.json(CometBFTJSON.encode(block.signedHeader)),
                validators: try Self.json(CometBFTJSON.encode(set)), result: error == nil ? .valid : .invalid,
                error: error?.rawValue)
            if error == nil {
                t.headerHash = block.header.hash()?.hex.uppercased()
                t.validatorsHash = set.hash().hex.uppercased()
                t.signBytes0 = block.signedHeader.commit.voteSignBytes(chainID: chain.chainID, index: 0).map { Hex.encode($0) }
                var cache = CometBFTSignatureCache()
                if case .verified(let tally) = CometBFTCommitVerifier.verifySignedHeader(block.signedHeader, validators: set, cache: &cache) {
                    t.signedPower = tally.tallied
                }
            }
            return t
        }
        func raw(_ comment: String, _ flags: [String], _ block: CometBFTLightBlock, validators: JSONValue,
                 error: ConfirmationError.Code) throws -> CometBFTCommitVectors.Test {
            id += 1
            return CometBFTCommitVectors.Test(
                tcId: id, comment: comment, flags: flags, signedHeader: try Self.json(CometBFTJSON.encode(block.signedHeader)),
                validators: validators, result: .invalid, error: error.rawValue)
        }

        let four = try validators("val-", [10, 10, 10, 10])
        let h = Int64(7)
        let all = try chain.lightBlock(height: h, time: time(h), validators: four, next: four)
        let secp = try validators("secp-", [30, 20, 10], secp256k1: true)
        let secpBlock = try chain.lightBlock(height: h, time: time(h), validators: secp, next: secp)
        let mixed = try validators("mixed-", [40, 25, 20, 10, 5])
        let mixedSecp = [mixed[0], mixed[1]] + (try validators("mixed-k-", [20, 10], secp256k1: true))
        let mixedBlock = try chain.lightBlock(height: h, time: time(h), validators: mixedSecp, next: mixedSecp)

        var valid: [CometBFTCommitVectors.Test] = []
        valid.append(try test("all four Ed25519 validators sign", [], all))
        valid.append(try test("three of four sign: 30 > 26", [],
                              try chain.lightBlock(height: h, time: time(h), validators: four, next: four, signers: ["val-0", "val-1", "val-3"])))
        valid.append(try test("three COMMIT and one NIL vote (the NIL signature is verified)", ["NilNotCounted"],
                              try chain.lightBlock(height: h, time: time(h), validators: four, next: four, nilVoters: ["val-2"])))
        valid.append(try test("secp256k1 validators", ["Secp256k1"], secpBlock))
        valid.append(try test("Ed25519 and secp256k1 validators in one set", ["Secp256k1"], mixedBlock))
        valid.append(try test("unequal powers: 40 + 25 of 100", [],
                              try chain.lightBlock(height: h, time: time(h), validators: mixed, next: mixed, signers: ["mixed-0", "mixed-1", "mixed-4"])))

        var regressions: [CometBFTCommitVectors.Test] = []
        regressions.append(try test("only absent signatures", ["AbsentOnly"],
                                    try chain.lightBlock(height: h, time: time(h), validators: four, next: four, signers: []),
                                    error: .cometInsufficientVotingPower))
        regressions.append(try test("two COMMIT and two NIL votes: NIL votes do not count", ["NilNotCounted"],
                                    try chain.lightBlock(height: h, time: time(h), validators: four, next: four, nilVoters: ["val-2", "val-3"]),
                                    error: .cometInsufficientVotingPower))
        let three = try validators("third-", [1, 1, 1])
        regressions.append(try test("exactly two thirds sign (2 of 3)", ["ExactTwoThirds"],
                                    try chain.lightBlock(height: h, time: time(h), validators: three, next: three, signers: ["third-0", "third-1"]),
                                    error: .cometInsufficientVotingPower))
        // Slot 1 carries validator 0's address and a valid signature by validator 0.
        var wrongAddress = all
        let allSet = try Self.required(all.validatorSet)
        let order = allSet.validators.map(\.address)
        let sim0 = try Self.required(four.first { try $0.validator().address == order[0] })
        wrongAddress.signedHeader.commit.signatures[1].validatorAddress = order[0]
        try chain.resign(&wrongAddress.signedHeader.commit, index: 1, with: sim0)
        regressions.append(try test("a valid signature by validator 0 in slot 1", ["AddressAtIndex"], wrongAddress,
                                    error: .cometValidatorAddressMismatch))
        var badSig = all
        badSig.signedHeader.commit.signatures[2].signature[0] ^= 0x80
        regressions.append(try test("one signature altered", [], badSig, error: .cometInvalidSignature))
        var badNil = try chain.lightBlock(height: h, time: time(h), validators: four, next: four, nilVoters: ["val-1"])
        let nilIndex = try Self.required(badNil.signedHeader.commit.signatures.firstIndex { $0.flag == .nil })
        badNil.signedHeader.commit.signatures[nilIndex].signature[3] ^= 1
        regressions.append(try test("an altered NIL signature is rejected although NIL does not count", ["NilNotCounted"], badNil,
                                    error: .cometInvalidSignature))
        var highS = secpBlock
        highS.signedHeader.commit.signatures[0].signature = try ECDSASignature(compact: highS.signedHeader.commit.signatures[0].signature).highSForm()
        regressions.append(try test("secp256k1 signature in high-S form", ["Secp256k1"], highS, error: .cometInvalidSignature))
        var otherChain = all
        let foreign = CometBFTChainBuilder(chainID: "other-chain")
        for (i, slot) in otherChain.signedHeader.commit.signatures.enumerated() {
            let sim = try Self.required(four.first { try $0.validator().address == slot.validatorAddress })
            try foreign.resign(&otherChain.signedHeader.commit, index: i, with: sim)
        }
        regressions.append(try test("votes signed for another chain id", [], otherChain, error: .cometInvalidSignature))

        var structure: [CometBFTCommitVectors.Test] = []
        var missingSlot = all
        missingSlot.signedHeader.commit.signatures.removeLast()
        structure.append(try test("one slot fewer than validators", [], missingSlot, error: .cometSignatureCountMismatch))
        let others = try validators("other-", [10, 10, 10, 10])
        structure.append(try test("validator set of another block", [], all, validators: try chain.set(others),
                                  error: .cometValidatorsHashMismatch))
        var otherBlock = all
        otherBlock.signedHeader.commit.blockID.hash = SHA256.hash(Array("another block".utf8)).bytes
        structure.append(try test("the commit signs another block", [], otherBlock, error: .cometCommitBlockMismatch))
        var version = all
        version.signedHeader.header.versionBlock = 10
        structure.append(try test("header block version 10", [], version, error: .cometInvalidHeader))
        var absentWithSig = try chain.lightBlock(height: h, time: time(h), validators: four, next: four, signers: ["val-0", "val-1", "val-2"])
        let absentIndex = try Self.required(absentWithSig.signedHeader.commit.signatures.firstIndex { $0.flag == .absent })
        absentWithSig.signedHeader.commit.signatures[absentIndex].signature = [UInt8](repeating: 7, count: 64)
        structure.append(try test("an absent slot that carries a signature", [], absentWithSig, error: .cometInvalidCommitSig))
        var heightMismatch = all
        heightMismatch.signedHeader.commit.height += 1
        structure.append(try test("commit height differs from header height", [], heightMismatch, error: .cometCommitHeightMismatch))

        var malformed: [CometBFTCommitVectors.Test] = []
        let setJSON = try Self.json(CometBFTJSON.encode(allSet))
        malformed.append(try raw("negative voting power", ["PowerBounds"], all,
                                 validators: try Self.edit(setJSON, "\"voting_power\":\"10\"", "\"voting_power\":\"-10\""),
                                 error: .cometNegativeVotingPower))
        malformed.append(try raw("total voting power above Int64.max / 8", ["PowerBounds"], all,
                                 validators: try Self.edit(setJSON, "\"voting_power\":\"10\"", "\"voting_power\":\"576460752303423484\""),
                                 error: .cometTotalVotingPowerOverflow))
        malformed.append(try raw("voting power above Int64.max", ["PowerBounds"], all,
                                 validators: try Self.edit(setJSON, "\"voting_power\":\"10\"", "\"voting_power\":\"9223372036854775808\""),
                                 error: .cometMalformedJSON))
        let first = allSet.validators[0]
        let second = allSet.validators[1]
        malformed.append(try raw("address that is not the key's", [], all,
                                 validators: try Self.edit(setJSON, "\"address\":\"\(Hex.encode(first.address).uppercased())\"",
                                                           "\"address\":\"\(Hex.encode(second.address).uppercased())\""),
                                 error: .cometAddressMismatch))
        malformed.append(try raw("the same validator twice", [], all,
                                 validators: try Self.edit(setJSON, Base64.encode(second.publicKey.rawBytes), Base64.encode(first.publicKey.rawBytes))
                                    .replacingAddress(second.address, with: first.address),
                                 error: .cometDuplicateValidator))
        malformed.append(try raw("sr25519 key type", [], all,
                                 validators: try Self.edit(setJSON, "tendermint/PubKeyEd25519", "tendermint/PubKeySr25519"),
                                 error: .cometUnsupportedKeyType))

        return [
            .init(comment: "valid commits (Ed25519, secp256k1, NIL votes, unequal powers)", tests: valid),
            .init(comment: "regressions: absent-only, NIL counted, exact 2/3, wrong address at index, bad signatures", tests: regressions),
            .init(comment: "structure: slot count, validators_hash, block id, header and CommitSig rules", tests: structure),
            .init(comment: "malformed validator sets: power bounds, addresses, duplicates, key types", tests: malformed),
        ]
    }

    // MARK: Light cases

    func lightGroups() throws -> [CometBFTLightVectors.Group] {
        var id = 0
        func test(_ comment: String, _ flags: [String], trusted: CometBFTLightBlock, untrusted: CometBFTLightBlock,
                  now: CometBFTTime, trustLevel: String = "1/3", period: String = "3600", drift: String = "10",
                  verdict: String, error: ConfirmationError.Code? = nil) throws -> CometBFTLightVectors.Test {
            try raw(comment, flags, trusted: try Self.json(CometBFTJSON.encode(trusted)), untrusted: try Self.json(CometBFTJSON.encode(untrusted)),
                    now: now, trustLevel: trustLevel, period: period, drift: drift, verdict: verdict, error: error)
        }
        func raw(_ comment: String, _ flags: [String], trusted: JSONValue, untrusted: JSONValue,
                 now: CometBFTTime, trustLevel: String = "1/3", period: String = "3600", drift: String = "10",
                 verdict: String, error: ConfirmationError.Code? = nil) throws -> CometBFTLightVectors.Test {
            id += 1
            return CometBFTLightVectors.Test(
                tcId: id, comment: comment, flags: flags, trusted: trusted, untrusted: untrusted, trustLevel: trustLevel,
                trustingPeriod: period, clockDrift: drift, now: now.rfc3339, result: verdict == "success" ? .valid : .invalid,
                verdict: verdict, error: error?.rawValue)
        }
        let vals = try validators("val-", [10, 10, 10, 10])
        let trusted = try chain.lightBlock(height: 10, time: time(10), validators: vals, next: vals)
        let next = try chain.lightBlock(height: 11, time: time(11), validators: vals, next: vals,
                                        lastBlockID: trusted.signedHeader.commit.blockID)
        let far = try chain.lightBlock(height: 20, time: time(20), validators: vals, next: vals)
        let now = time(25)

        var basic: [CometBFTLightVectors.Test] = []
        basic.append(try test("adjacent header", [], trusted: trusted, untrusted: next, now: now, verdict: "success"))
        basic.append(try test("skipping ten heights with the same validators", [], trusted: trusted, untrusted: far, now: now, verdict: "success"))
        // Validators change: 1 of 4 trusted validators (10 of 40 = 1/4) stays.
        let newVals = [vals[0]] + (try validators("new-", [10, 10, 10]))
        let changed = try chain.lightBlock(height: 20, time: time(20), validators: newVals, next: newVals)
        basic.append(try test("skipping when only a quarter of the trusted power signs", ["TrustLevel"], trusted: trusted,
                              untrusted: changed, now: now, verdict: "notEnoughTrust", error: .cometNotEnoughTrust))
        // Two of four stay: 20 of 40 > 1/3 but not > 1/2.
        let halfVals = [vals[0], vals[1]] + (try validators("new-", [10, 10]))
        let half = try chain.lightBlock(height: 20, time: time(20), validators: halfVals, next: halfVals)
        basic.append(try test("half of the trusted power signs, trust level 1/3", ["TrustLevel"], trusted: trusted,
                              untrusted: half, now: now, verdict: "success"))
        basic.append(try test("half of the trusted power signs, trust level 1/2", ["TrustLevel"], trusted: trusted,
                              untrusted: half, now: now, trustLevel: "1/2", verdict: "notEnoughTrust", error: .cometNotEnoughTrust))
        let weak = try chain.lightBlock(height: 20, time: time(20), validators: vals, next: vals, signers: ["val-0", "val-1"])
        basic.append(try test("skipping: trust passes (20 > 13) but the new set lacks +2/3", [], trusted: trusted,
                              untrusted: weak, now: now, verdict: "invalid", error: .cometInsufficientVotingPower))
        let weakAdjacent = try chain.lightBlock(height: 11, time: time(11), validators: vals, next: vals, signers: ["val-0", "val-1"])
        basic.append(try test("adjacent header without +2/3", [], trusted: trusted, untrusted: weakAdjacent, now: now,
                              verdict: "invalid", error: .cometInsufficientVotingPower))

        var regressions: [CometBFTLightVectors.Test] = []
        // Only val-0 of the trusted set signs honestly, and signs a second slot too: counted once it is 10 of 40.
        let intruders = try validators("intruder-", [10, 10, 10])
        var double = try chain.lightBlock(height: 20, time: time(20), validators: [vals[0]] + intruders, next: vals)
        let val0 = try vals[0].validator().address
        let slot = try Self.required(double.signedHeader.commit.signatures.firstIndex { $0.validatorAddress != val0 })
        double.signedHeader.commit.signatures[slot].validatorAddress = val0
        try chain.resign(&double.signedHeader.commit, index: slot, with: vals[0])
        regressions.append(try test("a trusted validator's vote appears twice", ["DoubleVote"], trusted: trusted,
                                    untrusted: double, now: now, verdict: "invalid", error: .cometDoubleVote))

        var time_: [CometBFTLightVectors.Test] = []
        time_.append(try test("trusted header older than the trusting period", ["Time"], trusted: trusted, untrusted: far,
                              now: time(10).adding(try CometBFTDuration(seconds: "3600")), verdict: "invalid", error: .cometTrustedHeaderExpired))
        time_.append(try test("trusted header one nanosecond inside the trusting period", ["Time"], trusted: trusted, untrusted: far,
                              now: CometBFTTime(unsafeSeconds: time(10).seconds + 3599, nanos: 999_999_999), verdict: "success"))
        time_.append(try test("header from the future (beyond drift)", ["Time"], trusted: trusted, untrusted: far,
                              now: time(20).addingSeconds(-10),
                              verdict: "invalid", error: .cometHeaderFromFuture))
        time_.append(try test("header 9 seconds ahead, drift 10 seconds", ["Time"], trusted: trusted, untrusted: far,
                              now: time(20).addingSeconds(-9), verdict: "success"))
        let sameTime = try chain.lightBlock(height: 20, time: time(10), validators: vals, next: vals)
        time_.append(try test("header time equal to the trusted time", ["Time"], trusted: trusted, untrusted: sameTime, now: now,
                              verdict: "invalid", error: .cometNonIncreasingTime))

        var structure: [CometBFTLightVectors.Test] = []
        let sameHeight = try chain.lightBlock(height: 10, time: time(11), validators: vals, next: vals)
        structure.append(try test("same height as the trusted header", [], trusted: trusted, untrusted: sameHeight, now: now,
                                  verdict: "invalid", error: .cometNonIncreasingHeight))
        let rotated = try chain.lightBlock(height: 11, time: time(11), validators: newVals, next: newVals)
        structure.append(try test("adjacent header whose validators are not the trusted next validators", [], trusted: trusted,
                                  untrusted: rotated, now: now, verdict: "invalid", error: .cometAdjacentValidatorsMismatch))
        var wrongSet = far
        wrongSet.validatorSet = try chain.set(newVals)
        structure.append(try test("validator set that does not hash to validators_hash", [], trusted: trusted, untrusted: wrongSet,
                                  now: now, verdict: "invalid", error: .cometValidatorsHashMismatch))
        var wrongNext = far
        wrongNext.nextValidatorSet = try chain.set(newVals)
        structure.append(try test("next validator set that does not hash to next_validators_hash", [], trusted: trusted,
                                  untrusted: wrongNext, now: now, verdict: "invalid", error: .cometNextValidatorsHashMismatch))
        let foreign = try CometBFTChainBuilder(chainID: "other-chain").lightBlock(height: 20, time: time(20), validators: vals, next: vals)
        structure.append(try test("header of another chain", [], trusted: trusted, untrusted: foreign, now: now,
                                  verdict: "invalid", error: .cometChainIDMismatch))

        var basicRules: [CometBFTLightVectors.Test] = []
        let trustedJSON = try Self.json(CometBFTJSON.encode(trusted))
        let farJSON = try Self.json(CometBFTJSON.encode(far))
        basicRules.append(try raw("empty validator set", ["ValidateBasic"], trusted: trustedJSON,
                                  untrusted: farJSON.setting("validator_set", .object(["validators": .array([])])), now: now,
                                  verdict: "invalid", error: .cometEmptyValidatorSet))
        let outsider = try Hex.encode(newVals[1].validator().address).uppercased()
        let farSetJSON = try Self.json(CometBFTJSON.encode(try Self.required(far.validatorSet)))
        basicRules.append(try raw("validator set naming a proposer it does not hold", ["ValidateBasic"], trusted: trustedJSON,
                                  untrusted: farJSON.setting("validator_set", farSetJSON.setting("proposer", .object(["address": .string(outsider)]))),
                                  now: now, verdict: "invalid", error: .cometUnknownProposer))
        var unsigned = far
        unsigned.signedHeader.commit.signatures = []
        basicRules.append(try test("commit without signatures", ["ValidateBasic"], trusted: trusted, untrusted: unsigned, now: now,
                                   verdict: "invalid", error: .cometInvalidCommit))
        basicRules.append(try raw("untrusted light block without its validator set", [], trusted: trustedJSON,
                                  untrusted: farJSON.removing("validator_set"), now: now, verdict: "invalid", error: .cometMissingValidatorSet))
        basicRules.append(try raw("trusted light block without its next validator set", [], trusted: trustedJSON.removing("next_validator_set"),
                                  untrusted: farJSON, now: now, verdict: "malformed", error: .cometInvalidTrustedState))
        var badTrusted = trusted
        badTrusted.nextValidatorSet = try chain.set(newVals)
        basicRules.append(try test("trusted next validator set that does not hash to next_validators_hash", [], trusted: badTrusted,
                                   untrusted: far, now: now, verdict: "malformed", error: .cometInvalidTrustedState))
        basicRules.append(try test("trust level 1/4, below the 1/3 floor", ["TrustLevel"], trusted: trusted, untrusted: far, now: now,
                                   trustLevel: "1/4", verdict: "malformed", error: .cometInvalidTrustLevel))

        return [
            .init(comment: "adjacent and skipping verification, trust levels", tests: basic),
            .init(comment: "regressions: double votes in the trusting tally", tests: regressions),
            .init(comment: "trusting period, clock drift, monotonic time", tests: time_),
            .init(comment: "heights, validator-set hashes, chain id", tests: structure),
            .init(comment: "ValidateBasic of the untrusted block, and inputs rejected before verification", tests: basicRules),
        ]
    }
}

extension CometBFTTime {
    init(unsafeSeconds seconds: Int64, nanos: Int32 = 0) {
        // Generator constants only, all within range.
        self = (try? CometBFTTime(seconds: seconds, nanos: nanos)) ?? .unixEpoch
    }

    func addingSeconds(_ delta: Int64) -> CometBFTTime {
        CometBFTTime(unsafeSeconds: seconds + delta, nanos: nanos)
    }
}

extension JSONValue {
    func replacingAddress(_ old: [UInt8], with new: [UInt8]) throws -> JSONValue {
        try CometBFTVectorCases.edit(self, Hex.encode(old).uppercased(), Hex.encode(new).uppercased())
    }
}

extension ECDSASignature {
    /// The same signature with `s` replaced by `n − s` (still valid under a high-S-tolerant verifier).
    func highSForm() -> [UInt8] {
        let n: [UInt8] = [  // the secp256k1 group order
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
            0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
        ]
        var s = Array(compact[32..<64])
        var out = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for i in stride(from: 31, through: 0, by: -1) {
            var d = Int(n[i]) - Int(s[i]) - borrow
            borrow = d < 0 ? 1 : 0
            if d < 0 { d += 256 }
            out[i] = UInt8(d)
        }
        s = out
        return Array(compact[0..<32]) + s
    }
}
