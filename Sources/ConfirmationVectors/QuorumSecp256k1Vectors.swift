public import ConfirmationKit
public import Foundation

/// `quorum-secp256k1.json`: certificates of the secp256k1 quorum profile against stake tables,
/// one case per accounting rule, policy and decoder error.
public struct QuorumSecp256k1VectorSuite: VectorSuite {
    public init() {}

    public var fileName: String { "quorum-secp256k1.json" }

    /// Decoder limits a case may lower to exercise the bounds.
    public struct Limits: Codable, Sendable, Hashable {
        public var maximumEntries: Int?
        public var maximumSigners: Int?
        public var maximumHandovers: Int?

        var quorumLimits: QuorumLimits {
            QuorumLimits(maximumEntries: maximumEntries ?? QuorumLimits.standard.maximumEntries,
                         maximumSigners: maximumSigners ?? QuorumLimits.standard.maximumSigners,
                         maximumHandovers: maximumHandovers ?? QuorumLimits.standard.maximumHandovers)
        }
    }

    /// One case.
    public struct Test: Codable, Sendable {
        public var tcId: Int
        public var comment: String
        public var flags: [String]
        /// The stake table JSON.
        public var stakeTable: JSONValue
        /// The certificate JSON.
        public var certificate: JSONValue
        /// The policies to apply.
        public var policy: QuorumPolicySpec
        /// The verification mode.
        public var mode: VerificationMode
        /// Lowered decoder limits, if any.
        public var limits: Limits?
        /// The EIP-712 digest of the certificate's statement, when it decodes.
        public var signingDigest: Bytes32?
        public var result: VectorResult
        /// The expected error code: the decoder's, or the first of `failures`.
        public var error: String?
        /// Every failed rule's code, sorted.
        public var failures: [String]?
        /// For valid cases: the verified stake, signers (table order) and signature checks.
        public var signedStake: UInt256?
        public var signers: [EthereumAddress]?
        public var signatureChecks: Int?
    }

    /// A group of cases.
    public struct Group: Codable, Sendable {
        public var comment: String
        public var tests: [Test]
    }

    public func generate() throws -> Data {
        let groups = try QuorumSecp256k1Cases().groups()
        let file = VectorFile(
            schema: "confirmationkit-quorum-secp256k1-v1", algorithm: Secp256k1QuorumProfile.name,
            header: [
                "Quorum certificates of the secp256k1 quorum profile checked against stake tables.",
                "Each case gives a stake table, a certificate, the policies (EpochMatches always applies) and the mode.",
                "Valid cases give the verified stake, signers and signature checks; invalid cases the expected error",
                "code and, when the input decodes, every failed rule's code (sorted). See Docs/quorum-certificates.md.",
            ],
            notes: [
                "ExactTwoThirds": "signed stake is exactly 2/3 of the total: not enough under the default threshold",
                "TwoThirdsPlusOne": "signed stake is 2/3 of the total plus one unit: enough",
                "ThresholdMode": "threshold mode stops once the threshold is proven; later signatures are not checked",
                "Malformed": "the input does not decode; the error is the decoder's code",
                "Stake256": "stakes near 2^256 that need exact wide arithmetic",
            ],
            testGroups: groups, numberOfTests: groups.reduce(0) { $0 + $1.tests.count })
        return try VectorJSON.encode(file)
    }

