import ConfirmationCrypto
import Foundation
import Testing

@Suite("Hex and base64")
struct EncodingTests {
    @Test func hexRoundTripAndPrefixes() throws {
        #expect(try Hex.decode("0xdeadBEEF") == [0xde, 0xad, 0xbe, 0xef])
        #expect(try Hex.decode("0XDEADBEEF") == [0xde, 0xad, 0xbe, 0xef])
        #expect(try Hex.decode("") == [])
        #expect(try Hex.decode("0x") == [])
        #expect(Hex.encode([0x00, 0x0f, 0xf0, 0xff]) == "000ff0ff")
    }

    @Test(arguments: [
        ("abc", ConfirmationError.Code.hexOddLength),
        ("0xg0", .hexInvalidCharacter),
        (" 00", .hexOddLength),
        ("00 ", .hexOddLength),
        ("0x 0", .hexInvalidCharacter),
        ("x0", .hexInvalidCharacter),
        ("0x0x00", .hexInvalidCharacter),
        ("+1", .hexInvalidCharacter),
    ])
    func hexRejects(text: String, code: ConfirmationError.Code) {
        #expect(throws: ConfirmationError(code, "")) { try Hex.decode(text) }
    }

    @Test func hexLimits() {
        #expect(throws: ConfirmationError(.inputTooLong, "")) { try Hex.decode("0000", maximumBytes: 1) }
        #expect(throws: ConfirmationError(.invalidLength, "")) { try Hex.decode("00", count: 2) }
        #expect(throws: ConfirmationError(.invalidLength, "")) { try Bytes32(hex: "00") }
    }

    /// RFC 4648 §10 test vectors, both alphabets.
    @Test func base64RFC4648() throws {
        let cases = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
                     ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]
        for (plain, encoded) in cases {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(try Base64.decode(encoded) == Array(plain.utf8))
            let url = encoded.replacingOccurrences(of: "=", with: "")
            #expect(Base64.encodeURL(Array(plain.utf8)) == url)
            #expect(try Base64.decodeURL(url) == Array(plain.utf8))
        }
        #expect(Base64.encode([0xfb, 0xff]) == "+/8=")
        #expect(Base64.encodeURL([0xfb, 0xff]) == "-_8")
    }

    @Test(arguments: ["Zg", "Zg=", "Zh==", "Zm9=", "Z===", "====", "Zm 9v", "Zm9v\n", "-_8=", "Zm9vY=g="])
    func base64RejectsNonCanonical(text: String) {
        #expect(throws: ConfirmationError(.base64Invalid, "")) { try Base64.decode(text) }
    }

    @Test(arguments: ["Zg==", "+/8", "Zh", "Z", "Zm9vYmFyY"])
    func base64URLRejectsNonCanonical(text: String) {
        #expect(throws: ConfirmationError(.base64Invalid, "")) { try Base64.decodeURL(text) }
    }

    @Test func bytes32OrderAndCoding() throws {
        let small = try Bytes32(hex: "00" + String(repeating: "ff", count: 31))
        let large = try Bytes32(hex: "01" + String(repeating: "00", count: 31))
        #expect(small < large)
        #expect(!(large < small))
        #expect(small.description == "0x00" + String(repeating: "ff", count: 31))
        #expect(large[0] == 1 && large[31] == 0)
    }
}

@Suite("Ethereum addresses")
struct AddressTests {
    /// The examples in EIP-55.
    @Test(arguments: [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26",
    ])
    func eip55Examples(text: String) throws {
        let address = try EthereumAddress(text)
        #expect(address.checksummed == text)
        #expect(try EthereumAddress(text.lowercased()) == address)
    }

    @Test func rejectsBadChecksumAndShapes() {
        #expect(throws: ConfirmationError(.addressChecksumMismatch, "")) {
            try EthereumAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")
        }
        for bad in ["5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe",
                    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd", "0xzaAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"] {
            #expect(throws: ConfirmationError(.invalidAddress, "")) { try EthereumAddress(bad) }
        }
    }
}
