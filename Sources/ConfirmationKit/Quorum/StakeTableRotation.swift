/// The move from one epoch's stake table to the next: the new table and a certificate of the
/// current epoch's validators over its commitment.
///
/// The handover certificate is an ordinary certificate of the profile whose statement is for
/// the current epoch and whose block commitment is ``commitment(networkID:nextEpoch:nextTableCommitment:)``,
/// a domain-separated hash that no block commitment can equal. Its height and view say where
/// in the chain the handover was decided; they are not checked.
///
/// JSON: `{"nextTable": <stake table>, "certificate": <certificate>}`.
public struct StakeTableHandover<Profile: QuorumProfile>: Hashable, Sendable, Codable {
    /// The stake table of the next epoch.
    public var nextTable: StakeTable<Profile.Key>
    /// A certificate of the current epoch over the handover commitment.
    public var certificate: QuorumCertificate<Profile>

    /// Creates a handover.
    public init(nextTable: StakeTable<Profile.Key>, certificate: QuorumCertificate<Profile>) {
        self.nextTable = nextTable
        self.certificate = certificate
    }

    /// The domain tag of the handover commitment.
    public static var commitmentDomain: String { "ConfirmationKit.StakeTableHandover.v1" }

    /// The value a handover certificate certifies in place of a block commitment:
    /// `keccak256(domain ‖ len(networkID) as 2 bytes ‖ networkID ‖ nextEpoch as 8 bytes ‖ nextTableCommitment)`.
    public static func commitment(networkID: NetworkID, nextEpoch: UInt64, nextTableCommitment: Bytes32) -> Bytes32 {
        var hasher = Keccak256()
        let network = Array(networkID.rawValue.utf8.prefix(0xFFFF))
        hasher.update(Array(commitmentDomain.utf8))
        hasher.update(QuorumEncoding.bigEndian(UInt64(network.count), bytes: 2) + network)
        hasher.update(QuorumEncoding.bigEndian(nextEpoch, bytes: 8))
        hasher.update(nextTableCommitment)
        return hasher.finalize()
    }
}

/// The result of walking a chain of handovers.
public enum StakeTableRotationResult<Key: StakeTableKey>: Sendable, Hashable {
    /// Every handover was accepted; this is the table of the last epoch reached.
    case accepted(StakeTable<Key>)
    /// The handover at `step` (0-based) was rejected for these reasons; `lastAccepted` is the
    /// table the walk had reached before it.
    case rejected(step: Int, failures: [PolicyFailure], lastAccepted: StakeTable<Key>)
}

/// A trusted genesis table and the handovers that lead from it to a current table.
///
/// ```swift
/// let chain = StakeTableChain(genesis: genesisTable, handovers: handovers)
/// switch chain.walk(network: network, profile: Secp256k1QuorumProfile()) {
/// case .accepted(let current): use(current)
/// case .rejected(let step, let failures, _): report(step, failures)
/// }
/// ```
///
/// JSON: `{"genesis": <stake table>, "handovers": [<handover>, …]}`, at most
/// ``QuorumLimits/maximumHandovers`` handovers.
public struct StakeTableChain<Profile: QuorumProfile>: Hashable, Sendable {
    /// The table the caller trusts without proof.
    public var genesis: StakeTable<Profile.Key>
    /// The handovers, one per epoch, in order.
    public var handovers: [StakeTableHandover<Profile>]

    /// Creates a chain.
    public init(genesis: StakeTable<Profile.Key>, handovers: [StakeTableHandover<Profile>]) {
        self.genesis = genesis
        self.handovers = handovers
    }