    public func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<Group>.self, from: data)
        return file.testGroups.flatMap(\.tests).map(Self.run)
    }

    static func run(_ test: Test) -> VectorOutcome {
        let limits = test.limits?.quorumLimits ?? .standard
        let verdict: QuorumVerdict<Secp256k1QuorumProfile>
        var digest: Bytes32?
        do {
            let table = try QuorumJSON.decode(StakeTable<EthereumAddress>.self, from: test.stakeTable.data(), limits: limits)
            let certificate = try QuorumJSON.decode(QuorumCertificate<Secp256k1QuorumProfile>.self,
                                                    from: test.certificate.data(), limits: limits)
            digest = certificate.statement.signingDigest
            let verifier = try test.policy.verifier(profile: Secp256k1QuorumProfile())
            verdict = verifier.verify(certificate, against: table, mode: test.mode)
        } catch let error as ConfirmationError {
            let ok = test.result == .invalid && test.error == error.code.rawValue && test.failures == nil
            return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "threw \(error)")
        } catch {
            return VectorOutcome(tcId: test.tcId, passed: false, detail: "threw \(error)")
        }
        if let expected = test.signingDigest, expected != digest {
            return VectorOutcome(tcId: test.tcId, passed: false, detail: "signing digest \(digest.map(\.description) ?? "-")")
        }
        switch verdict {
        case .verified(let v):
            let ok = test.result == .valid && test.signedStake == v.signedStake && test.signers == v.signers
                && test.signatureChecks == v.signatureChecks
            return VectorOutcome(tcId: test.tcId, passed: ok,
                                 detail: ok ? "" : "verified \(v.signedStake) by \(v.signers.count) signers in \(v.signatureChecks) checks")
        case .rejected(let failures):
            let codes = failures.map(\.code.rawValue).sorted()
            let ok = test.result == .invalid && test.failures == codes && test.error == codes.first
            return VectorOutcome(tcId: test.tcId, passed: ok, detail: ok ? "" : "rejected with \(codes)")
        }
    }
}

/// Builds the cases of `quorum-secp256k1.json`.
struct QuorumSecp256k1Cases {
    typealias Test = QuorumSecp256k1VectorSuite.Test
    typealias Certificate = QuorumCertificate<Secp256k1QuorumProfile>

    private var tests: [Test] = []
    private var nextID = 1

    func groups() throws -> [QuorumSecp256k1VectorSuite.Group] {
        var builder = self
        return [
            .init(comment: "thresholds: exact 2/3 boundary, other fractions, absolute stake", tests: try builder.thresholds()),
            .init(comment: "accounting rules: signer list, signature list, signature validity", tests: try builder.accounting()),
            .init(comment: "policies: epoch, network, age, key types, high-S", tests: try builder.policies()),
            .init(comment: "zero stake, empty tables, 256-bit stakes", tests: try builder.stakes()),
            .init(comment: "threshold mode versus full mode", tests: try builder.modes()),
            .init(comment: "malformed input", tests: try builder.malformed()),
        ]
    }

    // MARK: Case construction

    private mutating func add(_ comment: String, _ flags: [String] = [], table: StakeTable<EthereumAddress>,
                              certificate: Certificate, policy: QuorumPolicySpec = QuorumPolicySpec(),
                              mode: VerificationMode = .full, valid: (stake: UInt64, signers: [EthereumAddress], checks: Int)? = nil,
                              validStake: UInt256? = nil, failures: [ConfirmationError.Code] = []) throws -> Test {
        try addJSON(comment, flags, table: JSONValue(encoding: table), certificate: JSONValue(encoding: certificate),
                    digest: certificate.statement.signingDigest, policy: policy, mode: mode,
                    valid: valid.map { (validStake ?? UInt256($0.stake), $0.signers.sorted { (table.index(of: $0) ?? .max) < (table.index(of: $1) ?? .max) }, $0.checks) },
                    failures: failures.map(\.rawValue))
    }

    private mutating func addJSON(_ comment: String, _ flags: [String], table: JSONValue, certificate: JSONValue,
                                  digest: Bytes32?, policy: QuorumPolicySpec = QuorumPolicySpec(),
                                  mode: VerificationMode = .full, limits: QuorumSecp256k1VectorSuite.Limits? = nil,
                                  valid: (stake: UInt256, signers: [EthereumAddress], checks: Int)? = nil,
                                  failures: [String] = [], error: ConfirmationError.Code? = nil) throws -> Test {
        defer { nextID += 1 }
        let codes = failures.sorted()
        return Test(
            tcId: nextID, comment: comment, flags: flags, stakeTable: table, certificate: certificate, policy: policy,
            mode: mode, limits: limits, signingDigest: digest, result: valid == nil ? .invalid : .valid,
            error: error?.rawValue ?? codes.first, failures: error == nil && valid == nil ? codes : nil,
            signedStake: valid?.stake, signers: valid?.signers, signatureChecks: valid?.checks)
    }

    private func json(_ certificate: Certificate) throws -> JSONValue { try JSONValue(encoding: certificate) }

    // MARK: Groups

