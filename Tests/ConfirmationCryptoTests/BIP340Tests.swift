import ConfirmationCrypto
import Foundation
import Testing
import VectorSupport

@Suite("BIP-340", .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage))
struct BIP340Tests {
    struct Row {
        let index: Int
        let publicKey: String
        let message: String
        let signature: String
        let expected: Bool
        let comment: String
    }

    static func rows() throws -> [Row] {
        let text = String(decoding: try SharedVectors.data("bip340/test-vectors.csv"), as: UTF8.self)
        var rows: [Row] = []
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 7, let index = Int(fields[0]) else {
                Issue.record("unreadable BIP-340 row: \(line)")
                continue
            }
            rows.append(Row(index: index, publicKey: fields[2], message: fields[4], signature: fields[5],
                            expected: fields[6] == "TRUE", comment: fields.count > 7 ? fields[7] : ""))
        }
        return rows
    }

    /// Every row: a key that does not parse counts as a failed verification, as BIP-340 specifies.
    @Test func allVectors() throws {
        let rows = try Self.rows()
        #expect(rows.count == 19)
        #expect(rows.map(\.index) == Array(0..<19))
        for row in rows {
            let valid: Bool
            if let key = try? SchnorrPublicKey(xOnly: Hex.decode(row.publicKey)) {
                valid = key.isValidSignature(try Hex.decode(row.signature), for: try Hex.decode(row.message))
            } else {
                valid = false
            }
            #expect(valid == row.expected, "BIP-340 index \(row.index) (\(row.comment)): got \(valid)")
        }
    }
}
