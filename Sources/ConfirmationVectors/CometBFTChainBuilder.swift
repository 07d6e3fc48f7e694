public import ConfirmationKit
public import ConfirmationKitCometBFT

/// A simulated CometBFT validator with a deterministic signing key, for vectors, tests and benchmarks.
public struct CometBFTSimValidator: Sendable {
    /// The signing key.
    public enum SigningKey: Sendable {
        /// Ed25519 (seeded like tendermint-testgen: the id's bytes, zero-padded to 32).
        case ed25519(Ed25519PrivateKey)
        /// secp256k1 (RFC 6979 deterministic signatures).
        case secp256k1(Secp256k1PrivateKey)
    }

    /// The id the key was derived from.
    public let id: String
    /// The signing key.
    public let key: SigningKey
    /// The voting power.
    public var power: Int64

    /// Makes a validator whose key is derived from `id`.
    /// - Parameters:
    ///   - id: at most 32 UTF-8 bytes; the seed is its bytes zero-padded to 32.
    ///   - power: the voting power.
    ///   - secp256k1: use a secp256k1 key (seed = SHA-256 of the padded id) instead of Ed25519.
    public init(id: String, power: Int64, secp256k1: Bool = false) throws {
        var seed = Array(id.utf8.prefix(32))
        seed += [UInt8](repeating: 0, count: 32 - seed.count)
        self.id = id
        self.power = power
        key = secp256k1 ? .secp256k1(try Secp256k1PrivateKey(bytes: SHA256.hash(seed).bytes))
                        : .ed25519(try Ed25519PrivateKey(seed: seed))
    }

    /// The public key.
    public var publicKey: CometBFTPublicKey {
        switch key {
        case .ed25519(let k): .ed25519(k.publicKey)
        case .secp256k1(let k): .secp256k1(k.publicKey)
        }
    }

    /// The CometBFT validator.
    public func validator() throws -> CometBFTValidator {
        try CometBFTValidator(publicKey: publicKey, votingPower: power)
    }

    /// Signs vote sign bytes as CometBFT does (Ed25519 over the bytes; secp256k1 over their SHA-256).
    public func sign(_ signBytes: [UInt8]) throws -> [UInt8] {
        switch key {
        case .ed25519(let k): try k.signature(for: signBytes)
        case .secp256k1(let k): k.sign(digest: SHA256.hash(signBytes)).compact
        }
    }
}

/// Builds signed CometBFT light blocks deterministically.
///
/// ```swift
/// let builder = CometBFTChainBuilder(chainID: "test-chain")
/// let vals = try (0..<4).map { try CometBFTSimValidator(id: "v\($0)", power: 10) }
/// let block = try builder.lightBlock(height: 1, time: t, validators: vals, next: vals)
/// ```
public struct CometBFTChainBuilder: Sendable {
    /// The chain id.
    public let chainID: String

    /// Makes a builder for `chainID`.
    public init(chainID: String) { self.chainID = chainID }

    /// Makes a validator set from simulated validators.
    public func set(_ validators: [CometBFTSimValidator]) throws -> CometBFTValidatorSet {
        try CometBFTValidatorSet(validators: validators.map { try $0.validator() })
    }

    /// Makes a header at `height` for the given sets.
    public func header(height: Int64, time: CometBFTTime, validators: CometBFTValidatorSet, next: CometBFTValidatorSet,
                       lastBlockID: CometBFTBlockID = .zero, dataHash: [UInt8] = RFC6962SHA256.emptyTreeRoot.bytes,
                       appHash: [UInt8] = []) -> CometBFTHeader {
        CometBFTHeader(
            versionBlock: CometBFTHeader.blockProtocol, versionApp: 1, chainID: chainID, height: height, time: time,
            lastBlockID: lastBlockID, lastCommitHash: SHA256.hash(Array("last-commit-\(height)".utf8)).bytes,
            dataHash: dataHash, validatorsHash: validators.hash().bytes, nextValidatorsHash: next.hash().bytes,
            consensusHash: SHA256.hash(Array("consensus".utf8)).bytes, appHash: appHash,
            lastResultsHash: RFC6962SHA256.emptyTreeRoot.bytes, evidenceHash: RFC6962SHA256.emptyTreeRoot.bytes,
            proposerAddress: validators.validators.first?.address ?? [UInt8](repeating: 0, count: 20))
    }

