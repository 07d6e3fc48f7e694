import Foundation

/// The binary canonical form of a proof bundle (see `Docs/formats.md`):
///
/// ```
/// "CKPB" ‖ version (u8 = 1) ‖ section*      section = tag (u8) ‖ length (u32 BE) ‖ payload
/// 0x01 profile       UTF-8 profile name
/// 0x02 certificate   the certificate's JSON, keys sorted, no whitespace
/// 0x03 stake table   0x00 ‖ the table's JSON (sorted, compact)  |  0x01 ‖ epoch (u64 BE) ‖ commitment (32)
/// 0x04 proofs        count (u32 BE) ‖ (length (u32 BE) ‖ InclusionProof.canonicalBytes)*
/// 0x05 transactions  count (u32 BE) ‖ (namespace (8) ‖ 0x01 ‖ length (u32 BE) ‖ bytes  |  namespace ‖ 0x00 ‖ hash (32))*
/// 0x06 settlement    optional: the settlement evidence's JSON (sorted, compact)
/// ```
/// Sections appear once each, in ascending tag order; nothing follows the last one.
extension ProofBundle {
    private static var magic: [UInt8] { Array("CKPB".utf8) }

    /// The binary canonical form.
    public func canonicalBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = Self.magic + [UInt8(Self.version)]
        func section(_ tag: UInt8, _ payload: [UInt8]) {
            out.append(tag)
            out += be32(payload.count)
            out += payload
        }
        section(1, Array(Profile.name.utf8))
        section(2, Array(try encoder.encode(certificate)))
        switch stakeTable {
        case .embedded(let table): section(3, [0] + Array(try encoder.encode(table)))
        case .commitment(let epoch, let commitment): section(3, [1] + be64(epoch) + commitment.bytes)
        }
        var proofBytes = be32(proofs.count)
        for proof in proofs {
            let bytes = proof.canonicalBytes
            proofBytes += be32(bytes.count) + bytes
        }
        section(4, proofBytes)
        var transactionBytes = be32(transactions.count)
        for transaction in transactions {
            transactionBytes += transaction.namespace.bytes
            if let bytes = transaction.transaction {
                transactionBytes += [1] + be32(bytes.count) + bytes
            } else {
                transactionBytes += [0] + transaction.hash.bytes
            }
        }
        section(5, transactionBytes)
        if let settlement { section(6, Array(try encoder.encode(settlement))) }
        return out
    }

    /// Parses the binary canonical form.
    /// - Throws: ``ConfirmationError`` `bundle.invalid-binary` for any structural fault (magic, version,
    ///   section order, lengths, trailing bytes), `input.too-long`, or the errors of the parts.
    public init(canonicalBytes bytes: [UInt8], limits: BundleLimits = .standard) throws {
        guard bytes.count <= Self.maximumBytes else {
            throw ConfirmationError(.inputTooLong, "a bundle is at most \(Self.maximumBytes) bytes; got \(bytes.count)")
        }
        var reader = ByteReader(bytes)
        guard try reader.take(4) == Self.magic else { throw ConfirmationError(.bundleInvalidBinary, "missing CKPB magic") }
        guard try reader.byte() == UInt8(Self.version) else {
            throw ConfirmationError(.bundleUnsupportedVersion, "unsupported binary bundle version")
        }
        var sections: [UInt8: [UInt8]] = [:]
        var lastTag: UInt8 = 0
        while !reader.isAtEnd {
            let tag = try reader.byte()
            guard tag > lastTag, tag <= 6 else {
                throw ConfirmationError(.bundleInvalidBinary, "section \(tag) is out of order or unknown")
            }
            lastTag = tag
            sections[tag] = try reader.take(Int(try reader.u32()))
        }
        for tag: UInt8 in 1...5 where sections[tag] == nil {
            throw ConfirmationError(.bundleInvalidBinary, "section \(tag) is missing")
        }
        guard String(decoding: sections[1] ?? [], as: UTF8.self) == Profile.name else {
            throw ConfirmationError(.bundleProfileMismatch, "the binary bundle is not for profile \(Profile.name)")
        }
        certificate = try Self.decodeSection(QuorumCertificate<Profile>.self, sections[2] ?? [], "certificate")

        var table = ByteReader(sections[3] ?? [])
        switch try table.byte() {
        case 0: stakeTable = .embedded(try Self.decodeSection(StakeTable<Profile.Key>.self, try table.rest(), "stake table"))
        case 1:
            let epoch = try table.u64()
            stakeTable = .commitment(epoch: epoch, commitment: try Bytes32(try table.take(32)))
            guard table.isAtEnd else { throw ConfirmationError(.bundleInvalidBinary, "trailing bytes in the stake-table section") }
        default: throw ConfirmationError(.bundleInvalidBinary, "unknown stake-table form")
        }

        var proofReader = ByteReader(sections[4] ?? [])
        let proofCount = Int(try proofReader.u32())
        guard proofCount <= limits.maximumProofs else {
            throw ConfirmationError(.bundleTooManyProofs, "\(proofCount) proofs; the limit is \(limits.maximumProofs)")
        }
        var decodedProofs: [InclusionProof] = []
        for _ in 0..<proofCount {
            decodedProofs.append(try InclusionProof(canonicalBytes: try proofReader.take(Int(try proofReader.u32()))))
        }
        guard proofReader.isAtEnd else { throw ConfirmationError(.bundleInvalidBinary, "trailing bytes in the proofs section") }
        proofs = decodedProofs

        var transactionReader = ByteReader(sections[5] ?? [])
        let transactionCount = Int(try transactionReader.u32())
        guard transactionCount <= limits.maximumTransactions else {
            throw ConfirmationError(.bundleTooManyTransactions, "\(transactionCount) transactions; the limit is \(limits.maximumTransactions)")
        }
        var decodedTransactions: [BundledTransaction] = []
        for _ in 0..<transactionCount {
            let namespace = NamespaceID(try transactionReader.u64())
            switch try transactionReader.byte() {
            case 1:
                let length = Int(try transactionReader.u32())
                guard length <= MerkleLimits.maximumLeafBytes else {
                    throw ConfirmationError(.inputTooLong, "a transaction of \(length) bytes exceeds \(MerkleLimits.maximumLeafBytes)")
                }
                decodedTransactions.append(BundledTransaction(namespace: namespace, transaction: try transactionReader.take(length)))
            case 0:
                decodedTransactions.append(BundledTransaction(namespace: namespace, hash: try Bytes32(try transactionReader.take(32))))
            default:
                throw ConfirmationError(.bundleInvalidBinary, "unknown transaction form")
            }
        }
        guard transactionReader.isAtEnd else { throw ConfirmationError(.bundleInvalidBinary, "trailing bytes in the transactions section") }
        transactions = decodedTransactions
        settlement = try sections[6].map { try Self.decodeSection(SettlementEvidence.self, $0, "settlement") }
    }

    /// Decodes a JSON section; any decoding failure becomes a typed error naming the section.
    private static func decodeSection<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], _ name: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as ConfirmationError {
            throw error
        } catch {
            throw ConfirmationError(.bundleInvalidBinary, "the \(name) section is not valid: \(describe(error))")
        }
    }
}

/// A bounds-checked reader over bytes; every read past the end throws `bundle.invalid-binary`.
struct ByteReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func take(_ count: Int) throws -> [UInt8] {
        guard count >= 0, count <= bytes.count - offset else {
            throw ConfirmationError(.bundleInvalidBinary, "a length of \(count) runs past the end")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func rest() throws -> [UInt8] { try take(bytes.count - offset) }

    mutating func byte() throws -> UInt8 { try take(1)[0] }

    mutating func u32() throws -> UInt32 { try take(4).reduce(0) { $0 << 8 | UInt32($1) } }

    mutating func u64() throws -> UInt64 { try take(8).reduce(0) { $0 << 8 | UInt64($1) } }
}

private func be32(_ value: Int) -> [UInt8] {
    let v = UInt32(clamping: value)
    return [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)]
}

private func be64(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(value >> (56 - 8 * UInt64($0)) & 0xff) }
}

extension ConfirmationError.Code {
    /// The binary bundle form is structurally invalid.
    public static let bundleInvalidBinary = Self("bundle.invalid-binary")
}
