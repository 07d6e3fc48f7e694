import ConfirmationKit
import ConfirmationKitEthereum
import Foundation
import Testing
import VectorSupport

/// Header fixtures next to this file: real headers whose published hash the test recomputes.
///
/// `mainnet-0-genesis.json` is Ethereum mainnet's genesis block (hash `0xd4e56740…cb8fa3`).
/// `sepolia-7839744-prague.json` is Sepolia block 7,839,744 (the first Prague-shaped header in
/// these fixtures, 21 fields), field values and hash as listed in the public eth-rlp-verify test
/// helpers; the hash matching is itself the evidence that the values are right.
enum HeaderFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func data(_ name: String) throws -> Data { try Data(contentsOf: directory.appendingPathComponent(name)) }
}

/// A deterministic header of the given shape.
func sampleHeader(_ shape: EthereumBlockHeader.Shape, number: UInt64 = 1000, parent: Bytes32 = Keccak256.hash([9])) throws -> EthereumBlockHeader {
    var random = DeterministicRandom(seed: UInt64(shape.rawValue) &* 1000 &+ number)
    func word() -> Bytes32 { Keccak256.hash(random.bytes(8)) }
    let atLeast = { (other: EthereumBlockHeader.Shape) in shape >= other }
    return EthereumBlockHeader(
        parentHash: parent, ommersHash: Keccak256.hash([0xc0]), coinbase: try EthereumAddress(bytes: random.bytes(20)),
        stateRoot: word(), transactionsRoot: word(), receiptsRoot: word(), logsBloom: random.bytes(256),
        difficulty: shape == .frontier ? [0x0b, 0xad, 0xf0, 0x0d] : [], number: number, gasLimit: 30_000_000,
        gasUsed: 12_345_678, timestamp: 1_700_000_000 + number * 12, extraData: Array("confirmationkit".utf8),
        mixHash: word(), nonce: shape == .frontier ? random.bytes(8) : [UInt8](repeating: 0, count: 8),
        baseFeePerGas: atLeast(.london) ? [0x03, 0xb9, 0xac, 0xa0, 0x00] : nil,
        withdrawalsRoot: atLeast(.shanghai) ? word() : nil,
        blobGasUsed: atLeast(.cancun) ? 0x60000 : nil, excessBlobGas: atLeast(.cancun) ? 0 : nil,
        parentBeaconBlockRoot: atLeast(.cancun) ? word() : nil,
        requestsHash: atLeast(.prague) ? SHA256.hash([]) : nil)
}

@Suite("Ethereum block headers")
struct HeaderTests {
    @Test("real headers: recomputed hash equals the published hash", arguments: [
        ("mainnet-0-genesis.json", EthereumBlockHeader.Shape.frontier),
        ("sepolia-7839744-prague.json", .prague),
    ])
    func realHeaders(name: String, shape: EthereumBlockHeader.Shape) throws {
        let verified = try EthereumBlockHeader.verifiedBlock(json: HeaderFixtures.data(name))
        #expect(try verified.header.shape() == shape)
        #expect(try EthereumBlockHeader(rlp: verified.header.rlp()) == verified.header)
    }

