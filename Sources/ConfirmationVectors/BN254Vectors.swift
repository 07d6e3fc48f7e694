public import Foundation
import ConfirmationKit

/// One case of `bn254-points.json` or `espresso-bls.json`: an operation's input and its expected outcome.
public struct BN254VectorCase: Codable, Sendable {
    /// The case number, unique in the file.
    public var tcId: Int
    /// What the case exercises.
    public var comment: String
    /// Labels explained in the file's `notes`.
    public var flags: [String]
    /// Hex bytes (points, pairing input, message) or text (tagged-base64), depending on the group's operation.
    public var input: String
    /// For `verify`: the `BLS_VER_KEY~` keys to aggregate.
    public var keys: [String]?
    /// For `verify`: the `BLS_SIG~` signature.
    public var signature: String?
    /// `valid` or `invalid`.
    public var result: VectorResult
    /// The expected error code of an invalid case.
    public var error: String?
    /// The expected output of a valid case (hex), when the operation has one.
    public var output: String?
    /// For `hash-to-g1`: the 48 bytes of expand_message_xmd (hex).
    public var uniform: String?
    /// For `tagged-base64`: the tag of a valid case.
    public var tag: String?
}

/// A group of cases sharing one operation.
public struct BN254VectorGroup: Codable, Sendable {
    /// One of `g1-eip196`, `g2-eip197`, `g1-arkworks`, `g2-arkworks`, `pairing-check` (bn254-points.json)
    /// or `tagged-base64`, `hash-to-g1`, `verify` (espresso-bls.json).
    public var operation: String
    /// The cases.
    public var tests: [BN254VectorCase]
}

/// What a case's operation produced: an output, or the code of the error it threw.
private enum Outcome {
    case output(String)
    case failure(ConfirmationError.Code)
}

private func run(_ body: () throws -> String) -> Outcome {
    do {
        return .output(try body())
    } catch let error as ConfirmationError {
        return .failure(error.code)
    } catch {
        return .failure(ConfirmationError.Code("unexpected"))
    }
}

private func check(_ test: BN254VectorCase, _ outcome: Outcome) -> VectorOutcome {
    switch (test.result, outcome) {
    case (.valid, .output(let out)):
        if let expected = test.output, expected != out {
            return VectorOutcome(tcId: test.tcId, passed: false, detail: "output \(out), expected \(expected)")
        }
        return VectorOutcome(tcId: test.tcId, passed: true)
    case (.valid, .failure(let code)):
        return VectorOutcome(tcId: test.tcId, passed: false, detail: "threw \(code), expected valid")
    case (.invalid, .output(let out)):
        return VectorOutcome(tcId: test.tcId, passed: false, detail: "accepted (\(out)), expected \(test.error ?? "?")")
    case (.invalid, .failure(let code)):
        let passed = code.rawValue == test.error
        return VectorOutcome(tcId: test.tcId, passed: passed, detail: passed ? "" : "threw \(code), expected \(test.error ?? "?")")
    }
}

private struct CaseBuilder {
    var next = 1
    var groups: [BN254VectorGroup] = []

    mutating func group(_ operation: String, _ build: (inout [BN254VectorCase], inout Int) -> Void) {
        var tests: [BN254VectorCase] = []
        build(&tests, &next)
        groups.append(BN254VectorGroup(operation: operation, tests: tests))
    }
}

private func valid(_ id: inout Int, _ comment: String, input: String, output: String? = nil, flags: [String] = [],
                   keys: [String]? = nil, signature: String? = nil, uniform: String? = nil, tag: String? = nil) -> BN254VectorCase {
    defer { id += 1 }
    return BN254VectorCase(tcId: id, comment: comment, flags: flags, input: input, keys: keys, signature: signature,
                           result: .valid, error: nil, output: output, uniform: uniform, tag: tag)
}

private func invalid(_ id: inout Int, _ comment: String, input: String, error: ConfirmationError.Code, flags: [String] = [],
                     keys: [String]? = nil, signature: String? = nil) -> BN254VectorCase {
    defer { id += 1 }
    return BN254VectorCase(tcId: id, comment: comment, flags: flags, input: input, keys: keys, signature: signature,
                           result: .invalid, error: error.rawValue, output: nil, uniform: nil, tag: nil)
}

