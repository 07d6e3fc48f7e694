import ArgumentParser
import ConfirmationKit

/// `confirm ecrecover`: print the EIP-55 address that a 65-byte signature recovers to.
struct ECRecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecrecover",
        abstract: "Recover the checksummed Ethereum address from a digest and an r‖s‖v signature.",
        discussion: """
            Recovery is not verification: any well-formed signature recovers some address. \
            Compare the printed address with the signer you expect.
            """
    )

    @Option(name: .long, help: "The 32-byte digest that was signed, as hex.")
    var digest: String

    @Option(name: .long, help: "The 65-byte r‖s‖v signature as hex (v = 0, 1, 27 or 28).")
    var signature: String

    @Flag(name: .long, help: "Accept a signature whose s is above n/2 (rejected by default).")
    var allowHighS = false

    func run() throws {
        let digest = try Bytes32(hex: self.digest)
        let signature = try RecoverableSignature(rsv: Hex.decode(self.signature))
        guard allowHighS || signature.isLowS else {
            throw ValidationError("signature has a high s value; pass --allow-high-s to accept it")
        }
        print(try signature.recoverPublicKey(digest: digest).ethereumAddress.checksummed)
    }
}
