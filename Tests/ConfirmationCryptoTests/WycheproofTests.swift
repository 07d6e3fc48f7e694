import ConfirmationCrypto
import Foundation
import Testing
import VectorSupport

/// One generic shape for the Wycheproof v1 files used here.
struct WycheproofFile<Group: Decodable>: Decodable {
    let algorithm: String
    let numberOfTests: Int
    let testGroups: [Group]
}

struct WycheproofCase: Decodable {
    let tcId: Int
    let comment: String
    let flags: [String]
    let msg: String
    let sig: String
    let result: String
}

struct ECDSAGroup: Decodable {
    struct Key: Decodable { let uncompressed: String }
    let publicKey: Key
    let sha: String
    let tests: [WycheproofCase]
}

struct EdDSAGroup: Decodable {
    struct Key: Decodable { let pk: String }
    let publicKey: Key
    let tests: [WycheproofCase]
}

/// What the library answers for one Wycheproof ECDSA case.
private func ecdsaAnswer(key: Secp256k1PublicKey, test: WycheproofCase, allowHighS: Bool) throws -> (valid: Bool, highS: Bool) {
    let digest = SHA256.hash(try Hex.decode(test.msg))
    guard let signature = try? ECDSASignature(derEncoded: Hex.decode(test.sig)) else {
        return (false, false)
    }
    return (key.isValidSignature(signature, for: digest, allowHighS: allowHighS), !signature.isLowS)
}

@Suite("Wycheproof", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct WycheproofTests {
    /// Bitcoin variant: strict DER and low-S. The library's default policy must agree on every case.
    @Test func ecdsaSecp256k1BitcoinAllCases() throws {
        let file = try JSONDecoder().decode(
            WycheproofFile<ECDSAGroup>.self, from: SharedVectors.data("wycheproof/ecdsa_secp256k1_sha256_bitcoin_test.json"))
        var seen = 0
        for group in file.testGroups {
            #expect(group.sha == "SHA-256")
            let key = try Secp256k1PublicKey(serialized: Hex.decode(group.publicKey.uncompressed))
            for test in group.tests {
                seen += 1
                let (valid, _) = try ecdsaAnswer(key: key, test: test, allowHighS: false)
                #expect(test.result == "valid" || test.result == "invalid", "tcId \(test.tcId): unexpected result \(test.result)")
                #expect(valid == (test.result == "valid"), "tcId \(test.tcId) (\(test.comment), \(test.flags)): got \(valid)")
            }
        }
        #expect(seen == file.numberOfTests)
        #expect(seen == 463)
    }

    /// Plain ECDSA: high-S signatures are valid ECDSA. With `allowHighS` every case must match;
    /// with the default strict policy exactly the valid high-S cases flip to invalid.
    @Test func ecdsaSecp256k1AllCasesUnderBothPolicies() throws {
        let file = try JSONDecoder().decode(
            WycheproofFile<ECDSAGroup>.self, from: SharedVectors.data("wycheproof/ecdsa_secp256k1_sha256_test.json"))
        var seen = 0
        var flippedByPolicy = 0
        for group in file.testGroups {
            let key = try Secp256k1PublicKey(serialized: Hex.decode(group.publicKey.uncompressed))
            for test in group.tests {
                seen += 1
                let expected = test.result == "valid"
                #expect(test.result == "valid" || test.result == "invalid", "tcId \(test.tcId): unexpected result \(test.result)")
                let lax = try ecdsaAnswer(key: key, test: test, allowHighS: true)
                #expect(lax.valid == expected, "tcId \(test.tcId) (\(test.comment)) allowHighS: got \(lax.valid)")
                let strict = try ecdsaAnswer(key: key, test: test, allowHighS: false)
                #expect(strict.valid == (expected && !strict.highS), "tcId \(test.tcId) (\(test.comment)) strict: got \(strict.valid)")
                if expected && strict.highS { flippedByPolicy += 1 }
            }
        }
        #expect(seen == file.numberOfTests)
        #expect(seen == 476)
        // Roughly half of the pseudorandom valid signatures have high s; the policy must see some.
        #expect(flippedByPolicy > 0)
    }

    /// Ed25519 through OpenSSL: every case as Wycheproof says (RFC 8032 rules, strict S < L).
    @Test func ed25519AllCases() throws {
        let file = try JSONDecoder().decode(
            WycheproofFile<EdDSAGroup>.self, from: SharedVectors.data("wycheproof/ed25519_test.json"))
        var seen = 0
        for group in file.testGroups {
            let key = try Ed25519PublicKey(rawRepresentation: Hex.decode(group.publicKey.pk))
            for test in group.tests {
                seen += 1
                let valid = key.isValidSignature(try Hex.decode(test.sig), for: try Hex.decode(test.msg))
                #expect(test.result == "valid" || test.result == "invalid", "tcId \(test.tcId): unexpected result \(test.result)")
                #expect(valid == (test.result == "valid"), "tcId \(test.tcId) (\(test.comment), \(test.flags)): got \(valid)")
            }
        }
        #expect(seen == file.numberOfTests)
        #expect(seen == 151)
    }
}
