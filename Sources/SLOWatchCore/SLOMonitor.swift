import Dispatch
import Logging
import SLOWatchSync
import Synchronization

/// Checks SLOs against the registry's percentiles and reports violations and recoveries.
///
/// Per SLO: at most one violation event per rate window (10 s by default); exactly one recovery event
/// when an announced violation ends. A breach that began while the rate limit was closed and ended
/// before it reopened was never announced, so it gets no recovery either: every recovery pairs with
/// a violation a subscriber saw. Re-registering a metric resets its SLOs (limit and violating state).
///
/// A subscriber always learns of the end of an announced breach: besides the normal recovery
/// (`reason` `within_threshold`), the next check after the metric is unregistered or re-registered
/// publishes one recovery with `reason` `metric_reset`, and ``replaceSLOs(_:)`` publishes one with
/// `reason` `slo_removed` for each removed or changed SLO.
/// The monitor never fails because of the bus: publish errors are caught, logged and counted.
public final class SLOMonitor: Sendable {
    /// Settings for the monitor.
    public struct Configuration: Sendable {
        /// At most one violation event per SLO in this time (default 10 s); a negative value means none.
        public var rateLimit: Duration
        /// A check whose evaluation takes longer than this (monotonic) logs a warning and counts as
        /// slow; publishing its events taking longer logs a warning of its own (default 5 ms).
        public var slowCheck: Duration

        /// Creates a configuration.
        public init(rateLimit: Duration = .seconds(10), slowCheck: Duration = .milliseconds(5)) {
            self.rateLimit = rateLimit
            self.slowCheck = slowCheck
        }
    }

    private struct State: Sendable {
        var trackers: [SLOTracker]
        var publisher: (any EventPublishing)?
    }

    struct LoopState: Sendable {
        var generation: UInt64 = 0
        var running = false
    }

    private let registry: MetricsRegistry
    private let wallClock: any WallClock
    private let monotonicClock: any MonotonicClock
    private let configuration: Configuration
    let logger: Logger
    private let state: PThreadLock<State>
    /// Held for a whole check, publishing included, so that events leave in the order they were judged.
    // A `UInt8`, not `()`: ThreadSanitizer reports a false race on a `PThreadLock<()>`.
    private let checkSerial = PThreadLock<UInt8>(0)
    let loop = PThreadLock(LoopState())
    /// The monitor's own serial queue for the periodic loop; never an I/O thread.
    let queue = DispatchQueue(label: "slowatch.monitor")
    private let counters = SLOMonitorCounters()
    /// Violation events emitted per SLO id, kept after the SLO is removed so that each count only grows
    /// while the monitor lives; one entry per SLO id that ever violated. Written only while delivering.
    private let violationsBySLO = PThreadLock<[String: UInt64]>([:])

    /// Creates a monitor.
    /// - Parameters:
    ///   - registry: where the samples are.
    ///   - slos: the SLOs to check (default: none; add them later with ``replaceSLOs(_:)``).
    ///   - publisher: the bus, or `nil` to log events through `logger` instead.
    ///   - configuration: rate window and slow-check threshold.
    ///   - wallClock: the source of event timestamps, in ms since the epoch (default: the registry's); a
    ///     NaN reading is stamped 0 and ±infinity ±`Double.greatestFiniteMagnitude`.
    ///   - monotonicClock: the source of rate-limit, breach and check durations.
    ///   - logger: where slow checks, publish failures and unpublished events go; the default discards
    ///     every line.
    /// - Throws: ``SLOError/duplicateID(_:)`` when two SLOs share an id.
    public init(
        registry: MetricsRegistry, slos: [SLODefinition] = [],
        publisher: (any EventPublishing)? = nil, configuration: Configuration = .init(),
        wallClock: (any WallClock)? = nil, monotonicClock: any MonotonicClock = SystemMonotonicClock(),
        logger: Logger = .discarding
    ) throws(SLOError) {
        try SLODefinition.validateSet(slos)
        self.registry = registry
        self.wallClock = wallClock ?? registry.wallClock
        self.monotonicClock = monotonicClock
        self.configuration = configuration
        self.logger = logger
        self.state = PThreadLock(State(trackers: slos.map(SLOTracker.init), publisher: publisher))
    }

