internal import CBrotli
public import ConfirmationCrypto

/// Brotli decompression (RFC 7932) through the system's libbrotlidec, bounded in output size.
///
/// Astria posts its Celestia blobs brotli-compressed; this is the only use.
///
/// ```swift
/// let plain = try Brotli.decompress(blob, maximumBytes: 8 << 20)
/// ```
public enum Brotli {
    /// Decompresses `input`, refusing to produce more than `maximumBytes`.
    /// - Throws: ``ConfirmationError`` `brotli.invalid` for corrupt or truncated input,
    ///   `input.too-long` when the output would exceed `maximumBytes`.
    public static func decompress(_ input: [UInt8], maximumBytes: Int) throws -> [UInt8] {
        guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else {
            throw ConfirmationError(.brotliInvalid, "libbrotlidec could not allocate a decoder")
        }
        defer { BrotliDecoderDestroyInstance(state) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        return try input.withUnsafeBufferPointer { source -> [UInt8] in
            var availableIn = source.count
            var nextIn = source.baseAddress
            while true {
                let (result, produced) = chunk.withUnsafeMutableBufferPointer { buffer -> (BrotliDecoderResult, Int) in
                    var availableOut = buffer.count
                    var nextOut = buffer.baseAddress
                    let r = BrotliDecoderDecompressStream(state, &availableIn, &nextIn, &availableOut, &nextOut, nil)
                    return (r, buffer.count - availableOut)
                }
                guard output.count + produced <= maximumBytes else {
                    throw ConfirmationError(.inputTooLong, "brotli output exceeds \(maximumBytes) bytes")
                }
                output += chunk.prefix(produced)
                switch result {
                case BROTLI_DECODER_RESULT_SUCCESS:
                    guard availableIn == 0 else {
                        throw ConfirmationError(.brotliInvalid, "\(availableIn) bytes follow the brotli stream")
                    }
                    return output
                case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
                    continue
                case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
                    throw ConfirmationError(.brotliInvalid, "the brotli stream is truncated")
                default:
                    throw ConfirmationError(.brotliInvalid, "the brotli stream is corrupt")
                }
            }
        }
    }
}

extension ConfirmationError.Code {
    /// Corrupt, truncated or trailing brotli data.
    public static let brotliInvalid = Self("brotli.invalid")
}
