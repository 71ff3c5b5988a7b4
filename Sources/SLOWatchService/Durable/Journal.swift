import Dispatch
import Logging
import SLOWatchHTTP
import SLOWatchPOSIX
import SLOWatchSync

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The write-ahead journal: every acknowledged change of state, in one total order by a 64-bit journal
/// sequence (LSN), in segment files (see ``JournalSegments``).
///
/// Callers encode a change and ``submit(_:completion:)`` it from any thread. One writer thread takes
/// every pending change at once (group commit), writes them with one `write()`, syncs them as ``mode``
/// says, then calls each completion in LSN order with its LSN; the completion applies the change and
/// answers the client. A `POST /samples` request (``submit(samples:request:)``) is applied the same way
/// without a closure, and the group's answers leave in one ``HTTPResponder/Batch`` (one mailbox post
/// per event loop); an event loop stages such requests (``stage(samples:request:loop:)``) and queues
/// them together at the end of its iteration, so the writer wakes at most once per loop iteration.
/// Applying stays on the writer thread, in LSN order: a metric's `appliedSequence` only grows with
/// the records applied to it, and ``rotate()`` returns once everything before its LSN is applied. A failed write applies nothing: each completion gets nil (each request a 503), the
/// segment is cut back to its last good record, and the failure goes to ``StorageHealth`` (`journal`).
final class Journal: Sendable {
    /// When the journal is flushed to the disk (`--fsync`).
    typealias SyncMode = JournalSync

    /// Called on the writer thread with the change's LSN once it is written (and synced, by mode), or
    /// with nil when it could not be; it must not block on the journal.
    typealias Completion = @Sendable (UInt64?) -> Void

    /// What waits for a queued change to be written: a completion, or a `POST /samples` request whose
    /// answer goes out with the rest of its group (see ``commit(_:_:)``).
    enum Waiter {
        case completion(Completion)
        case samples(JournaledSamples)
    }

    /// A queued change, or a barrier that runs on the writer thread after everything queued before it.
    enum Item {
        case record(payload: [UInt8], checksum: UInt32, waiter: Waiter)
        case barrier(@Sendable (UInt64) -> Void)
    }

    private struct Queue {
        var items: [Item] = []
        var bytes = 0
        var draining = false
        var closed = false
    }

    /// The open segment; touched only on the writer thread (the lock is uncontended; it makes that
    /// confinement checkable).
    struct Segment {
        var descriptor: Int32
        var bytes: Int = 0
        var nextSequence: UInt64
        var lastSyncNanoseconds: UInt64 = 0
    }

    /// A segment is closed and a new one started past this size, in bytes, so that a snapshot can delete
    /// the old ones.
    static let segmentBytes = 64 << 20
    /// The most bytes that may wait for the writer; a change beyond it is refused (503).
    static let maximumQueuedBytes = 256 << 20

    /// The folder the segments are in.
    let directory: DataDirectory
    /// When the segment is flushed (`--fsync`).
    let mode: SyncMode
    /// The shortest time between two syncs in ``SyncMode/batch``, in ns.
    let syncIntervalNanoseconds: UInt64
    /// Where each write's outcome is reported (`journal`).
    let health: StorageHealth
    /// Where replay damage and dropped StatsD batches are logged.
    let logger: Logger
    /// The changes waiting for the writer thread.
    private let queue = PThreadLock(Queue())
    /// The open segment (see ``Segment``).
    let segment: PThreadLock<Segment>
    /// The one writer thread.
    private let writer: BlockingPool
    /// The requests each event loop staged in its current iteration (see ``stage(samples:request:loop:)``);
    /// slot `i` is touched only by loop `i`'s thread, so its lock is uncontended.
    let staged: [PThreadLock<[Item]>]
    /// Where the writer applies `POST /samples` requests (see ``attach(_:)``); read once per group.
    let samplesSink = PThreadLock<SamplesSink?>(nil)

