import ConfirmationKit
import Foundation

/// `crypto-encodings.json`: the primitives' parsing rules and known answers, each invalid case with
/// its error code — hex, base64, EIP-55 addresses, secp256k1 keys, strict DER, r‖s‖v recovery, digests.
struct CryptoEncodingVectors: VectorSuite {
    let fileName = "crypto-encodings.json"

    struct Group: Codable, Sendable {
        /// `hex-decode`, `base64-decode`, `base64url-decode`, `address-parse`, `secp256k1-public-key`,
        /// `secp256k1-private-key`, `ecdsa-verify-der`, `ecdsa-recover`, `digest`.
        var operation: String
        var description: String
        var tests: [Case]
    }

    struct Case: Codable, Sendable {
        var tcId: Int
        var comment: String
        var flags: [String]
        /// The text input (hex, base64, address) or hex bytes (keys, signatures, digest input).
        var input: String
        /// For `ecdsa-verify-der`: the public key (hex); for `digest`: the algorithm.
        var key: String?
        /// For signature operations: the 32-byte digest (hex).
        var digest: String?
        /// For `ecdsa-verify-der`: whether high-S is accepted.
        var allowHighS: Bool?
        /// For `hex-decode`: the largest decoded length accepted.
        var maximumBytes: Int?
        /// The expected output for valid cases: decoded bytes, checksummed address, digest, or `true`.
        var output: String?
        var result: VectorResult
        var error: String?
    }

