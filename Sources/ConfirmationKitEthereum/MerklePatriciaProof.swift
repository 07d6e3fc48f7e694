public import ConfirmationKit

/// Verification of Merkle-Patricia trie proofs: a list of RLP-encoded nodes from the root
/// down the path of one key, as returned by `eth_getProof` or built by ``MerklePatriciaTrie``.
///
/// A proof shows either that the key holds a value (inclusion) or that the trie has no value
/// for it (exclusion: the path reaches an empty branch slot, or a leaf or extension whose path
/// diverges from the key). Either answer is bound to the root, so a verified `nil` is as strong
/// as a verified value.
///
/// ```swift
/// let value = try MerklePatriciaProof.verify(root: stateRoot, key: Keccak256.hash(address.bytes).bytes,
///                                            proof: accountProofNodes)
/// ```
public enum MerklePatriciaProof {
    /// The root of the empty trie, `keccak256(rlp(""))` = `0x56e81f17…b421`.
    public static let emptyRoot = Keccak256.hash([0x80])

    /// The most nodes a proof may hold: a path of 64 nibbles has at most 65 hashed nodes.
    public static let maximumNodes = 65
    /// The largest single node accepted (a full branch of 16 hashes is 532 bytes; values can be larger).
    public static let maximumNodeBytes = 1 << 16

    /// Verifies a proof for `key` against `root`.
    ///
    /// - Parameters:
    ///   - root: the trusted root hash (a state root, storage root or receipts root).
    ///   - key: the key in bytes (already hashed for secure tries).
    ///   - proof: the RLP-encoded nodes, root first.
    ///   - maximumNodeBytes: the largest node accepted (``maximumNodeBytes`` unless a caller knows its nodes are smaller).
    /// - Returns: the value stored under `key`, or `nil` when the proof shows the key is absent.
    /// - Throws: ``ConfirmationError`` with an `mpt.*` code when the proof is malformed or does not
    ///   lead from `root` to an answer for `key`, and an `rlp.*` code for non-canonical nodes.
    public static func verify(root: Bytes32, key: [UInt8], proof: [[UInt8]],
                              maximumNodeBytes: Int = MerklePatriciaProof.maximumNodeBytes) throws -> [UInt8]? {
        guard proof.count <= maximumNodes else {
            throw ConfirmationError(.mptProofTooLong, "proof has \(proof.count) nodes; the limit is \(maximumNodes)")
        }
        guard key.count <= 64 else {
            throw ConfirmationError(.mptProofTooLong, "key of \(key.count) bytes is longer than 64")
        }
        let nibbles = Nibbles(key)
        var position = 0  // nibbles of the key consumed so far
        var nextProofNode = 0

        // The node being visited: its bytes and the range of its encoding inside them.
        var node: [UInt8]
        var nodeRange: Range<Int>

        if proof.isEmpty {
            guard root == emptyRoot else {
                throw ConfirmationError(.mptProofIncomplete, "empty proof for a non-empty trie")
            }
            return nil
        }
        node = proof[0]
        nextProofNode = 1
        guard node.count <= maximumNodeBytes else {
            throw ConfirmationError(.mptNodeTooLarge, "proof node 0 has \(node.count) bytes")
        }
        guard Keccak256.hash(node) == root else {
            throw ConfirmationError(.mptRootMismatch, "the first proof node does not hash to the root")
        }
        nodeRange = 0..<node.count
        if node == [0x80] {
            // The empty trie's root node.
            guard proof.count == 1 else {
                throw ConfirmationError(.mptUnusedNodes, "nodes follow the empty root node")
            }
            return nil
        }

        while true {
            let fields = try NodeFields(node, nodeRange)
            let reference: RLP.Header
            if fields.count == 17 {
                guard position < nibbles.count else {
                    // The key ends at this branch: its value slot answers.
                    let value = fields.items[16]
                    guard !value.isList else {
                        throw ConfirmationError(.mptInvalidNode, "branch value is a list")
                    }
                    try finish(proof, nextProofNode)
                    return value.payloadStart == value.end ? nil : Array(node[value.payloadStart..<value.end])
                }
                reference = fields.items[nibbles[position]]
                position += 1
            } else if fields.count == 2 {
                let pathItem = fields.items[0]
                guard !pathItem.isList, pathItem.payloadStart < pathItem.end else {
                    throw ConfirmationError(.mptInvalidNode, "leaf or extension path is not a non-empty string")
                }
                let path = try HexPrefix.decode(node[pathItem.payloadStart..<pathItem.end])
                let matches = nibbles.hasPrefix(path.nibbles, at: position)
                if path.isLeaf {
                    let valueItem = fields.items[1]
                    guard !valueItem.isList, valueItem.payloadStart < valueItem.end else {
                        throw ConfirmationError(.mptInvalidNode, "leaf value is not a non-empty string")
                    }
                    try finish(proof, nextProofNode)
                    guard matches, position + path.nibbles.count == nibbles.count else { return nil }
                    return Array(node[valueItem.payloadStart..<valueItem.end])
                }
                guard !path.nibbles.isEmpty else {
                    throw ConfirmationError(.mptInvalidNode, "extension with an empty path")
                }
                guard matches else {
                    try finish(proof, nextProofNode)
                    return nil
                }
                position += path.nibbles.count
                reference = fields.items[1]
                guard reference.isList || reference.end - reference.payloadStart == 32 else {
                    throw ConfirmationError(.mptInvalidNode, "extension child is neither a hash nor an embedded node")
                }
            } else {
                throw ConfirmationError(.mptInvalidNode, "trie node has \(fields.count) items (expected 2 or 17)")
            }

            // Follow the reference.
            if reference.isList {
                // An embedded node (its encoding is under 32 bytes): keep reading the same buffer.
                guard reference.end - reference.payloadStart < 31 else {
                    throw ConfirmationError(.mptInvalidNode, "embedded node of 32 bytes or more")
                }
                nodeRange = (reference.payloadStart - 1)..<reference.end
                continue
            }
            let length = reference.end - reference.payloadStart
            if length == 0 {
                try finish(proof, nextProofNode)
                return nil
            }
            guard length == 32 else {
                throw ConfirmationError(.mptInvalidNode, "child reference of \(length) bytes (expected 32 or an embedded list)")
            }
            guard nextProofNode < proof.count else {
                throw ConfirmationError(.mptProofIncomplete, "the proof ends before the key's path does (after \(proof.count) nodes)")
            }
            let child = proof[nextProofNode]
            guard child.count <= maximumNodeBytes else {
                throw ConfirmationError(.mptNodeTooLarge, "proof node \(nextProofNode) has \(child.count) bytes")
            }
            guard Keccak256.hash(child).matches(node, at: reference.payloadStart) else {
                throw ConfirmationError(.mptHashMismatch, "proof node \(nextProofNode) does not hash to its parent's reference")
            }
            node = child
            nodeRange = 0..<child.count
            nextProofNode += 1
        }
    }

