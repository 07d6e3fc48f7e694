public import ConfirmationKit
public import Foundation

/// An Ethereum account as the state trie stores it: `rlp([nonce, balance, storageRoot, codeHash])`.
public struct EthereumAccount: Sendable, Hashable, Codable {
    /// The account nonce.
    public var nonce: UInt64
    /// The balance in wei, minimal big-endian bytes (empty for zero), at most 32 bytes.
    public var balance: [UInt8]
    /// The root of the account's storage trie.
    public var storageRoot: Bytes32
    /// Keccak-256 of the account's code.
    public var codeHash: Bytes32

    /// Keccak-256 of empty code, `0xc5d24601…5d85a470`.
    public static let emptyCodeHash = Keccak256.hash([])

    /// Creates an account.
    public init(nonce: UInt64, balance: [UInt8], storageRoot: Bytes32, codeHash: Bytes32) {
        self.nonce = nonce
        self.balance = RLP.trimmingLeadingZeros(balance)
        self.storageRoot = storageRoot
        self.codeHash = codeHash
    }

    /// The state-trie leaf value.
    public var rlp: [UInt8] {
        RLP.encode(.list([.uint(nonce), .bytes(balance), .bytes(storageRoot.bytes), .bytes(codeHash.bytes)]))
    }

    /// Decodes a state-trie leaf value strictly.
    /// - Throws: ``ConfirmationError`` with an `rlp.*` code.
    public init(rlp bytes: [UInt8]) throws {
        let items = try RLP.decode(bytes, limits: RLPLimits(maximumBytes: 256, maximumDepth: 2, maximumItems: 8)).listItems()
        guard items.count == 4 else {
            throw ConfirmationError(.rlpUnexpectedShape, "account has \(items.count) fields (expected 4)")
        }
        nonce = try items[0].uint64()
        let balance = try items[1].byteString()
        guard balance.first != 0 else {
            throw ConfirmationError(.rlpNonCanonicalInteger, "account balance has a leading zero byte")
        }
        guard balance.count <= 32 else {
            throw ConfirmationError(.rlpIntegerOverflow, "account balance wider than 256 bits")
        }
        self.balance = balance
        storageRoot = try items[2].bytes32()
        codeHash = try items[3].bytes32()
    }

    /// Whether this is how clients describe an account that does not exist: zero nonce and balance,
    /// and either the canonical empty hashes or all-zero hashes (clients disagree; both are accepted).
    public var isEmptyAccountClaim: Bool {
        nonce == 0 && balance.isEmpty
            && ((storageRoot == MerklePatriciaProof.emptyRoot && codeHash == Self.emptyCodeHash)
                || (storageRoot == .zero && codeHash == .zero))
    }
}

/// One storage slot's claimed value and proof, as in an `eth_getProof` result.
public struct StorageSlotProof: Sendable, Hashable {
    /// The slot, left-padded to 32 bytes.
    public var key: Bytes32
    /// The claimed value, minimal big-endian bytes (empty for zero).
    public var value: [UInt8]
    /// The storage-trie nodes, root first.
    public var proof: [[UInt8]]

    /// Creates a storage proof.
    public init(key: Bytes32, value: [UInt8], proof: [[UInt8]]) {
        self.key = key
        self.value = RLP.trimmingLeadingZeros(value)
        self.proof = proof
    }

    /// The value as 32 big-endian bytes.
    public var word: Bytes32 {
        (try? Bytes32([UInt8](repeating: 0, count: 32 - min(value.count, 32)) + value.suffix(32))) ?? .zero
    }
}

/// An EIP-1186 `eth_getProof` result: an account with its state-trie proof and any storage proofs.
///
/// ```swift
/// let proof = try AccountProof(json: data)
/// let verified = try proof.verify(stateRoot: header.stateRoot)
/// print(verified.storage.map(\.value))
/// ```
public struct AccountProof: Sendable, Hashable {
    /// The account's address.
    public var address: EthereumAddress
    /// The claimed account fields.
    public var account: EthereumAccount
    /// The state-trie nodes on the path of `keccak256(address)`, root first.
    public var accountProof: [[UInt8]]
    /// The storage proofs, in the order given.
    public var storageProofs: [StorageSlotProof]

