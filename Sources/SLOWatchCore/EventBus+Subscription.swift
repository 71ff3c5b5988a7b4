import Dispatch
import SLOWatchSync
import Synchronization

/// Why the bus dropped a subscriber.
public enum SubscriptionDropReason: Sendable, Equatable {
    /// The subscriber fell behind: `capacity` events were already waiting when another arrived.
    case queueOverflow(capacity: Int)
}

/// Where the bus puts a subscriber's events. `offer` is called under the bus lock and must not block.
protocol EventSink: Sendable {
    /// The most events that may wait in this sink's queue.
    var capacity: Int { get }
    /// Queues one event; returns `false` when the queue is full (the bus then drops the sink).
    func offer(_ event: Event) -> Bool
    /// Ends the subscription; called outside the bus lock. `reason` is `nil` for a cancellation.
    func close(reason: SubscriptionDropReason?)
}

extension EventBus {
    /// A live subscription; cancel it to stop receiving events.
    public final class Subscription: Sendable {
        /// The bus-wide subscriber id.
        public let id: UInt64
        private weak let bus: EventBus?

        init(id: UInt64, bus: EventBus) {
            self.id = id
            self.bus = bus
        }

        /// Stops delivery. Events still queued are discarded; a handler already running finishes.
        public func cancel() { bus?.remove(id: id) }
    }

    /// Subscribes a handler to some topics.
    ///
    /// The handler runs on a serial queue of its own, one event at a time, in sequence order. Every
    /// subscriber is served by one of its bus's few delivery lanes (one per core) shared by all
    /// subscribers, not by a thread of its own, so thousands of subscribers do not become thousands of
    /// runnable threads competing with the event loops: a handler must therefore not block (hand slow
    /// work, such as network I/O, to a queue or pool of its own). When
    /// `queueCapacity` events are waiting and another arrives, the subscriber is dropped and
    /// `onDrop` is called on that queue. A handler that throws is logged and counted, and kept.
    /// - Parameters:
    ///   - topics: the topics wanted, or `nil` for all.
    ///   - sequence: when given, the history after this sequence is queued first, with no gap and
    ///     no duplicate between it and the live events. A replay longer than `queueCapacity` drops the
    ///     subscriber at once (`onDrop` with `queueOverflow`).
    ///   - queueCapacity: the most events that may wait (default 1,024; at least 1).
    ///   - handler: called with each event.
    ///   - onDrop: called once if the bus drops this subscriber.
    ///   - onMissed: called at most once, synchronously and before any event reaches `handler`, when
    ///     events after `sequence` are no longer available (they left the history, or were lost before
    ///     a restore), with how many ids may be missing. It runs under the bus lock: it must be quick
    ///     and must not call the bus.
    /// - Throws: ``EventError`` for an invalid topic in `topics` or a capacity below 1.
    @discardableResult
    public func subscribe(
        topics: Set<String>? = nil, after sequence: UInt64? = nil, queueCapacity: Int = 1024,
        handler: @escaping @Sendable (Event) throws -> Void,
        onDrop: (@Sendable (SubscriptionDropReason) -> Void)? = nil,
        onMissed: (@Sendable (UInt64) -> Void)? = nil
    ) throws(EventError) -> Subscription {
        guard queueCapacity >= 1 else { throw EventError.invalidQueueCapacity(queueCapacity) }
        let sink = HandlerSink(
            capacity: queueCapacity, lanes: lanes, stats: stats, handler: handler, onDrop: onDrop)
        let registered = try register(
            topics: topics, after: sequence, deliverReplay: true, sink: sink, onMissed: onMissed)
        sink.subscriberID.store(registered.id, ordering: .relaxed)
        return Subscription(id: registered.id, bus: self)
    }

    /// Stops a subscription; the same as ``Subscription/cancel()``.
    public func unsubscribe(_ subscription: Subscription) { remove(id: subscription.id) }
}

/// A bounded queue drained by a handler on one of its bus's few delivery lanes (``DeliveryLanes``).
///
/// Each sink keeps one lane for its life, so its events reach its handler one at a time and in order.
/// A lane takes at most ``turnLength`` events of one sink before the next sink on it gets its turn.
final class HandlerSink: EventSink {
    /// The most events of one sink a lane delivers before the other sinks on it get a turn.
    static let turnLength = 64

    private struct State: Sendable {
        var buffer: [Event] = []
        var head = 0
        var draining = false
        var closed = false
    }

    let capacity: Int
    let subscriberID = Atomic<UInt64>(0)
    private let state = PThreadLock(State())
    /// This sink's delivery lane (see ``DeliveryLanes``).
    private let queue: DispatchQueue
    private let stats: EventBusStats
    private let handler: @Sendable (Event) throws -> Void
    private let onDrop: (@Sendable (SubscriptionDropReason) -> Void)?

    init(
        capacity: Int, lanes: DeliveryLanes, stats: EventBusStats,
        handler: @escaping @Sendable (Event) throws -> Void,
        onDrop: (@Sendable (SubscriptionDropReason) -> Void)?
    ) {
        self.capacity = capacity
        queue = lanes.next()
        self.stats = stats
        self.handler = handler
        self.onDrop = onDrop
    }

    func offer(_ event: Event) -> Bool {
        let startDrain = state.withLock { state -> Bool? in
            guard !state.closed else { return false }
            guard state.buffer.count - state.head < capacity else { return nil }
            state.buffer.append(event)
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
        guard let startDrain else { return false }
        if startDrain { queue.async { self.drain() } }
        return true
    }

    func close(reason: SubscriptionDropReason?) {
        state.withLock { state in
            state.closed = true
            state.buffer = []
            state.head = 0
        }
        if let reason, let onDrop { queue.async { onDrop(reason) } }
    }

    /// Hands the queued events to the handler one at a time, at most ``turnLength`` of them; when more
    /// wait, queues the next turn behind the other sinks of the lane (the sink stays `draining`, so no
    /// second drain of it can start meanwhile and its order holds).
    private func drain() {
        for _ in 0..<Self.turnLength {
            guard let event = next() else { return }
            do {
                try handler(event)
            } catch {
                stats.handlerFailures.add(1, ordering: .relaxed)
                let id = subscriberID.load(ordering: .relaxed)
                stats.logger.log(
                    .error, "event bus: subscriber \(id) failed on event #\(event.sequence): \(error)")
            }
        }
        queue.async { self.drain() }
    }

    /// Takes the oldest queued event, or ends the drain when there is none.
    private func next() -> Event? {
        state.withLock { state in
            guard !state.closed, state.head < state.buffer.count else {
                state.draining = false
                state.buffer.removeAll(keepingCapacity: true)
                state.head = 0
                return nil
            }
            let event = state.buffer[state.head]
            state.head += 1
            // Compact now and then so the buffer does not grow without bound under steady load.
            if state.head >= 256 && state.head * 2 >= state.buffer.count {
                state.buffer.removeFirst(state.head)
                state.head = 0
            }
            return event
        }
    }
}
