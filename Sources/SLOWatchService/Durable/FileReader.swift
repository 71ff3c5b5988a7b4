#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a file front to back through a 1 MiB buffer, so the journal and snapshots are replayed
/// record by record and never held in memory whole.
///
/// Not thread-safe: one reader, one thread. Reads block: only at start, or on a pool thread.
final class FileReader {
    /// The bytes read ahead of the caller; `buffer[position..<filled]` is not consumed yet.
    private var buffer: [UInt8]
    private var position = 0
    private var filled = 0
    private let descriptor: Int32
    /// Bytes consumed since the start of the file.
    private(set) var offset: UInt64 = 0
    /// The path, for error messages.
    let path: String

    /// Opens `path`, or returns nil when it does not exist.
    /// - Throws: ``DataDirectoryError`` when it exists but cannot be opened.
    init?(path: String, bufferBytes: Int = 1 << 20) throws(DataDirectoryError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw DataDirectoryError("Cannot open \(path)", errno: errno)
        }
        self.descriptor = descriptor
        self.path = path
        buffer = [UInt8](repeating: 0, count: bufferBytes)
    }

    deinit { close(descriptor) }

    /// The next `count` bytes, or fewer when the file ends first (empty at the end).
    /// - Throws: ``DataDirectoryError`` when a read fails.
    func read(_ count: Int) throws(DataDirectoryError) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(min(count, 1 << 26))
        while result.count < count {
            if position == filled {
                guard try refill() else { break }
            }
            let take = min(count - result.count, filled - position)
            result.append(contentsOf: buffer[position..<(position + take)])
            position += take
            offset += UInt64(take)
        }
        return result
    }

    /// Reads more of the file into the buffer.
    /// - Returns: false at the end of the file.
    private func refill() throws(DataDirectoryError) -> Bool {
        position = 0
        filled = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                filled = count
                return true
            }
            if count == 0 { return false }
            if errno == EINTR { continue }
            throw DataDirectoryError("Cannot read \(path)", errno: errno)
        }
    }
}
