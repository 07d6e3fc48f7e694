/// Bounds every quorum decoder applies to untrusted input.
///
/// Pass different limits to a `JSONDecoder` through ``QuorumLimits/userInfoKey``:
///
/// ```swift
/// let decoder = JSONDecoder()
/// decoder.userInfo[QuorumLimits.userInfoKey] = QuorumLimits(maximumEntries: 500)
/// let table = try decoder.decode(StakeTable<EthereumAddress>.self, from: data)
/// ```
public struct QuorumLimits: Sendable, Hashable {
    /// The most entries a stake table may have (default 10,000).
    public var maximumEntries: Int
    /// The most signers (and signatures) a certificate may list (default 10,000).
    public var maximumSigners: Int
    /// The most handovers a stake-table chain may hold (default 4,096).
    public var maximumHandovers: Int

    /// The default limits.
    public static let standard = QuorumLimits()

    /// Creates limits.
    public init(maximumEntries: Int = 10_000, maximumSigners: Int = 10_000, maximumHandovers: Int = 4096) {
        self.maximumEntries = maximumEntries
        self.maximumSigners = maximumSigners
        self.maximumHandovers = maximumHandovers
    }

    /// The `Decoder.userInfo` key under which decoders look for limits.
    // `CodingUserInfoKey.init?(rawValue:)` accepts every string; the unwrap cannot fail.
    public static let userInfoKey = CodingUserInfoKey(rawValue: "confirmationkit.quorum-limits")!

    static func from(_ decoder: any Decoder) -> QuorumLimits {
        decoder.userInfo[userInfoKey] as? QuorumLimits ?? .standard
    }
}

/// One validator of a stake table: the key it signs with and its stake.
public struct StakeTableEntry<Key: StakeTableKey>: Hashable, Sendable, Codable {
    /// The signing key (or address).
    public var key: Key
    /// The stake, in the token's smallest unit. Zero-stake entries may sign but count nothing.
    public var stake: UInt256

    /// Creates an entry.
    public init(key: Key, stake: UInt256) {
        self.key = key
        self.stake = stake
    }
}

/// The validators of one epoch and their stake: what a quorum certificate is checked against.
///
/// A table is validated when it is made: it has at most ``QuorumLimits/maximumEntries`` entries,
/// no key twice, and a total stake that fits in 256 bits (so no sum of a subset of its entries can
/// overflow). Its ``commitment`` is a Keccak-256 hash of its canonical encoding (see
/// `Docs/quorum-certificates.md`), used to name the table in handovers and evidence.
///
/// ```swift
/// let table = try StakeTable(epoch: 7, entries: [
///     StakeTableEntry(key: alice, stake: UInt256(40)),
///     StakeTableEntry(key: bob, stake: UInt256(60)),
/// ])
/// table.totalStake          // 100
/// table.index(of: bob)      // 1
/// ```
public struct StakeTable<Key: StakeTableKey>: Hashable, Sendable {
    /// The epoch this table is valid for.
    public let epoch: UInt64
    /// The entries in table order (the order of signer bitmaps).
    public let entries: [StakeTableEntry<Key>]
    /// The sum of all stakes.
    public let totalStake: UInt256
    /// Keccak-256 over the canonical encoding of the table.
    public let commitment: Bytes32
    /// The stakes alone, in table order: the verifier's hot loops read these without copying keys.
    public let stakes: [UInt256]
    private let indexByKey: [Key: Int]

    /// The domain tag that starts the canonical encoding.
    public static var commitmentDomain: String { "ConfirmationKit.StakeTable.v1" }

    /// Validates and commits to a table.
    ///
    /// - Parameters:
    ///   - epoch: the epoch the table is valid for.
    ///   - entries: the validators, in table order.
    ///   - limits: the bounds to enforce.
    /// - Throws: ``ConfirmationError`` `stake-table.too-many-entries`, `stake-table.duplicate-key`
    ///   or `stake-table.total-overflow`.
    public init(epoch: UInt64, entries: [StakeTableEntry<Key>], limits: QuorumLimits = .standard) throws {
        guard entries.count <= limits.maximumEntries else {
            throw ConfirmationError(.stakeTableTooManyEntries,
                                    "a stake table has at most \(limits.maximumEntries) entries; got \(entries.count)")
        }
        var index: [Key: Int] = [:]
        index.reserveCapacity(entries.count)
        var total = UInt256.zero
        for (i, entry) in entries.enumerated() {
            if let first = index.updateValue(i, forKey: entry.key) {
                throw ConfirmationError(.stakeTableDuplicateKey, "entries \(first) and \(i) have the same key \(entry.key)")
            }
            let (sum, overflow) = total.addingReportingOverflow(entry.stake)
            guard !overflow else {
                throw ConfirmationError(.stakeTableTotalOverflow, "the total stake exceeds 2^256 - 1 at entry \(i)")
            }
            total = sum
        }
        self.epoch = epoch
        self.entries = entries
        self.totalStake = total
        self.stakes = entries.map(\.stake)
        self.indexByKey = index
        self.commitment = Self.computeCommitment(epoch: epoch, entries: entries)
    }

    /// The number of entries.
    public var count: Int { entries.count }