    /// Signs a commit for `header`: validators whose id is in `signers` (all when `nil`) vote COMMIT,
    /// those in `nilVoters` vote NIL, the rest are ABSENT. Vote times are the header time plus one second.
    public func commit(for header: CometBFTHeader, validators: [CometBFTSimValidator], round: Int32 = 0,
                       signers: Set<String>? = nil, nilVoters: Set<String> = []) throws -> CometBFTCommit {
        let set = try self.set(validators)
        guard let hash = header.hash() else { throw ConfirmationError(.cometInvalidHeader, "the header has no hash") }
        let blockID = CometBFTBlockID(hash: hash.bytes, partSetHeader: CometBFTPartSetHeader(
            total: 1, hash: SHA256.hash(Array("parts".utf8) + hash.bytes).bytes))
        var byAddress: [[UInt8]: CometBFTSimValidator] = [:]
        for v in validators { byAddress[try v.validator().address] = v }
        let voteTime = header.time.adding(try CometBFTDuration(nanoseconds: 1_000_000_000))
        var commit = CometBFTCommit(height: header.height, round: round, blockID: blockID, signatures: [])
        for member in set.validators {
            guard let sim = byAddress[member.address] else { continue }
            if nilVoters.contains(sim.id) {
                commit.signatures.append(CometBFTCommitSig(flag: .nil, validatorAddress: member.address, timestamp: voteTime, signature: []))
            } else if signers?.contains(sim.id) ?? true {
                commit.signatures.append(CometBFTCommitSig(flag: .commit, validatorAddress: member.address, timestamp: voteTime, signature: []))
            } else {
                commit.signatures.append(CometBFTCommitSig(flag: .absent, validatorAddress: [], timestamp: nil, signature: []))
            }
        }
        for i in commit.signatures.indices where commit.signatures[i].flag != .absent {
            guard let sim = byAddress[commit.signatures[i].validatorAddress],
                  let bytes = commit.voteSignBytes(chainID: chainID, index: i) else { continue }
            commit.signatures[i].signature = try sim.sign(bytes)
        }
        return commit
    }

    /// Re-signs slot `index` of `commit` with `validator` (after the caller changed the slot or the commit).
    public func resign(_ commit: inout CometBFTCommit, index: Int, with validator: CometBFTSimValidator) throws {
        guard let bytes = commit.voteSignBytes(chainID: chainID, index: index) else { return }
        commit.signatures[index].signature = try validator.sign(bytes)
    }

    /// A complete light block.
    public func lightBlock(height: Int64, time: CometBFTTime, validators: [CometBFTSimValidator],
                           next: [CometBFTSimValidator], signers: Set<String>? = nil, nilVoters: Set<String> = [],
                           lastBlockID: CometBFTBlockID = .zero, dataHash: [UInt8] = RFC6962SHA256.emptyTreeRoot.bytes,
                           appHash: [UInt8] = []) throws -> CometBFTLightBlock {
        let vals = try set(validators)
        let nextSet = try set(next)
        let header = self.header(height: height, time: time, validators: vals, next: nextSet, lastBlockID: lastBlockID,
                                 dataHash: dataHash, appHash: appHash)
        let commit = try self.commit(for: header, validators: validators, signers: signers, nilVoters: nilVoters)
        return CometBFTLightBlock(signedHeader: CometBFTSignedHeader(header: header, commit: commit),
                                  validatorSet: vals, nextValidatorSet: nextSet)
    }
}
