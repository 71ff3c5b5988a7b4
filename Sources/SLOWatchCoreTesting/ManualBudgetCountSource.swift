import SLOWatchCore
import SLOWatchSync

/// A ``BudgetCountSource`` whose counts the test sets: each ``add(sloID:atMilliseconds:good:bad:goodSlices:badSlices:)``
/// puts events at one instant, and ``budgetCounts(sloID:fromMilliseconds:toMilliseconds:)`` sums those
/// in [from, to) exactly (no slice widening), in O(log n). A counter must be started (as the monitor does) before
/// its counts are answered; stopping it forgets them.
///
/// Thread-safe: its state is behind one `PThreadLock`.
public final class ManualBudgetCountSource: BudgetCountSource {
    /// Running sums: `sums[i]` totals the first `i` entries (so `sums[0]` is zero).
    private struct Sums: Sendable {
        var good: UInt64 = 0
        var bad: UInt64 = 0
        var goodSlices: UInt64 = 0
        var badSlices: UInt64 = 0
    }

    private struct Counter: Sendable {
        var spec: BudgetCounterSpec
        var startedMilliseconds: Int64
        /// The entries' times, in ms, non-decreasing.
        var times: [Double] = []
        var sums: [Sums] = [Sums()]

        /// The index of the first entry at or after `milliseconds`.
        func lowerBound(_ milliseconds: Double) -> Int {
            times.partitionPoint { $0 >= milliseconds }
        }
    }

    private let clock: any WallClock
    private let counters = PThreadLock<[String: Counter]>([:])

    /// A source whose counters start at `clock`'s time.
    public init(clock: any WallClock) { self.clock = clock }

    /// Starts (or keeps) the counter of `spec.sloID`; a changed spec restarts it empty.
    @discardableResult
    public func startCounting(_ spec: BudgetCounterSpec) -> Int64 {
        let now = Int64(clock.nowMilliseconds())
        return counters.withLock { counters in
            if let running = counters[spec.sloID], running.spec == spec { return running.startedMilliseconds }
            counters[spec.sloID] = Counter(spec: spec, startedMilliseconds: now)
            return now
        }
    }

    /// Forgets the counter of `sloID`.
    public func stopCounting(sloID: String) { _ = counters.withLock { $0.removeValue(forKey: sloID) } }

    /// The sums of the events added in [from, to), or nil when no counter runs for `sloID`.
    public func budgetCounts(sloID: String, fromMilliseconds: Double, toMilliseconds: Double) -> BudgetCounts?
    {
        counters.withLock { counters in
            guard let counter = counters[sloID] else { return nil }
            let low = counter.sums[counter.lowerBound(fromMilliseconds)]
            let high = counter.sums[
                max(counter.lowerBound(fromMilliseconds), counter.lowerBound(toMilliseconds))]
            return BudgetCounts(
                goodEvents: high.good - low.good, totalEvents: high.good + high.bad - low.good - low.bad,
                goodSlices: high.goodSlices - low.goodSlices, badSlices: high.badSlices - low.badSlices,
                fromMilliseconds: Int64(fromMilliseconds), toMilliseconds: Int64(toMilliseconds),
                exactSinceMilliseconds: counter.startedMilliseconds)
        }
    }

    /// Adds events at `milliseconds` (default: the clock's now) to a running counter; ignored otherwise.
    /// Add in time order: an entry earlier than the last is placed at the last one's time. Entries are
    /// never dropped (this is for tests).
    public func add(
        sloID: String, atMilliseconds milliseconds: Double? = nil, good: UInt64 = 0, bad: UInt64 = 0,
        goodSlices: UInt64 = 0, badSlices: UInt64 = 0
    ) {
        let at = milliseconds ?? clock.nowMilliseconds()
        counters.withLock { counters in
            guard var counter = counters[sloID] else { return }
            counters[sloID] = nil
            counter.times.append(max(at, counter.times.last ?? at))
            var sums = counter.sums[counter.sums.count - 1]
            sums.good += good
            sums.bad += bad
            sums.goodSlices += goodSlices
            sums.badSlices += badSlices
            counter.sums.append(sums)
            counters[sloID] = counter
        }
    }

    /// The specs of the running counters, by SLO id.
    public var specs: [String: BudgetCounterSpec] { counters.withLock { $0.mapValues(\.spec) } }
}
