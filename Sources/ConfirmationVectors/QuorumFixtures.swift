public import ConfirmationKit
public import Foundation

/// Deterministic validators, tables and certificates for the quorum vectors, examples and benchmarks.
public struct QuorumFixture: Sendable {
    /// The signing keys, in stake-table order.
    public let keys: [Secp256k1PrivateKey]
    /// The table.
    public let table: StakeTable<EthereumAddress>

    /// `stakes.count` validators drawn from `seed`, with the given stakes, for `epoch`.
    public init(seed: UInt64, stakes: [UInt256], epoch: UInt64) throws {
        var rng = DeterministicRandom(seed: seed)
        keys = stakes.map { _ in rng.secp256k1Key() }
        table = try StakeTable(epoch: epoch, entries: zip(keys, stakes).map {
            StakeTableEntry(key: $0.publicKey.ethereumAddress, stake: $1)
        })
    }

    /// Small stakes.
    public init(seed: UInt64, stakes: [UInt64], epoch: UInt64) throws {
        try self.init(seed: seed, stakes: stakes.map(UInt256.init), epoch: epoch)
    }

    init(uncheckedKeys keys: [Secp256k1PrivateKey], table: StakeTable<EthereumAddress>) {
        self.keys = keys
        self.table = table
    }

    /// The address of validator `i`.
    public func address(_ i: Int) -> EthereumAddress { keys[i].publicKey.ethereumAddress }

    /// A certificate signed by validators `signers`.
    public func certificate(_ statement: Secp256k1QuorumStatement, signers: [Int]) -> QuorumCertificate<Secp256k1QuorumProfile> {
        Secp256k1QuorumProfile.makeCertificate(statement: statement, signingKeys: signers.map { keys[$0] })
    }

    /// The statement the fixtures certify by default (chain 31337).
    public static func statement(epoch: UInt64, height: UInt64 = 1000, view: UInt64 = 3,
                                 block: String = "block", timestamp: UInt64 = 1_767_225_600) -> Secp256k1QuorumStatement {
        Secp256k1QuorumStatement(
            chainId: 31337, epoch: epoch, height: height, view: view,
            blockCommitment: Keccak256.hash(Array("\(block) \(height)".utf8)),
            namespaceRoot: Keccak256.hash(Array("namespaces \(height)".utf8)), timestamp: timestamp)
    }

    /// The same signature with `s` replaced by `n − s` and the recovery id flipped: the
    /// malleated, high-S twin of a valid low-S signature.
    public static func highSTwin(of signature: Secp256k1QuorumSignature) throws -> Secp256k1QuorumSignature {
        let order = try UInt256(hexString: "0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141")
        let rsv = signature.rsv
        let s = try UInt256(bigEndianBytes: rsv[32..<64])
        let twin = order.subtractingReportingOverflow(s).partialValue
        let v = rsv[64] == 27 ? UInt8(28) : rsv[64] == 28 ? 27 : rsv[64] ^ 1
        return try Secp256k1QuorumSignature(rsv: Array(rsv[0..<32]) + twin.bigEndianBytes + [v])
    }
}

/// A sample certificate and stake table for `Docs/examples/` and `confirm quorum example`.
public enum QuorumExamples {
    /// `(file name, bytes)` of each example file.
    public static func files() throws -> [(name: String, data: Data)] {
        let fixture = try QuorumFixture(seed: 0xE8A3_9000, stakes: [3200, 2500, 1800, 1500, 1000], epoch: 42)
        let statement = QuorumFixture.statement(epoch: 42, height: 120_000, view: 120_001, timestamp: 1_767_225_600)
        let valid = fixture.certificate(statement, signers: [0, 1, 2, 4])
        let weak = fixture.certificate(statement, signers: [1, 2, 3])
        return [
            ("stake-table.json", try QuorumJSON.encode(fixture.table)),
            ("certificate.json", try QuorumJSON.encode(valid)),
            ("certificate-insufficient.json", try QuorumJSON.encode(weak)),
        ]
    }
}