    /// Accepts each handover in turn: the next table must be for exactly the next epoch, and the
    /// current table's validators must certify its commitment under `threshold`.
    ///
    /// - Parameters:
    ///   - network: the network the tables belong to; every handover certificate must be for it.
    ///   - profile: the network profile.
    ///   - threshold: the stake a handover needs (default: more than two thirds).
    ///   - mode: the verification mode for each handover certificate.
    ///   - workers: threads for signature checks.
    /// - Returns: the table reached, or the first rejected step with every failed rule.
    public func walk(network: NetworkID, profile: Profile, threshold: QuorumThreshold = .twoThirds,
                     mode: VerificationMode = .threshold, workers: Int = 1) -> StakeTableRotationResult<Profile.Key> {
        let verifier = QuorumVerifier(profile: profile, workers: workers) {
            threshold
            EpochMatches()
            NetworkMatches(network)
        }
        var current = genesis
        for (step, handover) in handovers.enumerated() {
            let failures = Self.check(handover, from: current, network: network, verifier: verifier, mode: mode)
            guard failures.isEmpty else {
                return .rejected(step: step, failures: failures, lastAccepted: current)
            }
            current = handover.nextTable
        }
        return .accepted(current)
    }

    /// Every reason `handover` cannot follow `current` (empty when it can).
    public static func check<Policy: QuorumPolicy>(
        _ handover: StakeTableHandover<Profile>, from current: StakeTable<Profile.Key>, network: NetworkID,
        verifier: QuorumVerifier<Profile, Policy>, mode: VerificationMode
    ) -> [PolicyFailure] {
        var failures: [PolicyFailure] = []
        let (expectedEpoch, overflow) = current.epoch.addingReportingOverflow(1)
        if overflow || handover.nextTable.epoch != expectedEpoch {
            failures.append(PolicyFailure(.rotationEpochNotNext,
                                          "the handover from epoch \(current.epoch) installs a table for epoch \(handover.nextTable.epoch)"))
        }
        let statement = handover.certificate.statement
        if statement.epoch != current.epoch {
            failures.append(PolicyFailure(.rotationWrongSigningEpoch,
                                          "the handover is certified for epoch \(statement.epoch), not by the table of epoch \(current.epoch)"))
        }
        let expected = StakeTableHandover<Profile>.commitment(
            networkID: network, nextEpoch: handover.nextTable.epoch, nextTableCommitment: handover.nextTable.commitment)
        if statement.blockCommitment != expected {
            failures.append(PolicyFailure(.rotationCommitmentMismatch,
                                          "the certificate does not certify the handover to table \(handover.nextTable.commitment)"))
        }
        failures += verifier.verify(handover.certificate, against: current, mode: mode).failures
        return failures
    }
}

extension StakeTableChain: Codable {
    private enum CodingKeys: String, CodingKey { case genesis, handovers }

    /// Decodes a chain, bounding the number of handovers.
    /// - Throws: ``ConfirmationError`` `rotation.too-many-handovers`, or the table / certificate errors.
    public init(from decoder: any Decoder) throws {
        let limit = QuorumLimits.from(decoder).maximumHandovers
        let container = try decoder.container(keyedBy: CodingKeys.self)
        genesis = try container.decode(StakeTable<Profile.Key>.self, forKey: .genesis)
        var list = try container.nestedUnkeyedContainer(forKey: .handovers)
        var handovers: [StakeTableHandover<Profile>] = []
        while !list.isAtEnd {
            guard handovers.count < limit else {
                throw ConfirmationError(.rotationTooManyHandovers, "a chain holds at most \(limit) handovers")
            }
            handovers.append(try list.decode(StakeTableHandover<Profile>.self))
        }
        self.handovers = handovers
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(genesis, forKey: .genesis)
        try container.encode(handovers, forKey: .handovers)
    }
}

extension ConfirmationError.Code {
    /// A handover installs a table for an epoch other than the next one (a skip or a repeat).
    public static let rotationEpochNotNext = Self("rotation.epoch-not-next")
    /// A handover certificate is not for the epoch of the current table.
    public static let rotationWrongSigningEpoch = Self("rotation.wrong-signing-epoch")
    /// A handover certificate certifies something other than the handover to the next table.
    public static let rotationCommitmentMismatch = Self("rotation.commitment-mismatch")
    /// A chain holds more handovers than the limit.
    public static let rotationTooManyHandovers = Self("rotation.too-many-handovers")
}
