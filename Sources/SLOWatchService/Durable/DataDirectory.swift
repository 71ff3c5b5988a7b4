import SLOWatchPOSIX

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `--data-dir` folder: created 0700, locked against a second process, and written only by atomic
/// replacement (temp file, write, fsync, rename, fsync the folder) or by appends to the violation log.
///
/// Files are created 0600. Every method is safe from any thread as long as no two callers write the
/// same file name at once (``DurableState`` serialises them). Writes, fsyncs and renames go through
/// ``storage``, and block: call them from the durable lane (a ``BlockingPool``), never from an event loop.
final class DataDirectory: Sendable {
    /// The folder, as given.
    let path: String
    /// The file-system calls of replacements (a test may slow or fail them).
    let storage: any FileStorage
    /// The open lock file, held with `flock` for the process's life (the kernel drops it on any exit).
    private let lockDescriptor: Int32

    /// The file of the lock, inside the folder.
    static let lockName = "lock"

    /// Creates the folder (and missing parents) with mode 0700 when absent, checks that it is a folder
    /// this process can write, takes its lock, and checks that a file can be created, written, fsynced
    /// and removed there (``probe()``).
    /// - Parameters:
    ///   - path: the folder.
    ///   - storage: the file-system calls of replacements; the real ones by default.
    /// - Throws: ``DataDirectoryError`` naming the path when it cannot be created or written, when
    ///   another process holds it, or when the probe file cannot be created, written or fsynced.
    init(path: String, storage: any FileStorage = POSIXFileStorage()) throws(DataDirectoryError) {
        guard !path.isEmpty else { throw DataDirectoryError(message: "The data directory path is empty.") }
        self.path = path
        self.storage = storage
        try Self.createFolders(path)
        let lockPath = Self.join(path, Self.lockName)
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw DataDirectoryError(
                "Cannot write to the data directory \(path) (creating \(lockPath))", errno: errno)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            guard code == EWOULDBLOCK else {
                throw DataDirectoryError("Cannot lock the data directory \(path)", errno: code)
            }
            throw DataDirectoryError(
                message: "The data directory \(path) is in use by another slowatch process (\(lockPath) is "
                    + "locked); give each process its own --data-dir.")
        }
        lockDescriptor = descriptor
        try probe()
    }

    /// The probe file's name, inside the folder; it exists only during ``probe()``.
    static let probeName = "probe.tmp"

    /// Creates, writes, fsyncs and removes a probe file, so that a folder where no file can be created
    /// or synced (immutable, read-only, full) is refused at start, with its path and the system's
    /// reason, rather than after the first acknowledged write.
    ///
    /// It uses the real file system, not ``storage``: an injected fault is meant for the writes that
    /// follow, and a test of the probe makes the folder itself unwritable.
    /// - Throws: ``DataDirectoryError`` naming the probe file, the step and the errno text.
    private func probe() throws(DataDirectoryError) {
        let storage = POSIXFileStorage()
        let file = path(of: Self.probeName)
        let descriptor: Int32
        do {
            descriptor = try storage.createFile(atPath: file, mode: 0o600)
        } catch {
            throw DataDirectoryError(
                "Cannot create a file in the data directory \(path) (\(file))", errno: error.code)
        }
        defer { storage.remove(file) }
        do throws(StorageError) {
            try storage.writeAll(Array("slowatch probe\n".utf8), to: descriptor)
            try storage.synchronize(descriptor)
        } catch {
            storage.close(descriptor)
            throw DataDirectoryError(
                "Cannot write and fsync a file in the data directory \(path) (\(file))", errno: error.code)
        }
        storage.close(descriptor)
    }

    deinit { close(lockDescriptor) }

    /// Whether only the owner may enter the folder (no group or other permission bits), as a folder
    /// slowatch creates is; an existing one keeps the mode it had.
    var isOwnerOnly: Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & 0o077 == 0
    }

    /// The path of `name` inside the folder.
    func path(of name: String) -> String { Self.join(path, name) }

    /// The contents of `name`, or nil when it does not exist.
    /// - Throws: ``DataDirectoryError`` when it exists but cannot be read.
    func contents(of name: String) throws(DataDirectoryError) -> [UInt8]? {
        let file = path(of: name)
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw DataDirectoryError("Cannot open \(file)", errno: errno)
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw DataDirectoryError("Cannot read \(file)", errno: errno)
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Replaces `name` with `bytes` so that a crash at any moment leaves the old file or the new one,
    /// whole: writes `name.tmp` (mode 0600), fsyncs it, renames it over `name`, and fsyncs the folder.
    /// - Throws: ``DataDirectoryError`` naming the file; `name` is then untouched.
    func replace(_ name: String, with bytes: [UInt8]) throws(DataDirectoryError) {
        let temporary = path(of: name + ".tmp")
        let descriptor: Int32
        do {
            descriptor = try storage.createFile(atPath: temporary, mode: 0o600)
        } catch {
            throw DataDirectoryError("Cannot create \(temporary)", errno: error.code)
        }
        do throws(StorageError) {
            try storage.writeAll(bytes, to: descriptor)
        } catch {
            storage.close(descriptor)
            storage.remove(temporary)
            throw DataDirectoryError("Cannot write \(temporary)", errno: error.code)
        }
        do throws(StorageError) {
            try storage.synchronize(descriptor)
        } catch {
            storage.close(descriptor)
            storage.remove(temporary)
            throw DataDirectoryError("Cannot fsync \(temporary)", errno: error.code)
        }
        storage.close(descriptor)
        do throws(StorageError) {
            try storage.rename(temporary, to: path(of: name))
        } catch {
            storage.remove(temporary)
            throw DataDirectoryError("Cannot rename \(temporary) to \(path(of: name))", errno: error.code)
        }
        try syncFolder()
    }

    /// Renames `name` to `name.corrupt-<UTC time>` so that it is kept for inspection but no longer read.
    /// - Returns: the new path.
    /// - Throws: ``DataDirectoryError`` when the rename fails.
    func moveAside(_ name: String) throws(DataDirectoryError) -> String {
        var aside = path(of: "\(name).corrupt-\(Self.timestamp())")
        // Two in the same second must not overwrite the first one's evidence.
        var attempt = 1
        while access(aside, F_OK) == 0, attempt < 100 {
            attempt += 1
            aside = path(of: "\(name).corrupt-\(Self.timestamp())-\(attempt)")
        }
        guard rename(path(of: name), aside) == 0 else {
            throw DataDirectoryError("Cannot move \(path(of: name)) aside to \(aside)", errno: errno)
        }
        try syncFolder()
        return aside
    }

    /// Removes the temporary copies a crash during ``replace(_:with:)`` may have left (they can be as
    /// large as a snapshot); they were never renamed, so nothing in them was acknowledged.
    func removeTemporaryFiles(_ names: [String]) {
        for name in names { unlink(path(of: name + ".tmp")) }
    }

    /// Flushes the folder's entries (renames, new files) to disk.
    func syncFolder() throws(DataDirectoryError) {
        let descriptor: Int32
        do {
            descriptor = try storage.openDirectory(atPath: path)
        } catch {
            throw DataDirectoryError("Cannot open \(path)", errno: error.code)
        }
        defer { storage.close(descriptor) }
        do throws(StorageError) {
            try storage.synchronize(descriptor)
        } catch {
            throw DataDirectoryError("Cannot fsync \(path)", errno: error.code)
        }
    }

    /// Writes every byte of `bytes` to `descriptor` through ``storage`` (short writes and EINTR are
    /// retried there).
    /// - Throws: ``DataDirectoryError`` naming `path` and the reason.
    func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(DataDirectoryError) {
        do throws(StorageError) {
            try storage.writeAll(bytes, to: descriptor)
        } catch {
            throw DataDirectoryError("Cannot write \(path)", errno: error.code)
        }
    }

    /// `folder/name`.
    private static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// Creates `path` and its missing parents with mode 0700; an existing folder is kept as it is.
    private static func createFolders(_ path: String) throws(DataDirectoryError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw DataDirectoryError(
                    "Cannot create the data directory \(path) (at \(prefix))", errno: errno)
            }
            prefix += "/"
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw DataDirectoryError("Cannot create the data directory \(path)", errno: errno)
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw DataDirectoryError(message: "The data directory \(path) exists but is not a directory.")
        }
    }

    /// The UTC time as `20261203T061500Z`, for the names of files moved aside.
    private static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }
}
