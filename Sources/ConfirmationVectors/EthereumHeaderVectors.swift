public import Foundation
import ConfirmationKit
import ConfirmationKitEthereum

/// `ethereum-block-headers.json`: JSON-RPC block objects of every fork shape whose `hash` must be
/// recomputed from the header fields, and parent-hash chains.
public struct EthereumHeaderVectors: VectorSuite {
    public init() {}
    public var fileName: String { "ethereum-block-headers.json" }

    struct Test: Codable, Sendable {
        var tcId: Int
        var comment: String
        var flags: [String]
        /// BlockHash: one block object. HeaderChain: blocks oldest first.
        var block: [String: String]?
        var blocks: [[String: String]]?
        /// HeaderRLP: the RLP-encoded header.
        var rlp: String?
        /// BlockHash: the hash the fields give (also for mismatching cases, when computable). HeaderRLP: keccak256(rlp) of a valid header.
        var computedHash: String?
        var result: VectorResult
        var error: String?
    }

    struct Group: Codable, Sendable {
        var type: String
        var tests: [Test]
    }

    static func header(_ shape: EthereumBlockHeader.Shape, number: UInt64, parent: Bytes32, random: inout DeterministicRandom) throws -> EthereumBlockHeader {
        func word() -> Bytes32 { Keccak256.hash(random.bytes(16)) }
        return EthereumBlockHeader(
            parentHash: parent, ommersHash: Keccak256.hash([0xc0]), coinbase: try EthereumAddress(bytes: random.bytes(20)),
            stateRoot: word(), transactionsRoot: word(), receiptsRoot: word(), logsBloom: random.bytes(256),
            difficulty: shape == .frontier ? RLP.trimmingLeadingZeros(random.bytes(7)) : [], number: number,
            gasLimit: 30_000_000 + random.next() % 6_000_000, gasUsed: random.next() % 30_000_000, timestamp: 1_600_000_000 + number * 12,
            extraData: random.bytes(Int(random.next() % 33)), mixHash: word(),
            nonce: shape == .frontier ? random.bytes(8) : [UInt8](repeating: 0, count: 8),
            baseFeePerGas: shape >= .london ? RLP.trimmingLeadingZeros(random.bytes(5)) : nil,
            withdrawalsRoot: shape >= .shanghai ? word() : nil,
            blobGasUsed: shape >= .cancun ? (random.next() % 7) * 0x20000 : nil,
            excessBlobGas: shape >= .cancun ? random.next() % 0x400000 : nil,
            parentBeaconBlockRoot: shape >= .cancun ? word() : nil,
            requestsHash: shape >= .prague ? SHA256.hash(random.bytes(8)) : nil)
    }