    /// Table A: stakes 100, 100, 99, 1 (total 300).
    private func tableA() throws -> QuorumFixture { try QuorumFixture(seed: 0xA11CE, stakes: [100, 100, 99, 1], epoch: 7) }

    private mutating func thresholds() throws -> [Test] {
        let a = try tableA()
        let s = QuorumFixture.statement(epoch: 7)
        let all = [0, 1, 2, 3].map(a.address)
        return [
            try add("all four validators sign (300 of 300)", table: a.table, certificate: a.certificate(s, signers: [0, 1, 2, 3]),
                    valid: (300, all, 4)),
            try add("200 of 300 is exactly 2/3: not enough under the default threshold", ["ExactTwoThirds"],
                    table: a.table, certificate: a.certificate(s, signers: [0, 1]), failures: [.quorumThresholdNotMet]),
            try add("201 of 300 is 2/3 plus one unit: enough", ["TwoThirdsPlusOne"],
                    table: a.table, certificate: a.certificate(s, signers: [0, 1, 3]), valid: (201, [0, 1, 3].map(a.address), 3)),
            try add("199 of 300 (100 + 99): not enough", table: a.table, certificate: a.certificate(s, signers: [0, 2]),
                    failures: [.quorumThresholdNotMet]),
            try add("exactly 2/3 meets an at-least-2/3 threshold", ["ExactTwoThirds"], table: a.table,
                    certificate: a.certificate(s, signers: [0, 1]),
                    policy: QuorumPolicySpec(threshold: .init(kind: "at-least", numerator: 2, denominator: 3)),
                    valid: (200, [0, 1].map(a.address), 2)),
            try add("199 fails an at-least-2/3 threshold", table: a.table, certificate: a.certificate(s, signers: [0, 2]),
                    policy: QuorumPolicySpec(threshold: .init(kind: "at-least", numerator: 2, denominator: 3)),
                    failures: [.quorumThresholdNotMet]),
            try add("101 of 300 is more than 1/3", table: a.table, certificate: a.certificate(s, signers: [0, 3]),
                    policy: QuorumPolicySpec(threshold: .init(kind: "more-than", numerator: 1, denominator: 3)),
                    valid: (101, [0, 3].map(a.address), 2)),
            try add("100 of 300 is not more than 1/3", table: a.table, certificate: a.certificate(s, signers: [0]),
                    policy: QuorumPolicySpec(threshold: .init(kind: "more-than", numerator: 1, denominator: 3)),
                    failures: [.quorumThresholdNotMet]),
            try add("absolute threshold 199 met by 199", table: a.table, certificate: a.certificate(s, signers: [0, 2]),
                    policy: QuorumPolicySpec(threshold: .init(kind: "absolute", stake: UInt256(199))),
                    valid: (199, [0, 2].map(a.address), 2)),
            try add("absolute threshold 200 not met by 199", table: a.table, certificate: a.certificate(s, signers: [0, 2]),
                    policy: QuorumPolicySpec(threshold: .init(kind: "absolute", stake: UInt256(200))),
                    failures: [.quorumThresholdNotMet]),
            try add("no threshold policy: nothing is certified", table: a.table, certificate: a.certificate(s, signers: [0, 1, 2, 3]),
                    policy: QuorumPolicySpec(threshold: nil), failures: [.quorumNoThreshold]),
            try addJSON("a fraction above one is not a threshold", [], table: JSONValue(encoding: a.table),
                        certificate: json(a.certificate(s, signers: [0, 1, 2, 3])), digest: s.signingDigest,
                        policy: QuorumPolicySpec(threshold: .init(kind: "more-than", numerator: 3, denominator: 2)),
                        error: .quorumInvalidThreshold),
            try addJSON("an absolute threshold of zero is not a threshold", [], table: JSONValue(encoding: a.table),
                        certificate: json(a.certificate(s, signers: [0, 1, 2, 3])), digest: s.signingDigest,
                        policy: QuorumPolicySpec(threshold: .init(kind: "absolute", stake: .zero)),
                        error: .quorumInvalidThreshold),
        ]
    }