    /// The most storage proofs accepted in one result.
    public static let maximumStorageProofs = 1024

    /// Creates a proof from its parts.
    public init(address: EthereumAddress, account: EthereumAccount, accountProof: [[UInt8]], storageProofs: [StorageSlotProof]) {
        self.address = address
        self.account = account
        self.accountProof = accountProof
        self.storageProofs = storageProofs
    }

    /// Parses an `eth_getProof` result object (the `result` member, not the JSON-RPC envelope).
    /// - Throws: ``ConfirmationError`` `ethereum.invalid-json` (or a hex/address error) for malformed input.
    public init(json data: Data) throws {
        let raw: RawAccountProof
        do {
            raw = try JSONDecoder().decode(RawAccountProof.self, from: data)
        } catch {
            throw ConfirmationError(.ethereumInvalidJSON, "not an eth_getProof result: \(Self.describe(error))")
        }
        try self.init(raw: raw)
    }

    init(raw: RawAccountProof) throws {
        guard raw.accountProof.count <= MerklePatriciaProof.maximumNodes,
              raw.storageProof.count <= Self.maximumStorageProofs else {
            throw ConfirmationError(.mptProofTooLong, "eth_getProof result exceeds the node or slot limit")
        }
        address = try EthereumAddress(raw.address)
        account = EthereumAccount(
            nonce: try EthereumJSON.uint64(raw.nonce, field: "nonce"),
            balance: try EthereumJSON.quantity(raw.balance, field: "balance"),
            storageRoot: try EthereumJSON.bytes32(raw.storageHash, field: "storageHash"),
            codeHash: try EthereumJSON.bytes32(raw.codeHash, field: "codeHash"))
        accountProof = try raw.accountProof.map { try EthereumJSON.data($0, field: "accountProof", maximumBytes: MerklePatriciaProof.maximumNodeBytes) }
        storageProofs = try raw.storageProof.map { slot in
            guard slot.proof.count <= MerklePatriciaProof.maximumNodes else {
                throw ConfirmationError(.mptProofTooLong, "storage proof exceeds \(MerklePatriciaProof.maximumNodes) nodes")
            }
            return StorageSlotProof(
                key: try EthereumJSON.storageKey(slot.key),
                value: try EthereumJSON.quantity(slot.value, field: "storageProof.value"),
                proof: try slot.proof.map { try EthereumJSON.data($0, field: "storageProof.proof", maximumBytes: MerklePatriciaProof.maximumNodeBytes) })
        }
    }

    static func describe(_ error: any Error) -> String {
        if let decoding = error as? DecodingError {
            switch decoding {
            case .keyNotFound(let key, _): return "missing \(key.stringValue)"
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                return context.codingPath.map(\.stringValue).joined(separator: ".") + " " + context.debugDescription
            @unknown default: return "\(error)"
            }
        }
        return "\(error)"
    }