/// A 256-bit scalar from four random words (any integer works for point multiplication).
private func randomScalar(_ rng: inout DeterministicRandom) -> BN254.Scalar {
    (try? BN254.Scalar(bigEndianBytes: rng.bytes(32).enumerated().map { $0.offset == 0 ? $0.element & 0x1f : $0.element }))
        ?? BN254.Scalar(1)
}

/// The field modulus p, big-endian.
private let modulusHex = "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47"

/// A point on the twist E' outside G2: x = 2 + u (the first x = k + u with x³ + b' a square), in
/// EIP-197 order. Parsing it must fail with `bn254.not-in-subgroup` (so it is on the curve).
private let twistPointOutsideG2 =
    "0000000000000000000000000000000000000000000000000000000000000001"
    + "0000000000000000000000000000000000000000000000000000000000000002"
    + "2b76c179599bb92a963dac85546a005a777f7c13f6a7b75d5918b6b5808f5fde"
    + "101f7278419308b95099eca02dcee0c5381f4d26d1d62313f057167f064101ce"

/// `bn254-points.json`: point encodings (EIP-196/197 big-endian, arkworks little-endian with flags)
/// and the EIP-197 pairing check.
public struct BN254PointVectors: VectorSuite {
    /// The suite (stateless).
    public init() {}

    /// `bn254-points.json`.
    public var fileName: String { "bn254-points.json" }