    private mutating func accounting() throws -> [Test] {
        let a = try tableA()
        let s = QuorumFixture.statement(epoch: 7)
        let outsider = try QuorumFixture(seed: 0x0B5E, stakes: [1], epoch: 7)
        var out: [Test] = []

        // Duplicate: validator 0 listed twice next to itself; counted once (101), twice would be 201.
        let base = a.certificate(s, signers: [0, 3])
        guard case .keys(let keys) = base.signers, case .individual(let sigs) = base.signatures,
              let at = keys.firstIndex(of: a.address(0)) else { return out }
        var dupKeys = keys, dupSigs = sigs
        dupKeys.insert(keys[at], at: at)
        dupSigs.insert(sigs[at], at: at)
        out.append(try add("validator listed twice counts once (101, not 201)", table: a.table,
                           certificate: Certificate(statement: s, signers: .keys(dupKeys), signatures: .individual(dupSigs)),
                           failures: [.quorumDuplicateSigner, .quorumThresholdNotMet]))

        // Unknown signer: a key outside the table signs too.
        out.append(try add("a signer outside the stake table is rejected", table: a.table,
                           certificate: Secp256k1QuorumProfile.makeCertificate(
                               statement: s, signingKeys: [a.keys[0], a.keys[1], a.keys[2], outsider.keys[0]]),
                           failures: [.quorumUnknownSigner]))

        // Not sorted: three signers in descending order.
        let sorted = a.certificate(s, signers: [0, 1, 2])
        if case .keys(let k) = sorted.signers, case .individual(let g) = sorted.signatures {
            out.append(try add("signers listed in descending order", table: a.table,
                               certificate: Certificate(statement: s, signers: .keys(k.reversed()), signatures: .individual(g.reversed())),
                               failures: [.quorumSignersNotSorted, .quorumSignersNotSorted]))
        }

        // A bitmap where the profile lists sorted addresses.
        let tableOrder = [0, 1, 2].map { Secp256k1QuorumProfile.sign(s, with: a.keys[$0]) }
        out.append(try add("a signer bitmap where the profile lists sorted addresses", table: a.table,
                           certificate: Certificate(statement: s, signers: .bitmap(SignerBitmap(count: 4, setting: [0, 1, 2])),
                                                    signatures: .individual(tableOrder)),
                           failures: [.quorumSignerEncodingMismatch]))
        out.append(try add("a signer bitmap whose length is not the table's", table: a.table,
                           certificate: Certificate(statement: s, signers: .bitmap(SignerBitmap(count: 3, setting: [0, 1, 2])),
                                                    signatures: .individual(tableOrder)),
                           failures: [.quorumSignerEncodingMismatch, .quorumBitmapLengthMismatch, .quorumThresholdNotMet]))

        // Signature list shape.
        let full = a.certificate(s, signers: [0, 1, 2, 3])
        if case .individual(let g) = full.signatures {
            out.append(try add("one signature missing", table: a.table,
                               certificate: Certificate(statement: s, signers: full.signers, signatures: .individual(Array(g.dropLast()))),
                               failures: [.quorumSignatureCountMismatch, .quorumThresholdNotMet]))
            out.append(try add("an aggregate signature where the profile expects one per signer", table: a.table,
                               certificate: Certificate(statement: s, signers: full.signers, signatures: .aggregate(g[0])),
                               failures: [.quorumSignatureFormMismatch, .quorumThresholdNotMet]))
        }

        // Signatures over other bytes.
        var other = s
        other.height += 1
        let wrong = a.certificate(other, signers: [0, 1, 2, 3])
        out.append(try add("every signature is over height 1001, the certificate says 1000", table: a.table,
                           certificate: Certificate(statement: s, signers: wrong.signers, signatures: wrong.signatures),
                           failures: [.quorumInvalidSignature, .quorumInvalidSignature, .quorumInvalidSignature,
                                      .quorumInvalidSignature, .quorumThresholdNotMet]))
        var otherRoot = s
        otherRoot.namespaceRoot = Keccak256.hash(Array("another namespace root".utf8))
        let wrongRoot = a.certificate(otherRoot, signers: [0, 1, 2, 3])
        out.append(try add("every signature is over another namespace root", table: a.table,
                           certificate: Certificate(statement: s, signers: wrongRoot.signers, signatures: wrongRoot.signatures),
                           failures: [.quorumInvalidSignature, .quorumInvalidSignature, .quorumInvalidSignature,
                                      .quorumInvalidSignature, .quorumThresholdNotMet]))
        var otherChain = s
        otherChain.chainId = 1
        let wrongChain = a.certificate(otherChain, signers: [0, 1, 2, 3])
        out.append(try add("every signature is for chain 1 (another EIP-712 domain)", table: a.table,
                           certificate: Certificate(statement: s, signers: wrongChain.signers, signatures: wrongChain.signatures),
                           failures: [.quorumInvalidSignature, .quorumInvalidSignature, .quorumInvalidSignature,
                                      .quorumInvalidSignature, .quorumThresholdNotMet]))

        // Signatures attributed to the wrong signer, and garbage bytes.
        if case .keys(let k) = full.signers, case .individual(var g) = full.signatures,
           let i0 = k.firstIndex(of: a.address(0)), let i1 = k.firstIndex(of: a.address(1)) {
            g.swapAt(i0, i1)
            out.append(try add("the signatures of the two largest validators swapped (recovery gives the other address)",
                               table: a.table, certificate: Certificate(statement: s, signers: full.signers, signatures: .individual(g)),
                               failures: [.quorumInvalidSignature, .quorumInvalidSignature, .quorumThresholdNotMet]))
            g.swapAt(i0, i1)
            var zeroR = g
            zeroR[i0] = try Secp256k1QuorumSignature(rsv: [UInt8](repeating: 0, count: 32) + g[i0].rsv[32..<65])
            out.append(try add("r = 0 in one signature", table: a.table,
                               certificate: Certificate(statement: s, signers: full.signers, signatures: .individual(zeroR)),
                               failures: [.quorumInvalidSignature, .quorumThresholdNotMet]))
            var badV = g
            badV[i0] = try Secp256k1QuorumSignature(rsv: Array(g[i0].rsv[0..<64]) + [29])
            out.append(try add("v = 29 in one signature", table: a.table,
                               certificate: Certificate(statement: s, signers: full.signers, signatures: .individual(badV)),
                               failures: [.quorumInvalidSignature, .quorumThresholdNotMet]))
            var flippedV = g
            let v = g[i0].rsv[64]
            flippedV[i0] = try Secp256k1QuorumSignature(rsv: Array(g[i0].rsv[0..<64]) + [v == 27 ? 28 : 27])
            out.append(try add("the other recovery id recovers another address", table: a.table,
                               certificate: Certificate(statement: s, signers: full.signers, signatures: .individual(flippedV)),
                               failures: [.quorumInvalidSignature, .quorumThresholdNotMet]))
            var rawV = g
            rawV[i0] = try Secp256k1QuorumSignature(rsv: Array(g[i0].rsv[0..<64]) + [v - 27])
            out.append(try add("v may be written 0/1 instead of 27/28", table: a.table,
                               certificate: Certificate(statement: s, signers: full.signers, signatures: .individual(rawV)),
                               valid: (300, [0, 1, 2, 3].map(a.address), 4)))
        }
        return out
    }

