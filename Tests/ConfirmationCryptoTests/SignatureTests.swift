import ConfirmationCrypto
import Testing

@Suite("secp256k1 signatures and recovery")
struct SignatureTests {
    /// The address of secret key 1 is a well-known constant.
    @Test func addressOfSecretKeyOne() throws {
        let key = try Secp256k1PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [1])
        #expect(key.publicKey.ethereumAddress.checksummed == "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")
        #expect(Hex.encode(key.publicKey.compressed) == "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
    }

    @Test(arguments: 0..<16)
    func signRecoverVerify(seed: Int) throws {
        var rng = DeterministicRandom(seed: UInt64(seed))
        let key = rng.secp256k1Key()
        let digest = try Bytes32(rng.bytes(32))
        let signature = key.signRecoverable(digest: digest)
        let signer = key.publicKey.ethereumAddress
        #expect(signature.isLowS)
        #expect(try signature.recoverPublicKey(digest: digest) == key.publicKey)
        #expect(signature.isSigned(by: signer, digest: digest))
        #expect(key.publicKey.isValidSignature(signature.signature, for: digest))

        // v as 27/28 and as 0/1 parse to the same signature.
        let rsv = signature.rsv
        #expect(rsv[64] == 27 || rsv[64] == 28)
        let zeroOne = try RecoverableSignature(rsv: rsv.prefix(64) + [rsv[64] - 27])
        #expect(zeroOne == signature)

        // Another digest recovers another key: recovery alone is not verification.
        let other = try Bytes32(rng.bytes(32))
        #expect(!signature.isSigned(by: signer, digest: other))
        #expect(!key.publicKey.isValidSignature(signature.signature, for: other))

        // The high-S twin is refused by default and accepted only when allowed.
        let high = signature.signature.compact.withHighS()
        let highSig = try ECDSASignature(compact: high)
        #expect(!highSig.isLowS)
        #expect(highSig.normalized == signature.signature)
        #expect(!key.publicKey.isValidSignature(highSig, for: digest))
        #expect(key.publicKey.isValidSignature(highSig, for: digest, allowHighS: true))
        let highRecoverable = try RecoverableSignature(rsv: high + [55 - rsv[64]])  // n − s flips the recovery parity
        #expect(!highRecoverable.isSigned(by: signer, digest: digest))
        #expect(highRecoverable.isSigned(by: signer, digest: digest, allowHighS: true))
    }

    @Test func parsingErrors() throws {
        #expect(throws: ConfirmationError(.invalidRecoveryID, "")) {
            try RecoverableSignature(rsv: [UInt8](repeating: 1, count: 64) + [2])
        }
        #expect(throws: ConfirmationError(.invalidLength, "")) { try RecoverableSignature(rsv: [UInt8](repeating: 1, count: 64)) }
        #expect(throws: ConfirmationError(.invalidSignature, "")) {
            try ECDSASignature(compact: [UInt8](repeating: 0xff, count: 64))
        }
        #expect(throws: ConfirmationError(.invalidPublicKey, "")) {
            try Secp256k1PublicKey(serialized: [0x02] + [UInt8](repeating: 0xff, count: 32))
        }
        #expect(throws: ConfirmationError(.invalidPublicKey, "")) {
            try Secp256k1PublicKey(serialized: [0x06] + [UInt8](repeating: 0x01, count: 64))
        }
        #expect(throws: ConfirmationError(.invalidPrivateKey, "")) {
            try Secp256k1PrivateKey(bytes: [UInt8](repeating: 0, count: 32))
        }
    }

    /// DER rules: the encoding of a valid signature round-trips; non-minimal forms are refused.
    @Test func strictDER() throws {
        var rng = DeterministicRandom(seed: 99)
        let key = rng.secp256k1Key()
        let digest = try Bytes32(rng.bytes(32))
        let compact = key.sign(digest: digest).compact
        let der = derEncode(r: Array(compact[0..<32]), s: Array(compact[32...]))
        #expect(try ECDSASignature(derEncoded: der).compact == compact)

        // Long-form length, trailing byte, wrong tag, superfluous zero, negative integer.
        var longForm = der
        longForm.replaceSubrange(1...1, with: [0x81, der[1]])
        var trailing = der + [0]
        trailing[1] &+= 1
        var wrongTag = der
        wrongTag[0] = 0x31
        let padded = derEncode(r: [0] + Array(compact[0..<32]).dropLeadingZeros(), s: Array(compact[32...]), raw: true)
        for bad in [longForm, trailing, wrongTag, der + [0], Array(der.dropLast()), padded, [0x30, 0x06, 0x02, 0x01, 0x80, 0x02, 0x01, 0x01]] {
            #expect(throws: ConfirmationError.self) { try ECDSASignature(derEncoded: bad) }
        }
    }
}

extension [UInt8] {
    /// `s` replaced by `n − s` (a 64-byte compact signature).
    func withHighS() -> [UInt8] {
        let n: [UInt8] = try! Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
        var s = Array(self[32..<64])
        var borrow = 0
        for i in stride(from: 31, through: 0, by: -1) {
            let difference = Int(n[i]) - Int(s[i]) - borrow
            s[i] = UInt8((difference + 256) % 256)
            borrow = difference < 0 ? 1 : 0
        }
        return Array(self[0..<32]) + s
    }

    func dropLeadingZeros() -> [UInt8] {
        let trimmed = drop { $0 == 0 }
        return trimmed.isEmpty ? [0] : Array(trimmed)
    }
}

/// Minimal DER for tests (`raw` keeps the integers exactly as given).
func derEncode(r: [UInt8], s: [UInt8], raw: Bool = false) -> [UInt8] {
    func integer(_ value: [UInt8]) -> [UInt8] {
        var v = raw ? value : value.dropLeadingZeros()
        if !raw, v[0] & 0x80 != 0 { v.insert(0, at: 0) }
        return [0x02, UInt8(v.count)] + v
    }
    let body = integer(r) + integer(s)
    return [0x30, UInt8(body.count)] + body
}