    /// Verifies a proof for `key` against `root` and checks that it shows the claimed answer.
    ///
    /// ```swift
    /// try MerklePatriciaProof.verify(root: root, key: key, proof: nodes, claimedValue: value)  // nil claims absence
    /// ```
    /// - Parameters:
    ///   - root: the trusted root hash.
    ///   - key: the key in bytes (already hashed for secure tries).
    ///   - proof: the RLP-encoded nodes, root first.
    ///   - claimedValue: the value claimed for `key`, or `nil` to claim that it is absent.
    ///   - maximumNodeBytes: the largest node accepted.
    /// - Throws: ``ConfirmationError`` `mpt.value-mismatch` when the proven answer differs from the claim
    ///   (another value, a value for a claimed absence, or an absence for a claimed value), or as
    ///   ``verify(root:key:proof:maximumNodeBytes:)``.
    public static func verify(root: Bytes32, key: [UInt8], proof: [[UInt8]], claimedValue: [UInt8]?,
                              maximumNodeBytes: Int = MerklePatriciaProof.maximumNodeBytes) throws {
        let proven = try verify(root: root, key: key, proof: proof, maximumNodeBytes: maximumNodeBytes)
        guard proven == claimedValue else {
            switch (proven, claimedValue) {
            case (nil, _): throw ConfirmationError(.mptValueMismatch, "a value is claimed but the proof shows the key is absent")
            case (_, nil): throw ConfirmationError(.mptValueMismatch, "absence is claimed but the proof shows a value")
            default: throw ConfirmationError(.mptValueMismatch, "the proven value differs from the claimed value")
            }
        }
    }

    private static func finish(_ proof: [[UInt8]], _ used: Int) throws {
        guard used == proof.count else {
            throw ConfirmationError(.mptUnusedNodes, "\(proof.count - used) proof nodes follow the answer")
        }
    }
}

extension Bytes32 {
    /// Whether these 32 bytes equal `bytes[offset..<offset + 32]` (false if that range is out of bounds).
    func matches(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, offset <= bytes.count - 32 else { return false }
        return withUnsafeBytes { mine in
            bytes.withUnsafeBytes { theirs in
                var difference: UInt8 = 0
                for index in 0..<32 { difference |= mine[index] ^ theirs[offset + index] }
                return difference == 0
            }
        }
    }
}

/// The top-level items of one trie node, read without copying.
struct NodeFields {
    var items: [RLP.Header] = []
    var count: Int { items.count }

