import Logging
import SLOWatchSync
import Synchronization

/// An in-process publish/subscribe bus with an envelope, a bus-wide sequence and a bounded history.
///
/// `publish` never waits for a subscriber: each subscriber has its own bounded queue, drained on
/// its own serial queue. A subscriber whose queue overflows is dropped and told why; a subscriber
/// whose handler throws is logged and counted but kept (one bad event should not cost a client its
/// stream). Every event is delivered to a subscriber in sequence order.
public final class EventBus: EventPublishing, Sendable {
    /// Settings for a bus.
    public struct Configuration: Sendable {
        /// How many recent events the history keeps (default 1,000; at least 1).
        public var historyCapacity: Int
        /// The level at which an event with no subscriber is logged, or `nil` to stay silent.
        public var fallbackLogLevel: Logger.Level?
        /// The console fallback writes at most one line per SLO (per topic for other events) per this
        /// window, plus a summary of the lines held back once such a window ends (default 60 s; zero
        /// writes every line).
        public var fallbackRateWindow: Duration
        /// Where every published event is also kept (the violation log of `--data-dir`); nil keeps
        /// events in memory only.
        public var journal: (any EventJournal)?
        /// Where the highest sequence the bus may hand out is made durable; nil hands out sequences
        /// freely (they start again at 1 in a new process with nothing restored).
        public var sequenceStore: (any EventSequenceStore)?
        /// How many sequences one reservation adds (default 1,024; at least 2). The next block is asked
        /// for when half of the current one is used.
        public var sequenceBlock: UInt64

        /// Creates a configuration.
        public init(
            historyCapacity: Int = 1000, fallbackLogLevel: Logger.Level? = .warning,
            journal: (any EventJournal)? = nil, sequenceStore: (any EventSequenceStore)? = nil,
            sequenceBlock: UInt64 = 1024, fallbackRateWindow: Duration = .seconds(60)
        ) {
            self.historyCapacity = historyCapacity
            self.fallbackLogLevel = fallbackLogLevel
            self.fallbackRateWindow = fallbackRateWindow
            self.journal = journal
            self.sequenceStore = sequenceStore
            self.sequenceBlock = max(2, sequenceBlock)
        }
    }

    struct Registration: Sendable {
        let id: UInt64
        let topics: Set<String>?
        let sink: any EventSink
    }

    /// The bus's mutable part, under ``state`` (internal for the extensions that restore and reserve).
    struct State: Sendable {
        /// The highest sequence that may have been handed out; the next event gets the one after.
        var sequence: UInt64 = 0
        /// The latest sequence published (or, after a restore, known to have been published).
        var lastPublished: UInt64 = 0
        /// The highest sequence that may be handed out: durable in the sequence store, or `.max`
        /// without one.
        var reservedThrough: UInt64
        /// Whether a reservation is being written.
        var reserving = false
        /// Whether the latest publish was refused for want of a reserved sequence (logged once a run).
        var refusing = false
        var nextSubscriberID: UInt64 = 1
        var ulids = ULID.Generator()
        var history: EventHistory
        /// Resume points from which events were lost before a restore.
        var gaps = EventGaps()
        var registrations: [Registration] = []
    }

    let state: PThreadLock<State>
    /// The console fallback's rate limit, under a lock of its own (taken outside the bus lock).
    let fallbackLimiter: PThreadLock<FallbackLogLimiter>
    private let wallClock: any WallClock
    let monotonicClock: any MonotonicClock
    let configuration: Configuration
    let stats: EventBusStats
    /// The queues the subscribers' handlers run on.
    let lanes = DeliveryLanes()

    /// Creates a bus.
    /// - Parameters:
    ///   - configuration: history size and fallback logging.
    ///   - wallClock: the source of event timestamps and ULID times, in ms since the epoch; a NaN
    ///     reading is stamped 0 and ±infinity ±`Double.greatestFiniteMagnitude`.
    ///   - logger: where publish failures, dropped subscribers and unheard events are logged; the
    ///     default discards every line.
    ///   - monotonicClock: times the console fallback's rate window.
    public init(
        configuration: Configuration = .init(), wallClock: any WallClock = SystemWallClock(),
        logger: Logger = .discarding, monotonicClock: any MonotonicClock = SystemMonotonicClock()
    ) {
        self.configuration = configuration
        self.wallClock = wallClock
        self.monotonicClock = monotonicClock
        fallbackLimiter = PThreadLock(
            FallbackLogLimiter(windowNanoseconds: configuration.fallbackRateWindow.saturatingNanoseconds))
        self.stats = EventBusStats(logger: logger)
        self.state = PThreadLock(
            State(
                reservedThrough: configuration.sequenceStore == nil ? .max : 0,
                history: EventHistory(capacity: configuration.historyCapacity)))
    }

