import ConfirmationKit
import ConfirmationSimulation
import Foundation

/// `clocks-tracker.json`: scripts of tracker inputs (track, pre-confirm, L1 heads and finality,
/// equivocation, export) with the outcome each step must have and the clocks each subject must
/// end in. A cross-checker replays the steps in order on a fresh tracker.
struct ClockVectors: VectorSuite {
    let fileName = "clocks-tracker.json"

    struct Group: Codable, Sendable {
        /// The stake table certificates are verified against (full mode, more than 2/3, epoch matches).
        var stakeTable: JSONValue
        var tests: [Case]
    }

    struct Case: Codable, Sendable {
        var tcId: Int
        var comment: String
        var flags: [String]
        /// Whether the tracker keeps certificates and proofs (needed by `export`).
        var retainsEvidence: Bool
        var steps: [Step]
        /// Every tracked subject's clocks after the last step.
        var final: [FinalState]
        var result: VectorResult
        /// The codes of the steps expected to fail, in order (empty for valid cases).
        var errors: [String]
    }

    struct Step: Codable, Sendable {
        /// `track`, `preconfirm`, `start`, `head`, `finalize`, `equivocation` or `export`.
        var op: String
        var at: Timestamp
        var subject: TrackedSubject?
        var subjectID: Bytes32?
        var certificate: JSONValue?
        var proof: JSONValue?
        var header: L1BlockHeader?
        var postings: [L1Posting]?
        var evidence: JSONValue?
        /// The step's error code, or nil when it succeeds.
        var error: String?
        /// The ids of the subjects whose clocks the step changed, sorted.
        var updated: [Bytes32]?
    }

    struct FinalState: Codable, Sendable, Equatable {
        var id: Bytes32
        var preconfirmation: String
        var settlement: String
        var reversions: [String]
    }