    /// Builds the file from fixed seeds.
    public func generate() throws -> Data {
        var rng = DeterministicRandom(seed: 0xB254)
        var b = CaseBuilder()
        let g1 = BN254.G1Point.generator
        let g2 = BN254.G2Point.generator
        let g1Points = [g1, g1.negated] + (0..<3).map { _ in g1.multiplied(by: randomScalar(&rng)) }
        let g2Points = [g2, g2.negated] + (0..<3).map { _ in g2.multiplied(by: randomScalar(&rng)) }

        b.group("g1-eip196") { tests, id in
            for (i, p) in g1Points.enumerated() {
                tests.append(valid(&id, i == 0 ? "generator (1, 2)" : i == 1 ? "−generator" : "random multiple of the generator",
                                   input: Hex.encode(p.eip196Bytes), output: Hex.encode(p.arkworksUncompressedBytes)))
            }
            tests.append(valid(&id, "(0, 0) is the point at infinity", input: String(repeating: "00", count: 64),
                               output: Hex.encode(BN254.G1Point.infinity.arkworksUncompressedBytes), flags: ["Infinity"]))
            tests.append(invalid(&id, "(1, 3) is not on y² = x³ + 3", input: String(repeating: "00", count: 31) + "01"
                                 + String(repeating: "00", count: 31) + "03", error: .bn254NotOnCurve, flags: ["OffCurve"]))
            tests.append(invalid(&id, "(0, 3): not infinity, not on the curve", input: String(repeating: "00", count: 63) + "03",
                                 error: .bn254NotOnCurve, flags: ["OffCurve"]))
            tests.append(invalid(&id, "x = p + 1 ≡ 1 with y = 2: coordinates must be below p",
                                 input: "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd48"
                                 + String(repeating: "00", count: 31) + "02", error: .bn254CoordinateOutOfRange, flags: ["OutOfRange"]))
            tests.append(invalid(&id, "y = p", input: String(repeating: "00", count: 31) + "01" + modulusHex,
                                 error: .bn254CoordinateOutOfRange, flags: ["OutOfRange"]))
            tests.append(invalid(&id, "63 bytes", input: String(repeating: "00", count: 63), error: .bn254InvalidLength, flags: ["Length"]))
            tests.append(invalid(&id, "65 bytes", input: String(repeating: "00", count: 65), error: .bn254InvalidLength, flags: ["Length"]))
        }

        b.group("g2-eip197") { tests, id in
            for (i, q) in g2Points.enumerated() {
                tests.append(valid(&id, i == 0 ? "generator" : i == 1 ? "−generator" : "random multiple of the generator",
                                   input: Hex.encode(q.eip197Bytes), output: Hex.encode(q.arkworksUncompressedBytes)))
            }
            tests.append(valid(&id, "all zeros is the point at infinity", input: String(repeating: "00", count: 128),
                               output: Hex.encode(BN254.G2Point.infinity.arkworksUncompressedBytes), flags: ["Infinity"]))
            var offCurve = g2.eip197Bytes
            offCurve[127] ^= 1
            tests.append(invalid(&id, "generator with y.re + 1", input: Hex.encode(offCurve), error: .bn254NotOnCurve, flags: ["OffCurve"]))
            tests.append(invalid(&id, "x = 2 + u: on the twist, outside the order-r subgroup", input: twistPointOutsideG2,
                                 error: .bn254NotInSubgroup, flags: ["NotInSubgroup"]))
            let generator = Hex.encode(g2.eip197Bytes)
            for (word, name) in ["x.im", "x.re", "y.im", "y.re"].enumerated() {
                var words = (0..<4).map { String(generator.dropFirst($0 * 64).prefix(64)) }
                words[word] = modulusHex
                tests.append(invalid(&id, "\(name) = p", input: words.joined(), error: .bn254CoordinateOutOfRange, flags: ["OutOfRange"]))
            }
            tests.append(invalid(&id, "the real and imaginary parts swapped (x_re‖x_im‖y_re‖y_im)",
                                 input: Hex.encode(Array(g2.eip197Bytes[32..<64]) + Array(g2.eip197Bytes[0..<32])
                                                   + Array(g2.eip197Bytes[96..<128]) + Array(g2.eip197Bytes[64..<96])),
                                 error: .bn254NotOnCurve, flags: ["OffCurve"]))
            tests.append(invalid(&id, "127 bytes", input: String(repeating: "00", count: 127), error: .bn254InvalidLength, flags: ["Length"]))
        }

        b.group("g1-arkworks") { tests, id in
            for p in g1Points {
                tests.append(valid(&id, p.arkworksUncompressedBytes[63] & 0x80 != 0 ? "y is the larger root: flag bit 7 set"
                                   : "y is the smaller root: no flag", input: Hex.encode(p.arkworksUncompressedBytes),
                                   output: Hex.encode(p.eip196Bytes)))
            }
            tests.append(valid(&id, "infinity: zero coordinates and flag bit 6", input: Hex.encode(BN254.G1Point.infinity.arkworksUncompressedBytes),
                               output: String(repeating: "00", count: 64), flags: ["Infinity"]))
            var both = g1.arkworksUncompressedBytes
            both[63] |= 0xc0
            tests.append(invalid(&id, "both flag bits set", input: Hex.encode(both), error: .bn254InvalidFlags, flags: ["Flags"]))
            var infinityOnPoint = g1.arkworksUncompressedBytes
            infinityOnPoint[63] |= 0x40
            tests.append(invalid(&id, "infinity flag on non-zero coordinates", input: Hex.encode(infinityOnPoint),
                                 error: .bn254InvalidFlags, flags: ["Flags"]))
            var wrongSign = g1.arkworksUncompressedBytes
            wrongSign[63] ^= 0x80
            tests.append(invalid(&id, "sign flag disagrees with y", input: Hex.encode(wrongSign), error: .bn254InvalidFlags, flags: ["Flags"]))
            tests.append(invalid(&id, "all zeros without the infinity flag is (0, 0), not on the curve",
                                 input: String(repeating: "00", count: 64), error: .bn254NotOnCurve, flags: ["OffCurve"]))
            tests.append(invalid(&id, "x = p (little-endian)", input: Hex.encode(Hex.decodeOrEmpty(modulusHex).reversed()
                                                                                 + g1.arkworksUncompressedBytes[32...]),
                                 error: .bn254CoordinateOutOfRange, flags: ["OutOfRange"]))
            tests.append(invalid(&id, "the EIP-196 (big-endian) bytes of the generator read as arkworks: x = 2²⁴⁸, y = 2²⁴⁹ is off the curve",
                                 input: Hex.encode(g1.eip196Bytes), error: .bn254NotOnCurve, flags: ["Endianness"]))
        }

        b.group("g2-arkworks") { tests, id in
            for q in g2Points {
                tests.append(valid(&id, q.arkworksUncompressedBytes[127] & 0x80 != 0 ? "y larger (c1 first, then c0): flag bit 7"
                                   : "y smaller: no flag", input: Hex.encode(q.arkworksUncompressedBytes), output: Hex.encode(q.eip197Bytes)))
            }
            tests.append(valid(&id, "infinity", input: Hex.encode(BN254.G2Point.infinity.arkworksUncompressedBytes),
                               output: String(repeating: "00", count: 128), flags: ["Infinity"]))
            let outside = Hex.decodeOrEmpty(twistPointOutsideG2)
            let outsideArk = Array(outside[32..<64].reversed()) + Array(outside[0..<32].reversed())
                + Array(outside[96..<128].reversed()) + Array(outside[64..<96].reversed())
            tests.append(invalid(&id, "x = 2 + u outside G2 (no flag: this y is the smaller root)", input: Hex.encode(outsideArk),
                                 error: .bn254NotInSubgroup, flags: ["NotInSubgroup"]))
            var wrongSign = g2.arkworksUncompressedBytes
            wrongSign[127] ^= 0x80
            tests.append(invalid(&id, "sign flag disagrees with y", input: Hex.encode(wrongSign), error: .bn254InvalidFlags, flags: ["Flags"]))
            tests.append(invalid(&id, "129 bytes", input: String(repeating: "00", count: 129), error: .bn254InvalidLength, flags: ["Length"]))
        }

        b.group("pairing-check") { tests, id in
            let a = randomScalar(&rng), c = randomScalar(&rng)
            let pa = g1.multiplied(by: a)
            let qc = g2.multiplied(by: c)
            // e(aP, cQ) = e(P, Q)^(ac) = e(c·aP, Q).
            let caP = pa.multiplied(by: c)
            let pair = { (p: BN254.G1Point, q: BN254.G2Point) in Hex.encode(p.eip196Bytes + q.eip197Bytes) }
            tests.append(valid(&id, "empty input: the empty product is 1", input: ""))
            tests.append(valid(&id, "e(aP, cQ)·e(−caP, Q) = 1", input: pair(pa, qc) + pair(caP.negated, g2)))
            tests.append(valid(&id, "e(P, Q)·e(−P, Q) = 1", input: pair(g1, g2) + pair(g1.negated, g2)))
            tests.append(valid(&id, "a pair with infinity contributes 1", input: pair(.infinity, g2) + pair(g1, .infinity),
                               flags: ["Infinity"]))
            tests.append(invalid(&id, "e(aP, cQ)·e(caP, Q) ≠ 1", input: pair(pa, qc) + pair(caP, g2), error: .bn254PairingCheckFailed))
            tests.append(invalid(&id, "one pair e(P, Q) ≠ 1", input: pair(g1, g2), error: .bn254PairingCheckFailed))
            tests.append(invalid(&id, "G2 point outside the subgroup", input: Hex.encode(g1.eip196Bytes) + twistPointOutsideG2,
                                 error: .bn254NotInSubgroup, flags: ["NotInSubgroup"]))
            tests.append(invalid(&id, "193 bytes", input: pair(g1, g2) + "00", error: .bn254InvalidLength, flags: ["Length"]))
        }

        let count = b.groups.reduce(0) { $0 + $1.tests.count }
        return try VectorJSON.encode(VectorFile(
            schema: "confirmationkit-bn254-v1",
            algorithm: "BN254 (alt_bn128): point encodings and the pairing check",
            header: [
                "Point parsing in four encodings and the EIP-197 pairing check; see Docs/bn254-bls.md.",
                "g1-eip196 / g2-eip197: big-endian x‖y (G2: x_im‖x_re‖y_im‖y_re); output = the arkworks encoding.",
                "g1-arkworks / g2-arkworks: little-endian x‖y (G2: x.c0‖x.c1‖y.c0‖y.c1), flags in the last byte; output = the EIP encoding.",
                "pairing-check: k × 192 bytes of EIP-197 calldata; valid means the product of pairings is 1.",
                "Invalid cases name the error code; bn254.pairing-check-failed is a well-formed check that does not hold.",
            ],
            notes: [
                "Infinity": "the point at infinity in this encoding",
                "OffCurve": "coordinates in range but not on the curve",
                "OutOfRange": "a coordinate is not below p",
                "NotInSubgroup": "on the twist but not in the order-r subgroup G2",
                "Flags": "invalid arkworks flag bits",
                "Length": "wrong number of bytes",
                "Endianness": "bytes in the other encoding's order",
            ],
            testGroups: b.groups, numberOfTests: count))
    }

