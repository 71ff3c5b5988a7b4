import Dispatch
import Foundation
import Logging
import SLOWatchPOSIX
import SLOWatchSync
import Testing

@testable import SLOWatchService

/// `--fsync`: how many fsyncs the journal makes for concurrent changes, and that each change is
/// completed only after the fsync that covers it.
@Suite("Journal fsync modes")
struct JournalSyncTests {
    /// Submits `count` changes from concurrent threads and waits for all; returns the fsync count and
    /// whether every change was completed after an fsync covering it.
    static func run(_ mode: JournalSync, count: Int) throws -> (syncs: Int, coveredWhenCompleted: Bool) {
        let storage = InjectedStorage()
        let directory = try DataDirectory(path: DurableNode.temporaryDirectory(), storage: storage)
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let logger = Logger(label: "test")
        let journal = try Journal(
            directory: directory, nextSequence: 1, mode: mode, syncIntervalMilliseconds: 20,
            health: StorageHealth(logger: logger), logger: logger)
        let covered = PThreadLock(true)
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            DispatchQueue.global().async {
                let payload = JournalRecord.sloDelete("id\(index)").encode()
                let queued = journal.submit(payload) { lsn in
                    // Completed only once an fsync has covered every byte written so far (by mode).
                    if mode != .never, lsn != nil {
                        let written = storage.written.withLock { $0 }
                        let synced = storage.syncedUpTo.withLock { $0.last ?? 0 }
                        if synced < written { covered.withLock { $0 = false } }
                    }
                    group.leave()
                }
                if !queued { group.leave() }
            }
        }
        #expect(group.wait(timeout: .now() + 30) == .success)
        return (storage.syncedUpTo.withLock { $0.count }, covered.withLock { $0 })
    }

    @Test("never makes no fsync; always and batch answer after one; batch shares each across the group")
    func syncCounts() throws {
        let never = try Self.run(.never, count: 200)
        #expect(never.syncs == 0)
        let always = try Self.run(.always, count: 200)
        #expect(always.syncs >= 1 && always.coveredWhenCompleted)
        let batch = try Self.run(.batch, count: 200)
        #expect(batch.coveredWhenCompleted)
        #expect(
            batch.syncs >= 1 && batch.syncs <= 50,
            "200 concurrent changes, 20 ms apart at most: \(batch.syncs) fsyncs")
    }
}
