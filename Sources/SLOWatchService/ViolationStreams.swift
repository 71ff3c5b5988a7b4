import Dispatch
import Logging
import SLOWatchCore
import SLOWatchHTTP
import SLOWatchSync

/// The service's open violation streams: opens them on the bus, counts them for `/healthz`, sends
/// their keepalives, and ends them all when the service stops.
///
/// One timer serves every stream (there may be tens of thousands): each tick writes `: keepalive`
/// to every open stream, from one serial queue, instead of one timer per connection, so no stream
/// is silent for longer than the interval. The SSE frame of an event is encoded once and shared by
/// every stream (``frames``). Events reach the streams through one ``StreamFanout`` per event loop (one
/// bus subscription each), never through a bus subscription per stream.
final class ViolationStreams: Sendable {
    /// The registry's mutable part, under ``state``.
    private struct State: Sendable {
        /// The open (live) streams by id, with the fan-out of their loop.
        var streams: [UInt64: (stream: ViolationStream, fanout: StreamFanout)] = [:]
        /// The fan-out of each event loop that has served a stream, by ``HTTPStreamWriter/loopKey``.
        var fanouts: [ObjectIdentifier: StreamFanout] = [:]
        /// The id of the next stream.
        var nextID: UInt64 = 1
        /// `stop()` was called: new streams end at once.
        var stopped = false
        /// Bumped by `start` and `stop`, so a tick of an older timer loop schedules nothing more.
        var keepaliveGeneration: UInt64 = 0
    }

    /// Where events come from.
    let bus: EventBus
    /// Where stream drops are logged (warning) and stream opens and closes (debug).
    let logger: Logger
    /// The shared SSE frames of recent events.
    let frames = SSEFrameCache()
    /// The time between keepalive comments, in ns (at least 1 ms).
    private let keepaliveNanoseconds: Int
    /// How many events may wait for one stream (for its loop's fan-out) before it is dropped.
    private let queueCapacity: Int
    /// The most stream deliveries one loop turn makes (see ``StreamFanout``).
    private let deliveriesPerTurn: Int
    /// Guards the registry; never held while writing to a client.
    private let state = PThreadLock(State())
    /// The one serial queue of the shared keepalive timer.
    private let keepaliveQueue = DispatchQueue(label: "slowatch.sse.keepalive")

    /// Creates the registry; no timer runs until ``start()``.
    /// - Parameters:
    ///   - bus: the event bus streams subscribe to.
    ///   - keepaliveIntervalMilliseconds: the time between `: keepalive` comments, in ms (at least 1).
    ///   - queueCapacity: the bounded queue of each stream, in events (at least 1).
    ///   - deliveriesPerTurn: the most stream deliveries one loop turn makes (at least 1).
    ///   - logger: the service's logger.
    init(
        bus: EventBus, keepaliveIntervalMilliseconds: Double, queueCapacity: Int,
        deliveriesPerTurn: Int = StreamFanout.defaultDeliveriesPerTurn, logger: Logger
    ) {
        self.bus = bus
        self.logger = logger
        self.queueCapacity = max(1, queueCapacity)
        self.deliveriesPerTurn = max(1, deliveriesPerTurn)
        // Clamped to 1 ms ... 10^9 ms (about 11 days), so the product fits an Int; NaN means 1 ms.
        let milliseconds =
            keepaliveIntervalMilliseconds.isNaN ? 1 : min(max(keepaliveIntervalMilliseconds, 1), 1e9)
        keepaliveNanoseconds = Int(milliseconds * 1_000_000)
    }

    /// How many streams are open now.
    var count: Int { state.withLock { $0.streams.count } }

    /// Starts the shared keepalive timer (again, after a `stop`, only if called again).
    func start() {
        let generation = state.withLock { state in
            state.stopped = false
            state.keepaliveGeneration += 1
            return state.keepaliveGeneration
        }
        scheduleKeepalive(generation: generation)
    }

    /// Ends every open stream with its final chunk and stops the keepalive timer; streams opened
    /// from now on end at once.
    func stop() {
        let (streams, fanouts) = state.withLock { state in
            state.stopped = true
            state.keepaliveGeneration += 1
            defer { state.fanouts = [:] }
            return (state.streams.values.map(\.stream), Array(state.fanouts.values))
        }
        for fanout in fanouts { fanout.stop() }
        for stream in streams { stream.close() }
    }

