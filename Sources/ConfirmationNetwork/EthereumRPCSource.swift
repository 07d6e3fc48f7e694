public import ConfirmationKit
public import ConfirmationKitEthereum
public import Foundation

/// An ``L1Source`` over Ethereum JSON-RPC that trusts the endpoint for nothing it can check.
///
/// It starts from a finalized block hash the user trusts (a checkpoint). Every header it returns
/// has had its hash recomputed from its fields and is linked to that checkpoint by parent hashes:
/// newer blocks by walking back from them to the newest linked finalized block, older ones by
/// walking back from the checkpoint. Postings are proven against those headers: logs by rebuilding
/// the block's receipts root from `eth_getBlockReceipts`, storage by EIP-1186 proofs against the
/// state root.
///
/// What remains trusted is the endpoint's choice of *which* block it calls `finalized` and
/// `latest` (see `Docs/ethereum-l1.md`): it cannot forge a header or a posting, but it can withhold
/// or delay, or call a block finalized that the beacon chain has not finalized yet.
///
/// ```swift
/// let source = EthereumRPCSource(configuration: .init(
///     endpoint: URL(string: "https://rpc.example")!, trustedCheckpoint: checkpointHash,
///     storageRules: [.espressoLightClient(contract: lightClient)]))
/// let finalized = try await source.finalizedHeader()
/// let postings = try await source.postings(in: finalized)
/// ```
public actor EthereumRPCSource: L1Source {
    /// What the source connects to, trusts and looks for.
    public struct Configuration: Sendable {
        /// The JSON-RPC endpoint.
        public var endpoint: URL
        /// The hash of a finalized block the user trusts; everything is linked to it.
        public var trustedCheckpoint: Bytes32
        /// The time limit for one request.
        public var requestTimeout: Duration
        /// Attempts per request (transport failures only).
        public var maximumAttempts: Int
        /// The pause before a retry (doubled each time).
        public var retryDelay: Duration
        /// The most headers fetched to link one block to the chain already verified.
        public var maximumLinkDistance: UInt64
        /// Log-based posting rules, applied with `eth_getBlockReceipts`.
        public var logRules: [LogPostingRule]
        /// Storage-based posting rules, applied with `eth_getProof`.
        public var storageRules: [StoragePostingRule]

        /// Creates a configuration.
        public init(endpoint: URL, trustedCheckpoint: Bytes32, requestTimeout: Duration = .seconds(10),
                    maximumAttempts: Int = 3, retryDelay: Duration = .milliseconds(200), maximumLinkDistance: UInt64 = 1024,
                    logRules: [LogPostingRule] = [], storageRules: [StoragePostingRule] = []) {
            self.endpoint = endpoint
            self.trustedCheckpoint = trustedCheckpoint
            self.requestTimeout = requestTimeout
            self.maximumAttempts = maximumAttempts
            self.retryDelay = retryDelay
            self.maximumLinkDistance = maximumLinkDistance
            self.logRules = logRules
            self.storageRules = storageRules
        }
    }

    /// The configuration.
    public let configuration: Configuration
    private let client: JSONRPCClient
    /// The newest finalized header linked to the checkpoint (the checkpoint itself at first).
    private var anchor: VerifiedBlockHeader?
    /// Verified headers by hash; all are linked to the checkpoint's chain.
    private var headers: [Bytes32: VerifiedBlockHeader] = [:]
    /// The hash at each height on the chain most recently linked (finalized part and the latest head).
    private var canonical: [UInt64: Bytes32] = [:]

    /// Creates a source; pass a transport to use another HTTP stack (the default is ``URLSessionTransport``).
    public init(configuration: Configuration, transport: (any JSONRPCTransport)? = nil) {
        self.configuration = configuration
        client = JSONRPCClient(transport: transport ?? URLSessionTransport(endpoint: configuration.endpoint, timeout: configuration.requestTimeout),
                               maximumAttempts: configuration.maximumAttempts, retryDelay: configuration.retryDelay)
    }

    // MARK: L1Source

    /// The head of the chain, linked to the newest verified finalized block.
    /// - Throws: ``ConfirmationError``: `ethereum.header-hash-mismatch` for a forged header, `l1.not-ancestor`
    ///   if the head is not on the checkpoint's chain, `l1.link-too-long`, or an `rpc.*` code.
    public func latestHeader() async throws -> L1BlockHeader {
        let anchor = try await bootstrap()
        let latest = try await fetchBlock(tag: "latest")
        guard latest.header.number >= anchor.header.number else {
            throw ConfirmationError(.l1NotAncestor, "latest block \(latest.header.number) is older than finalized block \(anchor.header.number)")
        }
        try await link(latest, downTo: anchor)
        return latest.l1Header
    }

    /// The newest finalized block, linked to the previous one (and so to the checkpoint).
    /// - Throws: ``ConfirmationError``: `l1.finalized-regressed` if the endpoint's finalized block is older
    ///   than one already verified, `l1.not-ancestor` if it is on another chain, or as ``latestHeader()``.
    public func finalizedHeader() async throws -> L1BlockHeader {
        let anchor = try await bootstrap()
        let finalized = try await fetchBlock(tag: "finalized")
        // The same rule the published vectors check (`ethereum-receipts-settlement.json`, FinalityAdvance).
        try L1Ancestry.checkAdvance(from: anchor.l1Header, to: finalized.l1Header, maximumDistance: configuration.maximumLinkDistance)
        try await link(finalized, downTo: anchor)
        self.anchor = finalized
        prune()
        return finalized.l1Header
    }

    /// The header at `number` on the chain linked to the checkpoint.
    /// - Throws: ``ConfirmationError`` `l1.link-too-long` for a block too far from the verified chain, or as ``latestHeader()``.
    public func header(number: UInt64) async throws -> L1BlockHeader {
        let anchor = try await bootstrap()
        if number <= anchor.header.number {
            return try await ancestor(of: anchor, at: number).l1Header
        }
        let block = try await fetchBlock(tag: EthereumJSON.quantityString(number))
        guard block.header.number == number else {
            throw ConfirmationError(.l1NotAncestor, "asked for block \(number), the endpoint returned block \(block.header.number)")
        }
        try await link(block, downTo: anchor)
        return block.l1Header
    }

    /// The postings the configured rules find in `block`, each proven against its verified header.
    /// - Throws: ``ConfirmationError``: `receipt.root-mismatch` if the receipts do not rebuild the header's
    ///   root, `mpt.*` / `eip1186.*` for a storage proof that does not verify, or as ``header(number:)``.
    public func postings(in block: L1BlockHeader) async throws -> [L1Posting] {
        let header = try await verifiedHeader(for: block)
        var postings = [L1Posting]()
        if !configuration.logRules.isEmpty {
            guard let data = try await client.call("eth_getBlockReceipts", [header.hash.description]) else {
                throw ConfirmationError(.rpcNotFound, "no receipts for block \(header.header.number) \(header.hash)")
            }
            let receipts = try EthereumReceipt.blockReceipts(json: data)
            for rule in configuration.logRules {
                postings += try rule.postings(receipts: receipts, in: header)
            }
        }
        for rule in configuration.storageRules {
            let keys = rule.storageKeys.map(\.description)
            guard let data = try await client.call("eth_getProof", ["0x" + Hex.encode(rule.contract.bytes), keys, ["blockHash": header.hash.description]]) else {
                throw ConfirmationError(.rpcNotFound, "no proof for \(rule.contract) at block \(header.header.number)")
            }
            let proof = try AccountProof(json: data)
            guard proof.address == rule.contract, proof.storageProofs.map(\.key) == rule.storageKeys else {
                throw ConfirmationError(.settlementNotAPosting, "eth_getProof answered for another address or other slots")
            }
            let verified = try proof.verify(stateRoot: header.header.stateRoot)
            if let posting = try rule.posting(from: verified, in: header.l1Header) { postings.append(posting) }
        }
        return postings
    }

    // MARK: Linking

    /// Fetches and verifies the checkpoint once.
    private func bootstrap() async throws -> VerifiedBlockHeader {
        if let anchor { return anchor }
        let checkpoint = try await fetchBlock(hash: configuration.trustedCheckpoint)
        remember(checkpoint)
        anchor = checkpoint
        return checkpoint
    }

    /// Links `block` to `base` by walking parent hashes back from `block` (each parent fetched by hash and verified).
    private func link(_ block: VerifiedBlockHeader, downTo base: VerifiedBlockHeader) async throws {
        guard block.header.number >= base.header.number,
              block.header.number - base.header.number <= configuration.maximumLinkDistance else {
            throw ConfirmationError(.l1LinkTooLong, "block \(block.header.number) is more than \(configuration.maximumLinkDistance) blocks from verified block \(base.header.number)")
        }
        var segment = [block]
        var current = block
        while current.header.number > base.header.number {
            let parent = try await parent(of: current)
            segment.append(parent)
            current = parent
        }
        guard current.hash == base.hash else {
            throw ConfirmationError(.l1NotAncestor, "block \(block.header.number) \(block.hash) is not on the chain of verified block \(base.header.number) \(base.hash)")
        }
        for header in segment {
            remember(header)
            canonical[header.header.number] = header.hash
        }
    }

    /// The verified parent of `block`: from the cache, else fetched by hash (which recomputes its hash);
    /// its number must be one below.
    private func parent(of block: VerifiedBlockHeader) async throws -> VerifiedBlockHeader {
        let parentHash = block.header.parentHash
        let parent: VerifiedBlockHeader
        if let known = headers[parentHash] {
            parent = known
        } else {
            parent = try await fetchBlock(hash: parentHash)
        }
        guard parent.header.number == block.header.number - 1 else {
            throw ConfirmationError(.l1NotAncestor, "block \(block.header.number)'s parent has number \(parent.header.number)")
        }
        return parent
    }

    /// The ancestor of `top` at `number`, walking parent hashes (cached headers first).
    private func ancestor(of top: VerifiedBlockHeader, at number: UInt64) async throws -> VerifiedBlockHeader {
        guard top.header.number - number <= configuration.maximumLinkDistance else {
            throw ConfirmationError(.l1LinkTooLong, "block \(number) is more than \(configuration.maximumLinkDistance) blocks below verified block \(top.header.number)")
        }
        // Heights at or below the anchor were written by linking finalized blocks: a finalized chain.
        if let anchor, top.hash == anchor.hash, let hash = canonical[number], let known = headers[hash] {
            return known
        }
        var current = top
        while current.header.number > number {
            let parent = try await parent(of: current)
            remember(parent)
            canonical[parent.header.number] = parent.hash
            current = parent
        }
        return current
    }

    /// The verified header for a block the caller names, linked to the checkpoint's chain.
    private func verifiedHeader(for block: L1BlockHeader) async throws -> VerifiedBlockHeader {
        if let known = headers[block.hash] { return known }
        let anchor = try await bootstrap()
        let fetched = try await fetchBlock(hash: block.hash)
        if fetched.header.number <= anchor.header.number {
            let onChain = try await ancestor(of: anchor, at: fetched.header.number)
            guard onChain.hash == fetched.hash else {
                throw ConfirmationError(.l1NotAncestor, "block \(fetched.header.number) \(fetched.hash) is not an ancestor of finalized block \(anchor.header.number)")
            }
        } else {
            try await link(fetched, downTo: anchor)
        }
        return fetched
    }

    private func remember(_ header: VerifiedBlockHeader) {
        headers[header.hash] = header
    }

    /// Drops headers far below the anchor so memory stays bounded.
    private func prune() {
        guard let anchor, anchor.header.number > 2 * configuration.maximumLinkDistance else { return }
        let floor = anchor.header.number - 2 * configuration.maximumLinkDistance
        headers = headers.filter { $0.value.header.number >= floor }
        canonical = canonical.filter { $0.key >= floor }
    }

    // MARK: Fetching

    private func fetchBlock(tag: String) async throws -> VerifiedBlockHeader {
        guard let data = try await client.call("eth_getBlockByNumber", [tag, false]) else {
            throw ConfirmationError(.rpcNotFound, "the endpoint has no block \(tag)")
        }
        return try EthereumBlockHeader.verifiedBlock(json: data)
    }

    private func fetchBlock(hash: Bytes32) async throws -> VerifiedBlockHeader {
        guard let data = try await client.call("eth_getBlockByHash", [hash.description, false]) else {
            throw ConfirmationError(.rpcNotFound, "the endpoint has no block \(hash)")
        }
        let block = try EthereumBlockHeader.verifiedBlock(json: data)
        guard block.hash == hash else {
            throw ConfirmationError(.ethereumHeaderHashMismatch, "asked for block \(hash), the endpoint returned \(block.hash)")
        }
        return block
    }
}