    /// Runs every case against the library.
    public func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<BN254VectorGroup>.self, from: data)
        var outcomes: [VectorOutcome] = []
        for group in file.testGroups {
            for test in group.tests {
                let outcome = run {
                    let bytes = try Hex.decode(test.input)
                    switch group.operation {
                    case "g1-eip196": return Hex.encode(try BN254.G1Point(eip196Bytes: bytes).arkworksUncompressedBytes)
                    case "g2-eip197": return Hex.encode(try BN254.G2Point(eip197Bytes: bytes).arkworksUncompressedBytes)
                    case "g1-arkworks": return Hex.encode(try BN254.G1Point(arkworksUncompressed: bytes).eip196Bytes)
                    case "g2-arkworks": return Hex.encode(try BN254.G2Point(arkworksUncompressed: bytes).eip197Bytes)
                    case "pairing-check":
                        guard try BN254.pairingCheck(eip197Input: bytes) else {
                            throw ConfirmationError(.bn254PairingCheckFailed, "the product of pairings is not 1")
                        }
                        return "1"
                    default: throw ConfirmationError(.invalidLength, "unknown operation \(group.operation)")
                    }
                }
                outcomes.append(check(test, outcome))
            }
        }
        return outcomes
    }
}

/// `espresso-bls.json`: tagged-base64, hash-to-G1 and aggregate BLS verification as Espresso uses them.
public struct EspressoBLSVectors: VectorSuite {
    /// The suite (stateless).
    public init() {}

