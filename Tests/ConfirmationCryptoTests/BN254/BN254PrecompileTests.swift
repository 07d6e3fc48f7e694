import Foundation
import Testing
@testable import ConfirmationCrypto
import VectorSupport

/// The EIP-196/197 precompiles, emulated on top of the public BN254 API: inputs shorter than the
/// fixed size are right-padded with zeros and longer ones truncated (add, mul); pairing input must
/// be a multiple of 192 bytes. Any invalid point is an error (the precompile fails).
enum Precompile {
    static func padded(_ input: [UInt8], to size: Int) -> [UInt8] {
        input.count >= size ? Array(input.prefix(size)) : input + [UInt8](repeating: 0, count: size - input.count)
    }

    static func add(_ input: [UInt8]) throws -> [UInt8] {
        let data = padded(input, to: 128)
        let a = try BN254.G1Point(eip196Bytes: data[0..<64])
        let b = try BN254.G1Point(eip196Bytes: data[64..<128])
        return (a + b).eip196Bytes
    }

    static func mul(_ input: [UInt8]) throws -> [UInt8] {
        let data = padded(input, to: 96)
        let p = try BN254.G1Point(eip196Bytes: data[0..<64])
        let k = try BN254.Scalar(bigEndianBytes: data[64..<96])
        return p.multiplied(by: k).eip196Bytes
    }

    static func pairing(_ input: [UInt8]) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        out[31] = try BN254.pairingCheck(eip197Input: input) ? 1 : 0
        return out
    }
}

struct PrecompileCase: Decodable, CustomTestStringConvertible, Sendable {
    let Input: String
    let Expected: String
    let Name: String
    var testDescription: String { Name }
}

enum PrecompileVectors {
    static func load(_ file: String) -> [PrecompileCase] {
        guard SharedVectors.isAvailable, let data = try? SharedVectors.data("bn254/\(file)") else { return [] }
        return (try? JSONDecoder().decode([PrecompileCase].self, from: data)) ?? []
    }
}

@Suite("BN254 EIP-196/197 precompile vectors", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct BN254PrecompileTests {
    @Test("every bn256Add.json case is accounted for", arguments: PrecompileVectors.load("bn256Add.json"))
    func add(_ vector: PrecompileCase) throws {
        let output = try Precompile.add(Hex.decode(vector.Input))
        #expect(Hex.encode(output) == vector.Expected.lowercased())
    }

    @Test("every bn256ScalarMul.json case is accounted for", arguments: PrecompileVectors.load("bn256ScalarMul.json"))
    func mul(_ vector: PrecompileCase) throws {
        let output = try Precompile.mul(Hex.decode(vector.Input))
        #expect(Hex.encode(output) == vector.Expected.lowercased())
    }

    @Test("every bn256Pairing.json case is accounted for", arguments: PrecompileVectors.load("bn256Pairing.json"))
    func pairing(_ vector: PrecompileCase) throws {
        let output = try Precompile.pairing(Hex.decode(vector.Input))
        #expect(Hex.encode(output) == vector.Expected.lowercased())
    }

    @Test("the vector files hold the expected number of cases (16, 19, 14)")
    func counts() {
        #expect(PrecompileVectors.load("bn256Add.json").count == 16)
        #expect(PrecompileVectors.load("bn256ScalarMul.json").count == 19)
        #expect(PrecompileVectors.load("bn256Pairing.json").count == 14)
    }

    @Test("pairing vectors flip to 0 when one G1 point is negated")
    func pairingFlips() throws {
        for vector in PrecompileVectors.load("bn256Pairing.json") {
            let input = try Hex.decode(vector.Input)
            guard input.count >= 192, vector.Expected.hasSuffix("1") else { continue }
            let p = try BN254.G1Point(eip196Bytes: input[0..<64])
            let q = try BN254.G2Point(eip197Bytes: input[64..<192])
            guard !p.isInfinity, !q.isInfinity else { continue }
            var mutated = input
            mutated.replaceSubrange(0..<64, with: p.negated.eip196Bytes)
            let output = try Precompile.pairing(mutated)
            #expect(output.last == 0, "\(vector.Name) with P negated")
        }
    }
}