    func generate() throws -> Data {
        let m = try ClockMaterial()
        var tests: [Case] = []
        func add(_ comment: String, flags: [String], retains: Bool = true, _ steps: [Step], final: [FinalState]) {
            let errors = steps.compactMap(\.error)
            tests.append(Case(tcId: tests.count + 1, comment: comment, flags: flags, retainsEvidence: retains, steps: steps,
                              final: final.sorted { $0.id.hex < $1.id.hex }, result: errors.isEmpty ? .valid : .invalid, errors: errors))
        }
        let a = m.alpha, g = m.gamma
        let track = { (s: TrackedSubject) in Step(op: "track", at: m.t(0), subject: s, updated: []) }
        let start = Step(op: "start", at: m.t(0), header: m.genesis, updated: [])
        func pre(_ proof: InclusionProof, _ at: UInt64, certificate: JSONValue? = nil, updated: [Bytes32] = [], error: ConfirmationError.Code? = nil) throws -> Step {
            Step(op: "preconfirm", at: m.t(at), certificate: certificate ?? m.certificateJSON, proof: try JSONValue(encoding: proof),
                 error: error?.rawValue, updated: error == nil ? updated.sorted { $0.hex < $1.hex } : nil)
        }
        func head(_ header: L1BlockHeader, _ postings: [L1Posting] = [], _ at: UInt64, updated: [Bytes32] = [], error: ConfirmationError.Code? = nil) -> Step {
            Step(op: "head", at: m.t(at), header: header, postings: postings, error: error?.rawValue,
                 updated: error == nil ? updated.sorted { $0.hex < $1.hex } : nil)
        }
        func finalize(_ header: L1BlockHeader, _ at: UInt64, updated: [Bytes32] = [], error: ConfirmationError.Code? = nil) -> Step {
            Step(op: "finalize", at: m.t(at), header: header, error: error?.rawValue, updated: error == nil ? updated.sorted { $0.hex < $1.hex } : nil)
        }
        func state(_ id: Bytes32, _ pre: String, _ settle: String, _ reversions: [String] = []) -> FinalState {
            FinalState(id: id, preconfirmation: pre, settlement: settle, reversions: reversions)
        }

        add("normal path: pre-confirmed, posted, finalized", flags: ["Valid"], [
            track(.transaction(a)), start, try pre(m.inclusionAlpha, 1_200, updated: [a.subjectID]),
            head(m.main[0], [m.posting(m.main[0])], 30_000, updated: [a.subjectID]), head(m.main[1], [], 42_000), head(m.main[2], [], 54_000),
            finalize(m.main[1], 800_000, updated: [a.subjectID]),
        ], final: [state(a.subjectID, "preconfirmed", "finalized")])
        add("an atomic bundle needs every leg in the same block", flags: ["Valid", "Bundle"], [
            track(.bundle([a, g])), try pre(m.inclusionAlpha, 1_000), try pre(m.inclusionGamma, 1_100, updated: [m.bundleID]),
        ], final: [state(m.bundleID, "preconfirmed", "notPosted")])
        add("a proof of another block is refused", flags: ["Preconfirmation"], [
            track(.transaction(a)), try pre(m.foreignInclusion, 1_000, error: .clocksProofNotVerified),
        ], final: [state(a.subjectID, "pending", "notPosted")])
        add("an absence proof places no transaction", flags: ["Preconfirmation"], [
            track(.transaction(a)), try pre(m.absence, 1_000, error: .clocksProofWithoutTransactions),
        ], final: [state(a.subjectID, "pending", "notPosted")])
        add("L1 before the settlement clock has a checkpoint", flags: ["Settlement"], [
            track(.transaction(a)), head(m.main[0], [], 10_000, error: .clocksNoCheckpoint),
        ], final: [state(a.subjectID, "pending", "notPosted")])
        add("a posting delivered with another block", flags: ["Settlement"], [
            track(.transaction(a)), start, try pre(m.inclusionAlpha, 1_000, updated: [a.subjectID]),
            head(m.main[0], [m.posting(m.main[1])], 12_000, error: .clocksPostingMismatch),
        ], final: [state(a.subjectID, "preconfirmed", "notPosted")])
        add("a header that does not link", flags: ["Settlement"], [
            start, head(m.main[1], [], 12_000, error: .l1UnlinkedHeader),
        ], final: [])
        add("a header at the finalized height", flags: ["Settlement"], [
            start, head(m.main[0], [], 12_000), head(m.main[1], [], 24_000), finalize(m.main[1], 30_000),
            head(m.fork[0], [], 40_000, error: .l1BelowFinalized),
        ], final: [])
        add("a finalized checkpoint on another chain", flags: ["Settlement"], [
            start, head(m.main[0], [], 12_000), finalize(m.fork[0], 20_000, error: .l1FinalizedConflict),
        ], final: [])
        add("reorg of the posting block, posted again on the new chain", flags: ["Valid", "Reorg"], [
            track(.transaction(a)), start, try pre(m.inclusionAlpha, 1_000, updated: [a.subjectID]),
            head(m.main[0], [m.posting(m.main[0])], 30_000, updated: [a.subjectID]),
            head(m.fork[0], [], 42_000, updated: [a.subjectID]), head(m.fork[1], [m.posting(m.fork[1])], 54_000, updated: [a.subjectID]),
            finalize(m.fork[1], 900_000, updated: [a.subjectID]),
        ], final: [state(a.subjectID, "preconfirmed", "finalized", ["l1-reorg"])])
        add("equivocation evidence reverts the pre-confirmation", flags: ["Valid", "Equivocation"], [
            track(.transaction(a)), track(.transaction(g)), try pre(m.inclusionAlpha, 1_000, updated: [a.subjectID]),
            Step(op: "equivocation", at: m.t(3_000), evidence: m.evidenceJSON, updated: [a.subjectID]),
        ], final: [state(a.subjectID, "reverted", "notPosted", ["equivocation"]), state(g.subjectID, "pending", "notPosted")])
        add("equivocation evidence whose claim is altered is refused", flags: ["Equivocation"], [
            track(.transaction(a)), try pre(m.inclusionAlpha, 1_000, updated: [a.subjectID]),
            Step(op: "equivocation", at: m.t(3_000), evidence: m.tamperedEvidenceJSON, error: ConfirmationError.Code.clocksEvidenceRejected.rawValue),
        ], final: [state(a.subjectID, "preconfirmed", "notPosted")])
        add("L1 records another commitment for the certified height", flags: ["Valid", "Conflict"], [
            track(.transaction(a)), start, try pre(m.inclusionAlpha, 1_000, updated: [a.subjectID]),
            head(m.main[0], [m.posting(m.main[0], commitment: m.otherCommitment)], 30_000, updated: [a.subjectID]),
        ], final: [state(a.subjectID, "reverted", "reverted", ["settlement-conflict"])])
        add("export needs a known, pre-confirmed subject with kept evidence", flags: ["Export"], retains: false, [
            track(.transaction(a)), track(.transaction(g)),
            Step(op: "export", at: m.t(0), subjectID: m.otherCommitment, error: ConfirmationError.Code.clocksUnknownSubject.rawValue),
            Step(op: "export", at: m.t(0), subjectID: a.subjectID, error: ConfirmationError.Code.clocksNotPreconfirmed.rawValue),
            try pre(m.inclusionAlpha, 1_000, updated: [a.subjectID]),
            Step(op: "export", at: m.t(2_000), subjectID: a.subjectID, error: ConfirmationError.Code.clocksNoEvidence.rawValue),
        ], final: [state(a.subjectID, "preconfirmed", "notPosted"), state(g.subjectID, "pending", "notPosted")])
        add("export of a pre-confirmed subject", flags: ["Valid", "Export"], [
            track(.transaction(a)), try pre(m.inclusionAlpha, 1_000, updated: [a.subjectID]),
            Step(op: "export", at: m.t(2_000), subjectID: a.subjectID),
        ], final: [state(a.subjectID, "preconfirmed", "notPosted")])
        add("a subject that is neither one transaction nor a bundle", flags: ["Subject"], [
            Step(op: "track-json", at: m.t(0), certificate: .object(["kind": .string("transaction"), "legs": .array([])]),
                 error: ConfirmationError.Code.clocksInvalidSubject.rawValue),
        ], final: [])

        let file = VectorFile(schema: "confirmationkit-clocks-v2", algorithm: "two-clock tracker",
                              header: ["Scripts of tracker inputs with each step's outcome and the final clocks of every subject.",
                                       "Certificates are verified (full mode, more than 2/3, epoch matches) against the group's stake table before `preconfirm`.",
                                       "`track-json` decodes the step's `certificate` member as a subject (checking the subject JSON rules)."],
                              notes: ["Valid": "Every step succeeds.", "Bundle": "An atomic bundle.", "Preconfirmation": "A pre-confirmation input is refused.",
                                      "Settlement": "An L1 input is refused.", "Reorg": "L1 reorganises.", "Equivocation": "Equivocation evidence.",
                                      "Conflict": "L1 contradicts the certified block.", "Export": "Bundle export.", "Subject": "Subject JSON."],
                              testGroups: [Group(stakeTable: try JSONValue(encoding: m.table), tests: tests)], numberOfTests: tests.count)
        return try VectorJSON.encode(file)
    }

