public import ConfirmationKit

// Espresso's AvidM VID commitment (`VidCommitment::V1`, `AvidMCommit~`), which binds a block's payload
// to its header, and namespace proofs against it.
//
// The scheme, as the header's `payload_commitment` is computed (checked bit for bit on every block of
// the recorded v5 chain):
// 1. The payload is cut into namespaces by the namespace table (upstream's `parse_ns_table`: a table
//    that does not describe the payload exactly stands for one namespace spanning all of it).
// 2. Each namespace's bytes get a 0x01 byte and zeros up to a multiple of 31·k bytes (k the recovery
//    threshold) and become field elements of BN254's F_r, 31 little-endian bytes each.
// 3. Every run of k elements is a polynomial's coefficients, evaluated (an FFT) at the first n points
//    of the smallest power-of-two domain with at least n points (n the total weight).
// 4. Share i collects evaluation i of every run; its digest is Keccak-256 over the arkworks
//    serialization of that vector (u64 LE length, then each element as 32 LE bytes).
// 5. The namespace commitment is the root of a `HasherMerkleTree<Keccak256>` (arity 3, domain
//    separated) over the n share digests; the payload commitment is that tree's root over the
//    namespace commitments.

/// The parameters of Espresso's AvidM VID scheme (`VidCommon::V1`): the total VID weight n of the
/// storage nodes and the recovery threshold k, the number of shares that rebuild the payload.
///
/// They are not part of the header: a query service serves them (`/availability/vid/common/:h`).
/// Espresso sets `k = ⌈n/3⌉`, and ``EspressoNamespaceProof/verify(against:parameters:)`` refuses any
/// other pairing; ``espresso(stakeTable:height:withEpochs:)`` also derives n from the epoch's stake
/// table, so that a server does not get to choose the encoding.
///
/// ```swift
/// let parameters = try AvidMParameters(totalWeights: 1003, recoveryThreshold: 335)
/// ```
public struct AvidMParameters: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The total weight n: how many shares (evaluations) each polynomial is encoded into.
    public let totalWeights: Int
    /// The recovery threshold k: how many coefficients each polynomial has.
    public let recoveryThreshold: Int

    /// The largest total weight accepted (bounds the work one commitment costs).
    public static let maximumTotalWeights = 1 << 16

    /// Validated parameters.
    /// - Throws: ``ConfirmationError`` `espresso.vid-parameters-invalid` unless
    ///   1 ≤ k ≤ n ≤ ``maximumTotalWeights``.
    public init(totalWeights: Int, recoveryThreshold: Int) throws {
        guard recoveryThreshold >= 1, recoveryThreshold <= totalWeights, totalWeights <= Self.maximumTotalWeights else {
            throw ConfirmationError(.espressoVIDParametersInvalid,
                                    "AvidM needs 1 ≤ recovery threshold ≤ total weights ≤ \(Self.maximumTotalWeights); got k = \(recoveryThreshold), n = \(totalWeights)")
        }
        self.totalWeights = totalWeights
        self.recoveryThreshold = recoveryThreshold
    }

    /// Espresso's parameters for a total weight: `k = ⌈n/3⌉` (`init_avidm_param`).
    /// - Throws: as ``init(totalWeights:recoveryThreshold:)``.
    public static func espresso(totalWeights: Int) throws -> AvidMParameters {
        try AvidMParameters(totalWeights: totalWeights, recoveryThreshold: espressoThreshold(totalWeights))
    }

    /// The target total weight stakes are scaled to (`VID_TARGET_TOTAL_STAKE`).
    public static let targetTotalWeight: UInt64 = 1_000

    /// The parameters Espresso disperses a block with, from the stake table of its epoch (upstream
    /// `vid_total_weight` with an epoch, then ``espresso(totalWeights:)``): a table whose total stake
    /// is at most 1,000 weighs each node by its stake; a larger one weighs node i by
    /// `⌊stake_i · 1000 / total⌋ + 1`. The genesis block (height 0) is dispersed to one node.
    ///
    /// On the recorded v5 chain this gives n = 5 for the genesis table (epochs 1–2) and n = 1003 for
    /// epoch 3's table, as every block's VID common says.
    /// - Throws: as ``init(totalWeights:recoveryThreshold:)`` (e.g. more than 2¹⁶ weight).
    /// - Parameter withEpochs: false for a chain without epochs, where upstream weighs every node by
    ///   its stake without scaling (n is then the total stake, at most 2¹⁶ here).
    public static func espresso(stakeTable: StakeTable<EspressoStakeKey>, height: UInt64,
                                withEpochs: Bool = true) throws -> AvidMParameters {
        if height == 0 { return try espresso(totalWeights: 1) }
        let total = stakeTable.totalStake
        let target = UInt256(targetTotalWeight)
        if !(target < total) || !withEpochs {
            guard total < UInt256(UInt64(maximumTotalWeights) + 1) else {
                throw ConfirmationError(.espressoVIDParametersInvalid,
                                        "an unscaled total stake of \(total) is more VID weight than \(maximumTotalWeights)")
            }
            return try espresso(totalWeights: Int(total.words.0))
        }
        var weight = 0
        for entry in stakeTable.entries {
            // ⌊stake · 1000 / total⌋ ∈ [0, 1000]: the largest q with total · q ≤ stake · 1000.
            var low: UInt64 = 0, high = targetTotalWeight
            while low < high {
                let mid = (low + high + 1) / 2
                if UInt256.compareProducts(total, mid, entry.stake, targetTotalWeight) <= 0 { low = mid } else { high = mid - 1 }
            }
            weight += Int(low) + 1
        }
        return try espresso(totalWeights: weight)
    }

    /// Whether `k = ⌈n/3⌉`, the pairing Espresso uses.
    public var followsEspressoRule: Bool {
        recoveryThreshold == Self.espressoThreshold(totalWeights)
    }

    /// ⌈n/3⌉.
    static func espressoThreshold(_ n: Int) -> Int { n / 3 + (n % 3 == 0 ? 0 : 1) }

    /// Parses `{"V1": {"total_weights", "recovery_threshold"}}` (a VID common) or the bare inner object.
    /// - Throws: ``ConfirmationError`` `espresso.unsupported` for `V0` (ADVZ) or `V2` (AvidmGf2) commons,
    ///   `espresso.malformed`, or as ``init(totalWeights:recoveryThreshold:)``.
    public init(json: EspressoJSON) throws {
        try self.init(JSONCursor(json))
    }

    init(_ cursor: JSONCursor) throws {
        var c = cursor
        if try c.has("common") { c = try c["common"] }
        if try !c.has("total_weights") {
            let keys = try c.object().keys
            guard keys.count == 1, let scheme = keys.first else { throw c.fail("a VID common has one scheme member") }
            guard scheme == "V1" else {
                throw ConfirmationError(.espressoUnsupported, "VID scheme \(scheme) (only V1, AvidM, is implemented)")
            }
            c = try c["V1"]
        }
        guard Set(try c.object().keys) == ["total_weights", "recovery_threshold"] else {
            throw c.fail("AvidM parameters have exactly total_weights and recovery_threshold")
        }
        let n = try c["total_weights"].u64(), k = try c["recovery_threshold"].u64()
        // Bounded before converting to Int; the initializer checks the rest.
        guard n <= UInt64(Self.maximumTotalWeights), k <= UInt64(Self.maximumTotalWeights) else {
            throw ConfirmationError(.espressoVIDParametersInvalid, "AvidM parameters n = \(n), k = \(k) are out of range")
        }
        try self.init(totalWeights: Int(n), recoveryThreshold: Int(k))
    }

    enum CodingKeys: String, CodingKey {
        case totalWeights = "total_weights"
        case recoveryThreshold = "recovery_threshold"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(totalWeights: try c.decode(Int.self, forKey: .totalWeights),
                      recoveryThreshold: try c.decode(Int.self, forKey: .recoveryThreshold))
    }

    public var description: String { "AvidM(n = \(totalWeights), k = \(recoveryThreshold))" }
}