    /// Starts a new segment at `nextSequence` (replacing an empty or wholly damaged file of that name)
    /// and the writer thread.
    /// - Throws: ``DataDirectoryError`` when the segment cannot be created or the thread started.
    init(
        directory: DataDirectory, nextSequence: UInt64, mode: SyncMode, syncIntervalMilliseconds: Double,
        health: StorageHealth, logger: Logger
    ) throws(DataDirectoryError) {
        self.directory = directory
        self.mode = mode
        syncIntervalNanoseconds = UInt64(max(0, min(syncIntervalMilliseconds, 60_000)) * 1e6)
        self.health = health
        self.logger = logger
        let descriptor = try Self.create(directory, startingAt: nextSequence)
        segment = PThreadLock(Segment(descriptor: descriptor, nextSequence: nextSequence))
        guard let writer = BlockingPool(threadCount: 1, queueCapacity: 4) else {
            directory.storage.close(descriptor)
            throw DataDirectoryError(message: "Cannot start the journal's writer thread.")
        }
        self.writer = writer
        staged = (0..<Self.stagingLoops).map { _ in PThreadLock([]) }
    }

    /// Sets where the writer applies the `POST /samples` requests it writes; call before queuing any.
    func attach(_ sink: SamplesSink) { samplesSink.withLock { $0 = sink } }

    /// The LSN the next change will get.
    var nextSequence: UInt64 { segment.withLock { $0.nextSequence } }

    /// Queues `payload` (a ``JournalRecord``'s bytes); `completion` runs on the writer thread.
    /// - Returns: false when the journal is closed or too much already waits; `completion` never runs.
    func submit(_ payload: [UInt8], completion: @escaping Completion) -> Bool {
        guard payload.count <= JournalSegments.maximumPayloadBytes else { return false }
        let checksum = CRC32C.checksum(payload)
        return enqueue(
            .record(payload: payload, checksum: checksum, waiter: .completion(completion)),
            bytes: payload.count)
    }

    /// Queues `payload` (a samples record) for `request`, which the writer thread applies and answers
    /// once it is written, in one ``HTTPResponder/Batch`` with the rest of the group.
    /// - Returns: false when the journal is closed or too much already waits; the caller answers then.
    func submit(samples payload: [UInt8], request: JournaledSamples) -> Bool {
        guard payload.count <= JournalSegments.maximumPayloadBytes else { return false }
        let checksum = CRC32C.checksum(payload)
        return enqueue(
            .record(payload: payload, checksum: checksum, waiter: .samples(request)), bytes: payload.count)
    }

    /// Queues `payload` and waits for its completion's result. Blocks: call it from a pool thread (the
    /// durable lane), never from an event loop or the writer thread.
    /// - Parameter apply: called on the writer thread with the LSN once the change is written.
    /// - Returns: `apply`'s result, or nil when the change was not written.
    func submitAndWait<Result: Sendable>(_ payload: [UInt8], apply: @escaping @Sendable (UInt64) -> Result)
        -> Result?
    {
        let done = DispatchSemaphore(value: 0)
        let result = PThreadLock<Result?>(nil)
        let queued = submit(payload) { lsn in
            if let lsn {
                let applied = apply(lsn)
                result.withLock { $0 = applied }
            }
            done.signal()
        }
        guard queued else { return nil }
        done.wait()
        return result.withLock { $0 }
    }

    /// Finishes what is queued, then starts a new segment; returns its first LSN, which every change
    /// applied so far precedes (the start of a snapshot). Blocks: call it from a pool thread.
    /// - Returns: nil when the journal is closed.
    func rotate() -> UInt64? {
        let done = DispatchSemaphore(value: 0)
        let start = PThreadLock<UInt64?>(nil)
        let queued = enqueue(
            .barrier { [self] _ in
                startSegment()
                start.withLock { $0 = nextSequence }
                done.signal()
            }, bytes: 0)
        guard queued else { return nil }
        done.wait()
        return start.withLock { $0 }
    }

    /// Finishes what is queued and flushes the open segment to the disk, whatever ``mode`` says (at
    /// shutdown). Blocks: call it from a thread that is not the writer.
    /// - Returns: why it failed (also reported to ``StorageHealth``), or nil when the journal is synced.
    @discardableResult
    func sync() -> String? {
        let done = DispatchSemaphore(value: 0)
        let problem = PThreadLock<String?>(nil)
        let queued = enqueue(
            .barrier { [self] _ in
                segment.withLock { segment in
                    do throws(StorageError) {
                        try directory.storage.synchronize(segment.descriptor)
                    } catch {
                        let reason = "Cannot fsync the journal in \(directory.path): \(error.reason)."
                        health.failed(.journal, reason: reason)
                        problem.withLock { $0 = reason }
                    }
                }
                done.signal()
            }, bytes: 0)
        guard queued else { return "The journal in \(directory.path) cannot take more work." }
        done.wait()
        return problem.withLock { $0 }
    }