    init(_ bytes: [UInt8], _ range: Range<Int>) throws {
        let outer = try RLP.readHeader(bytes, at: range.lowerBound, end: range.upperBound)
        guard outer.isList else {
            throw ConfirmationError(.mptInvalidNode, "trie node is not a list")
        }
        guard outer.end == range.upperBound else {
            throw ConfirmationError(.rlpTrailingData, "bytes follow the trie node")
        }
        items.reserveCapacity(17)
        var offset = outer.payloadStart
        while offset < outer.end {
            guard items.count < 17 else {
                throw ConfirmationError(.mptInvalidNode, "trie node has more than 17 items")
            }
            let item = try RLP.readHeader(bytes, at: offset, end: outer.end)
            if item.isList {
                // Validate the embedded node's own encoding now; it is walked later if referenced.
                _ = try RLP.decode(Array(bytes[offset..<item.end]), limits: RLPLimits(maximumBytes: 32, maximumDepth: 4, maximumItems: 64))
            }
            items.append(item)
            offset = item.end
        }
    }
}

/// A key as a sequence of 4-bit nibbles, high nibble first.
struct Nibbles {
    let bytes: [UInt8]
    var count: Int { bytes.count * 2 }

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    subscript(index: Int) -> Int {
        let byte = bytes[index >> 1]
        return Int(index & 1 == 0 ? byte >> 4 : byte & 0x0f)
    }

    func hasPrefix(_ path: [UInt8], at position: Int) -> Bool {
        guard position + path.count <= count else { return false }
        for (offset, nibble) in path.enumerated() where self[position + offset] != Int(nibble) {
            return false
        }
        return true
    }

    static func of(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(byte >> 4)
            out.append(byte & 0x0f)
        }
        return out
    }
}

/// Hex-prefix ("compact") encoding of a nibble path with its leaf flag.
public enum HexPrefix {
    /// Encodes a nibble path; the first byte's high nibble holds the flags (bit 0 odd, bit 1 leaf).
    public static func encode(nibbles: [UInt8], isLeaf: Bool) -> [UInt8] {
        var flag: UInt8 = isLeaf ? 0x20 : 0x00
        var out = [UInt8]()
        out.reserveCapacity(nibbles.count / 2 + 1)
        var index = 0
        if nibbles.count % 2 == 1 {
            flag |= 0x10
            out.append(flag | (nibbles[0] & 0x0f))
            index = 1
        } else {
            out.append(flag)
        }
        while index + 1 < nibbles.count {
            out.append((nibbles[index] & 0x0f) << 4 | (nibbles[index + 1] & 0x0f))
            index += 2
        }
        return out
    }

    /// Decodes a hex-prefix path.
    /// - Throws: ``ConfirmationError`` `mpt.invalid-hex-prefix` for unknown flags, a non-zero pad nibble or an empty input.
    public static func decode(_ bytes: some Collection<UInt8>) throws -> (nibbles: [UInt8], isLeaf: Bool) {
        guard let first = bytes.first else {
            throw ConfirmationError(.mptInvalidHexPrefix, "empty hex-prefix path")
        }
        let flag = first >> 4
        guard flag <= 3 else {
            throw ConfirmationError(.mptInvalidHexPrefix, "hex-prefix flag \(flag) is not 0-3")
        }
        var nibbles = [UInt8]()
        nibbles.reserveCapacity(bytes.count * 2)
        if flag & 1 == 1 {
            nibbles.append(first & 0x0f)
        } else if first & 0x0f != 0 {
            throw ConfirmationError(.mptInvalidHexPrefix, "even hex-prefix path with a non-zero pad nibble")
        }
        for byte in bytes.dropFirst() {
            nibbles.append(byte >> 4)
            nibbles.append(byte & 0x0f)
        }
        return (nibbles, flag & 2 == 2)
    }
}

extension ConfirmationError.Code {
    /// The first proof node does not hash to the trusted root.
    public static let mptRootMismatch = Self("mpt.root-mismatch")
    /// A proof node does not hash to the reference its parent holds.
    public static let mptHashMismatch = Self("mpt.hash-mismatch")
    /// The proof ends before the key's path reaches a value or an absence.
    public static let mptProofIncomplete = Self("mpt.proof-incomplete")
    /// Nodes follow the node that answers the query.
    public static let mptUnusedNodes = Self("mpt.unused-nodes")
    /// The proof (or its key) exceeds the length limit.
    public static let mptProofTooLong = Self("mpt.proof-too-long")
    /// A proof node exceeds the size limit.
    public static let mptNodeTooLarge = Self("mpt.node-too-large")
    /// A trie node is not a branch, extension or leaf of the right shape.
    public static let mptInvalidNode = Self("mpt.invalid-node")
    /// A hex-prefix path has bad flags or padding.
    public static let mptInvalidHexPrefix = Self("mpt.invalid-hex-prefix")
    /// The value a proof shows differs from the value claimed.
    public static let mptValueMismatch = Self("mpt.value-mismatch")
}