    public func generate() throws -> Data {
        var random = DeterministicRandom(seed: 0x4845_4144)
        var tcId = 0
        func next() -> Int { tcId += 1; return tcId }
        var hashTests = [Test]()
        func hashCase(_ comment: String, _ flags: [String], _ object: [String: String], computed: Bytes32?, error: ConfirmationError.Code?) {
            hashTests.append(Test(tcId: next(), comment: comment, flags: flags, block: object, computedHash: computed?.description,
                                  result: error == nil ? .valid : .invalid, error: error?.rawValue))
        }
        for shape in EthereumBlockHeader.Shape.allCases {
            let header = try Self.header(shape, number: 1000 + UInt64(shape.rawValue), parent: Keccak256.hash(random.bytes(8)), random: &random)
            let object = try header.jsonObject()
            let hash = try header.hash()
            hashCase("\(shape.name) header (\(shape.rawValue) fields)", [shape.name.capitalized], object, computed: hash, error: nil)
            // One field changed, the claimed hash kept.
            let key = ["frontier": "gasUsed", "london": "stateRoot", "shanghai": "extraData", "cancun": "timestamp", "prague": "requestsHash"][shape.name] ?? "gasUsed"
            var changed = header
            switch key {
            case "stateRoot": changed.stateRoot = Keccak256.hash(header.stateRoot.bytes)
            case "extraData": changed.extraData = header.extraData + [0]
            case "timestamp": changed.timestamp = header.timestamp + 1
            case "requestsHash": changed.requestsHash = Keccak256.hash([])
            default: changed.gasUsed = header.gasUsed + 1
            }
            var tampered = try changed.jsonObject()
            tampered["hash"] = hash.description
            hashCase("\(shape.name) header with \(key) changed after hashing", [shape.name.capitalized, "Tampered"], tampered,
                     computed: try changed.hash(), error: .ethereumHeaderHashMismatch)
        }
        let cancun = try Self.header(.cancun, number: 5000, parent: Keccak256.hash([5]), random: &random)
        var gap = try cancun.jsonObject()
        gap["withdrawalsRoot"] = nil
        hashCase("Cancun fields without Shanghai's withdrawalsRoot", ["FieldGap"], gap, computed: nil, error: .ethereumHeaderFieldGap)
        var partial = try cancun.jsonObject()
        partial["excessBlobGas"] = nil
        hashCase("Cancun header missing excessBlobGas", ["FieldGap"], partial, computed: nil, error: .ethereumHeaderFieldGap)
        var missing = try cancun.jsonObject()
        missing["stateRoot"] = nil
        hashCase("block object without stateRoot", ["Malformed"], missing, computed: nil, error: .ethereumInvalidJSON)
        var shortBloom = try cancun.jsonObject()
        shortBloom["logsBloom"] = "0x" + String(repeating: "00", count: 255)
        hashCase("logsBloom of 255 bytes", ["Malformed"], shortBloom, computed: nil, error: .ethereumInvalidJSON)
        var longNonce = try cancun.jsonObject()
        longNonce["nonce"] = "0x" + String(repeating: "00", count: 9)
        hashCase("nonce of 9 bytes", ["Malformed"], longNonce, computed: nil, error: .ethereumInvalidJSON)

        // Chains.
        var chain = [EthereumBlockHeader]()
        var parent = Keccak256.hash(Array("chain".utf8))
        for number in UInt64(2000)..<2006 {
            let header = try Self.header(.prague, number: number, parent: parent, random: &random)
            chain.append(header)
            parent = try header.hash()
        }
        var chainTests = [Test]()
        func chainCase(_ comment: String, _ flags: [String], _ headers: [EthereumBlockHeader], hashes: [Bytes32]? = nil, error: ConfirmationError.Code?) throws {
            var objects = try headers.map { try $0.jsonObject() }
            if let hashes {
                for index in objects.indices { objects[index]["hash"] = hashes[index].description }
            }
            chainTests.append(Test(tcId: next(), comment: comment, flags: flags, blocks: objects, result: error == nil ? .valid : .invalid,
                                   error: error?.rawValue))
        }
        try chainCase("six linked Prague headers", ["Linked"], chain, error: nil)
        var swapped = chain
        swapped.swapAt(2, 3)
        try chainCase("two headers out of order", ["Unlinked"], swapped, error: .ethereumParentHashMismatch)
        let sibling = try Self.header(.prague, number: 2003, parent: try chain[2].hash(), random: &random)
        try chainCase("a sibling replaces block 2003 (its child names the original)", ["Unlinked"],
                      Array(chain[0..<3]) + [sibling] + Array(chain[4...]), error: .ethereumParentHashMismatch)
        try chainCase("a gap: block 2003 missing", ["Unlinked"], Array(chain[0..<3]) + Array(chain[4...]), error: .ethereumParentHashMismatch)
        var forgedHashes = try chain.map { try $0.hash() }
        forgedHashes[4] = Keccak256.hash([4])
        try chainCase("one header's claimed hash is not its fields' hash", ["Tampered"], chain, hashes: forgedHashes, error: .ethereumHeaderHashMismatch)

        // RLP-encoded headers: the strict decoder behind `EthereumBlockHeader(rlp:)`.
        var rlpTests = [Test]()
        let base = try Self.header(.prague, number: 3000, parent: Keccak256.hash([3]), random: &random)
        let baseFields = try RLP.decode(base.rlp()).listItems()
        func rlpCase(_ comment: String, _ flags: [String], _ item: RLPItem, error: ConfirmationError.Code?) {
            let bytes = RLP.encode(item)
            rlpTests.append(Test(tcId: next(), comment: comment, flags: flags, rlp: "0x" + Hex.encode(bytes),
                                 computedHash: error == nil ? Keccak256.hash(bytes).description : nil,
                                 result: error == nil ? .valid : .invalid, error: error?.rawValue))
        }
        func with(_ changes: [Int: RLPItem]) -> RLPItem {
            var fields = baseFields
            for (index, item) in changes { fields[index] = item }
            return .list(fields)
        }
        let frontier = try Self.header(.frontier, number: 3001, parent: Keccak256.hash([4]), random: &random)
        rlpCase("Prague header (21 fields)", ["Prague"], .list(baseFields), error: nil)
        rlpCase("Frontier header (15 fields)", ["Frontier"], try RLP.decode(frontier.rlp()), error: nil)
        rlpCase("14 fields: nonce dropped", ["FieldCount"], .list(Array(baseFields[..<14])), error: .ethereumInvalidHeader)
        rlpCase("18 fields: no fork has this shape", ["FieldCount"], .list(Array(baseFields[..<18])), error: .ethereumInvalidHeader)
        rlpCase("logsBloom of 255 bytes", ["FieldSize"], with([6: .bytes(random.bytes(255))]), error: .ethereumInvalidHeader)
        rlpCase("nonce of 9 bytes", ["FieldSize"], with([14: .bytes(random.bytes(9))]), error: .ethereumInvalidHeader)
        rlpCase("extraData of \(EthereumBlockHeader.maximumExtraDataBytes + 1) bytes", ["FieldSize"],
                with([12: .bytes(random.bytes(EthereumBlockHeader.maximumExtraDataBytes + 1))]), error: .ethereumInvalidHeader)
        rlpCase("number with a leading zero byte", ["NonCanonicalInteger"], with([8: .bytes([0x00, 0x0b, 0xb8])]), error: .rlpNonCanonicalInteger)
        rlpCase("baseFeePerGas (256-bit) with a leading zero byte", ["NonCanonicalInteger"], with([15: .bytes([0x00, 0x07])]),
                error: .rlpNonCanonicalInteger)
        rlpCase("gasLimit of 9 bytes: wider than 64 bits", ["IntegerOverflow"], with([9: .bytes([0x01] + [UInt8](repeating: 0, count: 8))]),
                error: .rlpIntegerOverflow)
        rlpCase("difficulty of 33 bytes: wider than 256 bits", ["IntegerOverflow"], with([7: .bytes([0x01] + [UInt8](repeating: 0, count: 32))]),
                error: .rlpIntegerOverflow)
        rlpCase("stateRoot of 31 bytes", ["UnexpectedShape"], with([3: .bytes(random.bytes(31))]), error: .rlpUnexpectedShape)
        rlpCase("parentHash as a list", ["UnexpectedShape"], with([0: .list([baseFields[0]])]), error: .rlpUnexpectedShape)
        rlpCase("a byte string instead of the field list", ["UnexpectedShape"], .bytes(random.bytes(40)), error: .rlpUnexpectedShape)

        let file = VectorFile(
            schema: "confirmationkit-ethereum-block-headers-v1", algorithm: "keccak256(rlp(header))",
            header: ["BlockHash: a JSON-RPC block object (header fields and hash, all strings); recompute keccak256(rlp(fields)) with the",
                     "fields of its fork shape (15 before London, 16 London, 17 Shanghai, 20 Cancun, 21 Prague) and compare it with `hash`.",
                     "HeaderChain: blocks oldest first; each must hash to its `hash` and name the previous block's hash as parentHash,",
                     "with consecutive numbers. HeaderRLP: an RLP-encoded header decoded strictly (a list of 15, 16, 17, 20 or 21",
                     "fields; 32-byte hashes, a 20-byte coinbase, a 256-byte bloom, an 8-byte nonce, extraData up to 1024 bytes;",
                     "integers minimal, at most 64 bits, or 256 bits for difficulty and baseFeePerGas); a valid one re-encodes byte",
                     "for byte and hashes to computedHash. See Docs/ethereum-l1.md."],
            notes: ["Frontier": "15 fields (before London).", "London": "16 fields (+baseFeePerGas).", "Shanghai": "17 fields (+withdrawalsRoot).",
                    "Cancun": "20 fields (+blobGasUsed, excessBlobGas, parentBeaconBlockRoot).", "Prague": "21 fields (+requestsHash).",
                    "Tampered": "A field or the claimed hash was changed after hashing.",
                    "FieldGap": "A later fork's field is present without an earlier fork's field.",
                    "Malformed": "A field is missing or has the wrong length.",
                    "Linked": "Every header names its predecessor's hash.", "Unlinked": "Some header does not name its predecessor's hash.",
                    "FieldCount": "The RLP list has a field count no fork uses.",
                    "FieldSize": "A fixed-size or bounded field has the wrong length.",
                    "NonCanonicalInteger": "An integer field starts with a zero byte.",
                    "IntegerOverflow": "An integer field is wider than its type.",
                    "UnexpectedShape": "A list where a byte string is expected (or the reverse), or a hash of the wrong length."],
            testGroups: [Group(type: "BlockHash", tests: hashTests), Group(type: "HeaderChain", tests: chainTests),
                         Group(type: "HeaderRLP", tests: rlpTests)], numberOfTests: tcId)
        return try VectorJSON.encode(file)
    }

