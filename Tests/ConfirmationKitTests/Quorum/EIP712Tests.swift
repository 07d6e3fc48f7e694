import ConfirmationKit
import Testing

/// The worked example of EIP-712 (the `Mail` message), whose values every implementation publishes.
@Suite("EIP-712")
struct EIP712Tests {
    static func domain() throws -> EIP712.Domain {
        EIP712.Domain(name: "Ether Mail", version: "1", chainId: 1,
                      verifyingContract: try EthereumAddress("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"))
    }

    static func person(_ name: String, _ wallet: String) throws -> Bytes32 {
        EIP712.hashStruct(typeHash: EIP712.typeHash("Person(string name,address wallet)"),
                          fields: [EIP712.encode(string: name), EIP712.encode(address: try EthereumAddress(wallet))])
    }

    static func mailHash() throws -> Bytes32 {
        EIP712.hashStruct(
            typeHash: EIP712.typeHash("Mail(Person from,Person to,string contents)Person(string name,address wallet)"),
            fields: [try person("Cow", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"),
                     try person("Bob", "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"),
                     EIP712.encode(string: "Hello, Bob!")])
    }

    @Test("domain separator, struct hash and digest of the Mail example")
    func mailExample() throws {
        #expect(try Self.domain().separator.hex == "f2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f")
        #expect(try Self.mailHash().hex == "c52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e")
        let digest = EIP712.digest(domainSeparator: try Self.domain().separator, structHash: try Self.mailHash())
        #expect(digest.hex == "be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2")
    }

    @Test("the published signature of the Mail example: deterministic signing reproduces it, recovery finds Cow")
    func mailSignature() throws {
        let digest = EIP712.digest(domainSeparator: try Self.domain().separator, structHash: try Self.mailHash())
        let key = try Secp256k1PrivateKey(bytes: Keccak256.hash(Array("cow".utf8)).bytes)
        let published = "4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"
            + "07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b915621c"
        #expect(Hex.encode(key.signRecoverable(digest: digest).rsv) == published)
        let signature = try RecoverableSignature(rsv: Hex.decode(published))
        let cow = try EthereumAddress("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")
        #expect(signature.isSigned(by: cow, digest: digest))
    }

    @Test("the quorum statement type and domain")
    func statementEncoding() throws {
        let statement = Secp256k1QuorumStatement(chainId: 31337, epoch: 7, height: 1000, view: 3,
                                                 blockCommitment: Keccak256.hash([1]), namespaceRoot: Keccak256.hash([2]),
                                                 timestamp: 1_767_225_600)
        // The digest is the EIP-712 composition of its parts, computed independently here.
        let typeHash = Keccak256.hash(Array(
            "QuorumStatement(uint64 epoch,uint64 height,uint64 view,bytes32 blockCommitment,bytes32 namespaceRoot,uint64 timestamp)".utf8))
        func word(_ v: UInt64) -> [UInt8] { [UInt8](repeating: 0, count: 24) + (0..<8).reversed().map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
        let structHash = Keccak256.hash(typeHash.bytes + word(7) + word(1000) + word(3) + Keccak256.hash([1]).bytes
                                        + Keccak256.hash([2]).bytes + word(1_767_225_600))
        let domainType = Keccak256.hash(Array("EIP712Domain(string name,string version,uint256 chainId)".utf8))
        let separator = Keccak256.hash(domainType.bytes + Keccak256.hash(Array("ConfirmationKit Quorum".utf8)).bytes
                                       + Keccak256.hash(Array("1".utf8)).bytes + word(31337))
        #expect(statement.structHash == structHash)
        #expect(statement.domain.separator == separator)
        #expect(statement.signingDigest == Keccak256.hash([0x19, 0x01] + separator.bytes + structHash.bytes))
        #expect(statement.networkID == NetworkID("eip155:31337"))

        // Every field is bound: changing any one changes the digest.
        var variants: [Secp256k1QuorumStatement] = []
        for change in 0..<7 {
            var s = statement
            switch change {
            case 0: s.chainId += 1
            case 1: s.epoch += 1
            case 2: s.height += 1
            case 3: s.view += 1
            case 4: s.blockCommitment = Keccak256.hash([3])
            case 5: s.namespaceRoot = Keccak256.hash([4])
            default: s.timestamp += 1
            }
            variants.append(s)
        }
        let digests = Set(variants.map(\.signingDigest) + [statement.signingDigest])
        #expect(digests.count == 8)
    }
}
