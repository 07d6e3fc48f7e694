import ConfirmationKit
import ConfirmationKitEthereum
import Foundation
import Testing
import VectorSupport

@Suite("EIP-1186 account and storage proofs")
struct AccountProofTests {
    static let fixtures = ["proof.json", "proof_empty_key.json", "proof_uint_key.json"]

    @Test("ethers-rs eth_getProof fixtures verify against keccak(accountProof[0])",
          .enabled(if: SharedVectors.isAvailable, SharedVectors.skipMessage), arguments: fixtures)
    func fixture(name: String) throws {
        let proof = try AccountProof(json: SharedVectors.data("ethereum/" + name))
        let stateRoot = Keccak256.hash(try #require(proof.accountProof.first))
        let verified = try proof.verify(stateRoot: stateRoot)
        let account = try #require(verified.account)
        #expect(account == proof.account)
        #expect(account.nonce == 1)
        #expect(verified.storage.count == 1)
        // Slot 0 is empty in all three (an exclusion proof), whatever the key's spelling.
        #expect(verified.storage[0].key == .zero)
        #expect(verified.storage[0].value.isEmpty)

        // A claimed non-zero value, a changed account field, a wrong root: all rejected.
        var lying = proof
        lying.storageProofs[0].value = [1]
        #expect(throws: ConfirmationError(.eip1186StorageMismatch, "")) { try lying.verify(stateRoot: stateRoot) }
        lying = proof
        lying.account.nonce = 2
        #expect(throws: ConfirmationError(.eip1186AccountMismatch, "")) { try lying.verify(stateRoot: stateRoot) }
        lying = proof
        lying.account.storageRoot = MerklePatriciaProof.emptyRoot
        #expect(throws: ConfirmationError(.eip1186AccountMismatch, "")) { try lying.verify(stateRoot: stateRoot) }
        #expect(throws: ConfirmationError(.mptRootMismatch, "")) { try proof.verify(stateRoot: Keccak256.hash([])) }
        // Any single-bit change in any account-proof node is caught.
        for index in proof.accountProof.indices {
            var tampered = proof
            tampered.accountProof[index][tampered.accountProof[index].count / 2] ^= 0x01
            #expect(throws: ConfirmationError.self) { try tampered.verify(stateRoot: stateRoot) }
        }
        // A truncated account proof is incomplete.
        var short = proof
        short.accountProof.removeLast()
        #expect(throws: ConfirmationError(.mptProofIncomplete, "")) { try short.verify(stateRoot: stateRoot) }
    }

    /// Builds a state with accounts and storage, and returns the trie and the proof for `address`.
    static func makeState(storage: [UInt64: [UInt8]], address: EthereumAddress, others: Int = 20) throws
        -> (state: MerklePatriciaTrie, account: EthereumAccount, storageTrie: MerklePatriciaTrie) {
        var storageTrie = MerklePatriciaTrie()
        for (slot, value) in storage {
            storageTrie[Keccak256.hash(StoragePostingRule.slot(slot).bytes).bytes] = RLP.encodeString(RLP.trimmingLeadingZeros(value))
        }
        let account = EthereumAccount(nonce: 7, balance: [0x0d, 0xe0, 0xb6, 0xb3], storageRoot: storageTrie.root,
                                      codeHash: Keccak256.hash(Array("code".utf8)))
        var state = MerklePatriciaTrie()
        state[Keccak256.hash(address.bytes).bytes] = account.rlp
        var random = DeterministicRandom(seed: 0x5354)
        for _ in 0..<others {
            let other = try EthereumAddress(bytes: random.bytes(20))
            state[Keccak256.hash(other.bytes).bytes] = EthereumAccount(nonce: random.next() % 100, balance: random.bytes(4),
                                                                       storageRoot: MerklePatriciaProof.emptyRoot,
                                                                       codeHash: EthereumAccount.emptyCodeHash).rlp
        }
        return (state, account, storageTrie)
    }

    @Test("own state: inclusion and exclusion of storage, missing accounts in both encodings")
    func ownState() throws {
        let address = try EthereumAddress(bytes: [UInt8](repeating: 0xab, count: 20))
        let (state, account, storageTrie) = try Self.makeState(storage: [6: [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05], 7: [0x42]], address: address)
        func slotProof(_ slot: UInt64, value: [UInt8]) -> StorageSlotProof {
            let key = StoragePostingRule.slot(slot)
            return StorageSlotProof(key: key, value: value, proof: storageTrie.proof(for: Keccak256.hash(key.bytes).bytes))
        }
        let proof = AccountProof(address: address, account: account,
                                 accountProof: state.proof(for: Keccak256.hash(address.bytes).bytes),
                                 storageProofs: [slotProof(6, value: [0x01, 0, 0, 0, 0, 0, 0, 0, 0x05]), slotProof(7, value: [0x42]), slotProof(8, value: [])])
        let verified = try proof.verify(stateRoot: state.root)
        #expect(verified.storage.map(\.value) == [[0x01, 0, 0, 0, 0, 0, 0, 0, 0x05], [0x42], []])

        // Claiming a value for an empty slot, or zero for a set slot, fails.
        var lie = proof
        lie.storageProofs[2].value = [1]
        #expect(throws: ConfirmationError(.eip1186StorageMismatch, "")) { try lie.verify(stateRoot: state.root) }
        lie = proof
        lie.storageProofs[1].value = []
        #expect(throws: ConfirmationError(.eip1186StorageMismatch, "")) { try lie.verify(stateRoot: state.root) }
        // Swapping the proofs of two slots fails (the key path differs).
        lie = proof
        lie.storageProofs[0].proof = proof.storageProofs[1].proof
        #expect(throws: ConfirmationError.self) { try lie.verify(stateRoot: state.root) }

        // A missing account: clients return zero or canonical-empty hashes; both verify, anything else does not.
        let missing = try EthereumAddress(bytes: [UInt8](repeating: 0x11, count: 20))
        let exclusion = state.proof(for: Keccak256.hash(missing.bytes).bytes)
        for (storageRoot, codeHash) in [(Bytes32.zero, Bytes32.zero), (MerklePatriciaProof.emptyRoot, EthereumAccount.emptyCodeHash)] {
            let claim = AccountProof(address: missing, account: EthereumAccount(nonce: 0, balance: [], storageRoot: storageRoot, codeHash: codeHash),
                                     accountProof: exclusion, storageProofs: [StorageSlotProof(key: .zero, value: [], proof: [])])
            let result = try claim.verify(stateRoot: state.root)
            #expect(result.account == nil)
            #expect(result.storage.first?.value == [])
        }
        let nonEmptyClaim = AccountProof(address: missing, account: EthereumAccount(nonce: 1, balance: [], storageRoot: .zero, codeHash: .zero),
                                         accountProof: exclusion, storageProofs: [])
        #expect(throws: ConfirmationError(.eip1186AccountMismatch, "")) { try nonEmptyClaim.verify(stateRoot: state.root) }
    }

    @Test func accountEncoding() throws {
        let account = EthereumAccount(nonce: 1, balance: [0, 5], storageRoot: MerklePatriciaProof.emptyRoot, codeHash: EthereumAccount.emptyCodeHash)
        #expect(account.balance == [5])
        #expect(try EthereumAccount(rlp: account.rlp) == account)
        #expect(EthereumAccount.emptyCodeHash.hex == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
    }
}
