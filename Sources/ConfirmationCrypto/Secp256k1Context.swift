internal import CSecp256k1

/// The one libsecp256k1 context the library uses.
///
/// Why `@unchecked Sendable` is safe: the context is created once with
/// `SECP256K1_CONTEXT_NONE` and never mutated afterwards (the library never calls
/// `secp256k1_context_randomize`; signing, used only by the demo and the vector generator, takes
/// the context as `const` too). libsecp256k1 documents every
/// function that takes a `const secp256k1_context*` as safe to call concurrently on one context.
/// The static `secp256k1_context_static` is avoided because Swift 6 rejects its global.
final class Secp256k1Context: @unchecked Sendable {
    static let shared = Secp256k1Context()

    let pointer: OpaquePointer

    private init() {
        guard let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            preconditionFailure("secp256k1_context_create failed (out of memory)")
        }
        pointer = context
    }

    deinit { secp256k1_context_destroy(pointer) }
}
