/// An in-memory Ethereum stand-in for tests and the demo: it mines blocks that carry postings,
/// forks on request, and finalizes with a configurable lag. It conforms to ``L1Source``.
///
/// Block hashes are Keccak-256 over the block's number, parent hash, timestamp, a fork counter and
/// the postings it carries, so two forks never share a hash and every run is reproducible.
///
/// ```swift
/// let l1 = SimulatedL1(genesisTime: Timestamp(seconds: 1_700_000_000))
/// let block = await l1.mine(postings: [(network: "demo", height: 7, blockCommitment: c)], at: now)
/// await l1.reorganize(depth: 1, at: now)   // replaces the head; its postings are gone
/// await l1.finalize(through: block.number)
/// ```
public actor SimulatedL1: L1Source {
    /// A posting to include in the next block.
    public typealias PostingRequest = (network: String, height: UInt64, blockCommitment: Bytes32)

    private var chain: [L1BlockHeader]
    private var postingsByHash: [Bytes32: [L1Posting]] = [:]
    private var finalizedNumber: UInt64 = 0
    private var forks: UInt64 = 0

    /// Creates a chain holding only a finalized genesis block.
    public init(genesisTime: Timestamp) {
        let genesis = Self.makeHeader(number: 0, parent: .zero, timestamp: genesisTime.milliseconds / 1000, fork: 0, postings: [])
        chain = [genesis]
    }

    // MARK: L1Source

    public func latestHeader() -> L1BlockHeader { chain[chain.count - 1] }

    public func finalizedHeader() -> L1BlockHeader { chain[Int(finalizedNumber)] }

    public func header(number: UInt64) throws -> L1BlockHeader {
        guard number < UInt64(chain.count) else {
            throw ConfirmationError(.l1UnknownBlock, "block \(number) is above the simulated head \(chain.count - 1)")
        }
        return chain[Int(number)]
    }

    public func postings(in block: L1BlockHeader) -> [L1Posting] {
        postingsByHash[block.hash] ?? []
    }

    // MARK: Driving the simulation

    /// Mines one block on the head carrying `postings`.
    @discardableResult
    public func mine(postings requests: [PostingRequest] = [], at time: Timestamp) -> L1BlockHeader {
        let parent = chain[chain.count - 1]
        let timestamp = max(time.milliseconds / 1000, parent.timestamp + 1)
        let header = Self.makeHeader(number: parent.number + 1, parent: parent.hash, timestamp: timestamp,
                                     fork: forks, postings: requests.map(\.blockCommitment))
        chain.append(header)
        postingsByHash[header.hash] = requests.map {
            L1Posting(network: $0.network, height: $0.height, blockCommitment: $0.blockCommitment,
                      l1Block: header, evidence: "simulated")
        }
        return header
    }

    /// Replaces the newest `depth` unfinalized blocks with as many empty blocks of a new fork.
    /// - Returns: the removed blocks (lowest first); empty if nothing unfinalized could be replaced.
    @discardableResult
    public func reorganize(depth: Int, at time: Timestamp) -> [L1BlockHeader] {
        let replaceable = chain.count - 1 - Int(finalizedNumber)
        let count = min(max(depth, 0), replaceable)
        guard count > 0 else { return [] }
        let removed = Array(chain.suffix(count))
        chain.removeLast(count)
        forks += 1
        for _ in 0..<count { mine(at: time) }
        return removed
    }

    /// Marks every block up to `number` (bounded by the head) as finalized.
    public func finalize(through number: UInt64) {
        finalizedNumber = max(finalizedNumber, min(number, UInt64(chain.count - 1)))
    }

    private static func makeHeader(number: UInt64, parent: Bytes32, timestamp: UInt64, fork: UInt64,
                                   postings: [Bytes32]) -> L1BlockHeader {
        var hasher = Keccak256()
        hasher.update(Array("ConfirmationKit simulated L1".utf8))
        for word in [number, timestamp, fork] { hasher.update(withUnsafeBytes(of: word.bigEndian) { Array($0) }) }
        hasher.update(parent)
        for commitment in postings { hasher.update(commitment) }
        return L1BlockHeader(number: number, hash: hasher.finalize(), parentHash: parent, timestamp: timestamp)
    }
}

extension ConfirmationError.Code {
    /// An L1 source does not have the requested block.
    public static let l1UnknownBlock = Self("l1.unknown-block")
}