    func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<Group>.self, from: data)
        var outcomes: [VectorOutcome] = []
        for group in file.testGroups {
            let table = try JSONDecoder().decode(StakeTable<EthereumAddress>.self, from: group.stakeTable.data())
            for test in group.tests { outcomes.append(Self.run(test, table: table)) }
        }
        return outcomes
    }

    static func run(_ test: Case, table: StakeTable<EthereumAddress>) -> VectorOutcome {
        var core = TrackerCore(retainsEvidence: test.retainsEvidence)
        let profile = Secp256k1QuorumProfile()
        let verifier = QuorumVerifier(profile: profile) { QuorumThreshold.twoThirds; EpochMatches() }
        for (index, step) in test.steps.enumerated() {
            var updated: [Bytes32] = []
            do {
                switch step.op {
                case "track":
                    guard let subject = step.subject else { throw ConfirmationError(.clocksInvalidSubject, "no subject") }
                    core.track(subject, at: step.at)
                case "track-json":
                    let subject = try JSONDecoder().decode(TrackedSubject.self, from: (step.certificate ?? .null).data())
                    core.track(subject, at: step.at)
                case "preconfirm":
                    let certificate = try JSONDecoder().decode(QuorumCertificate<Secp256k1QuorumProfile>.self,
                                                               from: (step.certificate ?? .null).data())
                    let proof = try InclusionProof(jsonData: (step.proof ?? .null).data())
                    guard case .verified(let verified) = verifier.verify(certificate, against: table, mode: .full) else {
                        return VectorOutcome(tcId: test.tcId, passed: false, detail: "step \(index): certificate does not verify")
                    }
                    updated = try core.preconfirm(verified, certificate: certificate, proof: proof, at: step.at).map(\.clocks.id)
                case "start":
                    guard let header = step.header else { throw ConfirmationError(.clocksNoCheckpoint, "no header") }
                    core.startSettlementClock(checkpoint: header)
                case "head":
                    guard let header = step.header else { throw ConfirmationError(.l1UnlinkedHeader, "no header") }
                    updated = try core.applyL1Head(header, postings: step.postings ?? [], at: step.at).map(\.clocks.id)
                case "finalize":
                    guard let header = step.header else { throw ConfirmationError(.l1UnlinkedHeader, "no header") }
                    updated = try core.applyL1Finalized(header, at: step.at).map(\.clocks.id)
                case "equivocation":
                    let evidence = try JSONDecoder().decode(EquivocationEvidence<Secp256k1QuorumProfile>.self,
                                                            from: (step.evidence ?? .null).data())
                    updated = try core.applyEquivocation(evidence, profile: profile, at: step.at).map(\.clocks.id)
                case "export":
                    _ = try core.exportBundle(for: step.subjectID ?? .zero, profile: Secp256k1QuorumProfile.self)
                default:
                    return VectorOutcome(tcId: test.tcId, passed: false, detail: "step \(index): unknown op \(step.op)")
                }
            } catch let error as ConfirmationError {
                guard error.code.rawValue == step.error else {
                    return VectorOutcome(tcId: test.tcId, passed: false, detail: "step \(index) (\(step.op)) failed with \(error.code), expected \(step.error ?? "success")")
                }
                continue
            } catch {
                return VectorOutcome(tcId: test.tcId, passed: false, detail: "step \(index): untyped error \(error)")
            }
            if let expected = step.error {
                return VectorOutcome(tcId: test.tcId, passed: false, detail: "step \(index) (\(step.op)) succeeded, expected \(expected)")
            }
            if let expected = step.updated, Set(updated) != Set(expected) {
                return VectorOutcome(tcId: test.tcId, passed: false, detail: "step \(index) (\(step.op)) updated \(updated.count) subjects, expected \(expected.count)")
            }
        }
        let final = core.items.values.map {
            FinalState(id: $0.id, preconfirmation: $0.preconfirmation.name, settlement: $0.settlement.name,
                       reversions: $0.reversionHistory.map(\.reason.code))
        }.sorted { $0.id.hex < $1.id.hex }
        return VectorOutcome(tcId: test.tcId, passed: final == test.final, detail: final == test.final ? "" : "final clocks differ: \(final)")
    }

    /// Deterministic ingredients: a certified block with two rollups, proofs, an equivocation, two L1 branches.
    struct ClockMaterial {
        let table: StakeTable<EthereumAddress>
        let certificateJSON: JSONValue
        let alpha: TransactionReference
        let gamma: TransactionReference
        let bundleID: Bytes32
        let inclusionAlpha: InclusionProof
        let inclusionGamma: InclusionProof
        let foreignInclusion: InclusionProof
        let absence: InclusionProof
        let evidenceJSON: JSONValue
        let tamperedEvidenceJSON: JSONValue
        let otherCommitment: Bytes32
        let genesis: L1BlockHeader
        let main: [L1BlockHeader]
        let fork: [L1BlockHeader]
        let network: String
        let height: UInt64
        let commitment: Bytes32
        let start = Timestamp(seconds: 1_767_225_600)

        func t(_ milliseconds: UInt64) -> Timestamp { start.adding(milliseconds: milliseconds) }

        func posting(_ block: L1BlockHeader, commitment other: Bytes32? = nil) -> L1Posting {
            L1Posting(network: network, height: height, blockCommitment: other ?? commitment, l1Block: block, evidence: "receipt-log")
        }

        init() throws {
            var sequencer = try DemoSequencer(validators: 5, seed: 777)
            let alphaBytes = Array("alpha: deposit on rollup A".utf8)
            let gammaBytes = Array("gamma: mint on rollup B".utf8)
            let contents: [NamespaceID: [[UInt8]]] = [1000: [alphaBytes, Array("beta".utf8)], 1001: [gammaBytes]]
            let produced = try sequencer.produceBlock(transactions: contents, at: start)
            table = sequencer.stakeTable
            certificateJSON = try JSONValue(encoding: produced.certificate)
            alpha = TransactionReference(namespace: 1000, transaction: alphaBytes)
            gamma = TransactionReference(namespace: 1001, transaction: gammaBytes)
            bundleID = TrackedSubject.bundle([alpha, gamma]).id
            inclusionAlpha = .namespaceInclusion(try produced.block.inclusionProof(namespace: 1000, index: 0))
            inclusionGamma = .namespaceInclusion(try produced.block.inclusionProof(namespace: 1001, index: 0))
            absence = .namespaceAbsence(try produced.block.absenceProof(namespace: 1002))
            let foreign = try NamespacedBlock(transactions: [1000: [alphaBytes]])
            foreignInclusion = .namespaceInclusion(try foreign.inclusionProof(namespace: 1000, index: 0))
            var conflicting = contents
            conflicting[1000, default: []].append(Array("inserted".utf8))
            let other = try sequencer.certify(try NamespacedBlock(transactions: conflicting), height: produced.height,
                                              view: produced.height, at: start, signers: sequencer.signingKeys)
            guard case .success(let evidence) = EquivocationEvidence.detect(
                first: produced.certificate, second: other.certificate, table: table, profile: Secp256k1QuorumProfile()) else {
                throw ConfirmationError(.simulationCertificateRejected, "staged equivocation is not evidence")
            }
            evidenceJSON = try JSONValue(encoding: evidence)
            tamperedEvidenceJSON = evidenceJSON.setting("doubleSignedStake", .string("1"))
            otherCommitment = other.block.commitment
            network = sequencer.networkID.rawValue
            height = produced.height
            commitment = produced.block.commitment
            func chain(from base: L1BlockHeader, _ label: String, count: Int) -> [L1BlockHeader] {
                var out: [L1BlockHeader] = []
                var parent = base
                for _ in 0..<count {
                    let number = parent.number + 1
                    let header = L1BlockHeader(number: number, hash: Keccak256.hash(Array("\(label) \(number)".utf8) + parent.hash.bytes),
                                               parentHash: parent.hash, timestamp: parent.timestamp + 12)
                    out.append(header)
                    parent = header
                }
                return out
            }
            genesis = L1BlockHeader(number: 1_000, hash: Keccak256.hash(Array("l1 checkpoint".utf8)), parentHash: .zero, timestamp: 1_767_225_000)
            main = chain(from: genesis, "main", count: 3)
            fork = chain(from: genesis, "fork", count: 2)
        }
    }
}
