import SLOWatchSync
import Synchronization

/// The bytes every metric's history holds together, against the history-memory limit
/// (``MetricsRegistry/Configuration/historyMemoryLimit``), and the slices dropped to keep it.
///
/// A metric adds the change of its history's bytes when its history opens a new finest slice (every
/// 10 s by default, under the metric's lock), so the total lags by at most one open slice and the
/// late samples since per metric. Past the limit, the registry drops the oldest coarsest slices of the
/// least recently written metrics until the total is back under seven eighths of it
/// (``MetricsRegistry/enforceHistoryMemory()``).
package final class HistoryMemoryAccount: Sendable {
    /// The most bytes all histories may hold together.
    package let limit: Int
    /// The bytes accounted, over every metric.
    private let total = Atomic<Int>(0)
    /// A counter stamped on a metric each time it accounts, to order metrics by their last write.
    private let clock = Atomic<UInt64>(0)
    /// Slices dropped to keep the limit.
    private let dropped = Atomic<UInt64>(0)
    /// Whether a thread is dropping slices now (one at a time).
    private let enforcing = Atomic<Bool>(false)
    /// Called once, at the first drop, with a sentence for the log.
    private let firstDrop = PThreadLock<(@Sendable (String) -> Void)?>(nil)

    /// An account of `limit` bytes (at least 0).
    package init(limit: Int) { self.limit = max(0, limit) }

    /// The bytes accounted now.
    package var bytes: Int { total.load(ordering: .relaxed) }

    /// The slices dropped so far to keep the limit.
    package var droppedSlices: UInt64 { dropped.load(ordering: .relaxed) }

    /// Whether the accounted bytes are past the limit.
    @inline(__always)
    package var isOver: Bool { total.load(ordering: .relaxed) > limit }

    /// Adds `delta` bytes (negative: freed).
    package func add(_ delta: Int) { total.wrappingAdd(delta, ordering: .relaxed) }

    /// The next stamp of ``clock``: larger for a later write.
    package func stamp() -> UInt64 { clock.wrappingAdd(1, ordering: .relaxed).newValue }

    /// Sets what is called (once) when history first drops slices for memory.
    package func onFirstDrop(_ report: @escaping @Sendable (String) -> Void) {
        firstDrop.withLock { $0 = report }
    }

    /// Takes the right to drop slices; false when another thread holds it.
    func beginEnforcing() -> Bool {
        enforcing.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    }

    /// Gives back the right taken by ``beginEnforcing()``, counting `slices` dropped meanwhile.
    func endEnforcing(droppedSlices slices: UInt64) {
        if slices > 0 {
            let before = dropped.wrappingAdd(slices, ordering: .relaxed).oldValue
            if before == 0, let report = firstDrop.withLock({ $0 }) {
                report(
                    "History memory reached its limit of \(limit) bytes (--history-memory): dropping the "
                        + "oldest, coarsest slices of the least recently written metrics; counted in "
                        + "slowatch_history_dropped_slices_total. Logged once.")
            }
        }
        enforcing.store(false, ordering: .releasing)
    }
}