/// Espresso's AvidM commitments, computed from payload bytes.
///
/// ```swift
/// let parameters = try AvidMParameters(json: entry["vid_common"])
/// let commitment = try AvidM.payloadCommitment(payload: bytes, namespaceTable: header.namespaceTable,
///                                              parameters: parameters)
/// commitment.bytes == header.payloadCommitment   // the payload is the block's
/// ```
public enum AvidM {
    /// Payload bytes per field element (the largest whole number of bytes below r).
    public static let bytesPerElement = 31
    /// The largest payload (or namespace) accepted, in bytes.
    public static let maximumPayloadBytes = 64 << 20

    /// The commitment of one namespace's bytes (upstream `AvidMScheme::commit`).
    /// - Throws: ``ConfirmationError`` `input.too-long` above ``maximumPayloadBytes``.
    public static func namespaceCommitment(of bytes: [UInt8], parameters: AvidMParameters) throws -> Bytes32 {
        guard bytes.count <= maximumPayloadBytes else {
            throw ConfirmationError(.inputTooLong, "an AvidM payload is at most \(maximumPayloadBytes) bytes; got \(bytes.count)")
        }
        let n = parameters.totalWeights, k = parameters.recoveryThreshold
        // n ≤ 2¹⁶ < 2²⁸: a domain always exists.
        guard let domain = RadixTwoDomain(minimumSize: n) else {
            throw ConfirmationError(.espressoVIDParametersInvalid, "no evaluation domain of \(n) points")
        }
        let chunkBytes = k * bytesPerElement
        let chunks = (bytes.count + 1 + chunkBytes - 1) / chunkBytes
        // The bytes, the 0x01 marker and zeros to a whole number of chunks.
        var padded = bytes
        padded.append(1)
        padded += [UInt8](repeating: 0, count: chunks * chunkBytes - padded.count)

        var hashers = [Keccak256](repeating: Keccak256(), count: n)
        withUnsafeBytes(of: UInt64(chunks).littleEndian) { length in
            for i in 0..<n { hashers[i].update(length) }
        }
        var coefficients = [BN254Scalar](repeating: .zero, count: k)
        withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { scratch in
            let out = scratch.baseAddress!
            padded.withUnsafeBytes { raw in
                for chunk in 0..<chunks {
                    for j in 0..<k {
                        coefficients[j] = BN254Scalar(littleEndian31: raw.baseAddress! + (chunk * k + j) * bytesPerElement)
                    }
                    let evaluations = domain.evaluate(coefficients[...])
                    for i in 0..<n {
                        evaluations[i].storeLittleEndian(to: out)
                        hashers[i].update(UnsafeRawBufferPointer(start: out, count: 32))
                    }
                }
            }
        }
        let digests = hashers.indices.map { hashers[$0].finalize() }
        return VIDMerkleTree.root(of: digests)
    }

