public import ConfirmationKit

/// An in-memory Merkle-Patricia trie that computes roots and builds proofs.
///
/// The trie is built from scratch whenever a root or proof is asked for, so its shape depends
/// only on its contents, never on the order of insertions and deletions. Setting an empty value
/// deletes the key, as in Ethereum's tries.
///
/// ```swift
/// var trie = MerklePatriciaTrie()
/// trie[Array("dog".utf8)] = Array("puppy".utf8)
/// let root = trie.root
/// let proof = trie.proof(for: Array("dog".utf8))
/// let value = try MerklePatriciaProof.verify(root: root, key: Array("dog".utf8), proof: proof)
/// ```
public struct MerklePatriciaTrie: Sendable {
    private var entries: [[UInt8]: [UInt8]] = [:]

    /// An empty trie.
    public init() {}

    /// A trie holding the given pairs (later pairs replace earlier ones; empty values delete).
    public init(_ pairs: some Sequence<(key: [UInt8], value: [UInt8])>) {
        for pair in pairs { self[pair.key] = pair.value }
    }

    /// The value stored under `key`; assigning `nil` or an empty value deletes it.
    public subscript(key: [UInt8]) -> [UInt8]? {
        get { entries[key] }
        set {
            if let newValue, !newValue.isEmpty {
                entries[key] = newValue
            } else {
                entries[key] = nil
            }
        }
    }

    /// The number of keys.
    public var count: Int { entries.count }

    /// The root hash (``MerklePatriciaProof/emptyRoot`` for an empty trie).
    public var root: Bytes32 { Keccak256.hash(Self.encode(build())) }

    /// The proof for `key`: the hashed nodes on its path, root first.
    ///
    /// For an absent key this is an exclusion proof; for an empty trie it is empty.
    public func proof(for key: [UInt8]) -> [[UInt8]] {
        let tree = build()
        if case .empty = tree { return [] }
        var proof = [Self.encode(tree)]
        let nibbles = Nibbles.of(key)
        var position = 0
        var node = tree
        while true {
            let next: Node
            switch node {
            case .empty, .leaf:
                return proof
            case .extension(let path, let child):
                guard nibbles.count >= position + path.count, Array(nibbles[position..<position + path.count]) == path else {
                    return proof
                }
                position += path.count
                next = child
            case .branch(let children, _):
                guard position < nibbles.count else { return proof }
                next = children[Int(nibbles[position])]
                position += 1
            }
            if case .empty = next { return proof }
            let encoded = Self.encode(next)
            if encoded.count >= 32 { proof.append(encoded) }
            node = next
        }
    }

    // MARK: Building

    private indirect enum Node {
        case empty
        case leaf(path: [UInt8], value: [UInt8])
        case `extension`(path: [UInt8], child: Node)
        case branch(children: [Node], value: [UInt8]?)
    }

    private func build() -> Node {
        let sorted = entries.map { (nibbles: Nibbles.of($0.key), value: $0.value) }
            .sorted { $0.nibbles.lexicographicallyPrecedes($1.nibbles) }
        return Self.build(sorted[...], depth: 0)
    }

    private static func build(_ items: ArraySlice<(nibbles: [UInt8], value: [UInt8])>, depth: Int) -> Node {
        guard let first = items.first, let last = items.last else { return .empty }
        if items.count == 1 {
            return .leaf(path: Array(first.nibbles[depth...]), value: first.value)
        }
        // Sorted keys: the common prefix of all is the common prefix of the first and the last.
        var shared = 0
        while depth + shared < first.nibbles.count, depth + shared < last.nibbles.count,
              first.nibbles[depth + shared] == last.nibbles[depth + shared] {
            shared += 1
        }
        if shared > 0 {
            return .extension(path: Array(first.nibbles[depth..<depth + shared]), child: build(items, depth: depth + shared))
        }
        var children = [Node](repeating: .empty, count: 16)
        var value: [UInt8]?
        var rest = items
        if first.nibbles.count == depth {
            value = first.value
            rest = rest.dropFirst()
        }
        var start = rest.startIndex
        while start < rest.endIndex {
            let nibble = rest[start].nibbles[depth]
            var end = start
            while end < rest.endIndex, rest[end].nibbles[depth] == nibble { end += 1 }
            children[Int(nibble)] = build(rest[start..<end], depth: depth + 1)
            start = end
        }
        return .branch(children: children, value: value)
    }

    private static func encode(_ node: Node) -> [UInt8] {
        switch node {
        case .empty:
            return [0x80]
        case .leaf(let path, let value):
            return RLP.encodeList(encodedItems: [RLP.encodeString(HexPrefix.encode(nibbles: path, isLeaf: true)),
                                                 RLP.encodeString(value)])
        case .extension(let path, let child):
            return RLP.encodeList(encodedItems: [RLP.encodeString(HexPrefix.encode(nibbles: path, isLeaf: false)),
                                                 reference(child)])
        case .branch(let children, let value):
            var items = children.map(reference)
            items.append(RLP.encodeString(value ?? []))
            return RLP.encodeList(encodedItems: items)
        }
    }

    /// How a parent refers to a child: embedded if its encoding is under 32 bytes, else by hash.
    private static func reference(_ node: Node) -> [UInt8] {
        if case .empty = node { return [0x80] }
        let encoded = encode(node)
        return encoded.count < 32 ? encoded : RLP.encodeString(Keccak256.hash(encoded).bytes)
    }
}
