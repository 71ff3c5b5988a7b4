import SLOWatchHTTP
import SLOWatchSync

extension Journal {
    /// The most event loops whose requests are staged; a request from a loop beyond it is submitted
    /// at once instead.
    static let stagingLoops = 64

    /// Stages `payload` (a samples record) for `request`, made on event loop `loop`, until that loop's
    /// iteration ends and ``flushStaged(loop:)`` hands every request it staged to the writer together:
    /// one queue lock and at most one wake-up of the writer per loop iteration, and larger groups.
    /// Without a loop index in range it is ``submit(samples:request:)``.
    /// - Returns: false when the record is too large or (unstaged) the journal refuses it; the caller
    ///   answers then. A staged request the journal later refuses is answered 503 by the flush.
    func stage(samples payload: [UInt8], request: JournaledSamples, loop: Int?) -> Bool {
        guard let loop, loop >= 0, loop < staged.count else {
            return submit(samples: payload, request: request)
        }
        guard payload.count <= JournalSegments.maximumPayloadBytes else { return false }
        let checksum = CRC32C.checksum(payload)
        staged[loop].withLock {
            $0.append(.record(payload: payload, checksum: checksum, waiter: .samples(request)))
        }
        return true
    }

    /// Queues what loop `loop` staged in this iteration, in order; answers 503 to what the journal
    /// cannot take (closed, or its queue full). Call on that loop's thread, at the end of its iteration.
    func flushStaged(loop: Int) {
        guard loop >= 0, loop < staged.count else { return }
        let items = staged[loop].withLock { staged -> [Item] in
            guard !staged.isEmpty else { return [] }
            defer { staged = [] }
            return staged
        }
        guard !items.isEmpty else { return }
        let refused = enqueue(contentsOf: items)
        guard !refused.isEmpty else { return }
        var answers = HTTPResponder.Batch()
        for case .record(_, _, let waiter) in refused { fail(waiter, into: &answers) }
        answers.send()
    }
}
