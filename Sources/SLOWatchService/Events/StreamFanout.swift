import SLOWatchCore
import SLOWatchHTTP
import SLOWatchSync
import Synchronization

/// The event streams of one HTTP event loop, fed from one bus subscription.
///
/// With a bus subscriber per stream, 2,000 streams and 400 events a second made 800,000 cross-thread
/// deliveries a second (a lock and a mailbox post each) beside the loops. Here the bus hands each SLO
/// event once to this fan-out's subscription, which appends it to ``inbox`` and posts at most one
/// command to the loop per batch; on the loop thread, ``drain()`` looks the shared frame (an SSE
/// chunk framed once, ``HTTPStreamChunk``) up once per event and writes it to each of the loop's
/// streams whose filter it passes, straight to the socket when nothing waits before it
/// (``HTTPStreamWriter/writeOnLoop(_:)``).
///
/// - Order: each stream remembers the last sequence it was given (``Entry/lastSequence``): the replay of
///   its `Last-Event-ID` is written when it joins, on the loop thread, and live events at or below the
///   resume point are skipped, so it gets no gap and no duplicate between the replay and the live events.
/// - Bounds: at most `queueCapacity` events wait in the inbox (more than that: every stream of the loop
///   fell behind and is ended, as a per-stream queue of that size would have been), and one turn of the
///   loop makes at most ``deliveriesPerTurn`` (default 256) stream deliveries, even in the middle of an event; the
///   rest follows in a later command, so a loop with thousands of streams still answers between turns.
///
/// `@unchecked Sendable`: ``entries``, the batch in progress and ``subscription`` are touched only on
/// the loop's thread (in ``join(_:after:requested:bus:)``, ``drain()`` and ``prune()``, all of which
/// run there); ``inbox`` is behind its lock,
/// the counters are atomics, the rest is immutable.
final class StreamFanout: @unchecked Sendable {
    /// A stream of this loop and the newest sequence it was given (or skipped).
    private struct Entry {
        let stream: ViolationStream
        var lastSequence: UInt64
    }

    /// Events received from the bus and not yet fanned out, under its lock.
    private struct Inbox: Sendable {
        var events: [Event] = []
        /// A ``drain()`` command is queued for the loop.
        var scheduled = false
        /// More than the capacity of events waited: the loop's streams fell behind.
        var overflowed = false
    }

    /// The most stream deliveries (an event offered to a stream) one loop turn makes by default: a
    /// small slice of the loop's time, so a `/healthz` on the same loop waits at most one slice. Turns
    /// of 2,048 let the median probe wait for them under load; see BENCHMARKS.md, section 12.
    static let defaultDeliveriesPerTurn = 256

    /// The loop's streams (loop thread only).
    private var entries: [Entry] = []
    /// The events being fanned out, taken from the inbox when the previous batch was done (loop thread).
    private var batch: [Event] = []
    /// The event of ``batch`` being offered to the streams (loop thread).
    private var batchIndex = 0
    /// The next stream of ``entries`` to offer ``batch``'s current event (loop thread).
    private var streamIndex = 0
    /// The frame of the current event, once looked up, framed once as a chunk (loop thread).
    private var frame: HTTPStreamChunk?
    /// The subscription feeding ``inbox`` (loop thread only, after ``start(bus:)``).
    private var subscription: EventBus.Subscription?
    private let inbox = PThreadLock(Inbox())
    /// How many streams this fan-out holds; read by the bus side to drop events nobody here wants.
    private let streamCount = Atomic<Int>(0)
    /// A ``prune()`` command is queued for the loop.
    private let pruneScheduled = Atomic<Bool>(false)
    /// The subscription ended (the bus dropped it, or the last stream left): this fan-out receives
    /// nothing more, and the loop's next stream gets a new one.
    private let subscriptionLost = Atomic<Bool>(false)
    /// Any writer of the loop: the way to its thread.
    private let loop: HTTPStreamWriter
    /// The most events that may wait for this loop's streams.
    private let queueCapacity: Int
    /// The most stream deliveries one turn makes (at least 1).
    private let deliveriesPerTurn: Int
    /// The shared frames and the logger.
    private weak let owner: ViolationStreams?

