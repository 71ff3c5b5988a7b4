import SLOWatchSync
import Synchronization

/// Hands out process-unique registry ids, so a thread's table cache never confuses two registries.
private let nextRegistryID = Atomic<UInt64>(1)

/// The metrics registry: metric definitions, one ring buffer per metric, exact percentiles and
/// instrumentation marks. Every method is thread-safe.
///
/// `record` is the hot path. A name is found in an immutable index that the calling thread caches,
/// checked against the registry's index version with one atomic load, so writers share no lock and
/// write no shared memory; each metric has its own lock around its buffer. Recording into an existing
/// metric allocates nothing.
public final class MetricsRegistry: Sendable {
    /// What the registration lock guards.
    struct Registration: Sendable {
        /// Every metric by name: the canonical map, mutated in place.
        var metrics: [String: MetricStorage] = [:]
        /// The index `record` reads, republished after every change; replaced, never mutated.
        var index = MetricIndex()
        /// The last registration id handed out.
        var lastRegistrationID: UInt64 = 0
        /// Samples accepted by metrics that have since been unregistered.
        var removedRecorded: UInt64 = 0
        /// Samples dropped by overflow in metrics that have since been unregistered.
        var removedOverflow: UInt64 = 0
        /// The ring capacity reserved in ``MetricsRegistry/memory`` for each metric.
        var reservations = MetricReservations()
        /// The running budget counters, by SLO id, attached to their metric or not.
        var budgetCounters: [String: BudgetCounter] = [:]
        /// The running budget counters by metric name, as the metric's state holds them.
        var countersByMetric: [String: BudgetCounterSet] = [:]
    }

    /// The configuration the registry was created with.
    public let configuration: Configuration
    /// The clock that stamps samples recorded without a timestamp.
    package let wallClock: any WallClock
    /// The clock that times marks and `measure`.
    package let monotonicClock: any MonotonicClock
    /// This registry's process-unique id (never reused, so a cache keyed by it never confuses two).
    package let id: UInt64
    /// `ThreadTableCache.key`, copied so that `record` skips the lazy-global check.
    private let threadCacheKey = ThreadTableCache.key
    private let usesSystemWallClock: Bool
    private let usesSystemMonotonicClock: Bool
    let registration = MetricLock(Registration())
    /// Held by `upsert` through a whole replacement (a sleeping mutex, since copying 10M samples takes
    /// a while), so that replacements apply one at a time, in the order of their registration ids.
    // A `UInt8`, not `()`: ThreadSanitizer reports a false race on a `PThreadLock<()>`.
    let replacements = PThreadLock<UInt8>(0)
    /// Bumped after every index change; threads compare it with the version they cached.
    private let indexVersion = Atomic<UInt64>(0)
    /// The instrumentation mark slots.
    let marks: MarkSlots
    /// Stamps mark and `measure` samples from their end reading; nil unless both clocks are the system's.
    let markWallClock: MarkWallClock?
    /// Reusable copies for percentile selection, bounded in total (see ``ScratchPool``).
    let scratchPool = ScratchPool()
    /// The memory budget: every metric's ring capacity and overhead, the percentile scratch and the
    /// mark slots are reserved in it; other parts may reserve fixed amounts with
    /// ``MemoryBudget/reserveFixed(bytes:purpose:)``.
    public let memory: MemoryBudget
    /// The wall clock's reading (ms since the epoch, as a `Double` bit pattern) when a timestamp last
    /// looked too far ahead; −∞ until then. A timestamp within the skew limit of it is accepted without
    /// reading the clock; one beyond is checked against a fresh reading, which replaces it. Since a
    /// reading is only replaced by a newer one, the limit holds against the newest reading taken: a
    /// wall clock stepped back lets timestamps up to the step further ahead until the next refresh.
    let skewReading = Atomic<Double>(-.infinity)
    /// Every metric's history bytes against ``Configuration/historyMemoryLimit``.
    package let historyMemory: HistoryMemoryAccount
    /// The purpose under which the histories' limit is reserved in ``memory``.
    public static let historyMemoryPurpose = "history"

    /// Creates an empty registry.
    /// - Parameters:
    ///   - configuration: limits and auto-registration defaults.
    ///   - wallClock: stamps samples recorded without a timestamp (ms since the epoch).
    ///   - monotonicClock: times marks and `measure` (ns).
    public init(
        configuration: Configuration = .init(),
        wallClock: any WallClock = SystemWallClock(),
        monotonicClock: any MonotonicClock = SystemMonotonicClock()
    ) {
        self.configuration = configuration
        self.wallClock = wallClock
        self.monotonicClock = monotonicClock
        usesSystemWallClock = wallClock is SystemWallClock
        usesSystemMonotonicClock = monotonicClock is SystemMonotonicClock
        id = nextRegistryID.wrappingAdd(1, ordering: .relaxed).oldValue
        let slots = min(max(0, configuration.maxConcurrentMarks), Configuration.maximumConcurrentMarks)
        marks = MarkSlots(count: slots)
        memory = MemoryBudget(limit: configuration.memoryBudget)
        historyMemory = HistoryMemoryAccount(limit: configuration.historyMemoryLimit)
        // Preallocated (the marks) or promised (the histories' limit, at most half the budget), so
        // always counted, even past a tiny budget.
        memory.apply([
            "marks": slots * Configuration.bytesPerMarkSlot,
            Self.historyMemoryPurpose: configuration.historyMemoryLimit,
        ])
        markWallClock = usesSystemWallClock && usesSystemMonotonicClock ? MarkWallClock() : nil
    }

