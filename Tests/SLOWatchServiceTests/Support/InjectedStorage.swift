import Dispatch
import Foundation
import SLOWatchPOSIX
import SLOWatchSync

#if canImport(Glibc)
    import Glibc
#endif

/// The real file system with faults a test can inject, for the durable-state suites: writes that fail
/// with ENOSPC while ``full`` is set, fsyncs made slow by ``fsyncDelayMicroseconds``, and a record of
/// how many bytes were written before each fsync.
///
/// Invariants: every call goes to ``POSIXFileStorage`` unless a fault is set; ``syncedUpTo`` holds one
/// entry per successful fsync, each the running total of ``written`` bytes when that fsync finished.
final class InjectedStorage: FileStorage {
    /// The storage every call is forwarded to.
    let base = POSIXFileStorage()
    /// Whether the disk is "full" now: while set, every `writeAll` throws ENOSPC and writes nothing.
    let full = PThreadLock(false)
    /// Bytes written so far through `writeAll`.
    let written = PThreadLock(0)
    /// ``written`` as it stood after each fsync, in order.
    let syncedUpTo = PThreadLock([Int]())
    /// How long each fsync sleeps before it runs, in microseconds (0: no delay).
    let fsyncDelayMicroseconds: UInt32
    /// Signalled as each fsync begins, before its delay, when given.
    let fsyncStarted: DispatchSemaphore?

    /// The real file system, with fsyncs delayed by `fsyncDelayMicroseconds` and announced on
    /// `fsyncStarted`.
    init(fsyncDelayMicroseconds: UInt32 = 0, fsyncStarted: DispatchSemaphore? = nil) {
        self.fsyncDelayMicroseconds = fsyncDelayMicroseconds
        self.fsyncStarted = fsyncStarted
    }

    func createFile(atPath path: String, mode: mode_t) throws(StorageError) -> Int32 {
        try base.createFile(atPath: path, mode: mode)
    }
    func openDirectory(atPath path: String) throws(StorageError) -> Int32 {
        try base.openDirectory(atPath: path)
    }
    func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(StorageError) {
        if full.withLock({ $0 }) { throw StorageError(code: ENOSPC) }
        try base.writeAll(bytes, to: descriptor)
        written.withLock { $0 += bytes.count }
    }
    func synchronize(_ descriptor: Int32) throws(StorageError) {
        fsyncStarted?.signal()
        if fsyncDelayMicroseconds > 0 { usleep(fsyncDelayMicroseconds) }
        try base.synchronize(descriptor)
        let total = written.withLock { $0 }
        syncedUpTo.withLock { $0.append(total) }
    }
    func close(_ descriptor: Int32) { base.close(descriptor) }
    func rename(_ source: String, to destination: String) throws(StorageError) {
        try base.rename(source, to: destination)
    }
    func remove(_ path: String) { base.remove(path) }
}