    /// Publishes one event to every subscriber of `topic` and records it in the history.
    /// - Parameters:
    ///   - topic: dotted lowercase, e.g. `perf.slo_violation`.
    ///   - payload: the event body.
    /// - Returns: the envelope: `evt_` + ULID id, topic, sequence (from 1), timestamp (epoch ms), payload.
    /// - Throws: ``EventError/invalidTopic(_:)`` when the topic is not dotted lowercase;
    ///   ``EventError/topicMismatch(_:expected:)`` when a typed payload has a topic of its own and
    ///   `topic` is another (so a subscriber of a topic only ever sees that topic's payloads);
    ///   ``EventError/sequenceNotReserved(ceiling:)`` when the next sequence is not durably reserved
    ///   yet (the store is failing, or a reservation is late): the event is then not published, since
    ///   handing out an id a crash could hand out again would let a resuming client skip an event.
    @discardableResult
    public func publish(topic: String, payload: EventPayload) throws(EventError) -> Event {
        let failure: EventError? =
            if !Event.isValidTopic(topic) {
                .invalidTopic(topic)
            } else if let expected = payload.topic, expected != topic {
                .topicMismatch(topic, expected: expected)
            } else {
                nil
            }
        if let failure {
            stats.publishFailures.add(1, ordering: .relaxed)
            stats.logger.log(.error, "event bus: publish failed: \(failure.message)")
            throw failure
        }
        var overflowed: [Registration] = []
        let (published, heard, reservation, firstRefusal) = state.withLock {
            state -> (Event?, Int, UInt64?, Bool) in
            guard state.sequence < state.reservedThrough else {
                defer { state.refusing = true }
                return (nil, 0, nextReservation(&state), !state.refusing)
            }
            state.refusing = false
            // Time, id and sequence are taken under the lock so that all three increase together.
            // A non-finite clock reading is clamped to a finite one (see `finiteNowMilliseconds`).
            let now = wallClock.finiteNowMilliseconds()
            // Clamped first: `UInt64(now)` would trap for a clock at or past 2^64 ms.
            let milliseconds = now > 0 ? UInt64(min(now, Double(ULID.maxMilliseconds))) : 0
            state.sequence += 1
            state.lastPublished = state.sequence
            let event = Event(
                id: "evt_\(state.ulids.next(milliseconds: milliseconds))", topic: topic,
                sequence: state.sequence, timestamp: now, payload: payload)
            state.history.append(event)
            // Under the lock, so the journal sees events in sequence order.
            configuration.journal?.record(event)
            var heard = 0
            for registration in state.registrations where registration.topics?.contains(topic) ?? true {
                heard += 1
                if !registration.sink.offer(event) { overflowed.append(registration) }
            }
            if !overflowed.isEmpty {
                let dropped = Set(overflowed.map(\.id))
                state.registrations.removeAll { dropped.contains($0.id) }
            }
            return (event, heard, nextReservation(&state), false)
        }
        if let reservation { reserve(through: reservation) }
        guard let event = published else {
            let failure = EventError.sequenceNotReserved(ceiling: state.withLock { $0.reservedThrough })
            stats.publishFailures.add(1, ordering: .relaxed)
            // Once per run of refusals: a full disk must not write a line per event here too.
            if firstRefusal { stats.logger.log(.error, "event bus: publish failed: \(failure.message)") }
            throw failure
        }
        stats.published.add(1, ordering: .relaxed)
        for registration in overflowed {
            let capacity = registration.sink.capacity
            stats.droppedSubscribers.add(1, ordering: .relaxed)
            stats.logger.log(
                .warning,
                "event bus: subscriber \(registration.id) dropped: its queue of \(capacity) events overflowed"
            )
            registration.sink.close(reason: .queueOverflow(capacity: capacity))
        }
        if heard == 0, let level = configuration.fallbackLogLevel { logUnheard(event, level: level) }
        return event
    }