    func generate() throws -> Data {
        var groups: [Group] = []
        var id = 0
        func make(_ comment: String, _ input: String, flags: [String] = [], key: String? = nil, digest: String? = nil,
                  allowHighS: Bool? = nil, maximumBytes: Int? = nil, output: String? = nil, error: ConfirmationError.Code? = nil) -> Case {
            id += 1
            return Case(tcId: id, comment: comment, flags: flags, input: input, key: key, digest: digest, allowHighS: allowHighS,
                        maximumBytes: maximumBytes, output: output, result: error == nil ? .valid : .invalid, error: error?.rawValue)
        }

        groups.append(Group(operation: "hex-decode", description: "Strict hex: optional 0x/0X prefix, even length, 0-9a-fA-F only; output is lowercase hex without prefix.", tests: [
            make("lowercase with prefix", "0xdeadbeef", output: "deadbeef"),
            make("uppercase prefix and digits", "0XDEADBEEF", output: "deadbeef"),
            make("empty after prefix", "0x", output: ""),
            make("odd length", "0xabc", error: .hexOddLength),
            make("non-hex character", "0xzz", error: .hexInvalidCharacter),
            make("embedded space", "dea 0d", error: .hexInvalidCharacter),
            make("double prefix", "0x0x00", error: .hexInvalidCharacter),
            make("longer than the limit", "0x000000", maximumBytes: 2, error: .inputTooLong),
        ]))
        groups.append(Group(operation: "base64-decode", description: "RFC 4648 §4, canonical: padding required, unused bits zero, no whitespace; output is hex.", tests: [
            make("RFC 4648 example", "Zm9vYmFy", output: Hex.encode(Array("foobar".utf8))),
            make("two padding characters", "Zg==", output: "66"),
            make("missing padding", "Zg", error: .base64Invalid),
            make("non-zero unused bits", "Zh==", error: .base64Invalid),
            make("url alphabet in standard form", "-_8=", error: .base64Invalid),
        ]))
        groups.append(Group(operation: "base64url-decode", description: "RFC 4648 §5 without padding, canonical.", tests: [
            make("url alphabet", "-_8", output: "fbff"),
            make("padding present", "Zg==", error: .base64Invalid),
            make("impossible length", "Z", error: .base64Invalid),
        ]))
        groups.append(Group(operation: "address-parse", description: "0x + 40 hex digits; mixed case must match EIP-55; output is the checksummed form.", tests: [
            make("EIP-55 example", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", output: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
            make("all lowercase is accepted", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", output: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
            make("wrong checksum", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", error: .addressChecksumMismatch),
            make("too short", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA", error: .invalidAddress),
            make("no prefix", "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedaa", error: .invalidAddress),
        ]))

        let one = try Secp256k1PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [1])
        groups.append(Group(operation: "secp256k1-public-key", description: "SEC1 compressed (33 bytes, 02/03) or uncompressed (65 bytes, 04) on the curve; output is the compressed form.", tests: [
            make("generator, compressed", Hex.encode(one.publicKey.compressed), output: Hex.encode(one.publicKey.compressed)),
            make("generator, uncompressed", Hex.encode(one.publicKey.uncompressed), output: Hex.encode(one.publicKey.compressed)),
            make("x not on the curve", "02" + String(repeating: "ff", count: 32), error: .invalidPublicKey),
            make("hybrid prefix 06 refused", "06" + Hex.encode(one.publicKey.uncompressed.dropFirst()), error: .invalidPublicKey),
            make("wrong length", "02" + String(repeating: "11", count: 31), error: .invalidPublicKey),
        ]))
        groups.append(Group(operation: "secp256k1-private-key", description: "A secret in [1, n); output is the Ethereum address.", tests: [
            make("secret 1", String(repeating: "00", count: 31) + "01",
                 output: "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"),
            make("zero", String(repeating: "00", count: 32), error: .invalidPrivateKey),
            make("the group order", "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", error: .invalidPrivateKey),
            make("31 bytes", String(repeating: "01", count: 31), error: .invalidLength),
        ]))

        // ECDSA with strict DER and the high-S policy.
        var rng = DeterministicRandom(seed: 0xC0DEC)
        let key = rng.secp256k1Key()
        let digest = try Bytes32(rng.bytes(32))
        let compact = key.sign(digest: digest).compact
        let der = Self.der(Array(compact[0..<32]), Array(compact[32...]))
        let highDER = Self.der(Array(compact[0..<32]), Self.negate(Array(compact[32...])))
        let keyHex = Hex.encode(key.publicKey.compressed)
        let otherDigest = try Bytes32(rng.bytes(32))
        groups.append(Group(operation: "ecdsa-verify-der", description: "Strict DER (short lengths, minimal integers, no trailing bytes, at most 72 bytes) over a 32-byte digest; high-S refused unless allowHighS. Output true/false for well-formed signatures.", tests: [
            make("valid low-S", Hex.encode(der), key: keyHex, digest: digest.hex, allowHighS: false, output: "true"),
            make("high-S refused by default", Hex.encode(highDER), flags: ["HighS"], key: keyHex, digest: digest.hex, allowHighS: false, output: "false"),
            make("high-S accepted when allowed", Hex.encode(highDER), flags: ["HighS"], key: keyHex, digest: digest.hex, allowHighS: true, output: "true"),
            make("other digest", Hex.encode(der), key: keyHex, digest: otherDigest.hex, allowHighS: false, output: "false"),
            make("long-form length", Hex.encode([0x30, 0x81] + der.dropFirst()), key: keyHex, digest: digest.hex, allowHighS: false, error: .invalidDER),
            make("trailing byte", Hex.encode(der + [0]), key: keyHex, digest: digest.hex, allowHighS: false, error: .invalidDER),
            make("r of 33 bytes without a sign byte", Hex.encode(Self.der([1] + Array(compact[0..<32]), Array(compact[32...]), raw: true)),
                 key: keyHex, digest: digest.hex, allowHighS: false, error: .invalidSignature),
        ]))

        let recoverable = key.signRecoverable(digest: digest)
        var unrecoverable: [UInt8] = []
        var candidate = UInt8(1)
        // An r that is no point's x coordinate makes recovery fail.
        while unrecoverable.isEmpty {
            let rsv = [UInt8](repeating: 0, count: 31) + [candidate] + [UInt8](repeating: 0, count: 31) + [1] + [27]
            if let signature = try? RecoverableSignature(rsv: rsv), (try? signature.recoverPublicKey(digest: digest)) == nil {
                unrecoverable = rsv
            }
            candidate += 1
        }
        groups.append(Group(operation: "ecdsa-recover", description: "65-byte r‖s‖v, v in {0, 1, 27, 28}; output is the recovered EIP-55 address (recovery is not verification).", tests: [
            make("v = 27/28", Hex.encode(recoverable.rsv), digest: digest.hex, output: key.publicKey.ethereumAddress.checksummed),
            make("v = 0/1", Hex.encode(recoverable.compact + [recoverable.recoveryID]), digest: digest.hex,
                 output: key.publicKey.ethereumAddress.checksummed),
            make("v = 29", Hex.encode(recoverable.compact + [29]), digest: digest.hex, error: .invalidRecoveryID),
            make("s not below the order", Hex.encode(Array(recoverable.compact[0..<32]) + [UInt8](repeating: 0xff, count: 32) + [27]),
                 digest: digest.hex, error: .invalidSignature),
            make("64 bytes", Hex.encode(recoverable.compact), digest: digest.hex, error: .invalidLength),
            make("no point has this r", Hex.encode(unrecoverable), digest: digest.hex, error: .recoveryFailed),
        ]))

        let message = Array("ConfirmationKit".utf8)
        groups.append(Group(operation: "digest", description: "Known answers: key names the algorithm, input is hex.", tests: [
            make("keccak256", Hex.encode(message), key: "keccak256", output: Keccak256.hash(message).hex),
            make("keccak256 of 200 bytes (crosses the rate)", Hex.encode(rng.bytes(200)), key: "keccak256", output: nil),
            make("sha256", Hex.encode(message), key: "sha256", output: SHA256.hash(message).hex),
            make("sha3-256", Hex.encode(message), key: "sha3-256", output: SHA3_256.hash(message).hex),
            make("ripemd160", Hex.encode(message), key: "ripemd160", output: Hex.encode(RIPEMD160.hash(message))),
        ].map { test in
            var test = test
            if test.output == nil, let bytes = try? Hex.decode(test.input) { test.output = Keccak256.hash(bytes).hex }
            return test
        }))

        let file = VectorFile(schema: "confirmationkit-crypto-encodings-v1", algorithm: "encodings and secp256k1",
                              header: ["Parsing rules and known answers of ConfirmationKit's primitives.",
                                       "Each group names an operation; invalid cases carry the error code."],
                              notes: ["HighS": "s is above n/2: refused unless the policy allows high-S (then normalised)."],
                              testGroups: groups, numberOfTests: groups.reduce(0) { $0 + $1.tests.count })
        return try VectorJSON.encode(file)
    }

    func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<Group>.self, from: data)
        return file.testGroups.flatMap { group in group.tests.map { Self.run(group.operation, $0) } }
    }

    static func run(_ operation: String, _ test: Case) -> VectorOutcome {
        let answer: Result<String, ConfirmationError>
        do {
            answer = .success(try evaluate(operation, test))
        } catch let error as ConfirmationError {
            answer = .failure(error)
        } catch {
            return VectorOutcome(tcId: test.tcId, passed: false, detail: "untyped error \(error)")
        }
        switch (test.result, answer) {
        case (.valid, .success(let output)):
            return VectorOutcome(tcId: test.tcId, passed: output == test.output, detail: "got \(output), expected \(test.output ?? "-")")
        case (.invalid, .failure(let error)):
            return VectorOutcome(tcId: test.tcId, passed: error.code.rawValue == test.error, detail: "got \(error.code), expected \(test.error ?? "-")")
        case (.valid, .failure(let error)):
            return VectorOutcome(tcId: test.tcId, passed: false, detail: "unexpected \(error)")
        case (.invalid, .success(let output)):
            return VectorOutcome(tcId: test.tcId, passed: false, detail: "accepted: \(output)")
        }
    }

    static func evaluate(_ operation: String, _ test: Case) throws -> String {
        switch operation {
        case "hex-decode":
            return Hex.encode(try Hex.decode(test.input, maximumBytes: test.maximumBytes ?? Hex.defaultMaximumBytes))
        case "base64-decode":
            return Hex.encode(try Base64.decode(test.input))
        case "base64url-decode":
            return Hex.encode(try Base64.decodeURL(test.input))
        case "address-parse":
            return try EthereumAddress(test.input).checksummed
        case "secp256k1-public-key":
            return Hex.encode(try Secp256k1PublicKey(serialized: Hex.decode(test.input)).compressed)
        case "secp256k1-private-key":
            return try Secp256k1PrivateKey(bytes: Hex.decode(test.input)).publicKey.ethereumAddress.checksummed
        case "ecdsa-verify-der":
            let key = try Secp256k1PublicKey(serialized: Hex.decode(test.key ?? ""))
            let signature = try ECDSASignature(derEncoded: Hex.decode(test.input))
            return String(key.isValidSignature(signature, for: try Bytes32(hex: test.digest ?? ""), allowHighS: test.allowHighS ?? false))
        case "ecdsa-recover":
            let signature = try RecoverableSignature(rsv: Hex.decode(test.input))
            return try signature.recoverPublicKey(digest: Bytes32(hex: test.digest ?? "")).ethereumAddress.checksummed
        case "digest":
            let input = try Hex.decode(test.input)
            switch test.key {
            case "keccak256": return Keccak256.hash(input).hex
            case "sha256": return SHA256.hash(input).hex
            case "sha3-256": return SHA3_256.hash(input).hex
            case "ripemd160": return Hex.encode(RIPEMD160.hash(input))
            default: throw ConfirmationError(.invalidLength, "unknown digest \(test.key ?? "")")
            }
        default:
            throw ConfirmationError(.invalidLength, "unknown operation \(operation)")
        }
    }

    /// Minimal DER for `(r, s)`; `raw` keeps the integers as given.
    static func der(_ r: [UInt8], _ s: [UInt8], raw: Bool = false) -> [UInt8] {
        func integer(_ value: [UInt8]) -> [UInt8] {
            guard !raw else { return [0x02, UInt8(value.count)] + value }
            var v = Array(value.drop { $0 == 0 })
            if v.isEmpty { v = [0] }
            if v[0] & 0x80 != 0 { v.insert(0, at: 0) }
            return [0x02, UInt8(v.count)] + v
        }
        let body = integer(r) + integer(s)
        return [0x30, UInt8(body.count)] + body
    }

    /// `n − s` for a 32-byte big-endian scalar.
    static func negate(_ s: [UInt8]) -> [UInt8] {
        let n: [UInt8] = (try? Hex.decode("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")) ?? []
        var out = s
        var borrow = 0
        for i in stride(from: 31, through: 0, by: -1) {
            let difference = Int(n[i]) - Int(s[i]) - borrow
            out[i] = UInt8((difference + 256) % 256)
            borrow = difference < 0 ? 1 : 0
        }
        return out
    }
}