    /// Frees every metric's samples now: threads that used this registry keep its last index (and so
    /// its metrics) in their `ThreadTableCache` until they use another registry or exit.
    deinit {
        for metric in registration.withLock({ $0.metrics.values }) { _ = metric.markRemoved() }
        ThreadTableCache.forget(registryID: id, key: threadCacheKey)
    }

    // MARK: Recording

    /// Records one sample.
    /// - Parameters:
    ///   - name: the metric; registered on the fly when unknown and auto-registration is on.
    ///   - value: the sample, in the metric's unit; must be finite.
    ///   - timestamp: ms since the epoch; must be finite; nil takes the wall clock.
    /// - Throws: `nonFiniteValue`; `nonFiniteTimestamp` when `timestamp`, or the wall clock's reading
    ///   when it is nil, is NaN or infinite; `futureTimestamp` when `timestamp` is more than
    ///   ``Configuration/maxFutureSkewMilliseconds`` ahead of the wall clock; `unknownMetric` (auto-registration off), `invalidName`,
    ///   `invalidCapacity` or `metricLimitReached` (auto-registration).
    @inline(__always)
    public func record(_ name: String, value: Double, timestamp: Double? = nil) throws(MetricsError) {
        guard value.isFinite else { throw .nonFiniteValue(value, metric: name) }
        let time = try checkedTime(timestamp, metric: name)
        if let metric = lookup(name), metric.append(value: value, timestamp: time) {
            keepHistoryMemory()
            return
        }
        // Unknown, or unregistered since the lookup: take the slow path.
        let metric = try autoRegister(name)
        guard metric.append(value: value, timestamp: time) else { throw .unknownMetric(name) }
        keepHistoryMemory()
    }

    /// Records one sample through a handle, skipping the name lookup.
    /// - Throws: `nonFiniteValue`, `nonFiniteTimestamp`, `futureTimestamp` (as for
    ///   `record(_:value:timestamp:)`), or
    ///   `unknownMetric` when the metric was unregistered since.
    public func record(_ handle: MetricHandle, value: Double, timestamp: Double? = nil) throws(MetricsError) {
        guard value.isFinite else { throw .nonFiniteValue(value, metric: handle.name) }
        let time = try checkedTime(timestamp, metric: handle.name)
        guard handle.storage.append(value: value, timestamp: time) else { throw .unknownMetric(handle.name) }
        keepHistoryMemory()
    }

    /// Records several samples into one metric, in order, under one acquisition of its lock: all of
    /// them or, when a number is not finite or the metric is gone, none.
    /// - Parameters:
    ///   - handle: the metric.
    ///   - samples: values in the metric's unit, with timestamps in ms since the epoch.
    /// - Throws: `nonFiniteValue`, `nonFiniteTimestamp` or `futureTimestamp` for the first bad sample;
    ///   `unknownMetric` when the metric was unregistered since the handle was made.
    package func record(_ handle: MetricHandle, samples: UnsafeBufferPointer<RecentSample>)
        throws(MetricsError)
    {
        try record(handle, samples: samples, applying: nil)
    }

    /// ``record(_:samples:)``, also marking the metric as holding journal record `sequence` (when not
    /// nil) under the same hold of its lock as the samples.
    /// - Parameter intoHistory: false to put the samples into the ring only (see
    ///   ``restoreSamples(_:samples:)``).
    func record(
        _ handle: MetricHandle, samples: UnsafeBufferPointer<RecentSample>, applying sequence: UInt64?,
        intoHistory: Bool = true
    )
        throws(MetricsError)
    {
        guard !samples.isEmpty else { return }
        let now = nowMilliseconds()
        if !Self.passesChecks(samples, now: now, limit: configuration.maxFutureSkewMilliseconds) {
            try checkEach(samples, now: now, metric: handle.name)
        }
        guard handle.storage.append(samples, sequence: sequence, intoHistory: intoHistory) else {
            throw .unknownMetric(handle.name)
        }
        keepHistoryMemory()
    }

    /// Whether `handle` is the current registration of its name: recording through it reaches the metric
    /// that `name` finds now (false once the metric was unregistered, even if registered again).
    package func isCurrent(_ handle: MetricHandle) -> Bool {
        lookup(handle.name) === handle.storage
    }

    /// A handle for repeated recording into `name`, registering it first if auto-registration is on.
    /// - Throws: as `record` does for an unknown name.
    public func handle(for name: String) throws(MetricsError) -> MetricHandle {
        if let metric = lookup(name) { return MetricHandle(name: name, storage: metric) }
        return MetricHandle(name: name, storage: try autoRegister(name))
    }

