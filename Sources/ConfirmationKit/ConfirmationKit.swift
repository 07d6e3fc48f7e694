// ConfirmationKit re-exports the crypto value types (digests, keys, signatures, addresses)
// so that applications import one module.
@_exported public import ConfirmationCrypto
