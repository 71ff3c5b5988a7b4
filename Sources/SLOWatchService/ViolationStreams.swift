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
/// every stream (``frames``).
final class ViolationStreams: Sendable {
    /// The registry's mutable part, under ``state``.
    private struct State: Sendable {
        /// The open streams by id.
        var streams: [UInt64: ViolationStream] = [:]
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
    /// How many events may wait for one stream before the bus drops it.
    private let queueCapacity: Int
    /// Guards the registry; never held while writing to a client.
    private let state = PThreadLock(State())
    /// The one serial queue of the shared keepalive timer.
    private let keepaliveQueue = DispatchQueue(label: "slowatch.sse.keepalive")

    /// Creates the registry; no timer runs until ``start()``.
    /// - Parameters:
    ///   - bus: the event bus streams subscribe to.
    ///   - keepaliveIntervalMilliseconds: the time between `: keepalive` comments, in ms (at least 1).
    ///   - queueCapacity: the bounded queue of each stream, in events (at least 1).
    ///   - logger: the service's logger.
    init(bus: EventBus, keepaliveIntervalMilliseconds: Double, queueCapacity: Int, logger: Logger) {
        self.bus = bus
        self.logger = logger
        self.queueCapacity = max(1, queueCapacity)
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
        let streams = state.withLock { state in
            state.stopped = true
            state.keepaliveGeneration += 1
            return Array(state.streams.values)
        }
        for stream in streams { stream.close() }
    }

    /// Opens a stream on `writer`: writes `retry: 2000`, subscribes it to the bus (replaying the
    /// history after `query.lastEventID`, if given, with no gap before the live events), and closes
    /// it when the client goes away.
    ///
    /// An id beyond the newest event was handed out before a restart without a data directory (sequences
    /// start again at 1; with `--data-dir` they go on, and the restored history serves the resume), so
    /// the client has seen none of the events published since: it gets `: history truncated` and then
    /// every retained event, as when its id is older than the history.
    func open(writer: HTTPStreamWriter, query: ViolationQuery) {
        var resumeAfter = query.lastEventID
        let fromBeforeRestart = resumeAfter.map { $0 > bus.issuedSequence } ?? false
        if fromBeforeRestart { resumeAfter = 0 }
        // Written before the stream is registered, so no keepalive can precede it.
        writer.write(SSEFrame.prelude)
        if fromBeforeRestart { writer.write(SSEFrame.historyTruncated) }
        let registered: ViolationStream? = state.withLock { state in
            guard !state.stopped else { return nil }
            let stream = ViolationStream(id: state.nextID, writer: writer, filter: query.filter, owner: self)
            state.nextID += 1
            state.streams[stream.id] = stream
            return stream
        }
        guard let stream = registered else {
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
        do {
            // After a restart without a data directory the notice is already out (resuming from 0).
            let subscription = try bus.subscribe(
                after: resumeAfter, queueCapacity: queueCapacity,
                handler: { stream.deliver($0) }, onDrop: { stream.dropped($0) },
                onMissed: { _ in if !fromBeforeRestart { stream.historyTruncated() } })
            stream.attach(subscription)
        } catch {
            logger.error("event stream \(stream.id) could not subscribe: \(error.message)")
            stream.close()
            return
        }
        logger.debug("event stream \(stream.id) opened (\(describe(query)))")
    }

    /// Forgets a closed stream.
    func remove(_ stream: ViolationStream) {
        let removed = state.withLock { $0.streams.removeValue(forKey: stream.id) != nil }
        if removed { logger.debug("event stream \(stream.id) closed") }
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
            state.keepaliveGeneration == generation ? Array(state.streams.values) : nil
        }
        guard let streams else { return }
        for stream in streams { stream.sendKeepalive() }
        scheduleKeepalive(generation: generation)
    }
}