    /// The payload commitment (upstream `NsAvidMScheme::commit` over `parse_ns_table`): the header's
    /// `payload_commitment` for an honest block.
    /// - Throws: as ``namespaceCommitment(of:parameters:)``.
    public static func payloadCommitment(payload: [UInt8], namespaceTable: [UInt8],
                                         parameters: AvidMParameters) throws -> Bytes32 {
        let commitments = try namespaceRanges(payloadLength: payload.count, namespaceTable: namespaceTable).map {
            try namespaceCommitment(of: Array(payload[$0]), parameters: parameters)
        }
        return VIDMerkleTree.root(of: commitments)
    }

    /// The namespaces' byte ranges exactly as upstream's `parse_ns_table` cuts a payload: the table's
    /// ranges when it is well formed and its last offset is the payload length (an empty table with an
    /// empty payload is one empty namespace); otherwise one namespace spanning the whole payload.
    public static func namespaceRanges(payloadLength: Int, namespaceTable bytes: [UInt8]) -> [Range<Int>] {
        let whole = [0..<payloadLength]
        guard bytes.count >= 4, (bytes.count - 4) % 8 == 0 else { return whole }
        let count = Int(readU32(bytes, 0))
        guard count == (bytes.count - 4) / 8 else { return whole }
        var ranges: [Range<Int>] = []
        var start = 0
        for i in 0..<count {
            let end = Int(readU32(bytes, 8 + 8 * i))
            guard end >= start else { return whole }
            ranges.append(start..<end)
            start = end
        }
        if ranges.isEmpty { return payloadLength == 0 ? [0..<0] : whole }
        return start == payloadLength ? ranges : whole
    }
}

