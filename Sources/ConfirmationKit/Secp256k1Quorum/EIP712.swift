/// EIP-712 typed-data hashing: the few pieces a fixed, flat struct type needs.
///
/// A signer signs `keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message))`, where
/// `hashStruct(s) = keccak256(typeHash ‖ encodeData(s))`, `typeHash = keccak256(encodeType)`,
/// and each member is encoded as one 32-byte word (integers big-endian, `bytes32` as is,
/// `string` and `bytes` as the Keccak-256 of their contents, `address` left-padded).
///
/// ```swift
/// let domain = EIP712.Domain(name: "Ether Mail", version: "1", chainId: 1, verifyingContract: contract)
/// let digest = EIP712.digest(domainSeparator: domain.separator, structHash: mailHash)
/// ```
public enum EIP712 {
    /// An `EIP712Domain` with the fields `name`, `version`, `chainId` and, when given, `verifyingContract`.
    public struct Domain: Hashable, Sendable {
        /// The signing domain's user-readable name.
        public var name: String
        /// The current major version of the signing domain.
        public var version: String
        /// The EIP-155 chain id.
        public var chainId: UInt64
        /// The contract that will verify the signature, if any.
        public var verifyingContract: EthereumAddress?

        /// Creates a domain.
        public init(name: String, version: String, chainId: UInt64, verifyingContract: EthereumAddress? = nil) {
            self.name = name
            self.version = version
            self.chainId = chainId
            self.verifyingContract = verifyingContract
        }

        /// The domain's `encodeType` string.
        public var encodeType: String {
            verifyingContract == nil
                ? "EIP712Domain(string name,string version,uint256 chainId)"
                : "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
        }

        /// `hashStruct(domain)`.
        public var separator: Bytes32 {
            var fields = [EIP712.encode(string: name), EIP712.encode(string: version), EIP712.encode(uint: chainId)]
            if let verifyingContract { fields.append(EIP712.encode(address: verifyingContract)) }
            return EIP712.hashStruct(typeHash: EIP712.typeHash(encodeType), fields: fields)
        }
    }

    /// `keccak256(encodeType)`.
    public static func typeHash(_ encodeType: String) -> Bytes32 {
        Keccak256.hash(Array(encodeType.utf8))
    }

    /// `keccak256(typeHash ‖ field₁ ‖ … ‖ fieldₙ)` for fields already encoded as 32-byte words.
    public static func hashStruct(typeHash: Bytes32, fields: [Bytes32]) -> Bytes32 {
        var hasher = Keccak256()
        hasher.update(typeHash)
        for field in fields { hasher.update(field) }
        return hasher.finalize()
    }

    /// `keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ structHash)`: the digest that is signed.
    public static func digest(domainSeparator: Bytes32, structHash: Bytes32) -> Bytes32 {
        var hasher = Keccak256()
        hasher.update([0x19, 0x01])
        hasher.update(domainSeparator)
        hasher.update(structHash)
        return hasher.finalize()
    }

    /// A `uintN` member (N ≤ 64 here): the value as a 32-byte big-endian word.
    public static func encode(uint value: UInt64) -> Bytes32 {
        word([UInt8](repeating: 0, count: 24) + QuorumEncoding.bigEndian(value, bytes: 8))
    }

    /// A `uint256` member.
    public static func encode(uint256 value: UInt256) -> Bytes32 {
        word(value.bigEndianBytes)
    }

    /// A `string` member: the Keccak-256 of its UTF-8 bytes.
    public static func encode(string: String) -> Bytes32 {
        Keccak256.hash(Array(string.utf8))
    }

    /// An `address` member: 12 zero bytes then the 20 address bytes.
    public static func encode(address: EthereumAddress) -> Bytes32 {
        word([UInt8](repeating: 0, count: 12) + address.bytes)
    }
}

extension EIP712 {
    /// A 32-byte word from bytes the caller built to be exactly 32 long.
    fileprivate static func word(_ bytes: [UInt8]) -> Bytes32 {
        // Every caller passes 32 bytes; the fallback is unreachable and keeps the function total.
        (try? Bytes32(bytes)) ?? .zero
    }
}