    /// The timestamp to store, in ms since the epoch: `timestamp`, or the wall clock's reading when nil.
    /// - Throws: `nonFiniteTimestamp` when it is NaN or infinite; `futureTimestamp` when a given one is
    ///   more than ``Configuration/maxFutureSkewMilliseconds`` ahead of the wall clock (read afresh
    ///   before refusing, see ``skewReading``).
    @inline(__always)
    private func checkedTime(_ timestamp: Double?, metric: String) throws(MetricsError) -> Double {
        guard let timestamp else {
            // A bad injected wall clock must not store a NaN or infinite timestamp either.
            let now = nowMilliseconds()
            guard now.isFinite else { throw .nonFiniteTimestamp(now, metric: metric) }
            return now
        }
        guard timestamp.isFinite else { throw .nonFiniteTimestamp(timestamp, metric: metric) }
        // Compared first with the last reading the check took, so a plausible timestamp costs no clock
        // reading; only one that looks too far ahead reads the clock before it is refused.
        if timestamp - skewReading.load(ordering: .relaxed) > configuration.maxFutureSkewMilliseconds {
            try checkNotFuture(timestamp, now: freshSkewReading(), metric: metric)
        }
        return timestamp
    }

    /// The wall clock's time in ms since the epoch, without an existential call for the system clock.
    @inline(__always)
    func nowMilliseconds() -> Double {
        guard usesSystemWallClock else { return wallClock.nowMilliseconds() }
        return SystemWallClock().nowMilliseconds()
    }

    /// The monotonic clock's time in ns, without an existential call for the system clock.
    @inline(__always)
    func nowNanoseconds() -> UInt64 {
        guard usesSystemMonotonicClock else { return monotonicClock.nowNanoseconds() }
        return SystemMonotonicClock().nowNanoseconds()
    }

    /// Finds a metric through the calling thread's cached index; takes the lock only when the index
    /// changed since this thread last looked.
    @inline(__always)
    func lookup(_ name: String) -> MetricStorage? {
        let version = indexVersion.load(ordering: .acquiring)
        return ThreadTableCache.current(key: threadCacheKey)._withUnsafeGuaranteedRef { cache in
            if cache.version != version || cache.registryID != id {
                let (index, current) = registration.withLock {
                    ($0.index, indexVersion.load(ordering: .relaxed))
                }
                cache.index = index
                cache.version = current
                cache.registryID = id
            }
            return cache.fastIndex._withUnsafeGuaranteedRef { $0.lookup(name) }
        }
    }

    /// The version of the name index, bumped whenever a metric is registered or removed: a cache of
    /// name → handle filled at one version is current until it changes. (A replacement keeps the
    /// metric's storage, and so its handles.)
    package var registrationVersion: UInt64 { indexVersion.load(ordering: .acquiring) }

    /// Publishes a new index; call with the registration lock held.
    func publish(_ index: MetricIndex, in state: inout Registration) {
        state.index = index
        indexVersion.wrappingAdd(1, ordering: .releasing)
    }

    // MARK: Reading

    /// The current definition of `name`, or nil when unknown.
    public func definition(for name: String) -> MetricDefinition? {
        lookup(name)?.withLock { $0.definition }
    }

    /// The definition and counters of `name`, or nil when unknown.
    public func summary(for name: String) -> MetricSummary? { lookup(name)?.summary }

    /// Every metric's summary, sorted by name.
    public func list() -> [MetricSummary] {
        let metrics = registration.withLock { $0.metrics }
        return metrics.sorted { $0.key < $1.key }.map { $0.value.summary }
    }

    /// The id of the current registration of `name` (new on every register or replace, never reused);
    /// nil when unknown.
    package func registrationID(for name: String) -> UInt64? {
        lookup(name)?.withLock { $0.registrationID }
    }

    /// How many metrics are registered.
    public var metricCount: Int { registration.withLock { $0.metrics.count } }

    /// Samples accepted since the registry was created, over all metrics, including unregistered ones.
    package var totalRecorded: UInt64 {
        let (metrics, removed) = registration.withLock { ($0.metrics, $0.removedRecorded) }
        return metrics.values.reduce(removed) { $0 &+ $1.withLock { $0.recorded } }
    }

    /// Samples dropped by ring-buffer overflow since the registry was created, over all metrics.
    package var totalOverflow: UInt64 {
        let (metrics, removed) = registration.withLock { ($0.metrics, $0.removedOverflow) }
        return metrics.values.reduce(removed) { $0 &+ $1.withLock { $0.buffer.overflow } }
    }

    /// The sample storage of `name` in bytes (0 before its first sample); nil when unknown.
    package func storageBytes(for name: String) -> Int? {
        lookup(name)?.withLock { $0.buffer.allocatedBytes }
    }
}

/// What `upsert` did.
public enum UpsertOutcome: Sendable, Equatable {
    /// The metric did not exist and was registered.
    case created
    /// The metric existed and its definition was replaced.
    case replaced
}