    private mutating func policies() throws -> [Test] {
        let a = try tableA()
        let s = QuorumFixture.statement(epoch: 7)
        let all = [0, 1, 2, 3].map(a.address)
        let cert = a.certificate(s, signers: [0, 1, 2, 3])
        var out: [Test] = []
        out.append(try add("certificate for epoch 8 against the table of epoch 7", table: a.table,
                           certificate: a.certificate(QuorumFixture.statement(epoch: 8), signers: [0, 1, 2, 3]),
                           failures: [.quorumEpochMismatch]))
        out.append(try add("expected network eip155:31337", table: a.table, certificate: cert,
                           policy: QuorumPolicySpec(network: "eip155:31337"), valid: (300, all, 4)))
        out.append(try add("expected network eip155:1", table: a.table, certificate: cert,
                           policy: QuorumPolicySpec(network: "eip155:1"), failures: [.quorumNetworkMismatch]))
        let t = s.timestamp
        out.append(try add("30 s old, at most 60 s accepted", table: a.table, certificate: cert,
                           policy: QuorumPolicySpec(now: t + 30, maxAgeSeconds: 60), valid: (300, all, 4)))
        out.append(try add("exactly 60 s old, at most 60 s accepted", table: a.table, certificate: cert,
                           policy: QuorumPolicySpec(now: t + 60, maxAgeSeconds: 60), valid: (300, all, 4)))
        out.append(try add("61 s old, at most 60 s accepted", table: a.table, certificate: cert,
                           policy: QuorumPolicySpec(now: t + 61, maxAgeSeconds: 60), failures: [.quorumCertificateTooOld]))
        out.append(try add("dated 15 s ahead of the verification time (the allowed skew)", table: a.table, certificate: cert,
                           policy: QuorumPolicySpec(now: t - 15, maxAgeSeconds: 60), valid: (300, all, 4)))
        out.append(try add("dated 16 s ahead of the verification time", table: a.table, certificate: cert,
                           policy: QuorumPolicySpec(now: t - 16, maxAgeSeconds: 60), failures: [.quorumCertificateFromFuture]))
        out.append(try addJSON("an age limit without a verification time", [], table: JSONValue(encoding: a.table),
                               certificate: json(cert), digest: s.signingDigest,
                               policy: QuorumPolicySpec(maxAgeSeconds: 60), error: .quorumInvalidPolicy))
        out.append(try add("allowed key types: secp256k1", table: a.table, certificate: cert,
                           policy: QuorumPolicySpec(allowedKeyTypes: ["secp256k1"]), valid: (300, all, 4)))
        out.append(try add("allowed key types: ed25519 only", table: a.table, certificate: cert,
                           policy: QuorumPolicySpec(allowedKeyTypes: ["ed25519"]),
                           failures: Array(repeating: .quorumKeyTypeNotAllowed, count: 4)))

        // High-S twin of validator 0's signature.
        if case .keys(let k) = cert.signers, case .individual(var g) = cert.signatures,
           let i0 = k.firstIndex(of: a.address(0)) {
            g[i0] = try QuorumFixture.highSTwin(of: g[i0])
            let malleated = Certificate(statement: s, signers: cert.signers, signatures: .individual(g))
            out.append(try add("a high-S signature is refused by default", table: a.table, certificate: malleated,
                               failures: [.quorumSignatureHighS, .quorumThresholdNotMet]))
            out.append(try add("a high-S signature is refused under SignatureRules(allowHighS: false)", table: a.table,
                               certificate: malleated, policy: QuorumPolicySpec(allowHighS: false),
                               failures: [.quorumSignatureHighS, .quorumThresholdNotMet]))
            out.append(try add("a high-S signature counts under SignatureRules(allowHighS: true)", table: a.table,
                               certificate: malleated, policy: QuorumPolicySpec(allowHighS: true), valid: (300, all, 4)))
        }
        return out
    }