    /// `espresso-bls.json`.
    public var fileName: String { "espresso-bls.json" }

    /// Builds the file from fixed seeds.
    public func generate() throws -> Data {
        var rng = DeterministicRandom(seed: 0xE5B1_5000)
        var b = CaseBuilder()

        b.group("tagged-base64") { tests, id in
            for (tag, length) in [("COMMIT", 32), ("BLS_SIG", 64), ("FIELD", 32), ("TX", 0), ("", 5)] {
                let value = rng.bytes(length)
                let text = TaggedBase64(knownTag: tag, value: value).description
                tests.append(valid(&id, "\(tag.isEmpty ? "empty tag" : tag), \(length)-byte value", input: text,
                                   output: Hex.encode(value), tag: tag))
            }
            let value = rng.bytes(32)
            let good = TaggedBase64(knownTag: "COMMIT", value: value).description
            // The same value with its checksum byte's low bit flipped.
            let goodBytes = (try? Base64.decodeURL(String(good.dropFirst(7)))) ?? []
            let badChecksum = Array(goodBytes.dropLast()) + [(goodBytes.last ?? 0) ^ 1]
            tests.append(invalid(&id, "checksum byte off by one bit", input: "COMMIT~" + Base64.encodeURL(badChecksum),
                                 error: .taggedBase64ChecksumMismatch))
            var flippedValue = goodBytes
            flippedValue[0] ^= 0x80
            tests.append(invalid(&id, "a value bit flipped", input: "COMMIT~" + Base64.encodeURL(flippedValue),
                                 error: .taggedBase64ChecksumMismatch))
            tests.append(invalid(&id, "tag changed (COMMIT → COMMIX): checksum covers the tag",
                                 input: "COMMIX" + good.dropFirst(6), error: .taggedBase64ChecksumMismatch))
            tests.append(invalid(&id, "no separator", input: "COMMIT", error: .taggedBase64MissingSeparator))
            tests.append(invalid(&id, "empty payload: no checksum byte", input: "COMMIT~", error: .taggedBase64MissingChecksum))
            tests.append(invalid(&id, "tag outside the base64url alphabet", input: "COM MIT~AA", error: .taggedBase64InvalidTag))
            tests.append(invalid(&id, "padding is not allowed", input: good + "=", error: .base64Invalid))
            tests.append(invalid(&id, "standard-alphabet character '+'", input: "COMMIT~+AAA", error: .base64Invalid))
        }

        b.group("hash-to-g1") { tests, id in
            let messages: [[UInt8]] = [[], Array("abc".utf8), rng.bytes(32), rng.bytes(32), rng.bytes(100)]
            for m in messages {
                let withSuite = m + EspressoBLS.ciphersuiteID
                tests.append(valid(&id, "H(m ‖ CS_ID) for a \(m.count)-byte m; input = m ‖ CS_ID, output = EIP-196 point",
                                   input: Hex.encode(withSuite), output: Hex.encode(EspressoBLS.hashToG1(withSuite).eip196Bytes),
                                   uniform: Hex.encode(EspressoBLS.expandMessageXMDKeccak(withSuite))))
            }
        }

        b.group("verify") { tests, id in
            let message = rng.bytes(32)
            let secrets = (0..<5).map { _ in randomScalar(&rng) }
            let keys = secrets.map { (try? EspressoBLS.VerificationKey(BN254.G2Point.generator.multiplied(by: $0))) }.compactMap { $0 }
            let h = EspressoBLS.hashToG1(message + EspressoBLS.ciphersuiteID)
            let sigs = secrets.map { h.multiplied(by: $0) }
            let keyText = keys.map(\.taggedBase64)
            let signers = [0, 1, 3, 4]
            let aggregate = EspressoBLS.Signature(signers.dropFirst().map { sigs[$0] }.reduce(sigs[signers[0]], +))
            let single = EspressoBLS.Signature(sigs[2])
            let signerKeys = signers.map { keyText[$0] }
            let msg = Hex.encode(message)
            tests.append(valid(&id, "one signer", input: msg, keys: [keyText[2]], signature: single.taggedBase64))
            tests.append(valid(&id, "4 of 5 signers: aggregate signature over the sum of their keys", input: msg,
                               keys: signerKeys, signature: aggregate.taggedBase64))
            tests.append(valid(&id, "the same signers listed in another order", input: msg,
                               keys: signerKeys.reversed(), signature: aggregate.taggedBase64))
            tests.append(invalid(&id, "a signer missing from the key list", input: msg, error: .blsVerificationFailed,
                                 keys: Array(signerKeys.dropLast()), signature: aggregate.taggedBase64))
            tests.append(invalid(&id, "a non-signer added to the key list", input: msg, error: .blsVerificationFailed,
                                 keys: signerKeys + [keyText[2]], signature: aggregate.taggedBase64))
            var other = message
            other[0] ^= 1
            tests.append(invalid(&id, "another message", input: Hex.encode(other), error: .blsVerificationFailed,
                                 keys: signerKeys, signature: aggregate.taggedBase64))
            tests.append(invalid(&id, "negated signature", input: msg, error: .blsVerificationFailed,
                                 keys: signerKeys, signature: EspressoBLS.Signature(aggregate.point.negated).taggedBase64))
            tests.append(invalid(&id, "signature at infinity", input: msg, error: .blsVerificationFailed,
                                 keys: signerKeys, signature: EspressoBLS.Signature(.infinity).taggedBase64))
            tests.append(invalid(&id, "empty key list", input: msg, error: .blsVerificationFailed,
                                 keys: [], signature: aggregate.taggedBase64))
            let outside = Hex.decodeOrEmpty(twistPointOutsideG2)
            let outsideArk = Array(outside[32..<64].reversed()) + Array(outside[0..<32].reversed())
                + Array(outside[96..<128].reversed()) + Array(outside[64..<96].reversed())
            tests.append(invalid(&id, "a key outside G2", input: msg, error: .bn254NotInSubgroup,
                                 keys: [TaggedBase64(knownTag: "BLS_VER_KEY", value: outsideArk).description],
                                 signature: single.taggedBase64))
            tests.append(invalid(&id, "the identity as a key", input: msg, error: .blsIdentityKey,
                                 keys: [TaggedBase64(knownTag: "BLS_VER_KEY", value: BN254.G2Point.infinity.arkworksUncompressedBytes).description],
                                 signature: single.taggedBase64))
            var offCurve = single.point.arkworksUncompressedBytes
            offCurve[0] ^= 1
            tests.append(invalid(&id, "a signature off the curve", input: msg, error: .bn254NotOnCurve, keys: [keyText[2]],
                                 signature: TaggedBase64(knownTag: "BLS_SIG", value: offCurve).description))
            tests.append(invalid(&id, "a key given where a signature is expected", input: msg, error: .taggedBase64UnexpectedTag,
                                 keys: [keyText[2]], signature: keyText[2]))
        }

        let count = b.groups.reduce(0) { $0 + $1.tests.count }
        return try VectorJSON.encode(VectorFile(
            schema: "confirmationkit-espresso-bls-v1",
            algorithm: "Espresso BLS over BN254 (jellyfish bls_over_bn254), tagged-base64",
            header: [
                "tagged-base64: input = text; output = the value (hex) without the checksum byte; tag = the tag.",
                "hash-to-g1: input = the hashed bytes (m ‖ CS_ID, CS_ID = BLS_SIG_BN254G1_XMD:KECCAK_NCTH_NUL_);",
                "  uniform = expand_message_xmd-Keccak output (48 bytes); output = the EIP-196 point.",
                "verify: input = message (hex); keys = BLS_VER_KEY~ texts to aggregate; signature = BLS_SIG~ text.",
                "  Valid iff e(σ, g2) = e(H(m ‖ CS_ID), Σ keys); bls.verification-failed is a well-formed check that does not hold.",
            ],
            notes: [:],
            testGroups: b.groups, numberOfTests: count))
    }