/// jellyfish's `HasherMerkleTree<Keccak256, _>` (jf-merkle-tree 0.4): arity 3, height the smallest h
/// with 3^h ≥ the number of leaves, leaf = Keccak("1" ‖ u64 LE position ‖ element), node =
/// Keccak("0" ‖ c0 ‖ c1 ‖ c2), empty subtree = 32 zero bytes. A one-leaf tree is just the leaf hash.
enum VIDMerkleTree {
    static func leafHash(position: Int, element: Bytes32) -> Bytes32 {
        withUnsafeTemporaryAllocation(byteCount: 41, alignment: 8) { buffer in
            let p = buffer.baseAddress!
            p.storeBytes(of: 0x31, as: UInt8.self)
            p.storeBytes(of: UInt64(position).littleEndian, toByteOffset: 1, as: UInt64.self)
            element.withUnsafeBytes { (p + 9).copyMemory(from: $0.baseAddress!, byteCount: 32) }
            return Keccak256.hash(UnsafeRawBufferPointer(buffer))
        }
    }

    static func nodeHash(_ c0: Bytes32, _ c1: Bytes32, _ c2: Bytes32) -> Bytes32 {
        withUnsafeTemporaryAllocation(byteCount: 97, alignment: 8) { buffer in
            let p = buffer.baseAddress!
            p.storeBytes(of: 0x30, as: UInt8.self)
            c0.withUnsafeBytes { (p + 1).copyMemory(from: $0.baseAddress!, byteCount: 32) }
            c1.withUnsafeBytes { (p + 33).copyMemory(from: $0.baseAddress!, byteCount: 32) }
            c2.withUnsafeBytes { (p + 65).copyMemory(from: $0.baseAddress!, byteCount: 32) }
            return Keccak256.hash(UnsafeRawBufferPointer(buffer))
        }
    }

    /// The height of a tree of `count` leaves.
    static func height(leafCount count: Int) -> Int {
        var height = 0, capacity = 1
        while capacity < count {
            height += 1
            capacity *= 3
        }
        return height
    }

    /// Every level, leaves first; the last level is the root alone.
    static func levels(of elements: [Bytes32]) -> [[Bytes32]] {
        guard !elements.isEmpty else { return [[.zero]] }
        var level = elements.enumerated().map { leafHash(position: $0.offset, element: $0.element) }
        var levels = [level]
        for _ in 0..<height(leafCount: elements.count) {
            var next: [Bytes32] = []
            next.reserveCapacity((level.count + 2) / 3)
            var i = 0
            while i < level.count {
                let c1 = i + 1 < level.count ? level[i + 1] : .zero
                let c2 = i + 2 < level.count ? level[i + 2] : .zero
                next.append(nodeHash(level[i], c1, c2))
                i += 3
            }
            level = next
            levels.append(level)
        }
        return levels
    }

    static func root(of elements: [Bytes32]) -> Bytes32 {
        levels(of: elements).last![0]
    }

    /// The two siblings at each level of the path to leaf `index`, in child order.
    static func siblings(of index: Int, in elements: [Bytes32]) -> [[Bytes32]] {
        let all = levels(of: elements)
        var path: [[Bytes32]] = []
        var position = index
        for level in all.dropLast() {
            let first = position - position % 3
            path.append((first..<first + 3).filter { $0 != position }.map { $0 < level.count ? level[$0] : .zero })
            position /= 3
        }
        return path
    }

    /// The root a path leads to from `element` at `index`.
    static func root(from element: Bytes32, at index: Int, siblings: [[Bytes32]]) -> Bytes32 {
        var node = leafHash(position: index, element: element)
        var position = index
        for pair in siblings {
            let digit = position % 3
            var children = pair
            children.insert(node, at: digit)
            node = nodeHash(children[0], children[1], children[2])
            position /= 3
        }
        return node
    }
}

/// A namespace's transactions, proved to be in a block by its AvidM payload commitment.
public struct EspressoNamespaceTransactions: Sendable, Hashable {
    /// The namespace id (a rollup).
    public let namespace: UInt32
    /// The namespace's position in the block's namespace table.
    public let index: Int
    /// The transactions, in block order.
    public let transactions: [[UInt8]]

    /// The tracker's references for the transactions (``TransactionReference/init(namespace:transaction:)``).
    public var references: [TransactionReference] {
        transactions.map { TransactionReference(namespace: NamespaceID(UInt64(namespace)), transaction: $0) }
    }
}