    private mutating func stakes() throws -> [Test] {
        var out: [Test] = []
        // Validators 2 and 3 have zero stake.
        let z = try QuorumFixture(seed: 0x2E50, stakes: [100, 100, 0, 0, 100], epoch: 7)
        let s = QuorumFixture.statement(epoch: 7)
        out.append(try add("three of five validators sign, two of them with zero stake (100 of 300)", table: z.table,
                           certificate: z.certificate(s, signers: [0, 2, 3]), failures: [.quorumThresholdNotMet]))
        out.append(try add("four of five sign, two with zero stake (200 of 300, exactly 2/3)", ["ExactTwoThirds"], table: z.table,
                           certificate: z.certificate(s, signers: [0, 1, 2, 3]), failures: [.quorumThresholdNotMet]))
        out.append(try add("zero-stake signers are verified and count nothing", table: z.table,
                           certificate: z.certificate(s, signers: [0, 1, 2, 4]), valid: (300, [0, 1, 2, 4].map(z.address), 4)))
        let zero = try QuorumFixture(seed: 0x2E51, stakes: [0, 0, 0], epoch: 7)
        out.append(try add("every entry has zero stake", table: zero.table, certificate: zero.certificate(s, signers: [0, 1, 2]),
                           failures: [.quorumZeroTotalStake, .quorumThresholdNotMet]))
        let empty = try StakeTable<EthereumAddress>(epoch: 7, entries: [])
        out.append(try add("an empty stake table", table: empty, certificate: zero.certificate(s, signers: [0, 1]),
                           failures: [.quorumEmptyTable, .quorumUnknownSigner, .quorumUnknownSigner, .quorumThresholdNotMet]))

        // 2^254 + 1 three times, plus 1: exact 2/3 and 2/3 + 1 with products beyond 256 bits.
        let x = try UInt256(hexString: "0x4000000000000000000000000000000000000000000000000000000000000001")
        let big = try QuorumFixture(seed: 0x5743, stakes: [x, x, x, UInt256(1)], epoch: 7)
        let twoX = x.addingReportingOverflow(x).partialValue
        out.append(try add("stakes of 2^254+1: two of three sign, plus a unit stake: 2X+1 of 3X+1 is more than 2/3",
                           ["Stake256", "TwoThirdsPlusOne"], table: big.table, certificate: big.certificate(s, signers: [0, 1, 3]),
                           valid: (0, [0, 1, 3].map(big.address), 3), validStake: twoX.addingReportingOverflow(UInt256(1)).partialValue))
        out.append(try add("stakes of 2^254+1: 2X of 3X+1 is less than 2/3", ["Stake256"], table: big.table,
                           certificate: big.certificate(s, signers: [0, 1]), failures: [.quorumThresholdNotMet]))
        let exact = try QuorumFixture(seed: 0x5744, stakes: [x, x, x], epoch: 7)
        out.append(try add("stakes of 2^254+1: 2X of 3X is exactly 2/3", ["Stake256", "ExactTwoThirds"], table: exact.table,
                           certificate: exact.certificate(s, signers: [0, 1]), failures: [.quorumThresholdNotMet]))

        // Stakes written as hex decode to the same table.
        let hexTable = try JSONValue(encoding: z.table).setting("entries", .array(z.table.entries.map {
            .object(["key": .string($0.key.checksummed), "stake": .string($0.stake.hexString)])
        }))
        let cert = z.certificate(s, signers: [0, 1, 4])
        out.append(try addJSON("stakes written in 0x hex", [], table: hexTable, certificate: json(cert),
                               digest: s.signingDigest, valid: (UInt256(300), [0, 1, 4].map(z.address), 3)))
        return out
    }

