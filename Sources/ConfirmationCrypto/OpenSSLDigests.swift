internal import COpenSSL

/// SHA-256 (FIPS 180-4), computed by OpenSSL's libcrypto.
///
/// ```swift
/// let digest = SHA256.hash(Array("abc".utf8))
/// // ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
/// ```
public enum SHA256 {
    /// Hashes a contiguous byte buffer.
    @inlinable public static func hash(_ bytes: [UInt8]) -> Bytes32 {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// Hashes raw memory.
    ///
    /// Uses `SHA256_Init/Update/Final`: in OpenSSL 3.0 the one-shot `SHA256()` goes through
    /// `EVP_Q_digest`, which fetches the algorithm on every call and costs three times as much
    /// for a 65-byte Merkle node.
    public static func hash(_ buffer: UnsafeRawBufferPointer) -> Bytes32 {
        var context = SHA256_CTX()
        SHA256_Init(&context)
        SHA256_Update(&context, buffer.baseAddress, buffer.count)
        return Bytes32 { out in
            _ = SHA256_Final(out.baseAddress!.assumingMemoryBound(to: UInt8.self), &context)
        }
    }

    /// Hashes the concatenation of a one-byte prefix and two 32-byte values
    /// (an RFC 6962 interior node when `prefix` is `0x01`) without building an intermediate array.
    public static func hash(prefix: UInt8, _ left: Bytes32, _ right: Bytes32) -> Bytes32 {
        // One 65-byte buffer on the stack and one update: three separate updates cost 50% more.
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { raw in
            raw[0] = prefix
            raw.storeBytes(of: left.storage, toByteOffset: 1, as: (UInt64, UInt64, UInt64, UInt64).self)
            raw.storeBytes(of: right.storage, toByteOffset: 33, as: (UInt64, UInt64, UInt64, UInt64).self)
            return hash(UnsafeRawBufferPointer(raw))
        }
    }

    /// Hashes a one-byte prefix followed by `bytes` (an RFC 6962 leaf when `prefix` is `0x00`).
    public static func hash(prefix: UInt8, _ bytes: UnsafeRawBufferPointer) -> Bytes32 {
        var context = SHA256_CTX()
        SHA256_Init(&context)
        var p = prefix
        SHA256_Update(&context, &p, 1)
        SHA256_Update(&context, bytes.baseAddress, bytes.count)
        return Bytes32 { out in
            _ = SHA256_Final(out.baseAddress!.assumingMemoryBound(to: UInt8.self), &context)
        }
    }
}

/// SHA3-256 (FIPS 202), computed by OpenSSL's libcrypto. Not the same as ``Keccak256``:
/// the padding byte differs (`0x06` here, `0x01` in Ethereum's Keccak-256).
public enum SHA3_256 {
    /// Hashes a contiguous byte buffer.
    @inlinable public static func hash(_ bytes: [UInt8]) -> Bytes32 {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// Hashes raw memory.
    public static func hash(_ buffer: UnsafeRawBufferPointer) -> Bytes32 {
        Bytes32 { out in
            var length: UInt32 = 0
            let ok = EVP_Digest(
                buffer.baseAddress, buffer.count,
                out.baseAddress!.assumingMemoryBound(to: UInt8.self), &length,
                OpenSSLAlgorithms.shared.sha3_256, nil)
            // EVP_Digest with a fetched algorithm fails only on allocation failure.
            precondition(ok == 1 && length == 32, "OpenSSL SHA3-256 failed")
        }
    }
}

/// RIPEMD-160, computed by OpenSSL's libcrypto (Bitcoin-style and CometBFT secp256k1 addresses).
public enum RIPEMD160 {
    /// Hashes a byte buffer to 20 bytes.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        // Init/Update/Final rather than the one-shot, which goes through EVP_Q_digest in OpenSSL 3.0.
        var out = [UInt8](repeating: 0, count: 20)
        var context = RIPEMD160_CTX()
        RIPEMD160_Init(&context)
        bytes.withUnsafeBytes { _ = RIPEMD160_Update(&context, $0.baseAddress, $0.count) }
        out.withUnsafeMutableBufferPointer { _ = RIPEMD160_Final($0.baseAddress, &context) }
        return out
    }
}

/// Algorithms fetched from OpenSSL's default provider once per process.
///
/// `EVP_MD_fetch` is costly and thread-safe; a fetched `EVP_MD` is immutable and may be used
/// from any thread, so one shared instance serves every caller. It lives for the whole process.
final class OpenSSLAlgorithms: @unchecked Sendable {
    static let shared = OpenSSLAlgorithms()

    let sha3_256: OpaquePointer

    private init() {
        guard let md = EVP_MD_fetch(nil, "SHA3-256", nil) else {
            preconditionFailure("OpenSSL has no SHA3-256 in its default provider")
        }
        sha3_256 = md
    }

    deinit { EVP_MD_free(sha3_256) }
}
