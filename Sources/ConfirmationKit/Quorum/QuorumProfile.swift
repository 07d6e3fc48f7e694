/// The kind of signing key a stake-table entry holds, for the ``AllowedKeyTypes`` policy.
///
/// ```swift
/// let policy = AllowedKeyTypes([.secp256k1])
/// ```
public struct KeyType: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The stable name, e.g. `secp256k1`.
    public let rawValue: String

    /// Wraps a key-type name.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// secp256k1 ECDSA keys, identified by their 20-byte Ethereum address.
    public static let secp256k1 = KeyType("secp256k1")
    /// Ed25519 keys (CometBFT validators).
    public static let ed25519 = KeyType("ed25519")
    /// BLS keys over BN254 (Espresso HotShot).
    public static let blsBN254 = KeyType("bls-bn254")

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}

/// A network identifier bound into every certified statement, e.g. `eip155:31337`.
public struct NetworkID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The identifier as written in JSON.
    public let rawValue: String

    /// Wraps an identifier.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}

/// The identity a stake-table entry signs with: an address, a public key.
///
/// Keys are ordered (sorted signer lists), hashable (lookups), and have a canonical byte
/// encoding that enters the stake table's commitment.
public protocol StakeTableKey: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The key's type, checked by ``AllowedKeyTypes``.
    var keyType: KeyType { get }
    /// The canonical bytes of the key, hashed into ``StakeTable/commitment``.
    var canonicalBytes: [UInt8] { get }
}

/// What a quorum certificate certifies: a block at a position of a network's history.
///
/// Every profile's statement exposes these fields; profiles add their own (a namespace root,
/// a chain id) and define how the statement is turned into the bytes that validators sign.
public protocol CertifiedStatement: Hashable, Sendable, Codable {
    /// The network the statement belongs to.
    var networkID: NetworkID { get }
    /// The stake-table epoch whose validators sign the statement.
    var epoch: UInt64 { get }
    /// The block height.
    var height: UInt64 { get }
    /// The consensus view (round) in which the block was certified.
    var view: UInt64 { get }
    /// The commitment to the certified block (e.g. the root of its namespaced block tree).
    var blockCommitment: Bytes32 { get }
    /// When the statement was made, in seconds since the Unix epoch, if the profile signs a time.
    var signedTime: UInt64? { get }
}

/// The outcome of one signature check.
public enum SignatureCheck: Sendable, Hashable {
    /// The signature is valid for the key and message.
    case valid
    /// The signature does not verify (or does not parse).
    case invalid
    /// The signature would verify, but its `s` is above n/2 and the policy refuses high-S.
    case highS
}

/// A network profile's signature scheme: how statements become signed messages and how
/// signatures are checked against stake-table keys.
///
/// The verifier is generic over the profile, so every call below is statically dispatched.
/// A profile with one signature per signer implements ``checkSignature(_:by:message:allowHighS:)``;
/// a profile with an aggregate signature (BLS) sets ``usesAggregateSignatures`` and implements
/// ``checkAggregateSignature(_:by:message:)``: the verifier then makes exactly one check over
/// the signer set.
///
/// ```swift
/// struct MyProfile: QuorumProfile {
///     typealias Key = EthereumAddress
///     …
/// }
/// let verifier = QuorumVerifier(profile: MyProfile()) { QuorumThreshold.twoThirds; EpochMatches() }
/// ```
public protocol QuorumProfile: Sendable {
    /// The identity of a stake-table entry.
    associatedtype Key: StakeTableKey
    /// The certified statement.
    associatedtype Statement: CertifiedStatement
    /// One signature (or one aggregate signature).
    associatedtype Signature: Hashable, Sendable, Codable
    /// The prepared message: whatever is worth computing once per certificate (a digest).
    associatedtype Message: Sendable

    /// The profile's stable name, e.g. `secp256k1-quorum-v1`.
    static var name: String { get }
    /// How the profile lists signers in a certificate.
    static var signerEncoding: SignerEncoding { get }
    /// Whether certificates carry one aggregate signature instead of one per signer.
    static var usesAggregateSignatures: Bool { get }

    /// The message signers sign for `statement`, computed once per verification.
    func message(for statement: Statement) -> Message

    /// Checks one signer's signature.
    /// - Parameters:
    ///   - signature: the signature from the certificate.
    ///   - key: the stake-table key of the signer it is attributed to.
    ///   - message: the prepared message.
    ///   - allowHighS: whether an ECDSA signature with `s > n/2` is acceptable.
    /// - Returns: the outcome; never throws, never traps on malformed signature bytes.
    func checkSignature(_ signature: Signature, by key: Key, message: Message, allowHighS: Bool) -> SignatureCheck

    /// Checks one aggregate signature over all of `keys` (in stake-table order).
    func checkAggregateSignature(_ signature: Signature, by keys: [Key], message: Message) -> SignatureCheck
}

extension QuorumProfile {
    /// Individual signatures by default.
    public static var usesAggregateSignatures: Bool { false }

    /// Profiles without aggregation never accept an aggregate signature.
    public func checkAggregateSignature(_ signature: Signature, by keys: [Key], message: Message) -> SignatureCheck {
        .invalid
    }

    /// Profiles with aggregation never accept an individual signature.
    public func checkSignature(_ signature: Signature, by key: Key, message: Message, allowHighS: Bool) -> SignatureCheck {
        .invalid
    }
}

/// How a certificate names its signers.
public enum SignerEncoding: String, Sendable, Codable {
    /// A list of keys in strictly ascending order (no duplicates), as EigenLayer's
    /// `ECDSAStakeRegistry` requires of its signer list.
    case sortedKeys = "sorted-keys"
    /// A bitmap over the stake table's entries (bit i = entry i), as Espresso's QCs carry.
    case bitmap
}
