/// The cumulative histogram of a metric since registration: what Prometheus's native histograms
/// expose (``cumulativeTotal``).
///
/// **Exact and cheap.** The total is ``MetricHistory/closedTotal`` merged with the open slice and the
/// dense deltas (late samples of recently closed slices, ``dense``). `closedTotal` grows in only three
/// places, each before the samples join a compacted slice, so each sample is counted once: where the
/// open slice closes (once per slice), where a delta is merged into its compacted slice (or dropped
/// for memory), and for each late sample added straight to a compacted slice (older than the deltas'
/// reach: rare). The record path's fast cases (the open slice, a delta) pay nothing. It counts every
/// sample history counted, exactly (same buckets), and nothing history refused: samples counted as
/// ``late`` or ``future`` are in neither. Retention and the memory limit drop slices, never the
/// total: it only grows, as a Prometheus counter must.
///
/// **Memory.** About one dense histogram (at most ``ExponentialHistogram/maximumBuckets`` counts per
/// sign, 8 bytes each) per metric, counted in ``bytes``.
///
/// **Restart.** A history restored from a snapshot starts with `closedTotal` nil and rebuilds it, on
/// first need, from its restored compacted slices (``rebuiltClosedTotal``); the service's snapshot may
/// hand the saved total back instead (``restoreClosedTotal(_:)``), which keeps samples that retention
/// had already dropped from the slices.
extension MetricHistory {
    /// Every sample history counted since registration: the closed total merged with the open slice.
    /// O(buckets); take it from a copy outside the metric's lock.
    package var cumulativeTotal: ExponentialHistogram {
        var total = closedTotal ?? rebuiltClosedTotal
        total.merge(open)
        for delta in dense.histograms { total.merge(delta) }
        return total
    }

    /// The merge of every compacted slice history still holds (every tier's), as the closed total is
    /// before any slice aged out; the open slice and the deltas are not in it.
    package var rebuiltClosedTotal: ExponentialHistogram {
        var total = ExponentialHistogram(scale: layout.scale)
        for tier in levels {
            for slice in tier.slices { total.merge(slice.histogram) }
        }
        return total
    }

    /// The bytes of the closed total (0 while it is not built).
    package var closedTotalBytes: Int { closedTotal?.allocatedBytes ?? 0 }

    /// The hook where samples held apart from the compacted slices join them (the open slice closing, a
    /// delta merged or dropped): adds `histogram` to the closed total (built first if needed, before the
    /// samples join the compacted slices, so they are counted once).
    mutating func mergeIntoClosedTotal(_ histogram: ExponentialHistogram) {
        guard !histogram.isEmpty || closedTotal == nil else { return }
        var total = takeClosedTotal()
        total.merge(histogram)
        closedTotal = total
    }

    /// The hook for a late sample added straight to a compacted slice (before it is stored there).
    mutating func addToClosedTotal(_ value: Double) {
        var total = takeClosedTotal()
        total.record(value, layout: layout)
        closedTotal = total
    }

    /// Sets the closed total to `saved` (as a snapshot kept it), when it is at this history's scale or
    /// coarser and counts at least what the restored closed slices hold; otherwise keeps the rebuilt
    /// one, so a total never counts fewer samples than the history it belongs to.
    /// - Returns: whether `saved` was taken.
    @discardableResult
    package mutating func restoreClosedTotal(_ saved: ExponentialHistogram) -> Bool {
        let rebuilt = rebuiltClosedTotal
        guard saved.scale <= layout.scale, saved.count >= rebuilt.count else {
            closedTotal = rebuilt
            return false
        }
        closedTotal = saved
        return true
    }

    /// The closed total, built from the slices when it is not yet, moved out of the stored property so
    /// that the caller mutates it without a copy.
    private mutating func takeClosedTotal() -> ExponentialHistogram {
        guard let total = closedTotal else { return rebuiltClosedTotal }
        closedTotal = nil
        return total
    }
}
