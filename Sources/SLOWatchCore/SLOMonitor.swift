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
/// publishes one recovery with `reason` `metric_reset`, and ``replaceSLOs(_:)``, ``upsertSLO(_:)`` and
/// ``removeSLO(id:)`` publish one with `reason` `slo_removed` for each removed or changed SLO.
///
/// Edits of one SLO and ``status(id:)`` cost O(1) whatever the set's size (an id → index table is kept
/// beside the trackers), and never wait for a check's evaluation, only for the delivery of its events
/// (see ``checkAll()`` for the ordering rule).
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

    /// What the state lock guards. Invariant: `indexByID[trackers[i].slo.id] == i` for every `i`, and
    /// ids are unique.
    struct State: Sendable {
        var trackers: [SLOTracker]
        /// Each SLO id's index in `trackers`.
        var indexByID: [String: Int]
        var publisher: (any EventPublishing)?
        /// Bumped by every edit that changes `trackers` (never by a check), so that a check can tell
        /// whether its copy is still the whole current set.
        var edits: UInt64 = 0
        /// The last ``SLOTracker/epoch`` handed out; each new or changed definition gets the next.
        var lastEpoch: UInt64 = 0

        init(slos: [SLODefinition], publisher: (any EventPublishing)?) {
            trackers = []
            trackers.reserveCapacity(slos.count)
            indexByID = Dictionary(minimumCapacity: slos.count)
            self.publisher = publisher
            for slo in slos {
                indexByID[slo.id] = trackers.count
                trackers.append(SLOTracker(slo: slo, epoch: nextEpoch()))
            }
        }

        /// A fresh epoch for a new tracker.
        mutating func nextEpoch() -> UInt64 {
            lastEpoch &+= 1
            return lastEpoch
        }
    }

    struct LoopState: Sendable {
        var generation: UInt64 = 0
        var running = false
    }

    let registry: MetricsRegistry
    /// Where error-budget SLOs get their exact counts; nil leaves their budgets and tiers unjudged.
    let budgetSource: (any BudgetCountSource)?
    let wallClock: any WallClock
    let monotonicClock: any MonotonicClock
    let configuration: Configuration
    let logger: Logger
    let state: PThreadLock<State>
    /// Held for a whole check, so that checks never overlap; edits never take it.
    // A `UInt8`, not `()`: ThreadSanitizer reports a false race on a `PThreadLock<()>`.
    let checkSerial = PThreadLock<UInt8>(0)
    /// Held by a check from merging its results to the end of their delivery, and by an edit around
    /// its change and the delivery of its recoveries: events leave in the order they were judged.
    /// Order: `checkSerial`, then `delivery`, then `state`.
    let delivery = PThreadLock<UInt8>(0)
    let loop = PThreadLock(LoopState())
    /// The monitor's own serial queue for the periodic loop; never an I/O thread.
    let queue = DispatchQueue(label: "slowatch.monitor")
    let counters = SLOMonitorCounters()
    /// Violation events emitted per SLO id, kept after the SLO is removed so that each count only grows
    /// while the monitor lives; one entry per SLO id that ever violated. Written only while delivering.
    let violationsBySLO = PThreadLock<[String: UInt64]>([:])

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
    ///   - budgetSource: the exact good/total counts of error-budget SLOs (usually the registry); the
    ///     monitor starts and stops a counter for each budget SLO as the set changes. Nil: budgets and
    ///     burn-rate tiers are not judged.
    /// - Throws: ``SLOError/duplicateID(_:)`` when two SLOs share an id.
    public init(
        registry: MetricsRegistry, slos: [SLODefinition] = [],
        publisher: (any EventPublishing)? = nil, configuration: Configuration = .init(),
        wallClock: (any WallClock)? = nil, monotonicClock: any MonotonicClock = SystemMonotonicClock(),
        logger: Logger = .discarding, budgetSource: (any BudgetCountSource)? = nil
    ) throws(SLOError) {
        try SLODefinition.validateSet(slos)
        self.registry = registry
        self.budgetSource = budgetSource
        self.wallClock = wallClock ?? registry.wallClock
        self.monotonicClock = monotonicClock
        self.configuration = configuration
        self.logger = logger
        self.state = PThreadLock(State(slos: slos, publisher: publisher))
        updateCounting(started: slos, stopped: [])
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
    public var statuses: [SLOStatus] { state.withLock { $0.trackers.map(\.status) } }

    /// The status of the SLO with `id`, or nil when there is none: one lookup, whatever the set's size.
    public func status(id: String) -> SLOStatus? {
        state.withLock { state in state.indexByID[id].map { state.trackers[$0].status } }
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
final class SLOMonitorCounters: Sendable {
    let checks = Atomic<UInt64>(0)
    let slowChecks = Atomic<UInt64>(0)
    let violationsEmitted = Atomic<UInt64>(0)
    let recoveriesEmitted = Atomic<UInt64>(0)
    let publishFailures = Atomic<UInt64>(0)
    let burnAlertsEmitted = Atomic<UInt64>(0)
    let burnResolutionsEmitted = Atomic<UInt64>(0)
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
