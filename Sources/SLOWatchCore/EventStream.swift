import SLOWatchSync

/// A subscription read as an `AsyncStream`, for streaming transports such as server-sent events.
///
/// The stream's buffer is the subscriber's bounded queue. When it overflows, the bus drops the
/// subscription, the stream finishes, and ``dropReason`` says why. Calling ``cancel()``, cancelling
/// the task that reads it, or releasing the `EventStream` unsubscribes; merely breaking out of a
/// `for await` loop does not (this object still holds the stream), so call ``cancel()`` then.
public final class EventStream: Sendable {
    /// The bus-wide subscriber id.
    public let id: UInt64
    /// The live events, in sequence order, starting right after the replay.
    public let events: AsyncStream<Event>
    private let sink: StreamSink
    private weak let bus: EventBus?

    init(id: UInt64, events: AsyncStream<Event>, sink: StreamSink, bus: EventBus) {
        self.id = id
        self.events = events
        self.sink = sink
        self.bus = bus
    }

    /// Why the bus dropped this stream, or `nil` while it is live or after a plain cancellation.
    public var dropReason: SubscriptionDropReason? { sink.dropReason.withLock { $0 } }

    /// Unsubscribes and finishes the stream.
    public func cancel() { bus?.remove(id: id) }
}

/// Feeds an `AsyncStream` continuation; the stream's oldest-first buffer is the bounded queue.
final class StreamSink: EventSink {
    let capacity: Int
    let dropReason = PThreadLock<SubscriptionDropReason?>(nil)
    private let continuation: AsyncStream<Event>.Continuation

    init(capacity: Int, continuation: AsyncStream<Event>.Continuation) {
        self.capacity = capacity
        self.continuation = continuation
    }

    func offer(_ event: Event) -> Bool {
        switch continuation.yield(event) {
        case .dropped: false
        case .enqueued, .terminated: true
        @unknown default: true
        }
    }

    func close(reason: SubscriptionDropReason?) {
        if let reason { dropReason.withLock { $0 = reason } }
        continuation.finish()
    }
}

extension EventBus {
    /// Atomically reads the history after `sequence` and subscribes from there: the first live event
    /// is the one right after the last replayed event, with no gap and no duplicate.
    /// - Parameters:
    ///   - topics: the topics wanted, or `nil` for all.
    ///   - sequence: the last sequence the caller saw (e.g. SSE `Last-Event-ID`), or `nil` for no replay.
    ///   - queueCapacity: the most live events that may wait unread (default 1,024; at least 1).
    /// - Returns: the replayed events, how many events after `sequence` had already left the history
    ///   (of any topic; 0 means none were missed), and the live stream.
    /// - Throws: ``EventError`` for an invalid topic in `topics` or a capacity below 1.
    public func stream(
        topics: Set<String>? = nil, after sequence: UInt64? = nil, queueCapacity: Int = 1024
    ) throws(EventError) -> (replay: [Event], missed: UInt64, stream: EventStream) {
        guard queueCapacity >= 1 else { throw EventError.invalidQueueCapacity(queueCapacity) }
        let (events, continuation) = AsyncStream.makeStream(
            of: Event.self, bufferingPolicy: .bufferingOldest(queueCapacity))
        let sink = StreamSink(capacity: queueCapacity, continuation: continuation)
        let registered = try register(topics: topics, after: sequence, deliverReplay: false, sink: sink)
        let id = registered.id
        continuation.onTermination = { [weak self] _ in self?.remove(id: id) }
        let stream = EventStream(id: id, events: events, sink: sink, bus: self)
        return (registered.replay, registered.missed, stream)
    }
}
