import Foundation
import SLOWatchPOSIX
import SLOWatchSync
import Testing

@testable import SLOWatchService

/// `DataDirectory` writes through its `FileStorage`, so a failing fsync can be injected without a
/// failing disk.
@Suite("Data directory: injected storage")
struct DataDirectoryStorageTests {
    /// The real file system whose fsync of any file fails with EIO (the folder's own fsync succeeds).
    struct FailingFileSync: FileStorage {
        let base = POSIXFileStorage()
        /// The open folder descriptors.
        let folders = PThreadLock<Set<Int32>>([])

        func createFile(atPath path: String, mode: mode_t) throws(StorageError) -> Int32 {
            try base.createFile(atPath: path, mode: mode)
        }
        func openDirectory(atPath path: String) throws(StorageError) -> Int32 {
            // Folders are opened only to be fsynced: mark them so `synchronize` lets them through.
            let descriptor = try base.openDirectory(atPath: path)
            folders.withLock { _ = $0.insert(descriptor) }
            return descriptor
        }
        func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(StorageError) {
            try base.writeAll(bytes, to: descriptor)
        }
        func synchronize(_ descriptor: Int32) throws(StorageError) {
            guard folders.withLock({ $0.contains(descriptor) }) else { throw StorageError(code: EIO) }
            try base.synchronize(descriptor)
        }
        func close(_ descriptor: Int32) {
            folders.withLock { _ = $0.remove(descriptor) }
            base.close(descriptor)
        }
        func rename(_ source: String, to destination: String) throws(StorageError) {
            try base.rename(source, to: destination)
        }
        func remove(_ path: String) { base.remove(path) }
    }

    @Test("a failed fsync names the temporary file and the reason, and leaves the old file and no temporary")
    func failedFsyncKeepsTheOldFile() throws {
        let path = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let real = try DataDirectory(path: path)
        try real.replace("file", with: Array("old".utf8))
        let failing = try DataDirectory(path: path + "/inner", storage: FailingFileSync())
        try real.replace("inner/file", with: Array("old".utf8))

        #expect(throws: DataDirectoryError("Cannot fsync \(path)/inner/file.tmp", errno: EIO)) {
            try failing.replace("file", with: Array("new".utf8))
        }
        #expect(try failing.contents(of: "file") == Array("old".utf8))
        #expect(!FileManager.default.fileExists(atPath: "\(path)/inner/file.tmp"))
    }
}