    /// Creates the fan-out of the loop that serves `loop`'s connection; nothing is received until
    /// ``start(bus:)``.
    init(loop: HTTPStreamWriter, queueCapacity: Int, deliveriesPerTurn: Int, owner: ViolationStreams) {
        self.loop = loop
        self.queueCapacity = max(1, queueCapacity)
        self.deliveriesPerTurn = max(1, deliveriesPerTurn)
        self.owner = owner
    }

    /// Subscribes to the SLO topics of `bus`. Call on the loop thread, before the first ``join(_:after:)``.
    func start(bus: EventBus) throws(EventError) {
        subscription = try bus.subscribe(
            topics: ViolationFilter.topics, queueCapacity: queueCapacity,
            handler: { [weak self] event in self?.receive(event) },
            onDrop: { [weak self] _ in self?.overflow() })
    }

    /// Cancels the subscription (the service is stopping; its streams are closed by the owner).
    func stop() {
        subscription?.cancel()
    }

    /// False once the subscription ended; new streams then need a new fan-out.
    var isReceiving: Bool { !subscriptionLost.load(ordering: .acquiring) }

    /// Adds `stream` (on the loop thread): writes the truncation notice (``StreamTruncation``) when the
    /// history after the client's `requested` id cannot be served whole, then the retained events after
    /// `sequence` that pass the filter; from then on the live events.
    /// - Parameters:
    ///   - sequence: where the replay starts: `requested`, or 0 when `requested` is from before a
    ///     restart (beyond every id handed out); nil for no replay.
    ///   - requested: the id the client asked to resume after, nil for none.
    /// - Returns: false when the replay is longer than the stream queue capacity (the stream is then
    ///   ended, as its queue would have overflowed).
    func join(_ stream: ViolationStream, after sequence: UInt64?, requested: UInt64?, bus: EventBus) -> Bool {
        // Counted before the history is read, so no event published after the read is dropped unheard.
        streamCount.add(1, ordering: .sequentiallyConsistent)
        let resume = bus.resumePoint(after: sequence)
        if let requested, let sequence,
            let truncation = StreamTruncation(
                requestedAfter: requested, countedFrom: sequence, missed: resume.missed)
        {
            stream.truncated(truncation)
        }
        guard resume.replay.count <= queueCapacity else {
            streamCount.subtract(1, ordering: .relaxed)
            retireIfEmpty()
            stream.dropped(.queueOverflow(capacity: queueCapacity))
            return false
        }
        for event in resume.replay where stream.filter.matches(event) {
            guard let frame = owner?.frames.frame(for: event), stream.send(frame.payload) else { break }
        }
        entries.append(Entry(stream: stream, lastSequence: resume.through))
        return true
    }

    /// Asks the loop to forget closed streams soon (one command however many close meanwhile).
    func streamClosed() {
        guard !pruneScheduled.exchange(true, ordering: .acquiringAndReleasing) else { return }
        if !loop.runOnLoop({ self.prune() }) { pruneScheduled.store(false, ordering: .releasing) }
    }

    /// The bus side (a delivery lane): queues `event` for the loop, posting one command per batch.
    private func receive(_ event: Event) {
        guard streamCount.load(ordering: .sequentiallyConsistent) > 0 else { return }
        let post = inbox.withLock { inbox -> Bool in
            if inbox.events.count >= queueCapacity {
                inbox.overflowed = true
                inbox.events = []
            } else if !inbox.overflowed {
                inbox.events.append(event)
            }
            guard !inbox.scheduled else { return false }
            inbox.scheduled = true
            return true
        }
        if post { schedule() }
    }

    /// The bus dropped the subscription itself: every stream here missed events.
    private func overflow() {
        subscriptionLost.store(true, ordering: .releasing)
        let post = inbox.withLock { inbox -> Bool in
            inbox.overflowed = true
            inbox.events = []
            guard !inbox.scheduled else { return false }
            inbox.scheduled = true
            return true
        }
        if post { schedule() }
    }