    public func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<Group>.self, from: data)
        var outcomes = [VectorOutcome]()
        for group in file.testGroups {
            for test in group.tests {
                do {
                    if group.type == "BlockHash" {
                        let json = try VectorJSON.encode(test.block ?? [:])
                        if let computed = test.computedHash {
                            guard try EthereumBlockHeader(json: json).hash() == Bytes32(hex: computed) else {
                                outcomes.append(VectorOutcome(tcId: test.tcId, passed: false, detail: "computed hash differs"))
                                continue
                            }
                        }
                        _ = try EthereumBlockHeader.verifiedBlock(json: json)
                    } else if group.type == "HeaderRLP" {
                        let bytes = try Hex.decode(test.rlp ?? "")
                        let header = try EthereumBlockHeader(rlp: bytes)
                        guard try header.rlp() == bytes, try header.hash().description == test.computedHash else {
                            outcomes.append(VectorOutcome(tcId: test.tcId, passed: false, detail: "re-encoding or hash differs"))
                            continue
                        }
                    } else {
                        let headers = try (test.blocks ?? []).map { try EthereumBlockHeader.verifiedBlock(json: VectorJSON.encode($0)) }
                        try EthereumBlockHeader.checkChain(headers)
                    }
                    outcomes.append(VectorOutcome(tcId: test.tcId, passed: test.result == .valid, detail: "accepted an invalid case"))
                } catch let error as ConfirmationError {
                    let passed = test.result == .invalid && error.code.rawValue == test.error
                    outcomes.append(VectorOutcome(tcId: test.tcId, passed: passed, detail: passed ? "" : "got \(error.code)"))
                }
            }
        }
        return outcomes
    }
}