/// A proof that a namespace's bytes are in a block: the namespace payload and the Merkle path of its
/// AvidM commitment to the header's `payload_commitment` (upstream `NsProof` of the V1 scheme, with
/// the path as sibling pairs).
///
/// Verification re-encodes the namespace payload (the expensive, exact part), so a proof costs the
/// namespace's size to check and nothing more; the namespace id comes from the header's table.
///
/// ```swift
/// let proof = try EspressoNamespaceProof(payload: payload, namespaceTable: header.namespaceTable,
///                                        namespace: 101, parameters: parameters)
/// let proved = try proof.verify(against: header, parameters: parameters)
/// proved.transactions     // the rollup's transactions in this block
/// ```
public struct EspressoNamespaceProof: Sendable, Hashable {
    /// The namespace's position in the header's namespace table.
    public let namespaceIndex: Int
    /// The namespace's bytes (its transaction table and transactions).
    public let namespacePayload: [UInt8]
    /// The two sibling digests at each level, leaf level first.
    public let siblings: [[Bytes32]]

    /// Wraps proof parts (checked by ``verify(against:parameters:)``).
    public init(namespaceIndex: Int, namespacePayload: [UInt8], siblings: [[Bytes32]]) {
        self.namespaceIndex = namespaceIndex
        self.namespacePayload = namespacePayload
        self.siblings = siblings
    }

    /// Builds the proof for `namespace` from a whole block payload (what a query service does).
    /// - Throws: ``ConfirmationError`` `espresso.malformed` for a namespace table that does not describe
    ///   the payload, `espresso.namespace-not-in-table` when the namespace is absent, or as
    ///   ``AvidM/namespaceCommitment(of:parameters:)``.
    public init(payload: [UInt8], namespaceTable: [UInt8], namespace: UInt32, parameters: AvidMParameters) throws {
        let table = try EspressoNamespaceTable(bytes: namespaceTable)
        guard let index = table.entries.firstIndex(where: { $0.namespace == namespace }) else {
            throw ConfirmationError(.espressoNamespaceNotInTable, "namespace \(namespace) is not in the block's namespace table")
        }
        let ranges = AvidM.namespaceRanges(payloadLength: payload.count, namespaceTable: namespaceTable)
        guard ranges.count == table.entries.count, ranges[index] == table.range(ofIndex: index) else {
            throw ConfirmationError(.espressoMalformed, "the namespace table does not describe the \(payload.count)-byte payload")
        }
        let commitments = try ranges.map { try AvidM.namespaceCommitment(of: Array(payload[$0]), parameters: parameters) }
        self.init(namespaceIndex: index, namespacePayload: Array(payload[ranges[index]]),
                  siblings: VIDMerkleTree.siblings(of: index, in: commitments))
    }

    /// Verifies the proof against a header (which a verified, finalized leaf certifies) and returns
    /// the namespace's transactions.
    ///
    /// Checks, in order: the header's scheme is AvidM; the parameters pair as Espresso pairs them; the
    /// header's namespace table is well formed and has the index; the payload is as long as the table
    /// says; the path has the tree's height; the re-encoded namespace leads to `payload_commitment`;
    /// the payload parses as a transaction table.
    /// - Throws: ``ConfirmationError`` `espresso.unsupported` (ADVZ or AvidmGf2 header),
    ///   `espresso.vid-parameters-invalid`, `espresso.malformed`, `espresso.namespace-index-out-of-range`,
    ///   `espresso.namespace-length-mismatch`, `espresso.vid-commitment-mismatch`.
    public func verify(against header: EspressoHeader, parameters: AvidMParameters) throws -> EspressoNamespaceTransactions {
        guard header.payloadCommitmentTag == "AvidMCommit" else {
            throw ConfirmationError(.espressoUnsupported,
                                    "the header's payload commitment is \(header.payloadCommitmentTag)~ (only AvidMCommit~ namespace proofs are implemented)")
        }
        guard parameters.followsEspressoRule else {
            throw ConfirmationError(.espressoVIDParametersInvalid,
                                    "\(parameters): Espresso's recovery threshold for n = \(parameters.totalWeights) is ⌈n/3⌉")
        }
        let table = try EspressoNamespaceTable(bytes: header.namespaceTable)
        guard namespaceIndex >= 0, namespaceIndex < table.entries.count else {
            throw ConfirmationError(.espressoNamespaceIndexOutOfRange,
                                    "namespace index \(namespaceIndex) in a table of \(table.entries.count)")
        }
        let range = table.range(ofIndex: namespaceIndex)
        guard namespacePayload.count == range.count else {
            throw ConfirmationError(.espressoNamespaceLengthMismatch,
                                    "the table gives namespace \(table.entries[namespaceIndex].namespace) \(range.count) bytes; the proof has \(namespacePayload.count)")
        }
        let height = VIDMerkleTree.height(leafCount: table.entries.count)
        guard siblings.count == height, siblings.allSatisfy({ $0.count == 2 }) else {
            throw ConfirmationError(.espressoMalformed,
                                    "a path in a tree of \(table.entries.count) namespaces has \(height) levels of two siblings; got \(siblings.map(\.count))")
        }
        let commitment = try AvidM.namespaceCommitment(of: namespacePayload, parameters: parameters)
        let root = VIDMerkleTree.root(from: commitment, at: namespaceIndex, siblings: siblings)
        guard root.bytes == header.payloadCommitment else {
            throw ConfirmationError(.espressoVIDCommitmentMismatch,
                                    "the namespace leads to \(root.hex.prefix(16))…, the header's payload commitment is \(Hex.encode(header.payloadCommitment).prefix(16))…")
        }
        let namespace = table.entries[namespaceIndex].namespace
        return EspressoNamespaceTransactions(
            namespace: namespace, index: namespaceIndex,
            transactions: try EspressoNamespaceTable.transactions(inNamespacePayload: namespacePayload, namespace: namespace))
    }
}

