/// An Ethereum (L1) block as the settlement clock sees it: enough to follow the chain by
/// parent-hash linkage and to place a posting on it.
///
/// Sources produce these only after checking them: the JSON-RPC source recomputes each header's
/// hash from its fields; the simulated L1 makes them itself.
public struct L1BlockHeader: Sendable, Hashable, Codable {
    /// The block number.
    public var number: UInt64
    /// The block hash (Keccak-256 of the RLP-encoded header).
    public var hash: Bytes32
    /// The parent block's hash.
    public var parentHash: Bytes32
    /// The block timestamp in seconds since the Unix epoch.
    public var timestamp: UInt64

    public init(number: UInt64, hash: Bytes32, parentHash: Bytes32, timestamp: UInt64) {
        self.number = number
        self.hash = hash
        self.parentHash = parentHash
        self.timestamp = timestamp
    }
}

/// A proven fact that a sequencer block's commitment was posted to L1 in a given block.
public struct L1Posting: Sendable, Hashable, Codable {
    /// The network whose block was posted (the certificate's network id).
    public var network: String
    /// The sequencer block height that was posted.
    public var height: UInt64
    /// The sequencer block commitment recorded on L1.
    public var blockCommitment: Bytes32
    /// The L1 block that contains the posting.
    public var l1Block: L1BlockHeader
    /// How the posting was proven, e.g. `receipt-log`, `storage-slot`, `simulated`.
    public var evidence: String

    public init(network: String, height: UInt64, blockCommitment: Bytes32, l1Block: L1BlockHeader, evidence: String) {
        self.network = network
        self.height = height
        self.blockCommitment = blockCommitment
        self.l1Block = l1Block
        self.evidence = evidence
    }
}

/// Where the settlement clock's observations of Ethereum come from.
///
/// Every value a source returns must already be verified against the chain it follows (header
/// hashes recomputed, postings proven by receipt or storage proofs against a verified header). The
/// tracker adds the cross-checks that need history: parent-hash linkage, reorg detection, finality.
///
/// The library ships a simulated source for tests and the demo; `ConfirmationNetwork` adds a
/// verified Ethereum JSON-RPC source.
public protocol L1Source: Sendable {
    /// The current head of the chain the source follows.
    func latestHeader() async throws -> L1BlockHeader
    /// The newest finalized checkpoint.
    func finalizedHeader() async throws -> L1BlockHeader
    /// The header at `number` on the chain the source currently follows.
    func header(number: UInt64) async throws -> L1BlockHeader
    /// The proven postings of sequencer blocks contained in `block`.
    func postings(in block: L1BlockHeader) async throws -> [L1Posting]
}
