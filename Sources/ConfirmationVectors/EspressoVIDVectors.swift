import ConfirmationKit
public import ConfirmationKitEspresso
public import Foundation

/// `espresso-vid.json`: Espresso's AvidM VID commitment (the header's `payload_commitment`) and namespace
/// proofs against it, on synthetic payloads from fixed seeds. The encoder these vectors pin reproduces
/// every payload commitment of the recorded v5 chain (checked by the test suite on the real data).
public struct EspressoVIDVectors: VectorSuite {
    public init() {}

    public var fileName: String { "espresso-vid.json" }

    /// One case. `kind` is `payload-commitment`, `build`, `namespace-proof` or `parameters`.
    public struct Test: Codable, Sendable {
        public var tcId: Int
        public var comment: String
        public var flags: [String]
        public var kind: String
        /// `payload-commitment` and `build`: the payload (base64), the namespace table (base64) and the
        /// VID common; `build` also names the `namespace`. `namespace-proof`: the `header`, the VID
        /// common and the `proof` (`{ns_index, ns_payload, siblings}`). `parameters`: a `stake_table`
        /// (an ordered PeerConfig list) and a block `height`.
        public var input: EspressoJSON
        public var result: VectorResult
        /// The expected error code, for invalid cases.
        public var error: String?
        /// `payload-commitment`: the `AvidMCommit~…` commitment.
        public var commitment: String?
        /// `build`: the proof.
        public var proof: EspressoJSON?
        /// `namespace-proof`: the proved namespace and the SHA-256 of each transaction, in order.
        public var namespace: UInt32?
        public var transactions: [String]?
        /// `parameters`: the VID common Espresso disperses the block with.
        public var vidCommon: EspressoJSON?
    }

    /// A group of cases.
    public struct Group: Codable, Sendable {
        public var comment: String
        public var tests: [Test]
    }

    public func generate() throws -> Data {
        let groups = try EspressoVIDCases().groups()
        let file = VectorFile(
            schema: "confirmationkit-espresso-vid-v1", algorithm: "AvidM (Espresso VID V1)",
            header: [
                "Espresso AvidM VID: payload commitments (namespaces cut by the namespace table, 31-byte little-endian",
                "F_r elements after a 0x01 marker, Reed-Solomon by FFT over BN254's scalar field, Keccak-256 share",
                "digests, jellyfish Keccak Merkle trees with '1'/'0' domain separators) and namespace proofs against",
                "a header. Payloads are synthetic, from fixed seeds. See Docs/espresso.md.",
            ],
            notes: [
                "Fallback": "a namespace table that does not describe the payload exactly stands for one namespace spanning it",
                "Substitution": "VID parameters other than the block's, or off Espresso's k = ceil(n/3)",
                "Malformed": "the input does not parse; the error is the parser's code",
            ],
            testGroups: groups, numberOfTests: groups.reduce(0) { $0 + $1.tests.count })
        return try VectorJSON.encode(file)
    }