    /// Registers `sink`, after handing it the history after `sequence` in the same critical section,
    /// so that no event is missed or delivered twice between the replay and the live events.
    /// - Parameter onMissed: when events after `sequence` are no longer held, called with their
    ///   (approximate) count under the bus lock, before any replayed event is offered to `sink`; it
    ///   must be quick and must not call the bus.
    /// - Returns: the subscriber id, the replayed events (when `deliverReplay` is false), and how many
    ///   ids after `sequence` had already left the history or were lost before a restore (0 when
    ///   nothing was missed).
    func register(
        topics: Set<String>?, after sequence: UInt64?, deliverReplay: Bool, sink: any EventSink,
        onMissed: ((UInt64) -> Void)? = nil
    ) throws(EventError) -> (id: UInt64, replay: [Event], missed: UInt64) {
        if let invalid = topics?.first(where: { !Event.isValidTopic($0) }) {
            throw EventError.invalidTopic(invalid)
        }
        var overflowed = false
        let result = state.withLock { state in
            let id = state.nextSubscriberID
            state.nextSubscriberID += 1
            let resumed = state.resume(after: sequence, topics: topics)
            var replay = resumed.replay
            let missed = resumed.missed
            if missed > 0 { onMissed?(missed) }
            if deliverReplay {
                // A replay longer than the queue is refused whole, whatever the drain's speed, so the
                // outcome does not depend on thread timing.
                overflowed = replay.count > sink.capacity || !replay.allSatisfy { sink.offer($0) }
                replay = []
            }
            if !overflowed {
                state.registrations.append(Registration(id: id, topics: topics, sink: sink))
            }
            return (id, replay, missed)
        }
        if overflowed {
            stats.droppedSubscribers.add(1, ordering: .relaxed)
            stats.logger.log(
                .warning, "event bus: subscriber \(result.0) dropped during replay: queue overflowed")
            sink.close(reason: .queueOverflow(capacity: sink.capacity))
        }
        return result
    }

    /// Removes a subscriber; does nothing when it is already gone. Its queued events are discarded.
    func remove(id: UInt64) {
        let removed = state.withLock { state -> Registration? in
            guard let index = state.registrations.firstIndex(where: { $0.id == id }) else { return nil }
            return state.registrations.remove(at: index)
        }
        removed?.sink.close(reason: nil)
    }

    /// The events still held whose sequence is greater than `sequence`, oldest first.
    ///
    /// When ``oldestSequence`` is greater than `sequence + 1`, events in between were missed.
    /// - Parameters:
    ///   - sequence: the last sequence the caller saw; 0 for everything held.
    ///   - topics: the topics wanted, or `nil` for all.
    public func history(after sequence: UInt64 = 0, topics: Set<String>? = nil) -> [Event] {
        state.withLock { $0.history.events(after: sequence, topics: topics) }
    }

    /// The oldest `limit` events held after `sequence` that are of one of `topics` and pass
    /// `isIncluded`, oldest first. Stops scanning once `limit` are found, so a page of a long history
    /// costs the page, not the history.
    /// - Parameters:
    ///   - sequence: the last sequence the caller saw; 0 for everything held.
    ///   - topics: the topics wanted, or `nil` for all.
    ///   - limit: the most events returned.
    ///   - isIncluded: a further filter; it runs under the bus lock, so it must be quick and must not
    ///     call the bus.
    public func history(
        after sequence: UInt64, topics: Set<String>?, limit: Int, where isIncluded: (Event) -> Bool
    ) -> [Event] {
        state.withLock { $0.history.events(after: sequence, topics: topics, limit: limit, where: isIncluded) }
    }
}

/// The bus's counters and logger, shared with its subscribers' queues without a reference cycle.
final class EventBusStats: Sendable {
    let published = Atomic<UInt64>(0)
    let publishFailures = Atomic<UInt64>(0)
    let droppedSubscribers = Atomic<UInt64>(0)
    let handlerFailures = Atomic<UInt64>(0)
    let logger: Logger

    init(logger: Logger) { self.logger = logger }
}