    @Test("every fork shape: JSON and RLP round trips, hash covers every field", arguments: EthereumBlockHeader.Shape.allCases)
    func shapes(shape: EthereumBlockHeader.Shape) throws {
        let header = try sampleHeader(shape)
        #expect(try header.shape() == shape)
        let encoded = try header.rlp()
        let fields = try RLP.decode(encoded).listItems()
        #expect(fields.count == shape.rawValue)
        #expect(try EthereumBlockHeader(rlp: encoded) == header)

        let json = try JSONSerialization.data(withJSONObject: header.jsonObject(), options: [.sortedKeys])
        let verified = try EthereumBlockHeader.verifiedBlock(json: json)
        #expect(verified.header == header)
        #expect(verified.hash == Keccak256.hash(encoded))

        // Changing any one field changes the hash.
        var object = try header.jsonObject()
        for key in object.keys.sorted() where key != "hash" {
            var tampered = object
            let value = try #require(tampered[key])
            tampered[key] = value.hasSuffix("0") ? String(value.dropLast()) + "1" : String(value.dropLast()) + "0"
            let data = try JSONSerialization.data(withJSONObject: tampered)
            #expect(throws: ConfirmationError.self, "\(shape) field \(key)") { try EthereumBlockHeader.verifiedBlock(json: data) }
        }
        // A wrong claimed hash.
        object["hash"] = "\(Keccak256.hash([1]))"
        let wrong = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: ConfirmationError(.ethereumHeaderHashMismatch, "")) { try EthereumBlockHeader.verifiedBlock(json: wrong) }
    }

    @Test func fieldGaps() throws {
        var header = try sampleHeader(.cancun)
        header.withdrawalsRoot = nil
        #expect(throws: ConfirmationError(.ethereumHeaderFieldGap, "")) { try header.hash() }
        header = try sampleHeader(.cancun)
        header.excessBlobGas = nil
        #expect(throws: ConfirmationError(.ethereumHeaderFieldGap, "")) { try header.hash() }
        header = try sampleHeader(.london)
        header.requestsHash = Keccak256.hash([])
        #expect(throws: ConfirmationError(.ethereumHeaderFieldGap, "")) { try header.rlp() }
        #expect(throws: ConfirmationError(.ethereumInvalidHeader, "")) {
            try EthereumBlockHeader(rlp: RLP.encode(.list(Array(repeating: .bytes([]), count: 18))))
        }
        #expect(throws: ConfirmationError(.ethereumInvalidJSON, "")) {
            try EthereumBlockHeader(json: Data(#"{"parentHash":"0x00"}"#.utf8))
        }
    }

    @Test func parentChain() throws {
        var chain = [VerifiedBlockHeader]()
        var parent = Keccak256.hash([0])
        for number in UInt64(100)..<UInt64(110) {
            let header = try sampleHeader(.prague, number: number, parent: parent)
            let verified = try header.verified(claimedHash: header.hash())
            chain.append(verified)
            parent = verified.hash
        }
        try EthereumBlockHeader.checkChain(chain)
        let segment = chain.map(\.l1Header)
        try L1Ancestry.verify(segment[2], isAncestorOf: segment[9], through: Array(segment[2...9]))
        #expect(L1Ancestry.isAncestor(segment[0], of: segment[0], through: [segment[0]]))
        var broken = chain
        broken.swapAt(3, 4)
        #expect(throws: ConfirmationError(.ethereumParentHashMismatch, "")) { try EthereumBlockHeader.checkChain(broken) }
        #expect(throws: ConfirmationError(.l1NotAncestor, "")) {
            try L1Ancestry.verify(segment[2], isAncestorOf: segment[9], through: broken.map(\.l1Header)[2...9].map { $0 })
        }
        // A sibling of block 5 (same parent, different contents) is not an ancestor of block 9.
        let sibling = try sampleHeader(.cancun, number: 105, parent: chain[4].hash)
        let siblingHeader = try sibling.verified(claimedHash: sibling.hash()).l1Header
        #expect(!L1Ancestry.isAncestor(siblingHeader, of: segment[9], through: [siblingHeader] + segment[6...9]))
        // Finality advances to a linked descendant at most `maximumDistance` ahead, never backwards.
        try L1Ancestry.verifyAdvance(from: segment[2], to: segment[6], through: Array(segment[2...6]), maximumDistance: 4)
        try L1Ancestry.checkAdvance(from: segment[6], to: segment[6], maximumDistance: 0)
        #expect(throws: ConfirmationError(.l1LinkTooLong, "")) { try L1Ancestry.checkAdvance(from: segment[2], to: segment[7], maximumDistance: 4) }
        #expect(throws: ConfirmationError(.l1FinalizedRegressed, "")) { try L1Ancestry.checkAdvance(from: segment[6], to: segment[5], maximumDistance: 4) }
        #expect(throws: ConfirmationError(.l1NotAncestor, "")) {
            try L1Ancestry.verifyAdvance(from: segment[2], to: segment[6], through: broken.map(\.l1Header)[2...6].map { $0 }, maximumDistance: 4)
        }
    }
}
