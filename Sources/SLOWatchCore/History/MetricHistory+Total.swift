/// The cumulative histogram of a metric since registration: what Prometheus's native histograms
/// expose (``cumulativeTotal``).
///
/// **Exact and cheap.** ``MetricHistory/closedTotal`` is updated in only two places: where the open
/// slice closes (``mergeOpenIntoClosedTotal()``, once per slice) and for each sample recorded outside
/// the open slice (``addToClosedTotal(_:)``, late samples, which are rare). The open slice's samples
/// are not counted there until it closes, so the record path's fast case pays nothing, and the total
/// at any moment is the closed total merged with the open slice. It counts every sample history
/// counted, exactly (same buckets), and nothing history refused: samples counted as ``late`` or
/// ``future`` are in neither. Retention and the memory limit drop slices, never the total: it only
/// grows, as a Prometheus counter must.
///
/// **Memory.** About one dense histogram (at most ``ExponentialHistogram/maximumBuckets`` counts per
/// sign, 8 bytes each) per metric, counted in ``bytes``.
///
/// **Restart.** A history restored from a snapshot starts with `closedTotal` nil and rebuilds it, on
/// first need, from its restored closed slices (``rebuiltClosedTotal``); the service's snapshot may
/// hand the saved total back instead (``restoreClosedTotal(_:)``), which keeps samples that retention
/// had already dropped from the slices.
extension MetricHistory {
    /// Every sample history counted since registration: the closed total merged with the open slice.
    /// O(buckets); take it from a copy outside the metric's lock.
    package var cumulativeTotal: ExponentialHistogram {
        var total = closedTotal ?? rebuiltClosedTotal
        total.merge(open)
        return total
    }

    /// The merge of every closed slice history still holds (the compacted slices of every tier and the
    /// dense ones), as the closed total is before any slice aged out.
    package var rebuiltClosedTotal: ExponentialHistogram {
        var total = ExponentialHistogram(scale: layout.scale)
        for tier in levels {
            for slice in tier.slices { total.merge(slice.histogram) }
        }
        for histogram in dense.histograms { total.merge(histogram) }
        return total
    }

    /// The bytes of the closed total (0 while it is not built).
    var closedTotalBytes: Int { closedTotal?.allocatedBytes ?? 0 }

    /// The hook where the open slice closes: adds it to the closed total (built first if needed, before
    /// the slice joins the closed ones, so it is counted once).
    mutating func mergeOpenIntoClosedTotal() {
        var total = takeClosedTotal()
        total.merge(open)
        closedTotal = total
    }

    /// The hook for a sample history keeps outside the open slice (before it is stored in a slice).
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