    /// Checks every SLO once, publishes the events (or logs them when no publisher is attached) and
    /// returns them. Checks never overlap: a second caller waits for the first.
    @discardableResult
    public func checkAll() -> [SLOEvent] {
        checkSerial.withLock { _ in
            let start = monotonicClock.nowNanoseconds()
            let (events, publisher, sloCount) = state.withLock { state in
                (evaluate(&state.trackers), state.publisher, state.trackers.count)
            }
            let evaluated = monotonicClock.nowNanoseconds()
            deliver(events, to: publisher)
            counters.checks.add(1, ordering: .relaxed)
            // The evaluation and the hand-off to the bus are timed apart: with thousands of stream
            // subscribers the hand-off alone can take tens of ms, which is not a slow evaluation.
            let evaluationMilliseconds = elapsedMilliseconds(from: start, to: evaluated)
            counters.recordLongest(
                evaluated > start ? evaluated - start : 0, in: counters.longestEvaluationNanoseconds)
            let slowCheckMilliseconds = configuration.slowCheck.milliseconds
            if evaluationMilliseconds > slowCheckMilliseconds {
                counters.slowChecks.add(1, ordering: .relaxed)
                logger.log(
                    .warning,
                    "slow SLO check: \(evaluationMilliseconds) ms for \(sloCount) SLOs "
                        + "(limit \(slowCheckMilliseconds) ms)")
            }
            if !events.isEmpty {
                let delivered = monotonicClock.nowNanoseconds()
                counters.recordLongest(
                    delivered > evaluated ? delivered - evaluated : 0, in: counters.longestDeliveryNanoseconds
                )
                let deliveryMilliseconds = elapsedMilliseconds(from: evaluated, to: delivered)
                if deliveryMilliseconds > slowCheckMilliseconds {
                    logger.log(
                        .warning,
                        "slow event delivery: \(deliveryMilliseconds) ms to publish \(events.count) events "
                            + "to the bus and its subscribers (limit \(slowCheckMilliseconds) ms)"
                    )
                }
            }
            return events
        }
    }

    /// Judges each SLO and updates its tracker; returns the events to emit, in SLO order.
    private func evaluate(_ trackers: inout [SLOTracker]) -> [SLOEvent] {
        let now = monotonicClock.nowNanoseconds()
        let timestamp = wallClock.finiteNowMilliseconds()
        let rateLimit = configuration.rateLimit.saturatingNanoseconds
        var events: [SLOEvent] = []
        for index in trackers.indices {
            let slo = trackers[index].slo
            let registrationID = registry.registrationID(for: slo.metric)
            if trackers[index].registrationID != registrationID {
                // The samples that showed the breach are gone or belong to an older registration.
                if let recovery = trackers[index].endingRecovery(
                    reason: .metricReset, now: now, timestamp: timestamp)
                {
                    events.append(recovery)
                }
                trackers[index].reset(registrationID: registrationID)
            }
            trackers[index].checkedAt = timestamp
            guard registrationID != nil,
                let summary = try? registry.percentiles(
                    for: slo.metric, quantiles: [slo.quantile], windowMilliseconds: slo.windowMilliseconds)
            else { continue }
            trackers[index].lastCount = summary.count
            guard summary.count >= slo.minSamples, let actual = summary.value(atQuantile: slo.quantile) else {
                trackers[index].lastActual = nil
                continue
            }
            if let event = trackers[index].judge(
                actual: actual, count: summary.count, now: now, rateLimit: rateLimit, timestamp: timestamp)
            {
                events.append(event)
            }
        }
        return events
    }

    /// Counts the events and hands them to the publisher, or to the logger when there is none.
    private func deliver(_ events: [SLOEvent], to publisher: (any EventPublishing)?) {
        guard !events.isEmpty else { return }
        violationsBySLO.withLock { counts in
            for event in events where event.kind == .violation { counts[event.slo, default: 0] &+= 1 }
        }
        for event in events {
            switch event.kind {
            case .violation: counters.violationsEmitted.add(1, ordering: .relaxed)
            case .recovery: counters.recoveriesEmitted.add(1, ordering: .relaxed)
            }
            guard let publisher else {
                logger.log(.warning, event.description)
                continue
            }
            do {
                try publisher.publish(topic: event.topic, payload: event.payload)
            } catch {
                counters.publishFailures.add(1, ordering: .relaxed)
                logger.log(.error, "SLO monitor: publishing failed (\(error)); \(event.description)")
            }
        }
    }