    /// Verifies the account and every storage proof against a trusted state root.
    ///
    /// - Parameter stateRoot: the state root of a verified block header.
    /// - Returns: the verified account (`nil` if the proof shows it does not exist) and each slot's value.
    /// - Throws: ``ConfirmationError``: an `mpt.*` code if a proof does not lead from its root to an answer,
    ///   `eip1186.account-mismatch` or `eip1186.storage-mismatch` if the proven answer differs from the claim.
    public func verify(stateRoot: Bytes32) throws -> VerifiedAccountProof {
        let leaf = try MerklePatriciaProof.verify(root: stateRoot, key: Keccak256.hash(address.bytes).bytes, proof: accountProof)
        let proven: EthereumAccount?
        var storageRoot: Bytes32
        if let leaf {
            // The canonical encoding is unique, so byte equality with the claim's encoding proves
            // both that the leaf is canonical and that it holds exactly the claimed fields.
            guard leaf == account.rlp else {
                let decoded = try EthereumAccount(rlp: leaf)  // throws for a non-canonical leaf
                throw ConfirmationError(.eip1186AccountMismatch, "the proven account (nonce \(decoded.nonce)) differs from the claimed nonce, balance, storageHash or codeHash")
            }
            proven = account
            storageRoot = account.storageRoot
        } else {
            guard account.isEmptyAccountClaim else {
                throw ConfirmationError(.eip1186AccountMismatch, "the proof shows no account, but a non-empty account is claimed")
            }
            proven = nil
            storageRoot = MerklePatriciaProof.emptyRoot
        }
        var storage = [VerifiedAccountProof.Slot]()
        storage.reserveCapacity(storageProofs.count)
        for slot in storageProofs {
            let value = try Self.verifySlot(slot, storageRoot: storageRoot)
            storage.append(.init(key: slot.key, value: value))
        }
        return VerifiedAccountProof(address: address, account: proven, storage: storage)
    }

    /// Verifies one storage proof against a storage root and returns its proven value.
    /// - Throws: ``ConfirmationError`` (`mpt.*`, `eip1186.storage-mismatch`).
    public static func verifySlot(_ slot: StorageSlotProof, storageRoot: Bytes32) throws -> [UInt8] {
        let leaf = try MerklePatriciaProof.verify(root: storageRoot, key: Keccak256.hash(slot.key.bytes).bytes, proof: slot.proof)
        guard let leaf else {
            guard slot.value.isEmpty else {
                throw ConfirmationError(.eip1186StorageMismatch, "slot \(slot.key) is proven empty but \(EthereumJSON.quantityString(slot.value)) is claimed")
            }
            return []
        }
        let value = try RLP.decode(leaf, limits: RLPLimits(maximumBytes: 40, maximumDepth: 1, maximumItems: 1)).byteString()
        guard !value.isEmpty, value.first != 0, value.count <= 32 else {
            throw ConfirmationError(.rlpNonCanonicalInteger, "slot \(slot.key) holds a non-canonical value")
        }
        guard value == slot.value else {
            throw ConfirmationError(.eip1186StorageMismatch, "slot \(slot.key) is proven to hold \(EthereumJSON.quantityString(value)), not \(EthereumJSON.quantityString(slot.value))")
        }
        return value
    }
}

/// The answer of a verified ``AccountProof``.
public struct VerifiedAccountProof: Sendable, Hashable {
    /// One verified storage slot.
    public struct Slot: Sendable, Hashable {
        /// The slot.
        public var key: Bytes32
        /// The proven value, minimal big-endian bytes (empty for zero).
        public var value: [UInt8]

        /// The value as 32 big-endian bytes.
        public var word: Bytes32 { StorageSlotProof(key: key, value: value, proof: []).word }
    }

    /// The account's address.
    public var address: EthereumAddress
    /// The proven account, or `nil` when the proof shows that it does not exist.
    public var account: EthereumAccount?
    /// The proven storage values, in the order of the proof's storage proofs.
    public var storage: [Slot]

    /// The proven value of `key`, if it was among the proofs.
    public func value(at key: Bytes32) -> Bytes32? {
        storage.first { $0.key == key }?.word
    }
}

struct RawAccountProof: Decodable {
    var address: String
    var accountProof: [String]
    var balance: String
    var codeHash: String
    var nonce: String
    var storageHash: String
    var storageProof: [RawStorageProof]
}

struct RawStorageProof: Decodable {
    var key: String
    var value: String
    var proof: [String]
}

extension ConfirmationError.Code {
    /// The proven account differs from the claimed one (or a missing account is claimed non-empty).
    public static let eip1186AccountMismatch = Self("eip1186.account-mismatch")
    /// The proven storage value differs from the claimed one.
    public static let eip1186StorageMismatch = Self("eip1186.storage-mismatch")
}
