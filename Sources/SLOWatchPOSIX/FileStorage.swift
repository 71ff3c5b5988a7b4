#if canImport(Glibc)
    import Glibc
#endif

/// The file-system calls of durable state: create, write, fsync, rename, remove and a folder's fsync.
///
/// Durable writes go through this protocol so that a test can replace a call (a slow or failing
/// `fsync`) without touching the disk's real behaviour. ``POSIXFileStorage`` is the real one. Every
/// call blocks: run them on a ``BlockingPool``, never on an event-loop thread.
package protocol FileStorage: Sendable {
    /// Creates `path`, or truncates it, for writing, close-on-exec, with `mode` for a new file.
    /// - Returns: the descriptor.
    func createFile(atPath path: String, mode: mode_t) throws(StorageError) -> Int32
    /// Opens the folder `path` for reading (to fsync it).
    /// - Returns: the descriptor.
    func openDirectory(atPath path: String) throws(StorageError) -> Int32
    /// Writes every byte of `bytes` to `descriptor`, retrying short writes and `EINTR`.
    func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(StorageError)
    /// Flushes `descriptor`'s data and metadata to the disk (`fsync`).
    func synchronize(_ descriptor: Int32) throws(StorageError)
    /// Closes `descriptor`.
    func close(_ descriptor: Int32)
    /// Renames `source` to `destination`, atomically replacing it.
    func rename(_ source: String, to destination: String) throws(StorageError)
    /// Removes `path`; a missing file is not an error.
    func remove(_ path: String)
}

/// A failed storage call: the system's `errno`, for the caller's sentence.
package struct StorageError: Error, Sendable, Equatable {
    /// The `errno` the call left.
    package var code: Int32

    /// Wraps `code`.
    package init(code: Int32) { self.code = code }

    /// The system's description of ``code``, e.g. `No space left on device`.
    package var reason: String { String(cString: strerror(code)) }
}

/// ``FileStorage`` on the POSIX calls of this process.
package struct POSIXFileStorage: FileStorage {
    /// The real file system.
    package init() {}

    package func createFile(atPath path: String, mode: mode_t) throws(StorageError) -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw StorageError(code: errno) }
        return descriptor
    }

    package func openDirectory(atPath path: String) throws(StorageError) -> Int32 {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StorageError(code: errno) }
        return descriptor
    }

    package func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(StorageError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw StorageError(code: errno)
            }
            written += count
        }
    }

    package func synchronize(_ descriptor: Int32) throws(StorageError) {
        guard fsync(descriptor) == 0 else { throw StorageError(code: errno) }
    }

    package func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }

    package func rename(_ source: String, to destination: String) throws(StorageError) {
        guard Glibc.rename(source, destination) == 0 else { throw StorageError(code: errno) }
    }

    package func remove(_ path: String) {
        _ = unlink(path)
    }
}
