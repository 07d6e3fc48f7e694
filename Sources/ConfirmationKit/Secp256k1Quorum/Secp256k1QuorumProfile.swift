extension EthereumAddress: StakeTableKey {
    /// Always ``KeyType/secp256k1``.
    public var keyType: KeyType { .secp256k1 }
    /// The 20 address bytes.
    public var canonicalBytes: [UInt8] { bytes }
}

/// The statement validators sign in the secp256k1 quorum profile, as the EIP-712 struct
/// `QuorumStatement(uint64 epoch,uint64 height,uint64 view,bytes32 blockCommitment,bytes32 namespaceRoot,uint64 timestamp)`
/// in the domain `EIP712Domain(string name,string version,uint256 chainId)` with name
/// ``Secp256k1QuorumProfile/domainName``, version ``Secp256k1QuorumProfile/domainVersion`` and the
/// network's chain id.
///
/// JSON: `{"chainId", "epoch", "height", "view", "blockCommitment", "namespaceRoot", "timestamp"}`
/// with integers as JSON numbers and the two commitments as `0x` hex.
public struct Secp256k1QuorumStatement: CertifiedStatement {
    /// The EIP-155 chain id of the network; the network id is `eip155:<chainId>`.
    public var chainId: UInt64
    /// The stake-table epoch.
    public var epoch: UInt64
    /// The block height.
    public var height: UInt64
    /// The consensus view (round).
    public var view: UInt64
    /// The commitment to the block (the root of its namespaced block tree).
    public var blockCommitment: Bytes32
    /// The root over the block's namespaces (zero when the network has none).
    public var namespaceRoot: Bytes32
    /// When the block was certified, in seconds since the Unix epoch.
    public var timestamp: UInt64

    /// Creates a statement.
    public init(chainId: UInt64, epoch: UInt64, height: UInt64, view: UInt64, blockCommitment: Bytes32,
                namespaceRoot: Bytes32 = .zero, timestamp: UInt64) {
        self.chainId = chainId
        self.epoch = epoch
        self.height = height
        self.view = view
        self.blockCommitment = blockCommitment
        self.namespaceRoot = namespaceRoot
        self.timestamp = timestamp
    }

    /// `eip155:<chainId>`.
    public var networkID: NetworkID { Self.networkID(chainId: chainId) }

    /// The signed ``timestamp``.
    public var signedTime: UInt64? { timestamp }

    /// The network id of an EIP-155 chain: `eip155:<chainId>` (CAIP-2).
    public static func networkID(chainId: UInt64) -> NetworkID { NetworkID("eip155:\(chainId)") }

    /// The EIP-712 `encodeType` of the statement.
    public static let encodeType =
        "QuorumStatement(uint64 epoch,uint64 height,uint64 view,bytes32 blockCommitment,bytes32 namespaceRoot,uint64 timestamp)"

    /// `keccak256(encodeType)`.
    public static let typeHash = EIP712.typeHash(encodeType)

    /// `hashStruct(statement)`.
    public var structHash: Bytes32 {
        EIP712.hashStruct(typeHash: Self.typeHash, fields: [
            EIP712.encode(uint: epoch), EIP712.encode(uint: height), EIP712.encode(uint: view),
            blockCommitment, namespaceRoot, EIP712.encode(uint: timestamp),
        ])
    }

    /// The EIP-712 domain of the statement's chain.
    public var domain: EIP712.Domain {
        EIP712.Domain(name: Secp256k1QuorumProfile.domainName, version: Secp256k1QuorumProfile.domainVersion,
                      chainId: chainId)
    }

    /// The digest validators sign: `keccak256(0x1901 ‖ domainSeparator ‖ structHash)`.
    public var signingDigest: Bytes32 {
        EIP712.digest(domainSeparator: domain.separator, structHash: structHash)
    }
}

