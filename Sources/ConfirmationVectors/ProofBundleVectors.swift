import ConfirmationKit
import ConfirmationSimulation
import Foundation

/// `proof-bundles.json`: whole proof bundles (JSON and binary) with the verdict a verifier must
/// reach — the set of failure codes across layers, or the decoding error — and the clock states.
struct ProofBundleVectors: VectorSuite {
    let fileName = "proof-bundles.json"

    struct Group: Codable, Sendable {
        /// Stake tables the verifier may be told to trust (JSON, as `confirm verify --stake-table` reads).
        var stakeTables: [JSONValue]
        /// Hashes of finalized L1 blocks the verifier trusts.
        var trustedL1Checkpoints: [Bytes32]
        var tests: [Case]
    }

    struct Limits: Codable, Sendable {
        var maximumProofs: Int
        var maximumTransactions: Int
    }

    struct Case: Codable, Sendable {
        var tcId: Int
        var comment: String
        var flags: [String]
        /// The bundle as JSON (absent for `bundleText` / `bundleBinary` cases).
        var bundle: JSONValue?
        /// A bundle document given as raw text (for malformed JSON).
        var bundleText: String?
        /// The binary canonical form, hex.
        var bundleBinary: String?
        /// Indices into the group's `stakeTables` that the verifier trusts.
        var trustedStakeTables: [Int]
        /// Whether an embedded table no trusted table matches may be used.
        var allowEmbeddedStakeTable: Bool
        /// Decoding limits, when not the defaults.
        var limits: Limits?
        var result: VectorResult
        /// For a decoding failure: its code.
        var error: String?
        /// For a verdict: every failure code across the layers (as a set, sorted).
        var failures: [String]?
        /// The summary's clock states for decodable bundles.
        var preconfirmation: String?
        var settlement: String?
    }