    public func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<Group>.self, from: data)
        return file.testGroups.flatMap(\.tests).map { test in
            let outcome = Self.evaluate(test)
            let expected = Outcome(result: test.result, error: test.error, commitment: test.commitment, proof: test.proof,
                                   namespace: test.namespace, transactions: test.transactions, vidCommon: test.vidCommon)
            return VectorOutcome(tcId: test.tcId, passed: outcome == expected, detail: outcome == expected ? "" : "got \(outcome)")
        }
    }

    struct Outcome: Equatable {
        var result: VectorResult
        var error: String?
        var commitment: String?
        var proof: EspressoJSON?
        var namespace: UInt32?
        var transactions: [String]?
        var vidCommon: EspressoJSON?
    }

    static func member(_ input: EspressoJSON, _ key: String) throws -> EspressoJSON {
        guard case .object(let o) = input, let value = o[key] else {
            throw ConfirmationError(.espressoMalformed, "the input has no \"\(key)\"")
        }
        return value
    }

    static func bytes(_ input: EspressoJSON, _ key: String) throws -> [UInt8] {
        guard case .string(let text) = try member(input, key) else {
            throw ConfirmationError(.espressoMalformed, "\"\(key)\" is base64")
        }
        return try Base64.decode(text)
    }

    static func evaluate(_ test: Test) -> Outcome {
        do {
            let input = test.input
            switch test.kind {
            case "payload-commitment":
                let commitment = try AvidM.payloadCommitment(payload: try bytes(input, "payload"), namespaceTable: try bytes(input, "ns_table"),
                                                             parameters: try AvidMParameters(json: try member(input, "vid_common")))
                return Outcome(result: .valid, commitment: TaggedBase64(knownTag: "AvidMCommit", value: commitment.bytes).description)
            case "build":
                guard case .unsigned(let namespace) = try member(input, "namespace"), namespace < 1 << 32 else {
                    throw ConfirmationError(.espressoMalformed, "namespace is a u32")
                }
                let proof = try EspressoNamespaceProof(payload: try bytes(input, "payload"), namespaceTable: try bytes(input, "ns_table"),
                                                       namespace: UInt32(namespace), parameters: try AvidMParameters(json: try member(input, "vid_common")))
                return Outcome(result: .valid, proof: proof.json)
            case "namespace-proof":
                let header = try EspressoHeader(json: try member(input, "header"))
                let parameters = try AvidMParameters(json: try member(input, "vid_common"))
                let proved = try EspressoNamespaceProof(json: try member(input, "proof")).verify(against: header, parameters: parameters)
                return Outcome(result: .valid, namespace: proved.namespace, transactions: proved.transactions.map { TransactionHash.of($0).hex })
            case "parameters":
                guard case .unsigned(let height) = try member(input, "height") else {
                    throw ConfirmationError(.espressoMalformed, "height is a u64")
                }
                let table = try StakeTable(epoch: 0, entries: try EspressoStakeTables.parsePeerConfigs(try member(input, "stake_table")))
                return Outcome(result: .valid, vidCommon: try AvidMParameters.espresso(stakeTable: table, height: height).json)
            default:
                throw ConfirmationError(.espressoMalformed, "unknown kind \(test.kind)")
            }
        } catch let error as ConfirmationError {
            return Outcome(result: .invalid, error: error.code.rawValue)
        } catch {
            return Outcome(result: .invalid, error: "\(error)")
        }
    }
}

/// Builds the cases of `espresso-vid.json`.
struct EspressoVIDCases {
    typealias Test = EspressoVIDVectors.Test

    private var tests: [Test] = []
    private var nextID = 1
    private var random = DeterministicRandom(seed: 0xA71D_0001)
    let world: SyntheticEspresso

    init() throws { world = try SyntheticEspresso(seed: 0xE5_0001) }

    func groups() throws -> [EspressoVIDVectors.Group] {
        var builder = self
        return [
            .init(comment: "payload commitments: parameter sets, namespace counts, table fallbacks", tests: try builder.commitments()),
            .init(comment: "building namespace proofs from a payload", tests: try builder.builds()),
            .init(comment: "namespace proofs against a header: valid, tampered, substituted, malformed", tests: try builder.proofs()),
            .init(comment: "VID parameters from the epoch's stake table", tests: try builder.parameters()),
        ]
    }

    /// Records a case whose outcome the library computes; throws when it is not the intended one.
    private mutating func add(_ comment: String, _ flags: [String] = [], kind: String, input: EspressoJSON,
                              expect error: ConfirmationError.Code? = nil) throws -> Test {
        var test = Test(tcId: nextID, comment: comment, flags: flags, kind: kind, input: input, result: .valid)
        nextID += 1
        let outcome = EspressoVIDVectors.evaluate(test)
        guard outcome.error == error?.rawValue else {
            throw ConfirmationError(.espressoMalformed, "vector \(test.tcId) (\(comment)): expected \(error?.rawValue ?? "valid"), got \(outcome)")
        }
        test.result = outcome.result
        test.error = outcome.error
        test.commitment = outcome.commitment
        test.proof = outcome.proof
        test.namespace = outcome.namespace
        test.transactions = outcome.transactions
        test.vidCommon = outcome.vidCommon
        return test
    }

