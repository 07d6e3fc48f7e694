public import ConfirmationKit

/// A validator's BLS verification key as a stake-table key of the core model.
///
/// Keys are ordered by their arkworks bytes (the core model needs an order; Espresso's tables keep
/// their source order, and the signer bit vector follows that order, never this one).
public struct EspressoStakeKey: StakeTableKey {
    /// The verification key.
    public let key: EspressoBLS.VerificationKey
    /// The arkworks uncompressed bytes (128).
    public let canonicalBytes: [UInt8]

    /// Wraps a key.
    public init(_ key: EspressoBLS.VerificationKey) {
        self.key = key
        canonicalBytes = key.point.arkworksUncompressedBytes
    }

    /// Parses `BLS_VER_KEY~…` (point and subgroup checks included).
    /// - Throws: the errors of ``EspressoBLS/VerificationKey/init(taggedBase64:)``.
    public init(taggedBase64 text: String) throws {
        self.init(try EspressoBLS.VerificationKey(taggedBase64: text))
    }

    /// Always ``KeyType/blsBN254``.
    public var keyType: KeyType { .blsBN254 }

    /// `BLS_VER_KEY~…`.
    public var description: String { key.taggedBase64 }

    public static func < (a: EspressoStakeKey, b: EspressoStakeKey) -> Bool {
        a.canonicalBytes.lexicographicallyPrecedes(b.canonicalBytes)
    }

    public static func == (a: EspressoStakeKey, b: EspressoStakeKey) -> Bool { a.canonicalBytes == b.canonicalBytes }

    public func hash(into hasher: inout Hasher) { hasher.combine(canonicalBytes) }

    public init(from decoder: any Decoder) throws {
        try self.init(taggedBase64: decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Espresso's stake tables: the entries in their source order, per epoch.
///
/// Sources:
/// - ``parsePeerConfigs(_:)``: an ordered `PeerConfig` list, as `GET /v1/node/stake-table/:epoch`
///   serves it (`[{"stake_table_entry": {"stake_key", "stake_amount"}, "state_ver_key", …}]`).
/// - ``parseNetworkConfig(_:)``: the genesis table, `config.known_nodes_with_stake` of a HotShot
///   network config, plus its `epoch_height`.
public enum EspressoStakeTables {
    /// The entries of an ordered `PeerConfig` list (never re-sorted).
    /// - Throws: ``ConfirmationError`` `espresso.malformed`, the key and amount parsers' errors.
    public static func parsePeerConfigs(_ json: EspressoJSON) throws -> [StakeTableEntry<EspressoStakeKey>] {
        try parsePeers(JSONCursor(json))
    }

    static func parsePeers(_ list: JSONCursor) throws -> [StakeTableEntry<EspressoStakeKey>] {
        try list.array(maximumCount: QuorumLimits.standard.maximumEntries).map { peer in
            let entry = try peer["stake_table_entry"]
            do {
                return StakeTableEntry(key: try EspressoStakeKey(taggedBase64: try entry["stake_key"].string()),
                                       stake: try entry["stake_amount"].u256())
            } catch let error as ConfirmationError where error.code != .espressoMalformed {
                throw ConfirmationError(error.code, "\(entry.path): \(error.reason)")
            }
        }
    }

    /// The genesis table and epoch height of a HotShot network config (`network-config.json`).
    /// - Returns: the entries in order, and `config.epoch_height` (nil when absent: no epochs).
    /// - Throws: as ``parsePeerConfigs(_:)``.
    public static func parseNetworkConfig(_ json: EspressoJSON) throws
        -> (entries: [StakeTableEntry<EspressoStakeKey>], epochHeight: UInt64?) {
        let config = try JSONCursor(json)["config"]
        let entries = try parsePeers(try config["known_nodes_with_stake"])
        return (entries, try config.optional("epoch_height")?.u64())
    }
}

/// Which stake table signs in which epoch: a genesis table, then tables that apply from their epoch on.
///
/// ```swift
/// var tables = EspressoEpochTables(epochHeight: 10, genesis: genesisEntries)
/// tables.add(epoch3Entries, from: 3)
/// let table = try tables.table(for: 5)   // the epoch-3 table, as epoch 5's
/// ```
public struct EspressoEpochTables: Sendable {
    /// Blocks per epoch (0: no epochs; every height is then in epoch 0, signed by the genesis table).
    public let epochHeight: UInt64
    /// The genesis table's entries (used for the first two epochs, and before epochs).
    public let genesis: [StakeTableEntry<EspressoStakeKey>]
    /// Tables that apply from an epoch on, by that epoch.
    public private(set) var fromEpoch: [UInt64: [StakeTableEntry<EspressoStakeKey>]] = [:]

    /// The epochs the genesis table signs when no other table is added: 1 and 2 (the first two epochs
    /// use the pre-epoch table), and 0 (no epochs).
    public static let genesisEpochs: ClosedRange<UInt64> = 0...2

    /// Creates the schedule.
    public init(epochHeight: UInt64, genesis: [StakeTableEntry<EspressoStakeKey>]) {
        self.epochHeight = epochHeight
        self.genesis = genesis
    }

    /// Adds a table that applies from `epoch` on (until a later added table).
    public mutating func add(_ entries: [StakeTableEntry<EspressoStakeKey>], from epoch: UInt64) {
        fromEpoch[epoch] = entries
    }

    /// `epoch(h)`: 1 for h = 0, h/H when H divides h, else h/H + 1 (0 without epochs).
    public func epoch(ofHeight height: UInt64) -> UInt64 {
        guard epochHeight > 0 else { return 0 }
        if height == 0 { return 1 }
        return height % epochHeight == 0 ? height / epochHeight : height / epochHeight + 1
    }

    /// The table of `epoch`: the latest added table starting at or before it, or the genesis table for
    /// epochs 0–2 when none is added.
    /// - Throws: ``ConfirmationError`` `espresso.unknown-epoch` when no table is known for the epoch,
    ///   or the table's own validation errors.
    public func table(for epoch: UInt64) throws -> StakeTable<EspressoStakeKey> {
        if let start = fromEpoch.keys.filter({ $0 <= epoch }).max(), let entries = fromEpoch[start] {
            return try StakeTable(epoch: epoch, entries: entries)
        }
        guard Self.genesisEpochs.contains(epoch) else {
            throw ConfirmationError(.espressoUnknownEpoch,
                                    "no stake table is known for epoch \(epoch) (the genesis table covers epochs 1 and 2)")
        }
        return try StakeTable(epoch: epoch, entries: genesis)
    }
}

extension ConfirmationError.Code {
    /// No stake table is known for a certificate's epoch, so it cannot be verified.
    public static let espressoUnknownEpoch = Self("espresso.unknown-epoch")
}
