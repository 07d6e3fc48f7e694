public import ConfirmationKit

/// An in-process shared sequencer for demos and tests: secp256k1 validators with uneven stake,
/// namespaced blocks, and certificates signed over the EIP-712 statement of the library's
/// secp256k1 quorum profile. Every certificate it hands out is checked by a real
/// ``QuorumVerifier`` before anyone may use it.
///
/// ```swift
/// var sequencer = try DemoSequencer(validators: 7, seed: 1)
/// let block = try sequencer.produceBlock(transactions: [7: [tx]], at: now)
/// block.verified     // VerifiedCertificate<Secp256k1QuorumProfile>
/// ```
public struct DemoSequencer: Sendable {
    /// The EIP-155 chain id the statements are bound to.
    public let chainId: UInt64
    /// The validators' signing keys, in stake-table order.
    public let validatorKeys: [Secp256k1PrivateKey]
    /// The epoch's stake table.
    public let stakeTable: StakeTable<EthereumAddress>
    /// The verifier every certificate passes.
    public let verifier: QuorumVerifier<Secp256k1QuorumProfile, BothPolicies<QuorumThreshold, EpochMatches>>
    /// The next height to produce.
    public private(set) var nextHeight: UInt64 = 1

    /// A produced block with its verified certificate.
    public struct Block: Sendable {
        /// The namespaced block.
        public let block: NamespacedBlock
        /// The certificate as published.
        public let certificate: QuorumCertificate<Secp256k1QuorumProfile>
        /// The certificate after verification.
        public let verified: VerifiedCertificate<Secp256k1QuorumProfile>
        /// The statement's height.
        public var height: UInt64 { certificate.statement.height }
    }

    /// Creates a network of `validators` validators with deterministic keys and uneven stakes
    /// (`1000 · (i + 1)` for validator `i`, rotated by the seed).
    /// - Throws: when `validators` is zero or the stake table cannot be built.
    public init(validators: Int, seed: UInt64, chainId: UInt64 = 31_337) throws {
        guard validators > 0 else {
            throw ConfirmationError(.invalidLength, "a sequencer needs at least one validator")
        }
        var rng = DeterministicRandom(seed: seed)
        let keys = (0..<validators).map { _ in rng.secp256k1Key() }
        var entries: [StakeTableEntry<EthereumAddress>] = []
        for (i, key) in keys.enumerated() {
            let weight = UInt64((i + Int(seed % UInt64(validators))) % validators + 1) * 1_000
            entries.append(StakeTableEntry(key: key.publicKey.ethereumAddress, stake: UInt256(weight)))
        }
        self.chainId = chainId
        self.validatorKeys = keys
        self.stakeTable = try StakeTable(epoch: 1, entries: entries)
        self.verifier = QuorumVerifier(profile: Secp256k1QuorumProfile()) {
            QuorumThreshold.twoThirds
            EpochMatches()
        }
    }

    /// The network id (`eip155:<chainId>`).
    public var networkID: NetworkID { Secp256k1QuorumStatement.networkID(chainId: chainId) }

    /// Validators that sign every block: all but the one with the least stake (it is "offline"),
    /// unless that would leave too little stake.
    public var signingKeys: [Secp256k1PrivateKey] {
        guard validatorKeys.count > 3 else { return validatorKeys }
        let weakest = stakeTable.entries.indices.min { stakeTable.entries[$0].stake < stakeTable.entries[$1].stake } ?? 0
        return validatorKeys.enumerated().filter { $0.offset != weakest }.map(\.element)
    }

    /// Orders `transactions` into the next block and certifies it.
    /// - Throws: when the block cannot be built or its certificate does not verify.
    public mutating func produceBlock(transactions: [NamespaceID: [[UInt8]]], at time: Timestamp) throws -> Block {
        let block = try NamespacedBlock(transactions: transactions)
        let produced = try certify(block, height: nextHeight, view: nextHeight, at: time, signers: signingKeys)
        nextHeight += 1
        return produced
    }

    /// Certifies `block` at a given slot with the given signers (used to stage equivocations).
    /// - Throws: ``ConfirmationError`` `quorum.rejected` with the failed rules when the certificate does not verify.
    public func certify(_ block: NamespacedBlock, height: UInt64, view: UInt64, at time: Timestamp,
                        signers: [Secp256k1PrivateKey]) throws -> Block {
        let statement = Secp256k1QuorumStatement(
            chainId: chainId, epoch: stakeTable.epoch, height: height, view: view,
            blockCommitment: block.commitment, timestamp: time.milliseconds / 1000)
        let certificate = Secp256k1QuorumProfile.makeCertificate(statement: statement, signingKeys: signers)
        switch verifier.verify(certificate, against: stakeTable, mode: .full) {
        case .verified(let verified):
            return Block(block: block, certificate: certificate, verified: verified)
        case .rejected(let failures):
            throw ConfirmationError(.simulationCertificateRejected,
                                    "the demo certificate does not verify: \(failures.map(\.code.rawValue).joined(separator: ", "))")
        }
    }
}

extension ConfirmationError.Code {
    /// A certificate staged by the simulation did not verify (a bug in the scenario, not in input).
    public static let simulationCertificateRejected = Self("simulation.certificate-rejected")
}
