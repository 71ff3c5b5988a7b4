import Dispatch
import SLOWatchHTTP
import SLOWatchPOSIX

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Journal {
    /// Writes `group` (framed records) to the open segment, syncs it as ``mode`` says, then completes
    /// each change with its LSN, in order, and sends the answers of the `POST /samples` requests in one
    /// batch; on failure cuts the segment back, gives the LSNs back and completes each with nil. Runs
    /// on the writer thread.
    func commit(_ group: [UInt8], _ waiters: [(lsn: UInt64, waiter: Waiter, payload: [UInt8])]) {
        guard !waiters.isEmpty else { return }
        let failure: String? = segment.withLock { segment in
            do throws(StorageError) {
                try directory.storage.writeAll(group, to: segment.descriptor)
                switch mode {
                case .never:
                    break
                case .always:
                    try directory.storage.synchronize(segment.descriptor)
                case .batch:
                    // The writer waited for the interval before taking this group (see
                    // ``waitForSyncSlot()``), so everything that arrived meanwhile shares this fsync.
                    try directory.storage.synchronize(segment.descriptor)
                    segment.lastSyncNanoseconds = DispatchTime.now().uptimeNanoseconds
                }
                segment.bytes += group.count
                return nil
            } catch {
                // Nothing of the group may survive to be replayed: it is answered as not saved.
                _ = ftruncate(segment.descriptor, off_t(segment.bytes))
                _ = lseek(segment.descriptor, off_t(segment.bytes), SEEK_SET)
                segment.nextSequence -= UInt64(waiters.count)
                return "Cannot write the journal in \(directory.path): \(error.reason)."
            }
        }
        var answers = HTTPResponder.Batch()
        if let failure {
            health.failed(.journal, reason: failure)
            for (_, waiter, _) in waiters { fail(waiter, into: &answers) }
            answers.send()
            return
        }
        health.succeeded(.journal)
        let sink = samplesSink.withLock { $0 }
        var accepted = 0
        for (lsn, waiter, payload) in waiters {
            switch waiter {
            case .completion(let completion):
                completion(lsn)
            case .samples(let request):
                let answer = request.answer(
                    lsn, payload: payload, sink: sink, accepted: &accepted, health: health)
                answers.append(request.responder, answer)
            }
        }
        if accepted > 0, let sink { ServiceCounters.add(accepted, to: sink.counters.samplesAccepted) }
        answers.send()
        if segment.withLock({ $0.bytes }) >= Self.segmentBytes { startSegment() }
    }

    /// Tells `waiter` that its change was not written: its completion gets nil, its request a 503.
    func fail(_ waiter: Waiter, into answers: inout HTTPResponder.Batch) {
        switch waiter {
        case .completion(let completion):
            completion(nil)
        case .samples(let request):
            var accepted = 0
            answers.append(
                request.responder,
                request.answer(nil, payload: [], sink: nil, accepted: &accepted, health: health))
        }
    }

    /// In ``SyncMode/batch``, sleeps until `--fsync-interval` has passed since the last fsync, so the
    /// changes arriving meanwhile join the next group and share its fsync. Runs on the writer thread.
    func waitForSyncSlot() {
        guard mode == .batch else { return }
        let due = segment.withLock { $0.lastSyncNanoseconds } &+ syncIntervalNanoseconds
        let now = DispatchTime.now().uptimeNanoseconds
        if now < due { usleep(UInt32(min((due - now) / 1_000, 1_000_000))) }
    }

    /// Closes the open segment (synced unless ``mode`` is `never`) and starts one at the next LSN; when
    /// that fails, the old one stays open and the failure is reported. Runs on the writer thread.
    func startSegment() {
        segment.withLock { segment in
            guard segment.bytes > 0 else { return }
            let descriptor: Int32
            do throws(DataDirectoryError) {
                if mode != .never { try? directory.storage.synchronize(segment.descriptor) }
                descriptor = try Self.create(directory, startingAt: segment.nextSequence)
                if mode != .never { try directory.syncFolder() }
            } catch {
                health.failed(.journal, reason: error.message)
                return
            }
            directory.storage.close(segment.descriptor)
            segment.descriptor = descriptor
            segment.bytes = 0
        }
    }

    /// Creates (or empties) the segment whose first LSN is `sequence`.
    /// - Returns: its descriptor, positioned at its start.
    /// - Throws: ``DataDirectoryError`` naming the file.
    static func create(_ directory: DataDirectory, startingAt sequence: UInt64) throws(DataDirectoryError)
        -> Int32
    {
        let path = directory.path(of: JournalSegments.name(startingAt: sequence))
        do throws(StorageError) {
            return try directory.storage.createFile(atPath: path, mode: 0o600)
        } catch {
            throw DataDirectoryError("Cannot create the journal segment \(path)", errno: error.code)
        }
    }
}