/// A 65-byte `r ‖ s ‖ v` signature as it appears in a certificate.
///
/// Decoding checks only the length: a signature whose scalars or `v` are out of range is a
/// well-formed certificate with an invalid signature (`quorum.invalid-signature`), so one bad
/// validator cannot make a whole certificate unreadable.
public struct Secp256k1QuorumSignature: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 65 bytes `r ‖ s ‖ v`.
    public let rsv: [UInt8]
    /// The parsed signature, or `nil` when `r`, `s` or `v` is out of range.
    let parsed: RecoverableSignature?
    /// Whether `s ≤ n/2`, decided once at parse time (the verifier's hot path only recovers).
    let isLowS: Bool

    /// Wraps 65 bytes.
    /// - Throws: ``ConfirmationError`` `input.invalid-length` for any other length.
    public init(rsv bytes: some Collection<UInt8>) throws {
        let input = Array(bytes)
        guard input.count == 65 else {
            throw ConfirmationError(.invalidLength, "an r‖s‖v signature is 65 bytes; got \(input.count)")
        }
        rsv = input
        parsed = try? RecoverableSignature(rsv: input)
        isLowS = parsed?.isLowS ?? false
    }

    /// Wraps a signature made by the library.
    public init(_ signature: RecoverableSignature) {
        rsv = signature.rsv
        parsed = signature
        isLowS = signature.isLowS
    }

    /// `0x`-prefixed hex.
    public var description: String { "0x" + Hex.encode(rsv) }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.rsv == rhs.rsv }
    public func hash(into hasher: inout Hasher) { hasher.combine(rsv) }

    /// Decodes `0x` + 130 hex digits.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard text.utf8.count <= 132 else {
            throw ConfirmationError(.invalidLength, "an r‖s‖v signature is 65 bytes")
        }
        try self.init(rsv: Hex.decode(text))
    }

    /// Encodes `0x` + 130 hex digits.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The library's own portable quorum profile: secp256k1 ECDSA signers identified by Ethereum
/// addresses, signing an EIP-712 digest of a ``Secp256k1QuorumStatement``.
///
/// Signers are listed as addresses in strictly ascending byte order, as EigenLayer's
/// `ECDSAStakeRegistry` requires; signature `i` belongs to signer `i`. A signature counts only
/// when the key recovered from it has exactly the listed address (recovery then comparison).
///
/// ```swift
/// let certificate = Secp256k1QuorumProfile.makeCertificate(statement: statement, signingKeys: keys)
/// let verifier = QuorumVerifier(profile: Secp256k1QuorumProfile()) { QuorumThreshold.twoThirds; EpochMatches() }
/// let verdict = verifier.verify(certificate, against: table)
/// ```
public struct Secp256k1QuorumProfile: QuorumProfile {
    public typealias Key = EthereumAddress
    public typealias Statement = Secp256k1QuorumStatement
    public typealias Signature = Secp256k1QuorumSignature
    public typealias Message = Bytes32

    /// `secp256k1-quorum-v1`.
    public static var name: String { "secp256k1-quorum-v1" }
    /// The EIP-712 domain name: `ConfirmationKit Quorum`.
    public static var domainName: String { "ConfirmationKit Quorum" }
    /// The EIP-712 domain version: `1`.
    public static var domainVersion: String { "1" }
    /// Sorted addresses.
    public static var signerEncoding: SignerEncoding { .sortedKeys }

    /// Creates the profile.
    public init() {}

    /// The EIP-712 signing digest of the statement.
    public func message(for statement: Secp256k1QuorumStatement) -> Bytes32 { statement.signingDigest }

    public func checkSignature(_ signature: Secp256k1QuorumSignature, by key: EthereumAddress, message: Bytes32,
                               allowHighS: Bool) -> SignatureCheck {
        guard let parsed = signature.parsed else { return .invalid }
        // The low-S test was made at parse time, so one recovery decides every case.
        let signed = parsed.isSigned(by: key, digest: message, allowHighS: true)
        guard signed else { return .invalid }
        return signature.isLowS || allowHighS ? .valid : .highS
    }

    /// Signs a statement (for the demo network and the vector generator).
    public static func sign(_ statement: Secp256k1QuorumStatement, with key: Secp256k1PrivateKey) -> Secp256k1QuorumSignature {
        Secp256k1QuorumSignature(key.signRecoverable(digest: statement.signingDigest))
    }

    /// Builds a certificate signed by `signingKeys`, listing their addresses in ascending order.
    public static func makeCertificate(statement: Secp256k1QuorumStatement,
                                       signingKeys: [Secp256k1PrivateKey]) -> QuorumCertificate<Secp256k1QuorumProfile> {
        let digest = statement.signingDigest
        let signed = signingKeys
            .map { (address: $0.publicKey.ethereumAddress, signature: Secp256k1QuorumSignature($0.signRecoverable(digest: digest))) }
            .sorted { $0.address < $1.address }
        return QuorumCertificate(statement: statement, signers: .keys(signed.map(\.address)),
                                 signatures: .individual(signed.map(\.signature)))
    }
}