extension ConfirmationError.Code {
    /// AvidM parameters out of range, or not paired as Espresso pairs them (k = ⌈n/3⌉).
    public static let espressoVIDParametersInvalid = Self("espresso.vid-parameters-invalid")
    /// A payload or namespace does not lead to the header's VID payload commitment.
    public static let espressoVIDCommitmentMismatch = Self("espresso.vid-commitment-mismatch")
    /// A namespace proof's index is not in the header's namespace table.
    public static let espressoNamespaceIndexOutOfRange = Self("espresso.namespace-index-out-of-range")
    /// A namespace proof's payload is not as long as the header's namespace table says.
    public static let espressoNamespaceLengthMismatch = Self("espresso.namespace-length-mismatch")
    /// The requested namespace is not in the block's namespace table.
    public static let espressoNamespaceNotInTable = Self("espresso.namespace-not-in-table")
}

extension EspressoNamespaceProof {
    /// The most tree levels a namespace proof may have (3²⁰ namespaces).
    public static let maximumLevels = 20

    /// `{"ns_index": i, "ns_payload": "<base64>", "siblings": [["0x…", "0x…"], …]}`: upstream's V1
    /// `NsProof` fields, with the Merkle path as the two sibling digests of each level, leaf level first.
    public var json: EspressoJSON {
        .object([
            "ns_index": .unsigned(UInt64(namespaceIndex)),
            "ns_payload": .string(Base64.encode(namespacePayload)),
            "siblings": .array(siblings.map { .array($0.map { .string("0x" + $0.hex) }) }),
        ])
    }

    /// Parses ``json``.
    /// - Throws: ``ConfirmationError`` `espresso.malformed` (with the path), or the base64 and hex errors.
    public init(json: EspressoJSON) throws {
        try self.init(JSONCursor(json))
    }

    init(_ c: JSONCursor) throws {
        guard Set(try c.object().keys) == ["ns_index", "ns_payload", "siblings"] else {
            throw c.fail("a namespace proof has exactly ns_index, ns_payload and siblings")
        }
        let index = try c["ns_index"].u64()
        guard index < 1 << 32 else { throw c.fail("ns_index \(index) is out of range") }
        let levels = try c["siblings"].array(maximumCount: Self.maximumLevels).map { level in
            let pair = try level.array(maximumCount: 2)
            guard pair.count == 2 else { throw level.fail("each level has two sibling digests") }
            return try pair.map { try $0.bytes32Hex() }
        }
        self.init(namespaceIndex: Int(index), namespacePayload: try c["ns_payload"].base64(maximumBytes: AvidM.maximumPayloadBytes),
                  siblings: levels)
    }
}

extension AvidMParameters {
    /// `{"V1": {"total_weights": n, "recovery_threshold": k}}`, a VID common as the query service serves it.
    public var json: EspressoJSON {
        .object(["V1": .object(["total_weights": .unsigned(UInt64(totalWeights)),
                                "recovery_threshold": .unsigned(UInt64(recoveryThreshold))])])
    }
}
