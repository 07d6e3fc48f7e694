public import ConfirmationKit
public import Foundation

/// Evidence that a light client was attacked (`LightClientAttackEvidence`, `types/evidence.go`):
/// a block that conflicts with one the client's other source verified, the last height both sides
/// agree on, and the validators who signed the conflicting block.
public struct CometBFTLightClientAttackEvidence: Sendable, Hashable {
    /// The kind of attack, from what differs between the two headers.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The conflicting header commits to other state or validators (`ConflictingHeaderIsInvalid`):
        /// the signers from the common validator set are byzantine.
        case lunatic
        /// Both headers are well formed and signed in the same round: validators who signed both equivocated.
        case equivocation
        /// Signed in different rounds: no validator can be blamed from the commits alone.
        case amnesia
    }

    /// The block the accused source served.
    public let conflictingBlock: CometBFTLightBlock
    /// The last height both sources agree on (lunatic), or the conflicting height (equivocation, amnesia).
    public let commonHeight: Int64
    /// The validators to blame, in CometBFT order.
    public let byzantineValidators: [CometBFTValidator]
    /// The voting power of the validator set at `commonHeight`.
    public let totalVotingPower: Int64
    /// The block time at `commonHeight`.
    public let timestamp: CometBFTTime
    /// The attack kind.
    public let kind: Kind

    /// Builds evidence as `newLightClientAttackEvidence` does.
    /// - Parameters:
    ///   - conflicted: the accused source's block.
    ///   - trusted: the other source's block at the same height.
    ///   - common: the last block both sources agree on (with its validator set).
    public init(conflicted: CometBFTLightBlock, trusted: CometBFTLightBlock, common: CometBFTLightBlock) {
        let c = conflicted.header
        let t = trusted.header
        let lunatic = c.validatorsHash != t.validatorsHash || c.nextValidatorsHash != t.nextValidatorsHash
            || c.consensusHash != t.consensusHash || c.appHash != t.appHash || c.lastResultsHash != t.lastResultsHash
        let commonSet = common.validatorSet ?? common.nextValidatorSet
        conflictingBlock = conflicted
        var blamed: [CometBFTValidator] = []
        if lunatic {
            kind = .lunatic
            commonHeight = common.height
            timestamp = common.header.time
            totalVotingPower = commonSet?.totalVotingPower ?? 0
            for sig in conflicted.signedHeader.commit.signatures where sig.flag == .commit {
                if let found = commonSet?.validator(address: sig.validatorAddress) { blamed.append(found.validator) }
            }
        } else {
            commonHeight = trusted.height
            timestamp = t.time
            totalVotingPower = trusted.validatorSet?.totalVotingPower ?? 0
            let a = conflicted.signedHeader.commit
            let b = trusted.signedHeader.commit
            if a.round == b.round {
                kind = .equivocation
                for (i, sigA) in a.signatures.enumerated() where sigA.flag == .commit {
                    guard b.signatures.indices.contains(i), b.signatures[i].flag == .commit,
                          let found = conflicted.validatorSet?.validator(address: sigA.validatorAddress) else { continue }
                    blamed.append(found.validator)
                }
            } else {
                kind = .amnesia
            }
        }
        byzantineValidators = blamed.sorted { x, y in
            x.votingPower != y.votingPower ? x.votingPower > y.votingPower : x.address.lexicographicallyPrecedes(y.address)
        }
    }

    /// The amino JSON CometBFT's RPC uses for evidence:
    /// `{"type": "tendermint/LightClientAttackEvidence", "value": {conflicting_block, common_height,
    /// byzantine_validators, total_voting_power, timestamp}}` plus `"kind"`, sorted keys.
    public func jsonData() throws -> Data {
        let value: JSONValue = .object([
            "type": .string("tendermint/LightClientAttackEvidence"),
            "kind": .string(kind.rawValue),
            "value": .object([
                "conflicting_block": CometBFTJSON.value(conflictingBlock),
                "common_height": .string(String(commonHeight)),
                "byzantine_validators": .array(byzantineValidators.map(CometBFTJSON.value)),
                "total_voting_power": .string(String(totalVotingPower)),
                "timestamp": .string(timestamp.rfc3339),
            ]),
        ])
        return try CometBFTJSON.render(value)
    }
}

/// What fork detection found.
public enum CometBFTForkCheck: Sendable, Hashable {
    /// The witness serves the same block at the target height.
    case consistent
    /// The witness serves a different block that it can prove from the common trusted root: one of the
    /// two sources is attacking. Evidence against each side is given (CometBFT sends each to the other).
    case attack(againstPrimary: CometBFTLightClientAttackEvidence, againstWitness: CometBFTLightClientAttackEvidence)
    /// The witness serves a different block it cannot prove, or cannot answer: drop the witness.
    case faultyWitness(PolicyFailure)
}

extension CometBFTLightVerifier {
    /// Compares a verified primary trace with a witness, as `light/detector.go` does.
    ///
    /// The witness's block at the trace's last height is compared by hash. On a mismatch, each height
    /// of the primary trace is fetched from the witness and verified by skipping verification from the
    /// last block both agree on; the first height whose hashes differ is the fork point.
    ///
    /// ```swift
    /// let trace = await verifier.verifySkipping(from: root, to: h, provider: primary, now: now, cache: &cache).trace
    /// switch await verifier.detectFork(primaryTrace: trace, witness: witness, now: now, cache: &cache) {
    /// case .attack(let evidence, _): submit(try evidence.jsonData())
    /// default: break
    /// }
    /// ```
    /// - Parameters:
    ///   - primaryTrace: a verified trace, trusted root first (``CometBFTSkippingResult/trace``).
    ///   - witness: the provider to cross-check.
    ///   - now: the verification time.
    ///   - cache: the signature cache.
    public func detectFork(primaryTrace: [CometBFTLightBlock], witness: some LightBlockProvider, now: CometBFTTime,
                           cache: inout CometBFTSignatureCache) async -> CometBFTForkCheck {
        guard let root = primaryTrace.first, let target = primaryTrace.last, primaryTrace.count >= 2 else {
            return .consistent
        }
        let witnessTarget: CometBFTLightBlock
        do {
            witnessTarget = try await witness.lightBlock(at: target.height)
        } catch {
            return .faultyWitness(PolicyFailure(.cometProviderFailed, "witness \(witness.id) has no block at \(target.height)"))
        }
        if witnessTarget.header.hash() == target.header.hash() { return .consistent }

        // The first trace block is the common root; the witness must agree on it.
        var common = root
        for primaryBlock in primaryTrace.dropFirst() {
            let result = await verifySkipping(from: common, to: primaryBlock.height, provider: witness, now: now, cache: &cache)
            guard case .verified(let witnessTrace) = result, let witnessBlock = witnessTrace.last else {
                if case .failed(let failure, _) = result { return .faultyWitness(failure) }
                return .faultyWitness(PolicyFailure(.cometProviderFailed, "the witness's block does not verify"))
            }
            if witnessBlock.header.hash() != primaryBlock.header.hash() {
                // `common` is where the witness's verification started: the last block both serve.
                return .attack(
                    againstPrimary: CometBFTLightClientAttackEvidence(conflicted: primaryBlock, trusted: witnessBlock, common: common),
                    againstWitness: CometBFTLightClientAttackEvidence(conflicted: witnessBlock, trusted: primaryBlock, common: common))
            }
            common = witnessBlock
        }
        return .faultyWitness(PolicyFailure(.cometProviderFailed, "the witness disagrees at the target but not along the trace"))
    }
}