    /// Deletes the segments that hold only changes before `sequence` (a durable snapshot covers them).
    func removeSegments(before sequence: UInt64) {
        let segments = JournalSegments.list(directory)
        for (index, segment) in segments.enumerated() {
            guard index + 1 < segments.count, segments[index + 1].first <= sequence else { break }
            directory.storage.remove(directory.path(of: segment.name))
        }
    }

    deinit {
        writer.shutdown()
        segment.withLock { directory.storage.close($0.descriptor) }
    }

    /// Adds `items` (records), in order, while the queue's byte bound allows, waking the writer at most
    /// once.
    /// - Returns: the items refused (the journal is closed or its queue is full), in order.
    func enqueue(contentsOf items: [Item]) -> [Item] {
        var refused: [Item] = []
        let wake = queue.withLock { queue -> Bool in
            for item in items {
                let bytes: Int
                if case .record(let payload, _, _) = item { bytes = payload.count } else { bytes = 0 }
                guard !queue.closed, queue.bytes + bytes <= Self.maximumQueuedBytes else {
                    refused.append(item)
                    continue
                }
                queue.items.append(item)
                queue.bytes += bytes
            }
            guard refused.count < items.count else { return false }
            defer { queue.draining = true }
            return !queue.draining
        }
        if wake { wakeWriter() }
        return refused
    }

    /// Adds `item` to the queue, waking the writer when it was idle.
    private func enqueue(_ item: Item, bytes: Int) -> Bool {
        let (accepted, wake) = queue.withLock { queue -> (Bool, Bool) in
            guard !queue.closed, queue.bytes + bytes <= Self.maximumQueuedBytes else { return (false, false) }
            queue.items.append(item)
            queue.bytes += bytes
            defer { queue.draining = true }
            return (true, !queue.draining)
        }
        if wake, !wakeWriter() { return false }
        return accepted
    }

    /// Starts a drain on the writer thread.
    /// - Returns: false when the pool refused it (unreachable while open: the writer runs one drain job
    ///   at a time); everything queued is then failed.
    @discardableResult
    private func wakeWriter() -> Bool {
        if !writer.submit({ [self] in drain() }) {
            // Unreachable while open: the writer runs one drain job at a time. Fail what waits.
            let items = queue.withLock { queue in
                defer {
                    queue.items = []
                    queue.bytes = 0
                    queue.draining = false
                }
                return queue.items
            }
            var answers = HTTPResponder.Batch()
            for case .record(_, _, let waiter) in items { fail(waiter, into: &answers) }
            answers.send()
            return false
        }
        return true
    }

    /// Writes groups until the queue is empty. Runs on the writer thread.
    private func drain() {
        // Kept across groups, so a busy writer reuses their storage instead of growing new arrays.
        var group: [UInt8] = []
        var waiters: [(lsn: UInt64, waiter: Waiter, payload: [UInt8])] = []
        var items: [Item] = []
        while true {
            waitForSyncSlot()
            queue.withLock { queue in
                swap(&items, &queue.items)
                queue.bytes = 0
                if items.isEmpty { queue.draining = false }
            }
            if items.isEmpty { return }
            for item in items {
                switch item {
                case .record(let payload, let checksum, let waiter):
                    let lsn = segment.withLock { segment in
                        defer { segment.nextSequence += 1 }
                        return segment.nextSequence
                    }
                    JournalSegments.frame(payload, payloadChecksum: checksum, lsn: lsn, into: &group)
                    waiters.append((lsn, waiter, payload))
                case .barrier(let body):
                    commit(group, waiters)
                    group.removeAll(keepingCapacity: true)
                    waiters.removeAll(keepingCapacity: true)
                    body(nextSequence)
                }
            }
            commit(group, waiters)
            group.removeAll(keepingCapacity: true)
            waiters.removeAll(keepingCapacity: true)
            items.removeAll(keepingCapacity: true)
        }
    }
}