    /// Replaces the SLO set. An SLO whose id and definition are unchanged keeps its rate limit and
    /// violating state; a changed or new SLO starts fresh.
    ///
    /// A removed or changed SLO whose violation was announced and has not recovered gets one
    /// `perf.slo_recovered` event with `reason` `slo_removed`, published now through the same path
    /// and counters as a check's events, describing the old definition. Its `actual` and `count` are
    /// those of the last check that computed a value. Waits for a running check, so do not call it
    /// from inside the publisher's `publish`.
    /// - Returns: the recoveries published.
    /// - Throws: ``SLOError/duplicateID(_:)`` when two SLOs share an id; the old set then stays.
    @discardableResult
    public func replaceSLOs(_ slos: [SLODefinition]) throws(SLOError) -> [SLOEvent] {
        try SLODefinition.validateSet(slos)
        return checkSerial.withLock { _ in
            let (events, publisher) = state.withLock { state in
                let now = monotonicClock.nowNanoseconds()
                let timestamp = wallClock.finiteNowMilliseconds()
                let previous = Dictionary(
                    state.trackers.map { ($0.slo.id, $0) }, uniquingKeysWith: { first, _ in first })
                let next = Dictionary(slos.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
                let events = state.trackers.compactMap { tracker in
                    next[tracker.slo.id] == tracker.slo
                        ? nil : tracker.endingRecovery(reason: .sloRemoved, now: now, timestamp: timestamp)
                }
                state.trackers = slos.map { slo in
                    if let kept = previous[slo.id], kept.slo == slo { return kept }
                    return SLOTracker(slo: slo)
                }
                return (events, state.publisher)
            }
            deliver(events, to: publisher)
            return events
        }
    }

    /// Attaches a publisher (usually the ``EventBus``), or detaches it with `nil`.
    public func setPublisher(_ publisher: (any EventPublishing)?) {
        state.withLock { $0.publisher = publisher }
    }

    /// The SLOs being checked, in order.
    public var slos: [SLODefinition] { state.withLock { $0.trackers.map(\.slo) } }

    /// How many SLOs are watched, without copying them (for `/healthz`, which may be polled often).
    package var sloCount: Int { state.withLock { $0.trackers.count } }

    /// Each SLO's current status, in order.
    public var statuses: [SLOStatus] {
        state.withLock { state in
            state.trackers.map {
                SLOStatus(
                    slo: $0.slo, violating: $0.breachStartNanoseconds != nil, lastActual: $0.lastActual,
                    lastCount: $0.lastCount, checkedAt: $0.checkedAt)
            }
        }
    }

    /// How many checks ran.
    package var checks: UInt64 { counters.checks.load(ordering: .relaxed) }
    /// How many checks took longer than the slow-check threshold.
    package var slowChecks: UInt64 { counters.slowChecks.load(ordering: .relaxed) }
    /// How many violation events were emitted.
    public var violationsEmitted: UInt64 { counters.violationsEmitted.load(ordering: .relaxed) }
    /// How many violation events were emitted for each SLO id that ever violated, removed SLOs included
    /// (a count never goes down while the monitor lives).
    package var violationsEmittedBySLO: [String: UInt64] { violationsBySLO.withLock { $0 } }
    /// How many recovery events were emitted.
    public var recoveriesEmitted: UInt64 { counters.recoveriesEmitted.load(ordering: .relaxed) }
    /// How many events the publisher refused.
    package var publishFailures: UInt64 { counters.publishFailures.load(ordering: .relaxed) }
    /// The longest evaluation of any check so far (judging every SLO, without the hand-off of its events),
    /// on the monitor's monotonic clock; zero before the first check.
    package var longestCheck: Duration {
        .nanoseconds(Int64(clamping: counters.longestEvaluationNanoseconds.load(ordering: .relaxed)))
    }
    /// The longest hand-off of one check's events to the bus and its subscribers so far, on the
    /// monitor's monotonic clock; zero until a check had events.
    package var longestDelivery: Duration {
        .nanoseconds(Int64(clamping: counters.longestDeliveryNanoseconds.load(ordering: .relaxed)))
    }
}

/// The monitor's counters, readable without taking the check lock.
private final class SLOMonitorCounters: Sendable {
    let checks = Atomic<UInt64>(0)
    let slowChecks = Atomic<UInt64>(0)
    let violationsEmitted = Atomic<UInt64>(0)
    let recoveriesEmitted = Atomic<UInt64>(0)
    let publishFailures = Atomic<UInt64>(0)
    /// The longest check evaluation, in ns.
    let longestEvaluationNanoseconds = Atomic<UInt64>(0)
    /// The longest hand-off of a check's events, in ns.
    let longestDeliveryNanoseconds = Atomic<UInt64>(0)

    /// Raises `slot` to `nanoseconds` when that is longer. Checks are serial, so a load and a store
    /// suffice; the atomics are only for readers on other threads.
    func recordLongest(_ nanoseconds: UInt64, in slot: borrowing Atomic<UInt64>) {
        if nanoseconds > slot.load(ordering: .relaxed) { slot.store(nanoseconds, ordering: .relaxed) }
    }
}