    /// The position of `key` in the table, if it is there.
    public func index(of key: Key) -> Int? { indexByKey[key] }

    /// The entry at `index`, or `nil` when out of range.
    public func entry(at index: Int) -> StakeTableEntry<Key>? {
        entries.indices.contains(index) ? entries[index] : nil
    }

    /// The entry for `key`, if it is in the table.
    public func entry(for key: Key) -> StakeTableEntry<Key>? {
        indexByKey[key].map { entries[$0] }
    }

    /// The canonical encoding: the domain tag, the epoch (8 bytes, big-endian), the entry count
    /// (4 bytes), then for each entry its key type (1-byte length + UTF-8), its key bytes
    /// (2-byte length + bytes) and its stake (32 bytes, big-endian).
    public var canonicalEncoding: [UInt8] {
        var out = [UInt8]()
        Self.encode(epoch: epoch, entries: entries) { out.append(contentsOf: $0) }
        return out
    }

    private static func computeCommitment(epoch: UInt64, entries: [StakeTableEntry<Key>]) -> Bytes32 {
        var hasher = Keccak256()
        encode(epoch: epoch, entries: entries) { hasher.update($0) }
        return hasher.finalize()
    }

    private static func encode(epoch: UInt64, entries: [StakeTableEntry<Key>], into sink: ([UInt8]) -> Void) {
        sink(Array(commitmentDomain.utf8))
        sink(QuorumEncoding.bigEndian(epoch, bytes: 8))
        sink(QuorumEncoding.bigEndian(UInt64(entries.count), bytes: 4))
        for entry in entries {
            // Key types and keys are short by construction (a name, at most a few hundred bytes);
            // the prefixes are truncated only for values no StakeTableKey produces.
            let type = Array(entry.key.keyType.rawValue.utf8.prefix(255))
            let key = Array(entry.key.canonicalBytes.prefix(0xFFFF))
            sink([UInt8(type.count)] + type + QuorumEncoding.bigEndian(UInt64(key.count), bytes: 2) + key + entry.stake.bigEndianBytes)
        }
    }
}

/// Fixed-width big-endian integers for the quorum module's canonical encodings.
enum QuorumEncoding {
    /// The low `bytes` bytes of `value`, most significant first.
    static func bigEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: value >> UInt64(8 * $0)) }
    }
}

extension StakeTable: Codable {
    private enum CodingKeys: String, CodingKey {
        case epoch, entries, totalStake, commitment
    }

    /// Decodes `{"epoch", "entries": [{"key", "stake"}], "commitment"?, "totalStake"?}`; when the
    /// optional `commitment` or `totalStake` is present it must match the computed value.
    /// - Throws: the errors of ``init(epoch:entries:limits:)``, `stake-table.commitment-mismatch`,
    ///   `stake-table.total-mismatch`, or a decoding error for a wrong shape.
    public init(from decoder: any Decoder) throws {
        let limits = QuorumLimits.from(decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let epoch = try container.decode(UInt64.self, forKey: .epoch)
        var list = try container.nestedUnkeyedContainer(forKey: .entries)
        if let count = list.count, count > limits.maximumEntries {
            throw ConfirmationError(.stakeTableTooManyEntries,
                                    "a stake table has at most \(limits.maximumEntries) entries; got \(count)")
        }
        var entries: [StakeTableEntry<Key>] = []
        while !list.isAtEnd {
            guard entries.count < limits.maximumEntries else {
                throw ConfirmationError(.stakeTableTooManyEntries, "a stake table has at most \(limits.maximumEntries) entries")
            }
            entries.append(try list.decode(StakeTableEntry<Key>.self))
        }
        try self.init(epoch: epoch, entries: entries, limits: limits)
        if let claimed = try container.decodeIfPresent(Bytes32.self, forKey: .commitment), claimed != commitment {
            throw ConfirmationError(.stakeTableCommitmentMismatch,
                                    "the table says its commitment is \(claimed) but it hashes to \(commitment)")
        }
        if let claimed = try container.decodeIfPresent(UInt256.self, forKey: .totalStake), claimed != totalStake {
            throw ConfirmationError(.stakeTableTotalMismatch,
                                    "the table says its total stake is \(claimed) but its entries sum to \(totalStake)")
        }
    }

    /// Encodes the epoch, the entries, and (for readers) the commitment and total stake.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(epoch, forKey: .epoch)
        try container.encode(entries, forKey: .entries)
        try container.encode(totalStake, forKey: .totalStake)
        try container.encode(commitment, forKey: .commitment)
    }
}

extension ConfirmationError.Code {
    /// A stake table has more entries than the limit.
    public static let stakeTableTooManyEntries = Self("stake-table.too-many-entries")
    /// A stake table lists the same key twice.
    public static let stakeTableDuplicateKey = Self("stake-table.duplicate-key")
    /// A stake table's total stake does not fit in 256 bits.
    public static let stakeTableTotalOverflow = Self("stake-table.total-overflow")
    /// A stake table's stated commitment differs from the hash of its entries.
    public static let stakeTableCommitmentMismatch = Self("stake-table.commitment-mismatch")
    /// A stake table's stated total differs from the sum of its entries.
    public static let stakeTableTotalMismatch = Self("stake-table.total-mismatch")
}