    // MARK: Synthetic blocks

    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) } }

    /// A namespace payload: the transaction table, then the transactions.
    static func namespacePayload(_ transactions: [[UInt8]]) -> [UInt8] {
        var out = le32(UInt32(transactions.count))
        var end: UInt32 = 0
        for tx in transactions {
            end += UInt32(tx.count)
            out += le32(end)
        }
        return out + transactions.flatMap { $0 }
    }

    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    static func table(_ entries: [(UInt32, UInt32)]) -> [UInt8] {
        le32(UInt32(entries.count)) + entries.flatMap { le32($0.0) + le32($0.1) }
    }

    /// A block of namespaces `ids`, each with `transactions` transactions of varied sizes.
    mutating func block(_ ids: [UInt32], transactions: Int = 2) -> (payload: [UInt8], table: [UInt8]) {
        var payload: [UInt8] = []
        var entries: [(UInt32, UInt32)] = []
        for (i, id) in ids.enumerated() {
            let txs = (0..<transactions).map { t in bytes(17 + 41 * i + 300 * t) }
            payload += Self.namespacePayload(txs)
            entries.append((id, UInt32(payload.count)))
        }
        return (payload, Self.table(entries))
    }

    static func common(_ n: Int, _ k: Int) -> EspressoJSON {
        .object(["V1": .object(["total_weights": .unsigned(UInt64(n)), "recovery_threshold": .unsigned(UInt64(k))])])
    }

    static func commitmentInput(_ payload: [UInt8], _ table: [UInt8], _ common: EspressoJSON) -> EspressoJSON {
        .object(["payload": .string(Base64.encode(payload)), "ns_table": .string(Base64.encode(table)), "vid_common": common])
    }

    // MARK: Groups

    mutating func commitments() throws -> [Test] {
        var out: [Test] = []
        for (n, k) in [(1, 1), (5, 2), (10, 4), (100, 34), (1003, 335)] {
            let b = block([101, 102, 7])
            out.append(try add("three namespaces, n = \(n), k = \(k)", kind: "payload-commitment",
                               input: Self.commitmentInput(b.payload, b.table, Self.common(n, k))))
        }
        let one = block([42], transactions: 1)
        out.append(try add("one namespace, one transaction", kind: "payload-commitment", input: Self.commitmentInput(one.payload, one.table, Self.common(5, 2))))
        let ten = block(Array(1...10), transactions: 1)
        out.append(try add("ten namespaces (a two-level namespace tree)", kind: "payload-commitment",
                           input: Self.commitmentInput(ten.payload, ten.table, Self.common(5, 2))))
        out.append(try add("an empty payload and an empty table: one empty namespace", kind: "payload-commitment",
                           input: Self.commitmentInput([], Self.table([]), Self.common(5, 2))))
        out.append(try add("an empty block as the genesis block commits (n = k = 1)", kind: "payload-commitment",
                           input: Self.commitmentInput([], Self.table([]), Self.common(1, 1))))
        let big = block([9], transactions: 3)
        out.append(try add("a payload longer than one chunk of k elements", kind: "payload-commitment",
                           input: Self.commitmentInput(big.payload + bytes(2_000), Self.table([(9, UInt32(big.payload.count + 2_000))]), Self.common(4, 2))))
        // Fallbacks: the commitment is that of one namespace over the whole payload.
        let b = block([101, 102])
        out.append(try add("a table sized for a shorter payload falls back to one namespace", ["Fallback"], kind: "payload-commitment",
                           input: Self.commitmentInput(b.payload + [0], b.table, Self.common(5, 2))))
        out.append(try add("a table that is not a table (odd length) falls back to one namespace", ["Fallback"], kind: "payload-commitment",
                           input: Self.commitmentInput(b.payload, Array(b.table.dropLast()), Self.common(5, 2))))
        out.append(try add("decreasing offsets fall back to one namespace", ["Fallback"], kind: "payload-commitment",
                           input: Self.commitmentInput(b.payload, Self.table([(1, UInt32(b.payload.count)), (2, 3)]), Self.common(5, 2))))
        out.append(try add("an empty table for a non-empty payload falls back to one namespace", ["Fallback"], kind: "payload-commitment",
                           input: Self.commitmentInput(b.payload, Self.table([]), Self.common(5, 2))))
        // Parameters.
        out.append(try add("k = 0 is refused", ["Malformed"], kind: "payload-commitment",
                           input: Self.commitmentInput(b.payload, b.table, Self.common(5, 0)), expect: .espressoVIDParametersInvalid))
        out.append(try add("k > n is refused", ["Malformed"], kind: "payload-commitment",
                           input: Self.commitmentInput(b.payload, b.table, Self.common(5, 6)), expect: .espressoVIDParametersInvalid))
        out.append(try add("n above 2^16 is refused", ["Malformed"], kind: "payload-commitment",
                           input: Self.commitmentInput(b.payload, b.table, Self.common(70_000, 23_334)), expect: .espressoVIDParametersInvalid))
        out.append(try add("an ADVZ (V0) VID common is not implemented", kind: "payload-commitment",
                           input: Self.commitmentInput(b.payload, b.table, .object(["V0": .object([:])])), expect: .espressoUnsupported))
        out.append(try add("an AvidmGf2 (V2) VID common is not implemented", kind: "payload-commitment",
                           input: Self.commitmentInput(b.payload, b.table, .object(["V2": .object([:])])), expect: .espressoUnsupported))
        return out
    }

    mutating func builds() throws -> [Test] {
        var out: [Test] = []
        let b = block([101, 102, 103, 104])
        for id: UInt32 in [101, 104] {
            var input = Self.commitmentInput(b.payload, b.table, Self.common(5, 2))
            if case .object(var o) = input { o["namespace"] = .unsigned(UInt64(id)); input = .object(o) }
            out.append(try add("the proof of namespace \(id) of four", kind: "build", input: input))
        }
        var absent = Self.commitmentInput(b.payload, b.table, Self.common(5, 2))
        if case .object(var o) = absent { o["namespace"] = .unsigned(999); absent = .object(o) }
        out.append(try add("a namespace not in the table has no proof", kind: "build", input: absent, expect: .espressoNamespaceNotInTable))
        var mismatched = Self.commitmentInput(b.payload + [1, 2, 3], b.table, Self.common(5, 2))
        if case .object(var o) = mismatched { o["namespace"] = .unsigned(101); mismatched = .object(o) }
        out.append(try add("a table that does not describe the payload yields no proof", ["Fallback"], kind: "build", input: mismatched,
                           expect: .espressoMalformed))
        return out
    }

    /// A header carrying `payload`'s commitment and `table`.
    func header(_ payload: [UInt8], _ table: [UInt8], _ parameters: AvidMParameters, height: UInt64 = 33,
                tag: String = "AvidMCommit") throws -> EspressoJSON {
        var header = try world.header(height: height, minor: 5)
        header.namespaceTable = table
        header.payloadCommitment = try AvidM.payloadCommitment(payload: payload, namespaceTable: table, parameters: parameters).bytes
        header.payloadCommitmentTag = tag
        return header.json
    }

    static func proofInput(header: EspressoJSON, common: EspressoJSON, proof: EspressoJSON) -> EspressoJSON {
        .object(["header": header, "vid_common": common, "proof": proof])
    }

    mutating func proofs() throws -> [Test] {
        var out: [Test] = []
        let parameters = try AvidMParameters(totalWeights: 10, recoveryThreshold: 4)
        let common = Self.common(10, 4)
        let b = block([101, 102, 103, 104, 105])
        let blockHeader = try header(b.payload, b.table, parameters)
        let proof = try EspressoNamespaceProof(payload: b.payload, namespaceTable: b.table, namespace: 103, parameters: parameters)
        let input = { (p: EspressoNamespaceProof, h: EspressoJSON, c: EspressoJSON) in Self.proofInput(header: h, common: c, proof: p.json) }

        for id: UInt32 in [101, 103, 105] {
            let p = try EspressoNamespaceProof(payload: b.payload, namespaceTable: b.table, namespace: id, parameters: parameters)
            out.append(try add("namespace \(id) of five proves its transactions", kind: "namespace-proof", input: input(p, blockHeader, common)))
        }
        for (n, k) in [(1, 1), (1003, 335)] {
            let pk = try AvidMParameters(totalWeights: n, recoveryThreshold: k)
            let single = block([77], transactions: 3)
            let p = try EspressoNamespaceProof(payload: single.payload, namespaceTable: single.table, namespace: 77, parameters: pk)
            out.append(try add("a one-namespace block, n = \(n), k = \(k)", kind: "namespace-proof",
                               input: input(p, try self.header(single.payload, single.table, pk), Self.common(n, k))))
        }
        let empty = Self.namespacePayload([])
        let emptyTable = Self.table([(5, UInt32(empty.count))])
        let emptyProof = try EspressoNamespaceProof(payload: empty, namespaceTable: emptyTable, namespace: 5, parameters: parameters)
        out.append(try add("a namespace with no transactions proves an empty list", kind: "namespace-proof",
                           input: input(emptyProof, try self.header(empty, emptyTable, parameters), common)))

        var flipped = proof.namespacePayload
        flipped[flipped.count - 1] ^= 0x01
        out.append(try add("a changed transaction byte", kind: "namespace-proof",
                           input: input(.init(namespaceIndex: proof.namespaceIndex, namespacePayload: flipped, siblings: proof.siblings), blockHeader, common),
                           expect: .espressoVIDCommitmentMismatch))
        var siblings = proof.siblings
        var digest = siblings[0][0].bytes
        digest[0] ^= 0x80
        siblings[0][0] = try Bytes32(digest)
        out.append(try add("a changed sibling digest", kind: "namespace-proof",
                           input: input(.init(namespaceIndex: proof.namespaceIndex, namespacePayload: proof.namespacePayload, siblings: siblings), blockHeader, common),
                           expect: .espressoVIDCommitmentMismatch))
        out.append(try add("the proof presented at another index", kind: "namespace-proof",
                           input: input(.init(namespaceIndex: 3, namespacePayload: proof.namespacePayload, siblings: proof.siblings), blockHeader, common),
                           expect: .espressoNamespaceLengthMismatch))
        // Two namespaces of equal length: the proof of the second presented as the first.
        let twin = (Self.namespacePayload([bytes(50)]), Self.namespacePayload([bytes(50)]))
        let twinPayload = twin.0 + twin.1
        let twinTable = Self.table([(1, UInt32(twin.0.count)), (2, UInt32(twinPayload.count))])
        let second = try EspressoNamespaceProof(payload: twinPayload, namespaceTable: twinTable, namespace: 2, parameters: parameters)
        out.append(try add("a namespace's proof moved to another index of the same length", kind: "namespace-proof",
                           input: input(.init(namespaceIndex: 0, namespacePayload: second.namespacePayload, siblings: second.siblings),
                                        try self.header(twinPayload, twinTable, parameters), common),
                           expect: .espressoVIDCommitmentMismatch))
        out.append(try add("an index past the table", kind: "namespace-proof",
                           input: input(.init(namespaceIndex: 5, namespacePayload: proof.namespacePayload, siblings: proof.siblings), blockHeader, common),
                           expect: .espressoNamespaceIndexOutOfRange))
        out.append(try add("a truncated namespace payload", kind: "namespace-proof",
                           input: input(.init(namespaceIndex: proof.namespaceIndex, namespacePayload: proof.namespacePayload.dropLast(), siblings: proof.siblings), blockHeader, common),
                           expect: .espressoNamespaceLengthMismatch))
        out.append(try add("a path one level short", kind: "namespace-proof",
                           input: input(.init(namespaceIndex: proof.namespaceIndex, namespacePayload: proof.namespacePayload, siblings: Array(proof.siblings.dropLast())), blockHeader, common),
                           expect: .espressoMalformed))
        out.append(try add("another header (the same block at another height)", kind: "namespace-proof",
                           input: input(proof, try self.header(b.payload + [0], b.table, parameters), common), expect: .espressoVIDCommitmentMismatch))
        out.append(try add("substituted parameters on Espresso's rule (n = 13, k = 5)", ["Substitution"], kind: "namespace-proof",
                           input: input(proof, blockHeader, Self.common(13, 5)), expect: .espressoVIDCommitmentMismatch))
        out.append(try add("substituted parameters off Espresso's rule (n = 10, k = 2)", ["Substitution"], kind: "namespace-proof",
                           input: input(proof, blockHeader, Self.common(10, 2)), expect: .espressoVIDParametersInvalid))
        out.append(try add("a header committing with AvidmGf2 is not implemented", kind: "namespace-proof",
                           input: input(proof, try self.header(b.payload, b.table, parameters, tag: "AvidmGf2Commit"), common), expect: .espressoUnsupported))
        // A committed namespace whose bytes are no transaction table: the proof verifies, the parse fails.
        let junk = bytes(40)
        var junkBytes = junk
        junkBytes[0] = 0xFF
        let junkTable = Self.table([(8, UInt32(junkBytes.count))])
        let junkProof = try EspressoNamespaceProof(payload: junkBytes, namespaceTable: junkTable, namespace: 8, parameters: parameters)
        out.append(try add("a committed namespace that is not a transaction table", ["Malformed"], kind: "namespace-proof",
                           input: input(junkProof, try self.header(junkBytes, junkTable, parameters), common), expect: .espressoMalformed))
        // Malformed proof JSON.
        var extra = proof.json
        if case .object(var o) = extra { o["extra"] = .null; extra = .object(o) }
        out.append(try add("an unknown member in the proof", ["Malformed"], kind: "namespace-proof",
                           input: Self.proofInput(header: blockHeader, common: common, proof: extra), expect: .espressoMalformed))
        var short = proof.json
        if case .object(var o) = short { o["siblings"] = .array([.array([.string("0x" + String(repeating: "00", count: 31))])]); short = .object(o) }
        out.append(try add("a level with one sibling", ["Malformed"], kind: "namespace-proof",
                           input: Self.proofInput(header: blockHeader, common: common, proof: short), expect: .espressoMalformed))
        var badBase64 = proof.json
        if case .object(var o) = badBase64 { o["ns_payload"] = .string("not base64!"); badBase64 = .object(o) }
        out.append(try add("a payload that is not base64", ["Malformed"], kind: "namespace-proof",
                           input: Self.proofInput(header: blockHeader, common: common, proof: badBase64), expect: .base64Invalid))
        return out
    }

    mutating func parameters() throws -> [Test] {
        var out: [Test] = []
        let keys = world.keys
        func table(_ stakes: [UInt256]) -> EspressoJSON {
            world.peerConfigs(zip(keys, stakes).map { StakeTableEntry(key: $0, stake: $1) })
        }
        func input(_ stakes: [UInt256], height: UInt64) -> EspressoJSON {
            .object(["stake_table": table(stakes), "height": .unsigned(height)])
        }
        let esp = try UInt256(decimal: "1000000000000000000")
        func tokens(_ n: UInt64) throws -> UInt256 {
            let product = esp.multipliedFullWidth(by: n)
            guard product.high == 0 else { throw ConfirmationError(.espressoMalformed, "stake overflow") }
            return product.low
        }
        out.append(try add("four nodes of stake 1: weights are the stakes (n = 4, k = 2)", kind: "parameters",
                           input: input([1, 1, 1, 1].map { UInt256($0) }, height: 5)))
        out.append(try add("a total of exactly 1000: not scaled (n = 1000, k = 334)", kind: "parameters",
                           input: input([1, 333, 333, 333].map { UInt256($0) }, height: 5)))
        out.append(try add("a total of 1001: scaled, floor(stake*1000/total) + 1 each", kind: "parameters",
                           input: input([1, 334, 333, 333].map { UInt256($0) }, height: 5)))
        out.append(try add("token-sized stakes (10^18 units): scaled to about 1000 + one per node", kind: "parameters",
                           input: input([try tokens(823), try tokens(969), try tokens(816), try tokens(1604)], height: 41)))
        out.append(try add("stakes dividing evenly: 250 + 1 each (n = 1004)", kind: "parameters",
                           input: input([try tokens(5), try tokens(5), try tokens(5), try tokens(5)], height: 41)))
        out.append(try add("the genesis block is dispersed to one node (n = k = 1)", kind: "parameters",
                           input: input([1, 1, 1, 1].map { UInt256($0) }, height: 0)))
        return out
    }
}
