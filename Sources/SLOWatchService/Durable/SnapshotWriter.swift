import SLOWatchPOSIX

/// Streams a v2 snapshot (see ``SnapshotRecord``) to `snapshot.tmp` through a 1 MiB buffer, then
/// makes it the `snapshot` atomically: fsync, rename, fsync of the folder. The old snapshot stays
/// until the rename, so a crash at any moment leaves one whole snapshot.
///
/// Not thread-safe: one writer on the durable lane. Blocks on the disk.
struct SnapshotWriter {
    /// The bytes buffered before a `write()`.
    static let bufferBytes = 1 << 20

    private let directory: DataDirectory
    private let temporary: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []

    /// Creates `snapshot.tmp` and writes the file's magic.
    /// - Throws: ``DataDirectoryError`` naming the file.
    init(directory: DataDirectory) throws(DataDirectoryError) {
        self.directory = directory
        temporary = directory.path(of: DurableState.snapshotName + ".tmp")
        do throws(StorageError) {
            descriptor = try directory.storage.createFile(atPath: temporary, mode: 0o600)
        } catch {
            throw DataDirectoryError("Cannot create \(temporary)", errno: error.code)
        }
        buffer.reserveCapacity(Self.bufferBytes + (1 << 16))
        buffer.append(contentsOf: SnapshotRecord.magic)
    }

    /// Appends `record`, writing the buffer out when it is full.
    /// - Throws: ``DataDirectoryError`` naming the file; call ``abandon()`` then.
    mutating func append(_ record: SnapshotRecord) throws(DataDirectoryError) {
        SnapshotRecord.frame(record.encode(), into: &buffer)
        if buffer.count >= Self.bufferBytes { try flush() }
    }

    /// Writes what is buffered, syncs and closes the file, and renames it over `snapshot`.
    /// - Throws: ``DataDirectoryError`` naming the file; the temporary file is removed then.
    mutating func commit() throws(DataDirectoryError) {
        do throws(DataDirectoryError) {
            try flush()
            do throws(StorageError) {
                try directory.storage.synchronize(descriptor)
            } catch {
                throw DataDirectoryError("Cannot fsync \(temporary)", errno: error.code)
            }
            directory.storage.close(descriptor)
            descriptor = -1
            do throws(StorageError) {
                try directory.storage.rename(temporary, to: directory.path(of: DurableState.snapshotName))
            } catch {
                throw DataDirectoryError("Cannot rename \(temporary)", errno: error.code)
            }
            try directory.syncFolder()
        } catch {
            abandon()
            throw error
        }
    }

    /// Closes and removes the temporary file.
    mutating func abandon() {
        if descriptor >= 0 { directory.storage.close(descriptor) }
        descriptor = -1
        directory.storage.remove(temporary)
    }

    /// Writes the buffer out.
    private mutating func flush() throws(DataDirectoryError) {
        guard !buffer.isEmpty else { return }
        try directory.writeAll(buffer, to: descriptor, path: temporary)
        buffer.removeAll(keepingCapacity: true)
    }
}