    func generate() throws -> Data {
        let material = try Material()
        var tests: [Case] = []
        var id = 0
        func add(_ comment: String, _ bundle: JSONValue? = nil, text: String? = nil, binary: [UInt8]? = nil,
                 flags: [String] = [], trusted: [Int] = [0], allowEmbedded: Bool = false, limits: Limits? = nil,
                 error: ConfirmationError.Code? = nil, failures: [ConfirmationError.Code] = [],
                 preconfirmation: String? = nil, settlement: String? = nil) {
            id += 1
            let invalid = error != nil || !failures.isEmpty
            tests.append(Case(tcId: id, comment: comment, flags: flags, bundle: bundle, bundleText: text,
                              bundleBinary: binary.map { Hex.encode($0) }, trustedStakeTables: trusted,
                              allowEmbeddedStakeTable: allowEmbedded, limits: limits, result: invalid ? .invalid : .valid,
                              error: error?.rawValue, failures: error == nil ? Set(failures.map(\.rawValue)).sorted() : nil,
                              preconfirmation: error == nil ? preconfirmation : nil, settlement: error == nil ? settlement : nil))
        }
        let atomic = try JSONValue(encoding: material.atomic)
        let single = try JSONValue(encoding: material.single)

        add("atomic bundle of two legs in two rollups, embedded table, settlement to a trusted checkpoint", atomic,
            flags: ["Valid"], preconfirmation: "preconfirmed", settlement: "finalized")
        add("one transaction, stake table referenced by commitment", single, flags: ["Valid"],
            preconfirmation: "preconfirmed", settlement: "finalized")
        add("binary canonical form of the atomic bundle", binary: try material.atomic.canonicalBytes(), flags: ["Valid", "Binary"],
            preconfirmation: "preconfirmed", settlement: "finalized")
        add("embedded table not trusted", atomic, flags: ["StakeTable"], trusted: [],
            failures: [.bundleUntrustedStakeTable, .bundleStakeTableUnavailable], preconfirmation: "pending", settlement: "finalized")
        add("embedded table accepted on request (the verdict warns)", atomic, flags: ["StakeTable", "Valid"], trusted: [],
            allowEmbedded: true, preconfirmation: "preconfirmed", settlement: "finalized")
        add("referenced table not given", single, flags: ["StakeTable"], trusted: [],
            failures: [.bundleStakeTableUnavailable], preconfirmation: "pending", settlement: "finalized")
        add("table given is another one", single, flags: ["StakeTable"], trusted: [1],
            failures: [.bundleStakeTableUnavailable], preconfirmation: "pending", settlement: "finalized")

        func edit(_ value: JSONValue, _ path: [String], _ change: (JSONValue) -> JSONValue) -> JSONValue {
            guard let first = path.first else { return change(value) }
            if case .array(var items) = value, let index = Int(first), index < items.count {
                items[index] = edit(items[index], Array(path.dropFirst()), change)
                return .array(items)
            }
            guard let member = value[first] else { return value }
            return value.setting(first, edit(member, Array(path.dropFirst()), change))
        }
        func flipHex(_ value: JSONValue) -> JSONValue {
            guard case .string(let text) = value else { return value }
            var characters = Array(text)
            let index = min(characters.count - 1, 20)
            characters[index] = characters[index] == "0" ? "1" : "0"
            return .string(String(characters))
        }
        add("one signature altered", edit(atomic, ["certificate", "signatures", "0"], flipHex), flags: ["Certificate"],
            failures: [.quorumInvalidSignature], preconfirmation: "pending", settlement: "finalized")
        add("statement view changed after signing", edit(atomic, ["certificate", "statement", "view"]) { _ in .unsigned(99) },
            flags: ["Certificate"], failures: [.quorumInvalidSignature, .quorumThresholdNotMet], preconfirmation: "pending",
            settlement: "finalized")
        add("proof of another block", atomic.setting("proofs", .array([try JSONValue(encoding: material.foreignProof)])),
            flags: ["Inclusion"], failures: [.bundleProofNotVerified, .bundleTransactionNotProven], preconfirmation: "pending",
            settlement: "finalized")
        add("transaction-tree sibling altered", edit(atomic, ["proofs", "0", "groups", "0", "transactionSiblings", "0"], flipHex), flags: ["Inclusion"],
            failures: [.bundleProofNotVerified, .bundleTransactionNotProven], preconfirmation: "pending", settlement: "finalized")
        add("no proofs", atomic.setting("proofs", .array([])), flags: ["Inclusion"],
            failures: [.bundleNoProofs, .bundleTransactionNotProven], preconfirmation: "pending", settlement: "finalized")
        add("no transactions", atomic.setting("transactions", .array([])), flags: ["Transactions"],
            failures: [.bundleNoTransactions], preconfirmation: "pending", settlement: "finalized")
        add("transaction bytes altered", edit(atomic, ["transactions", "0"]) { leg in
            flipHex(leg["transaction"] ?? .null).isString ? leg.removing("hash").setting("transaction", flipHex(leg["transaction"] ?? .null)) : leg
        }, flags: ["Transactions"], failures: [.bundleTransactionNotProven], preconfirmation: "pending", settlement: "finalized")
        add("posting records another commitment", edit(atomic, ["settlement", "posting", "blockCommitment"], flipHex),
            flags: ["Settlement"], failures: [.bundleSettlementMismatch], preconfirmation: "preconfirmed", settlement: "notPosted")
        add("header chain broken", edit(atomic, ["settlement", "headers", "1", "parentHash"], flipHex), flags: ["Settlement"],
            failures: [.bundleSettlementBrokenChain], preconfirmation: "preconfirmed", settlement: "notPosted")

        add("wrong format tag", atomic.setting("format", .string("something-else")), flags: ["Decoding"], error: .bundleWrongFormat)
        add("unknown version", atomic.setting("version", .unsigned(2)), flags: ["Decoding"], error: .bundleUnsupportedVersion)
        add("other profile", atomic.setting("profile", .string("espresso-hotshot")), flags: ["Decoding"], error: .bundleProfileMismatch)
        add("network differs from the certificate's", atomic.setting("network", .string("eip155:1")), flags: ["Decoding"],
            error: .bundleNetworkMismatch)
        add("transaction hash contradicts its bytes", edit(atomic, ["transactions", "0", "hash"], flipHex), flags: ["Decoding"],
            error: .bundleTransactionHashMismatch)
        add("truncated JSON", text: String(decoding: try material.atomic.jsonData().prefix(120), as: UTF8.self), flags: ["Decoding"],
            error: .bundleMalformedJSON)
        add("more proofs than the limit", atomic, flags: ["Decoding", "Limits"],
            limits: Limits(maximumProofs: 0, maximumTransactions: 16), error: .bundleTooManyProofs)
        add("more transactions than the limit", atomic, flags: ["Decoding", "Limits"],
            limits: Limits(maximumProofs: 16, maximumTransactions: 1), error: .bundleTooManyTransactions)
        add("binary form truncated", binary: Array(try material.atomic.canonicalBytes().dropLast(3)), flags: ["Decoding", "Binary"],
            error: .bundleInvalidBinary)

        let group = Group(stakeTables: [try JSONValue(encoding: material.table), try JSONValue(encoding: material.otherTable)],
                          trustedL1Checkpoints: [material.checkpoint.hash], tests: tests)
        let file = VectorFile(schema: "confirmationkit-proof-bundle-v1", algorithm: Secp256k1QuorumProfile.name,
                              header: ["Proof bundles checked end to end: stake table, certificate, inclusion, transactions, settlement.",
                                       "A case passes when decoding fails with `error`, or the verdict's failure codes equal `failures` (as a set)",
                                       "and the summary's clock states equal `preconfirmation` and `settlement`.",
                                       "Certificates are verified in full mode with the default policy (more than 2/3 of the stake, epoch matches)."],
                              notes: ["Valid": "Every layer holds.", "Binary": "The binary canonical form (see Docs/formats.md).",
                                      "StakeTable": "Which tables the verifier trusts.", "Certificate": "The certificate layer fails.",
                                      "Inclusion": "A proof does not place the transactions.", "Transactions": "A transaction is not proven.",
                                      "Settlement": "The settlement evidence is inconsistent.", "Decoding": "The document is refused.",
                                      "Limits": "Decoding limits smaller than the defaults."],
                              testGroups: [group], numberOfTests: tests.count)
        return try VectorJSON.encode(file)
    }

