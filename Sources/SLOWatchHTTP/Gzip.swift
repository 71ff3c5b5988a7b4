import CZlib

/// gzip (RFC 1952) over the system zlib: compression of a response body, and decompression of a
/// request body with a hard limit on the output, so a small "gzip bomb" stops at the limit instead of
/// filling memory.
public enum Gzip {
    /// Why ``inflate(_:limit:)`` refused its input.
    public enum InflateError: Error, Equatable, Sendable {
        /// The decompressed bytes would pass `limit` (bytes); inflation stopped there.
        case tooLarge(limit: Int)
        /// The input is not a complete, valid gzip stream (bad header, data or checksum, or truncated).
        case corrupt
        /// zlib could not allocate memory.
        case noMemory
    }

    /// The compression level of ``deflate(_:level:)`` by default: 1, the fastest, since responses are
    /// compressed on the event loop and text expositions still shrink several-fold at that level.
    public static let defaultLevel: Int32 = 1

    /// `bytes` as one gzip member, at `level` 1 (fastest) to 9 (smallest). Nil only when zlib could
    /// not allocate its state (the caller then sends the body uncompressed).
    public static func deflate(_ bytes: [UInt8], level: Int32 = defaultLevel) -> [UInt8]? {
        let capacity = czlib_gzip_bound(bytes.count)
        var written = 0
        var status = Int32(CZLIB_NO_MEMORY)
        let output = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            status = bytes.withUnsafeBufferPointer { input in
                czlib_gzip(input.baseAddress, input.count, level, buffer.baseAddress, capacity, &written)
            }
            initialized = status == Int32(CZLIB_OK) ? written : 0
        }
        return status == Int32(CZLIB_OK) ? output : nil
    }

    /// The bytes the gzip stream `bytes` (one or more members) holds, at most `limit` bytes.
    /// - Throws: ``InflateError/tooLarge(limit:)`` as soon as the output would pass `limit`;
    ///   ``InflateError/corrupt`` for anything but a complete valid stream; ``InflateError/noMemory``.
    public static func inflate(_ bytes: [UInt8], limit: Int) throws(InflateError) -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        var written = 0
        let status = bytes.withUnsafeBufferPointer { input in
            czlib_gunzip(input.baseAddress, input.count, max(0, limit), &output, &written)
        }
        defer { czlib_free(output) }
        switch status {
        case Int32(CZLIB_OK):
            guard let output else { return [] }
            return Array(UnsafeBufferPointer(start: output, count: written))
        case Int32(CZLIB_TOO_LARGE): throw .tooLarge(limit: limit)
        case Int32(CZLIB_CORRUPT): throw .corrupt
        default: throw .noMemory
        }
    }
}
