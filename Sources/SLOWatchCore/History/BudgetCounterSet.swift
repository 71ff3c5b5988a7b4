/// The budget counters of one metric, as its state holds them (`MetricState.counters`), so `append`
/// reaches them without a lookup. Immutable: starting or stopping a counter replaces the whole set,
/// under the registry's registration lock and then the metric's lock.
final class BudgetCounterSet: Sendable {
    /// The counters, one per SLO counting this metric.
    let counters: [BudgetCounter]
    /// The finest tier's slice, in ms, shared by every counter of the registry.
    let finestSliceMilliseconds: Double

    /// Creates a set of `counters`, which all slice time as `tiers` does.
    init(_ counters: [BudgetCounter], tiers: HistoryTiers) {
        self.counters = counters
        finestSliceMilliseconds = Double(tiers.finest.sliceMilliseconds)
    }

    /// Counts one sample (value in the metric's unit, timestamp in ms since the epoch, finite) in every
    /// counter: one division for the slice, then per counter one compare and two increments. Call with
    /// the metric's lock held.
    @inline(__always)
    func count(_ value: Double, timestamp: Double) {
        let limit = BudgetCounter.timeLimitMilliseconds
        let index = Int64((min(max(timestamp, -limit), limit) / finestSliceMilliseconds).rounded(.down))
        for counter in counters { counter.count(value, at: index) }
    }

    /// Counts samples in order, as ``count(_:timestamp:)`` does each.
    func count(_ samples: UnsafeBufferPointer<RecentSample>) {
        for sample in samples { count(sample.value, timestamp: sample.timestamp) }
    }
}
