/// What the registry counts exactly at ingest for one error-budget SLO: for every sample of `metric`,
/// one compare with `threshold` and two increments in the slice of the sample's time.
///
/// A sample is **good** when it is on the good side of the threshold, equal included: `value ≤
/// threshold` for ``SLODirection/above``, `value ≥ threshold` for ``SLODirection/below``.
public struct BudgetCounterSpec: Sendable, Equatable {
    /// The SLO's id; one counter per SLO.
    public let sloID: String
    /// The metric whose samples are counted.
    public let metric: String
    /// The good/bad boundary, in the metric's unit; finite.
    public let threshold: Double
    /// Which side of the threshold is bad.
    public let direction: SLODirection
    /// For a `Timeslices` SLO, how its slices are judged; nil for `Occurrences`.
    public let timeslice: TimesliceRule?

    /// Creates a spec; the SLO definition that holds it has checked every field.
    public init(
        sloID: String, metric: String, threshold: Double, direction: SLODirection,
        timeslice: TimesliceRule? = nil
    ) {
        self.sloID = sloID
        self.metric = metric
        self.threshold = threshold
        self.direction = direction
        self.timeslice = timeslice
    }

    /// Whether `value` is good (see the type's rule).
    @inline(__always)
    public func isGood(_ value: Double) -> Bool { !direction.isBreached(actual: value, threshold: threshold) }
}

/// How a `Timeslices` SLO judges one slice, exactly, from the slice's good and total event counts.
///
/// With `n` samples in the slice, `g` of them good, and the nearest rank `r = ⌈quantile·n⌉` (at least
/// 1, as `QuantileSelection.rank(of:count:)` computes it), the slice's nearest-rank percentile is on
/// the good side exactly when `g ≥ r` (direction `above`: the r-th smallest value is ≤ threshold) or
/// `g ≥ n − r + 1` (direction `below`: the r-th smallest value is ≥ threshold). A slice with fewer
/// than `minSamples` samples is neither good nor bad.
public struct TimesliceRule: Sendable, Equatable {
    /// The percentile judged in each slice, in (0, 1].
    public let quantile: Double
    /// The SLO's slice length, in ms: a whole multiple of the finest history tier's slice.
    public let sliceMilliseconds: Int64
    /// The fewest samples a slice needs to count; at least 1.
    public let minSamples: Int

    /// Creates a rule; the SLO definition that holds it has checked every field.
    public init(quantile: Double, sliceMilliseconds: Int64, minSamples: Int) {
        self.quantile = quantile
        self.sliceMilliseconds = sliceMilliseconds
        self.minSamples = minSamples
    }

    /// Whether a slice of `total` samples, `good` of them good, is good (true), bad (false) or does not
    /// count (nil, fewer than ``minSamples``).
    public func judge(good: UInt64, total: UInt64, direction: SLODirection) -> Bool? {
        guard total >= UInt64(max(1, minSamples)), total > 0 else { return nil }
        let rank = UInt64(QuantileSelection.rank(of: quantile, count: Int(clamping: total)))
        switch direction {
        case .above: return good >= rank
        case .below: return good >= total - rank + 1
        }
    }
}

/// An SLO's exact counts over a span.
public struct BudgetCounts: Sendable, Equatable {
    /// Good events (samples) in the span.
    public var goodEvents: UInt64
    /// All events in the span.
    public var totalEvents: UInt64
    /// For a `Timeslices` SLO, the slices ending in the span judged good; 0 otherwise.
    public var goodSlices: UInt64
    /// For a `Timeslices` SLO, the slices ending in the span judged bad; 0 otherwise.
    public var badSlices: UInt64
    /// The span actually covered, in ms since the epoch: the asked span widened to slice boundaries
    /// of the finest tier that still keeps its start.
    public var fromMilliseconds: Int64
    /// The end of the covered span, in ms since the epoch (exclusive).
    public var toMilliseconds: Int64
    /// Since when the counts are exact, in ms since the epoch: the start of the first slice counted at
    /// ingest. Before it, they were backfilled from history buckets (see the counter's documentation).
    public var exactSinceMilliseconds: Int64
    /// Samples the counter has refused since it started because they were older than every tier's
    /// retention (counted back from the newest sample's slice); they are in no count. Not limited to
    /// the span. 0 from sources that do not track it.
    public var lateEvents: UInt64 = 0

    /// Creates counts.
    public init(
        goodEvents: UInt64, totalEvents: UInt64, goodSlices: UInt64 = 0, badSlices: UInt64 = 0,
        fromMilliseconds: Int64, toMilliseconds: Int64, exactSinceMilliseconds: Int64, lateEvents: UInt64 = 0
    ) {
        self.goodEvents = goodEvents
        self.totalEvents = totalEvents
        self.goodSlices = goodSlices
        self.badSlices = badSlices
        self.fromMilliseconds = fromMilliseconds
        self.toMilliseconds = toMilliseconds
        self.exactSinceMilliseconds = exactSinceMilliseconds
        self.lateEvents = lateEvents
    }

    /// Bad events in the span.
    public var badEvents: UInt64 { totalEvents - min(goodEvents, totalEvents) }
}

/// What the SLO monitor needs from the registry to judge error-budget SLOs. `MetricsRegistry`
/// conforms; tests may use a fake.
///
/// Counting is keyed by SLO id and independent of the metric's registration: a counter may be started
/// before its metric exists, and it keeps its counts when the metric is unregistered and registered again.
public protocol BudgetCountSource: AnyObject, Sendable {
    /// Starts counting `spec` exactly at ingest, or keeps an identical counter running; a changed spec
    /// (another threshold, direction, metric or rule) restarts its counter.
    /// - Returns: since when its counts are exact, in ms since the epoch.
    @discardableResult
    func startCounting(_ spec: BudgetCounterSpec) -> Int64
    /// Stops counting for `sloID` and frees its counts; unknown ids are ignored.
    func stopCounting(sloID: String)
    /// The counts of `sloID` over [from, to) in ms since the epoch, widened to slice boundaries; nil
    /// when no counter runs for it.
    func budgetCounts(sloID: String, fromMilliseconds: Double, toMilliseconds: Double) -> BudgetCounts?
    /// ``startCounting(_:)`` that reports a refusal: a counter takes memory (about 94 KB for
    /// `Occurrences`, 141 KB for `Timeslices` at the default tiers, see `MetricsRegistry`), and a start
    /// that does not fit the memory budget throws, starting nothing and leaving a running counter for
    /// the same SLO as it was. The default implementation calls ``startCounting(_:)`` and never throws.
    /// - Throws: `MetricsError.memoryLimitReached`, naming the SLO.
    @discardableResult
    func tryStartCounting(_ spec: BudgetCounterSpec) throws(MetricsError) -> Int64
}

extension BudgetCountSource {
    /// Calls ``startCounting(_:)``: for sources that never refuse a start.
    @discardableResult
    public func tryStartCounting(_ spec: BudgetCounterSpec) throws(MetricsError) -> Int64 {
        startCounting(spec)
    }
}
