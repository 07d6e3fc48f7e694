import ArgumentParser
import ConfirmationKit
import ConfirmationKitEthereum
import Foundation

/// `confirm ethereum`: check Ethereum L1 evidence (block hashes, EIP-1186 proofs) offline.
struct EthereumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ethereum",
        abstract: "Check Ethereum L1 settlement evidence: block hashes and eth_getProof results.",
        subcommands: [BlockHash.self, VerifyProof.self]
    )

    /// Reads a JSON file holding an object, unwrapping a JSON-RPC envelope (`{"result": {...}}`) if present.
    static func readResultObject(_ path: String) throws -> Data {
        let data = try readInputFile(path)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ConfirmationError(.ethereumInvalidJSON, "\(path) does not hold a JSON object")
        }
        if let result = object["result"] as? [String: Any], object["jsonrpc"] != nil {
            return try JSONSerialization.data(withJSONObject: result)
        }
        return data
    }

    /// `confirm ethereum block-hash BLOCK.json`.
    struct BlockHash: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "block-hash",
            abstract: "Recompute a block's hash from its header fields and compare it with the claimed hash.",
            discussion: """
                BLOCK.json is an eth_getBlockByNumber / eth_getBlockByHash result object (or the whole \
                JSON-RPC response). Prints the computed hash; exits 0 if it equals the object's "hash", \
                1 if not, 2 if the object is malformed.
                """
        )

        @Argument(help: "The block object (JSON).")
        var block: String

        func run() throws {
            let data = try EthereumCommand.readResultObject(block)
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let claimedText = object["hash"] as? String else {
                throw ConfirmationError(.ethereumInvalidJSON, "the block object has no hash")
            }
            let claimed = try EthereumJSON.bytes32(claimedText, field: "hash")
            let header = try EthereumBlockHeader(json: data)
            let computed = try header.hash()
            print(computed)
            guard computed == claimed else {
                FileHandle.standardError.write(Data("not verified: block \(header.number) (\(try header.shape().name) shape) hashes to \(computed), the object claims \(claimed)\n".utf8))
                throw ExitCode.notVerified
            }
        }
    }

    /// `confirm ethereum verify-proof --proof PROOF.json --state-root HEX [--json]`.
    struct VerifyProof: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-proof",
            abstract: "Verify an eth_getProof result (account and every storage slot) against a state root.",
            discussion: """
                Exits 0 if the account proof and every storage proof lead from the state root to the \
                claimed values, 1 if they do not, 2 if the input is malformed. An absent account and \
                empty slots are proven by exclusion proofs.
                """
        )

        @Option(name: .long, help: "The eth_getProof result object (JSON).")
        var proof: String

        @Option(name: .long, help: "The trusted 32-byte state root, as hex.")
        var stateRoot: String

        @Flag(name: .long, help: "Print machine-readable JSON (sorted keys).")
        var json = false

        func run() throws {
            let root = try Bytes32(hex: stateRoot)
            let accountProof = try AccountProof(json: EthereumCommand.readResultObject(proof))
            let verified: VerifiedAccountProof
            do {
                verified = try accountProof.verify(stateRoot: root)
            } catch let error as ConfirmationError {
                if json {
                    try printJSONObject(["verified": false, "address": accountProof.address.checksummed,
                                                   "stateRoot": root.description, "error": error.code.rawValue, "reason": error.reason])
                } else {
                    print("not verified: \(error)")
                }
                throw ExitCode.notVerified
            }
            let slots = verified.storage.map { slot -> [String: Any] in
                ["key": slot.key.description, "value": EthereumJSON.quantityString(slot.value)]
            }
            if json {
                var account: Any = NSNull()
                if let proven = verified.account {
                    account = ["nonce": EthereumJSON.quantityString(proven.nonce), "balance": EthereumJSON.quantityString(proven.balance),
                               "storageHash": proven.storageRoot.description, "codeHash": proven.codeHash.description]
                }
                try printJSONObject(["verified": true, "address": verified.address.checksummed,
                                               "stateRoot": root.description, "account": account, "storage": slots])
            } else {
                if let proven = verified.account {
                    print("verified: account \(verified.address.checksummed) nonce \(proven.nonce) balance \(EthereumJSON.quantityString(proven.balance))")
                } else {
                    print("verified: account \(verified.address.checksummed) does not exist (exclusion proof)")
                }
                for slot in verified.storage {
                    print("  slot \(slot.key) = \(EthereumJSON.quantityString(slot.value))")
                }
            }
        }
    }
}