    /// Opens a stream on `writer`: writes `retry: 2000`, subscribes it to the bus (replaying the
    /// history after `query.lastEventID`, if given, with no gap before the live events), and closes
    /// it when the client goes away.
    ///
    /// An id beyond the newest event was handed out before a restart without a data directory (sequences
    /// start again at 1; with `--data-dir` they go on, and the restored history serves the resume), so
    /// the client has seen none of the events published since: it gets `: history truncated` and
    /// `event: stream.truncated` and then every retained event, as when its id is older than the history.
    func open(writer: HTTPStreamWriter, query: ViolationQuery) {
        var resumeAfter = query.lastEventID
        let fromBeforeRestart = resumeAfter.map { $0 > bus.issuedSequence } ?? false
        if fromBeforeRestart { resumeAfter = 0 }
        // Written before the stream is registered, so no keepalive can precede it (nor the truncation
        // notice, written when it joins its fan-out, also before it is registered).
        writer.write(SSEFrame.prelude)
        let stream: ViolationStream? = state.withLock { state in
            guard !state.stopped else { return nil }
            defer { state.nextID += 1 }
            return ViolationStream(id: state.nextID, writer: writer, filter: query.filter, owner: self)
        }
        guard let stream, let fanout = fanout(for: writer) else {
            writer.finish()
            return
        }
        writer.onClose { [logger] in
            // The handlers are cleared once called, so capturing the writer here holds it only until then.
            if writer.wasShed {
                logger.warning(
                    """
                    event stream \(stream.id) disconnected: all streams together held more queued bytes \
                    than their limit, and it was among those furthest behind (it may resume with Last-Event-ID)
                    """)
            }
            stream.close()
        }
        guard fanout.join(stream, after: resumeAfter, requested: query.lastEventID, bus: bus) else {
            return
        }
        // Counted only once live, so a reader of `count` knows the stream gets every later event.
        let registered = state.withLock { state in
            guard !state.stopped, !stream.isClosed else { return false }
            state.streams[stream.id] = (stream, fanout)
            return true
        }
        guard registered else {
            stream.close()
            fanout.streamClosed()
            return
        }
        logger.debug("event stream \(stream.id) opened (\(describe(query)))")
    }

    /// The fan-out of `writer`'s event loop, created and subscribed on first use (this runs on that
    /// loop's thread, so only it ever creates its own); nil when the writer has no loop or the bus
    /// refused the subscription (logged).
    private func fanout(for writer: HTTPStreamWriter) -> StreamFanout? {
        guard let key = writer.loopKey else { return nil }
        if let existing = state.withLock({ $0.fanouts[key] }), existing.isReceiving { return existing }
        let fanout = StreamFanout(
            loop: writer, queueCapacity: queueCapacity, deliveriesPerTurn: deliveriesPerTurn, owner: self)
        do {
            try fanout.start(bus: bus)
        } catch {
            logger.error("event streams could not subscribe to the bus: \(error.message)")
            return nil
        }
        let replaced: StreamFanout? = state.withLock { state in
            defer { state.fanouts[key] = fanout }
            return state.fanouts[key]
        }
        replaced?.stop()
        return fanout
    }

    /// Forgets a closed stream, and has its loop's fan-out let go of it.
    func remove(_ stream: ViolationStream) {
        let removed = state.withLock { $0.streams.removeValue(forKey: stream.id) }
        guard let removed else { return }
        removed.fanout.streamClosed()
        logger.debug("event stream \(stream.id) closed")
    }

    /// The filters and resume point of a stream, for the debug log.
    private func describe(_ query: ViolationQuery) -> String {
        let metric = query.filter.metric.map { "metric \($0)" } ?? "any metric"
        let slo = query.filter.slo.map { "SLO \($0)" } ?? "any SLO"
        let resume = query.lastEventID.map { "after #\($0)" } ?? "live only"
        return "\(metric), \(slo), \(resume)"
    }

    /// Runs a keepalive tick of loop `generation` one interval from now.
    private func scheduleKeepalive(generation: UInt64) {
        keepaliveQueue.asyncAfter(deadline: .now() + .nanoseconds(keepaliveNanoseconds)) { [weak self] in
            self?.keepaliveTick(generation: generation)
        }
    }

    /// Writes `: keepalive` to every open stream, then schedules the next tick if still current.
    private func keepaliveTick(generation: UInt64) {
        let streams: [ViolationStream]? = state.withLock { state in
            state.keepaliveGeneration == generation ? state.streams.values.map(\.stream) : nil
        }
        guard let streams else { return }
        for stream in streams { stream.sendKeepalive() }
        scheduleKeepalive(generation: generation)
    }
}