    func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<Group>.self, from: data)
        var outcomes: [VectorOutcome] = []
        for group in file.testGroups {
            let tables = try group.stakeTables.map { try JSONDecoder().decode(StakeTable<EthereumAddress>.self, from: $0.data()) }
            for test in group.tests { outcomes.append(Self.run(test, tables: tables, checkpoints: Set(group.trustedL1Checkpoints))) }
        }
        return outcomes
    }

    static func run(_ test: Case, tables: [StakeTable<EthereumAddress>], checkpoints: Set<Bytes32>) -> VectorOutcome {
        let limits = test.limits.map { BundleLimits(maximumProofs: $0.maximumProofs, maximumTransactions: $0.maximumTransactions) } ?? .standard
        let bundle: ProofBundle<Secp256k1QuorumProfile>
        do {
            if let hex = test.bundleBinary {
                bundle = try ProofBundle(canonicalBytes: Hex.decode(hex), limits: limits)
            } else if let text = test.bundleText {
                bundle = try ProofBundle(jsonData: Data(text.utf8), limits: limits)
            } else {
                bundle = try ProofBundle(jsonData: (test.bundle ?? .null).data(), limits: limits)
            }
        } catch let error as ConfirmationError {
            return VectorOutcome(tcId: test.tcId, passed: error.code.rawValue == test.error,
                                 detail: "decoding failed with \(error.code), expected \(test.error ?? "success")")
        } catch {
            return VectorOutcome(tcId: test.tcId, passed: false, detail: "untyped error \(error)")
        }
        guard test.error == nil else {
            return VectorOutcome(tcId: test.tcId, passed: false, detail: "decoded, expected \(test.error ?? "")")
        }
        let trusted = test.trustedStakeTables.compactMap { $0 < tables.count ? tables[$0] : nil }
        let verdict = ProofBundleVerifier(profile: Secp256k1QuorumProfile())
            .verify(bundle, trustedStakeTables: trusted, allowEmbeddedStakeTable: test.allowEmbeddedStakeTable,
                    trustedL1Checkpoints: checkpoints)
        let codes = Set(verdict.failureCodes.map(\.rawValue)).sorted()
        let passed = codes == (test.failures ?? []) && verdict.isValid == (test.result == .valid)
            && verdict.summary.preconfirmation == test.preconfirmation && verdict.summary.settlement == test.settlement
        return VectorOutcome(tcId: test.tcId, passed: passed,
                             detail: "failures \(codes), clocks \(verdict.summary.preconfirmation)/\(verdict.summary.settlement)")
    }

    /// Deterministic ingredients: a certified two-rollup block, a posting, linked L1 headers.
    struct Material {
        let table: StakeTable<EthereumAddress>
        let otherTable: StakeTable<EthereumAddress>
        let atomic: ProofBundle<Secp256k1QuorumProfile>
        let single: ProofBundle<Secp256k1QuorumProfile>
        let foreignProof: InclusionProof
        let checkpoint: L1BlockHeader

        init() throws {
            var sequencer = try DemoSequencer(validators: 7, seed: 4242)
            let t0 = Timestamp(seconds: 1_767_225_600)
            let transactions: [NamespaceID: [[UInt8]]] = [
                1000: [Array("deposit 1 to rollup A".utf8), Array("swap on rollup A".utf8)],
                1001: [Array("deposit 1 arrives on rollup B".utf8)],
            ]
            let produced = try sequencer.produceBlock(transactions: transactions, at: t0)
            table = sequencer.stakeTable
            otherTable = try DemoSequencer(validators: 7, seed: 4343).stakeTable
            // L1: a posting block and three more above it; the third is the finalized checkpoint.
            var headers: [L1BlockHeader] = []
            var parent = L1BlockHeader(number: 500, hash: Keccak256.hash(Array("l1 500".utf8)), parentHash: .zero, timestamp: 1_767_225_000)
            for n in 501...504 {
                let header = L1BlockHeader(number: UInt64(n), hash: Keccak256.hash(Array("l1 \(n)".utf8) + parent.hash.bytes),
                                           parentHash: parent.hash, timestamp: parent.timestamp + 12)
                headers.append(header)
                parent = header
            }
            checkpoint = headers[3]
            let posting = L1Posting(network: sequencer.networkID.rawValue, height: produced.height,
                                    blockCommitment: produced.block.commitment, l1Block: headers[0], evidence: "receipt-log")
            let settlement = SettlementEvidence(posting: posting, headers: headers, finalizedCheckpoint: checkpoint)
            let legs = [TransactionLocation(namespace: 1000, index: 0), TransactionLocation(namespace: 1001, index: 0)]
            atomic = ProofBundle(certificate: produced.certificate, stakeTable: .embedded(table),
                                 proofs: [.namespaceBundle(try produced.block.bundleProof(legs: legs))],
                                 transactions: [BundledTransaction(namespace: 1000, transaction: transactions[1000]![0]),
                                                BundledTransaction(namespace: 1001, transaction: transactions[1001]![0])],
                                 settlement: settlement)
            single = ProofBundle(certificate: produced.certificate,
                                 stakeTable: .commitment(epoch: table.epoch, commitment: table.commitment),
                                 proofs: [.namespaceInclusion(try produced.block.inclusionProof(namespace: 1000, index: 1))],
                                 transactions: [BundledTransaction(namespace: 1000, transaction: transactions[1000]![1])],
                                 settlement: settlement)
            let foreign = try NamespacedBlock(transactions: [1000: [transactions[1000]![0]], 1001: [transactions[1001]![0]]])
            foreignProof = .namespaceBundle(try foreign.bundleProof(legs: legs))
        }
    }
}