    /// Queues a ``drain()`` on the loop; when the loop has stopped there is nobody left to feed.
    private func schedule() {
        if !loop.runOnLoop({ self.drain() }) { inbox.withLock { $0.scheduled = false } }
    }

    /// On the loop thread: goes on with the batch being fanned out (or takes the waiting events as
    /// the next batch), for at most ``deliveriesPerTurn`` deliveries, and queues another turn when more
    /// wait. A turn may stop in the middle of an event's pass over the streams; the next one resumes
    /// there, so the loop's other connections are served between turns however many streams it has.
    private func drain() {
        if batchIndex >= batch.count {
            let (events, overflowed) = inbox.withLock { inbox -> ([Event], Bool) in
                defer {
                    inbox.events = []
                    inbox.overflowed = false
                }
                return (inbox.events, inbox.overflowed)
            }
            if overflowed { dropAll() }
            batch = events
            batchIndex = 0
            streamIndex = 0
            frame = nil
        }
        var budget = deliveriesPerTurn
        while batchIndex < batch.count && budget > 0 {
            budget -= fanOut(batch[batchIndex], budget: budget)
            if streamIndex >= entries.count {
                batchIndex += 1
                streamIndex = 0
                frame = nil
            }
        }
        var more = true
        if batchIndex >= batch.count {
            batch = []
            batchIndex = 0
            more = inbox.withLock { inbox in
                inbox.scheduled = !inbox.events.isEmpty || inbox.overflowed
                return inbox.scheduled
            }
        }
        if more { schedule() }
    }

    /// Offers `event` to the streams from ``streamIndex`` on, at most `budget` of them: appends its
    /// frame (looked up once) to each open stream that has not seen it and wants it, and forgets the
    /// closed streams met on the way. Returns how many streams it went through.
    private func fanOut(_ event: Event, budget: Int) -> Int {
        var visited = 0
        while streamIndex < entries.count && visited < budget {
            visited += 1
            let stream = entries[streamIndex].stream
            if stream.isClosed {
                // The last entry, not yet offered this event, moves here and is offered it next.
                remove(at: streamIndex)
                continue
            }
            if event.sequence > entries[streamIndex].lastSequence {
                entries[streamIndex].lastSequence = event.sequence
                if stream.filter.matchesPayload(event) {
                    if frame == nil { frame = owner?.frames.frame(for: event) }
                    if let frame { stream.deliver(frame) }
                }
            }
            streamIndex += 1
        }
        return visited
    }

    /// Ends every stream of the loop: more events waited for them than the stream queue capacity.
    private func dropAll() {
        let dropped = entries
        entries = []
        batch = []
        batchIndex = 0
        streamIndex = 0
        frame = nil
        streamCount.store(0, ordering: .sequentiallyConsistent)
        retireIfEmpty()
        for entry in dropped { entry.stream.dropped(.queueOverflow(capacity: queueCapacity)) }
    }

    /// On the loop thread: forgets the streams that ended, keeping the order of the others, so that a
    /// pass stopped in the middle of an event resumes at the same stream.
    private func prune() {
        pruneScheduled.store(false, ordering: .releasing)
        let passed = entries[..<min(streamIndex, entries.count)].filter { $0.stream.isClosed }.count
        let before = entries.count
        entries.removeAll { $0.stream.isClosed }
        streamIndex -= passed
        streamCount.subtract(before - entries.count, ordering: .relaxed)
        retireIfEmpty()
    }

    /// Removes entry `index` (order among streams does not matter); the last one gone ends the
    /// subscription (``retireIfEmpty()``).
    private func remove(at index: Int) {
        entries.swapAt(index, entries.count - 1)
        entries.removeLast()
        streamCount.subtract(1, ordering: .relaxed)
        retireIfEmpty()
    }

    /// On the loop thread: with no stream left, cancels the subscription, so that a bus with no
    /// reader logs its events again (the console fallback); the loop's next stream gets a new
    /// fan-out. Joins run on this same thread, so none can slip in between.
    private func retireIfEmpty() {
        guard entries.isEmpty, isReceiving else { return }
        subscriptionLost.store(true, ordering: .releasing)
        subscription?.cancel()
        subscription = nil
    }
}