    /// Runs every case against the library.
    public func verify(_ data: Data) throws -> [VectorOutcome] {
        let file = try VectorJSON.decode(VectorFile<BN254VectorGroup>.self, from: data)
        var outcomes: [VectorOutcome] = []
        for group in file.testGroups {
            for test in group.tests {
                let outcome = run {
                    switch group.operation {
                    case "tagged-base64":
                        let parsed = try TaggedBase64(parsing: test.input)
                        if let tag = test.tag, tag != parsed.tag {
                            throw ConfirmationError(.taggedBase64UnexpectedTag, "tag \(parsed.tag), expected \(tag)")
                        }
                        return Hex.encode(parsed.value)
                    case "hash-to-g1":
                        let bytes = try Hex.decode(test.input)
                        if let uniform = test.uniform, Hex.encode(EspressoBLS.expandMessageXMDKeccak(bytes)) != uniform {
                            return "expand_message mismatch"
                        }
                        return Hex.encode(EspressoBLS.hashToG1(bytes).eip196Bytes)
                    case "verify":
                        let keys = try (test.keys ?? []).map(EspressoBLS.VerificationKey.init(taggedBase64:))
                        let signature = try EspressoBLS.Signature(taggedBase64: test.signature ?? "")
                        guard EspressoBLS.verify(signature, message: try Hex.decode(test.input), aggregateOf: keys) else {
                            throw ConfirmationError(.blsVerificationFailed, "the signature does not verify")
                        }
                        return "verified"
                    default:
                        throw ConfirmationError(.invalidLength, "unknown operation \(group.operation)")
                    }
                }
                outcomes.append(check(test, outcome))
            }
        }
        return outcomes
    }
}

extension Hex {
    /// Decodes hex known to be well formed (generator constants); empty on error.
    fileprivate static func decodeOrEmpty(_ text: String) -> [UInt8] { (try? decode(text)) ?? [] }
}