    private mutating func modes() throws -> [Test] {
        // Stakes 400, 300, 200, 100 (total 1000): threshold mode needs the two largest.
        let b = try QuorumFixture(seed: 0xB0B, stakes: [100, 400, 200, 300], epoch: 7)
        let s = QuorumFixture.statement(epoch: 7)
        let all = b.certificate(s, signers: [0, 1, 2, 3])
        var out: [Test] = []
        out.append(try add("threshold mode checks the 400 and 300 signers and stops", ["ThresholdMode"], table: b.table,
                           certificate: all, mode: .threshold, valid: (700, [1, 3].map(b.address), 2)))
        out.append(try add("full mode checks all four", table: b.table, certificate: all, mode: .full,
                           valid: (1000, [0, 1, 2, 3].map(b.address), 4)))
        guard case .keys(let k) = all.signers, case .individual(let g) = all.signatures,
              let small = k.firstIndex(of: b.address(0)), let large = k.firstIndex(of: b.address(1)) else { return out }
        var other = s
        other.view += 1
        let forged = Secp256k1QuorumProfile.sign(other, with: b.keys[0])
        var g1 = g
        g1[small] = forged
        let badSmall = Certificate(statement: s, signers: all.signers, signatures: .individual(g1))
        out.append(try add("the 100 signer's signature is invalid; threshold mode never checks it", ["ThresholdMode"],
                           table: b.table, certificate: badSmall, mode: .threshold, valid: (700, [1, 3].map(b.address), 2)))
        out.append(try add("the 100 signer's signature is invalid; full mode reports it", table: b.table,
                           certificate: badSmall, mode: .full, failures: [.quorumInvalidSignature]))
        var g2 = g
        g2[large] = Secp256k1QuorumProfile.sign(other, with: b.keys[1])
        out.append(try add("the 400 signer's signature is invalid: 600 of 1000 remain", ["ThresholdMode"], table: b.table,
                           certificate: Certificate(statement: s, signers: all.signers, signatures: .individual(g2)),
                           mode: .threshold, failures: [.quorumInvalidSignature, .quorumThresholdNotMet]))
        return out
    }

