/// Espresso's BLS signatures over BN254 (jellyfish `bls_over_bn254`): keys in G2, signatures in G1.
///
/// - Message hashing: `H(m) = hashToG1(m ‖ CS_ID)` (see ``hashToG1(_:)``).
/// - Verification: `e(σ, g2) = e(H(m), vk)`, checked as `e(σ, −g2)·e(H(m), vk) = 1`.
/// - Aggregation: signatures and keys add as group elements; a quorum certificate carries one
///   aggregate signature over one message, verified against the sum of the signers' keys.
///
/// ```swift
/// let key = try EspressoBLS.VerificationKey(taggedBase64: "BLS_VER_KEY~…")
/// let sig = try EspressoBLS.Signature(taggedBase64: "BLS_SIG~…")
/// let ok = EspressoBLS.verify(sig, message: voteCommitment, aggregateOf: [key])
/// ```
///
/// Rogue-key attacks on plain aggregation are prevented by proof of possession at stake-table
/// registration, which this module does not check.
public enum EspressoBLS {
    /// The ciphersuite identifier appended to every message before hashing.
    public static let ciphersuiteID = Array("BLS_SIG_BN254G1_XMD:KECCAK_NCTH_NUL_".utf8)

    /// A BLS verification key: a G2 point other than infinity.
    public struct VerificationKey: Sendable, Hashable {
        /// The key as a G2 point.
        public let point: BN254.G2Point

        /// Wraps a G2 point.
        /// - Throws: ``ConfirmationError`` `bls.identity-key` for the point at infinity.
        public init(_ point: BN254.G2Point) throws {
            guard !point.isInfinity else {
                throw ConfirmationError(.blsIdentityKey, "a BLS verification key cannot be the point at infinity")
            }
            self.point = point
        }

        /// Parses `BLS_VER_KEY~…`: 128 bytes of arkworks uncompressed G2 (x.c0‖x.c1‖y.c0‖y.c1, little-endian).
        /// - Throws: ``ConfirmationError`` from ``TaggedBase64``, `input.invalid-length`, the `bn254.*`
        ///   point errors (including `bn254.not-in-subgroup`) or `bls.identity-key`.
        public init(taggedBase64 text: String) throws {
            let tagged = try TaggedBase64(parsing: text, tag: "BLS_VER_KEY", length: 128)
            try self.init(BN254.G2Point(arkworksUncompressed: tagged.value))
        }

        /// The `BLS_VER_KEY~…` text form.
        public var taggedBase64: String {
            TaggedBase64(knownTag: "BLS_VER_KEY", value: point.arkworksUncompressedBytes).description
        }
    }

    /// A BLS signature (or aggregate signature): a G1 point.
    public struct Signature: Sendable, Hashable {
        /// The signature as a G1 point.
        public let point: BN254.G1Point

        /// Wraps a G1 point.
        public init(_ point: BN254.G1Point) { self.point = point }

        /// Parses `BLS_SIG~…`: 64 bytes of arkworks uncompressed G1 (x‖y little-endian, flags in byte 63).
        /// - Throws: ``ConfirmationError`` from ``TaggedBase64``, `input.invalid-length` or the `bn254.*` point errors.
        public init(taggedBase64 text: String) throws {
            let tagged = try TaggedBase64(parsing: text, tag: "BLS_SIG", length: 64)
            point = try BN254.G1Point(arkworksUncompressed: tagged.value)
        }

        /// The `BLS_SIG~…` text form.
        public var taggedBase64: String {
            TaggedBase64(knownTag: "BLS_SIG", value: point.arkworksUncompressedBytes).description
        }
    }

    /// Hashes a message to G1 exactly as jellyfish does (the message is hashed as given; callers
    /// append ``ciphersuiteID``, as ``verify(_:message:aggregateOf:)`` does).
    ///
    /// 1. `u = expand_message_xmd_keccak(m, DST = [0x01], 48 bytes)` with arkworks' quirk: the
    ///    leading zero pad is 48 bytes (not Keccak's 136-byte block).
    /// 2. `x = u` as a big-endian integer mod p.
    /// 3. While `x³ + 3` is not a square, `x += 1`.
    /// 4. `y` = the square root with `y ≤ (p − 1)/2`.
    ///
    /// The result is on E, and in G1 since G1 has cofactor 1.
    public static func hashToG1(_ message: [UInt8]) -> BN254.G1Point {
        let uniform = expandMessage(message)
        var x = fieldElement(fromBigEndian48: uniform)
        // Half of all x give a square, so this ends after two tries on average.
        while true {
            if let root = (x.squared() * x + Fp.three).squareRoot() {
                let y = root.isLexicographicallyLarge ? -root : root
                return BN254.G1Point(AffinePoint(x: x, y: y))
            }
            x += Fp.one
        }
    }