    private mutating func malformed() throws -> [Test] {
        let a = try tableA()
        let s = QuorumFixture.statement(epoch: 7)
        let cert = a.certificate(s, signers: [0, 1, 2, 3])
        let table = try JSONValue(encoding: a.table)
        let certJSON = try json(cert)
        func entries(_ list: [(String, JSONValue)]) -> JSONValue {
            table.setting("entries", .array(list.map { .object(["key": .string($0.0), "stake": $0.1]) }))
                .removing("commitment").removing("totalStake")
        }
        let addr = (0..<4).map { a.address($0).checksummed }
        var out: [Test] = []
        func bad(_ comment: String, table t: JSONValue = table, certificate c: JSONValue? = nil,
                 limits: QuorumSecp256k1VectorSuite.Limits? = nil, _ code: ConfirmationError.Code) throws -> (String, JSONValue, JSONValue, QuorumSecp256k1VectorSuite.Limits?, ConfirmationError.Code) {
            (comment, t, c ?? certJSON, limits, code)
        }
        let half = "0x8000000000000000000000000000000000000000000000000000000000000000"
        let cases = [
            try bad("the same address twice in the table",
                    table: entries([(addr[0], .string("1")), (addr[0], .string("2"))]), .stakeTableDuplicateKey),
            try bad("two stakes of 2^255: the total overflows 256 bits",
                    table: entries([(addr[0], .string(half)), (addr[1], .string(half))]), .stakeTableTotalOverflow),
            try bad("four entries where the limit is three", limits: .init(maximumEntries: 3), .stakeTableTooManyEntries),
            try bad("a stated commitment that is not the table's",
                    table: table.setting("commitment", .string(Bytes32.zero.description)), .stakeTableCommitmentMismatch),
            try bad("a stated total that is not the sum", table: table.setting("totalStake", .string("301")), .stakeTableTotalMismatch),
            try bad("a stake with a letter", table: entries([(addr[0], .string("12a"))]), .amountInvalid),
            try bad("a negative stake", table: entries([(addr[0], .string("-1"))]), .amountInvalid),
            try bad("a stake with a leading zero", table: entries([(addr[0], .string("007"))]), .amountInvalid),
            try bad("a stake of 2^256", table: entries([(addr[0], .string("115792089237316195423570985008687907853269984665640564039457584007913129639936"))]),
                    .amountOverflow),
            try bad("a hex stake of 65 digits", table: entries([(addr[0], .string("0x1" + String(repeating: "0", count: 64)))]),
                    .amountOverflow),
            try bad("an address with a wrong EIP-55 checksum",
                    table: entries([(String(addr[0].prefix(2)) + String(addr[0].dropFirst(2)).swapcase(), .string("1"))]),
                    .addressChecksumMismatch),
            try bad("four signers where the limit is three", limits: .init(maximumSigners: 3), .quorumTooManySigners),
            try bad("a signer bitmap with a character other than 0 and 1",
                    certificate: certJSON.removing("signers").setting("signerBitmap", .string("11x1")), .quorumMalformedBitmap),
            try bad("both a signer list and a signer bitmap",
                    certificate: certJSON.setting("signerBitmap", .string("1111")), .quorumMalformedCertificate),
            try bad("neither signatures nor an aggregate signature",
                    certificate: certJSON.removing("signatures"), .quorumMalformedCertificate),
            try bad("a certificate of another profile",
                    certificate: certJSON.setting("profile", .string("cometbft-ed25519-v1")), .quorumProfileMismatch),
            try bad("a 64-byte signature", certificate: certJSON.setting("signatures", .array([.string("0x" + String(repeating: "11", count: 64))])),
                    .invalidLength),
            try bad("no statement", certificate: certJSON.removing("statement"), .quorumMalformedJSON),
            try bad("the table's epoch is a string", table: table.setting("epoch", .string("7")), .quorumMalformedJSON),
        ]
        for (comment, t, c, limits, code) in cases {
            out.append(try addJSON(comment, ["Malformed"], table: t, certificate: c, digest: nil, limits: limits, error: code))
        }
        return out
    }
}

private extension String {
    /// Swaps the case of the letters (to break an EIP-55 checksum).
    func swapcase() -> String {
        String(map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) })
    }
}