    /// Step 1 of ``hashToG1(_:)``: expand_message_xmd over Keccak-256 with DST = [0x01] and 48
    /// output bytes, with arkworks' 48-byte zero pad (published so cross-checkers can test it alone).
    ///
    /// `b0 = K(0⁴⁸ ‖ m ‖ 0x00 0x30 ‖ 0x00 ‖ 0x01 0x01)`, `b1 = K(b0 ‖ 0x01 ‖ 0x01 0x01)`,
    /// `b2 = K((b0 ⊕ b1) ‖ 0x02 ‖ 0x01 0x01)`, output = first 48 bytes of `b1 ‖ b2`.
    public static func expandMessageXMDKeccak(_ message: [UInt8]) -> [UInt8] { expandMessage(message) }

    static func expandMessage(_ message: [UInt8]) -> [UInt8] {
        let dstPrime: [UInt8] = [0x01, 0x01]  // DST ‖ I2OSP(len(DST), 1)
        var hasher = Keccak256()
        hasher.update([UInt8](repeating: 0, count: 48))
        hasher.update(message)
        hasher.update([0x00, 48, 0x00] + dstPrime)  // I2OSP(48, 2) ‖ I2OSP(0, 1) ‖ DST'
        let b0 = hasher.finalize().bytes
        let b1 = Keccak256.hash(b0 + [0x01] + dstPrime).bytes
        let mixed = zip(b0, b1).map { $0 ^ $1 }
        let b2 = Keccak256.hash(mixed + [0x02] + dstPrime).bytes
        return Array((b1 + b2).prefix(48))
    }

    /// A 48-byte big-endian integer reduced mod p: hi·2²⁵⁶ + lo.
    static func fieldElement(fromBigEndian48 bytes: [UInt8]) -> Fp {
        let padded = [UInt8](repeating: 0, count: 16) + bytes.prefix(16)
        let (hi, lo) = padded.withUnsafeBytes { raw in
            bytes.withUnsafeBytes { all in
                (UInt256(bigEndian: raw, offset: 0), UInt256(bigEndian: all, offset: 16))
            }
        }
        // 2²⁵⁶ − p (computed modulo 2²⁵⁶) is congruent to 2²⁵⁶ modulo p.
        let twoTo256 = Fp(reducing: UInt256.zero.subtracting(Fp.modulus))
        return Fp(reducing: hi) * twoTo256 + Fp(reducing: lo)
    }

    /// Verifies an (aggregate) signature on `message` under the sum of `keys`.
    ///
    /// Checks `e(σ, −g2)·e(H(message ‖ CS_ID), Σ keys) = 1` as one multi-pairing. Returns `false`
    /// for an empty key list, a signature at infinity, or keys summing to infinity.
    /// - Parameters:
    ///   - signature: the aggregate signature.
    ///   - message: the signed bytes (for a HotShot QC, the 32-byte vote commitment).
    ///   - keys: the signers' verification keys.
    /// - Returns: whether the signature verifies.
    public static func verify(_ signature: Signature, message: [UInt8],
                              aggregateOf keys: some Collection<VerificationKey>) -> Bool {
        guard !keys.isEmpty, !signature.point.isInfinity else { return false }
        let aggregate = BN254.G2Point.sum(keys.lazy.map(\.point))
        guard !aggregate.isInfinity else { return false }
        let h = hashToG1(message + ciphersuiteID)
        // −g2's Miller-loop lines are precomputed once (G2Prepared.negatedGenerator).
        return Pairing.productIsOne([(h.point, aggregate.point)],
                                    prepared: [(signature.point.point, G2Prepared.negatedGenerator)])
    }
}

extension ConfirmationError.Code {
    /// A well-formed BLS signature does not verify for the message and keys (a verdict, not a parse error).
    public static let blsVerificationFailed = Self("bls.verification-failed")
    /// A BLS verification key is the point at infinity.
    public static let blsIdentityKey = Self("bls.identity-key")
}
