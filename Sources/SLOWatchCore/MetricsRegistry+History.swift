extension MetricsRegistry {
    /// What a metric's history holds and has refused.
    package struct HistoryCounters: Sendable, Equatable {
        /// Samples older than the retention, kept in the ring only.
        package var late: UInt64
        /// Samples whose time history cannot slice (more than 2^52 ms after the epoch), kept in the ring
        /// only; the registry's skew check refuses a time too far ahead before it gets here.
        package var future: UInt64
        /// Bytes the history holds (compacted slices and the open slice).
        package var bytes: Int
        /// Slices dropped to keep the history-memory limit.
        package var droppedSlices: UInt64
    }

    /// An empty history for a new metric, as the configuration asks: its tiers and its scale (clamped
    /// to 3 ... 8), with no future limit of its own (+∞).
    ///
    /// The registry already refuses timestamps more than ``Configuration/maxFutureSkewMilliseconds``
    /// ahead of the wall clock, the only true "now". A limit relative to the history's newest sample
    /// would be wrong: after a quiet spell longer than the limit, the next samples at the present time
    /// would be refused. With the skew check off (+∞), the embedder trusts its timestamps, and history
    /// does too: a sample far ahead ages the history as if that time had come.
    func newHistory() -> MetricHistory {
        let scale = min(
            max(configuration.historyScale, ExponentialBucketLayout.minimumConfigurableScale),
            ExponentialBucketLayout.maximumScale)
        return MetricHistory(
            tiers: configuration.historyTiers, scale: scale, futureLimitMilliseconds: .infinity)
    }

    /// A copy of `name`'s history, taken under its lock in O(tiers) (the slices are shared
    /// copy-on-write), so that merging a long span runs outside the lock; nil when unknown.
    package func history(for name: String) -> MetricHistory? {
        lookup(name)?.withLock { $0.history }
    }

    /// The history counters of `name`; nil when unknown.
    package func historyCounters(for name: String) -> HistoryCounters? {
        lookup(name)?.withLock { state in
            HistoryCounters(
                late: state.history.late, future: state.history.future, bytes: state.history.bytes,
                droppedSlices: state.history.droppedSlices)
        }
    }

    /// The samples of `name` over [from, to) (ms since the epoch) from its history, with the span
    /// actually covered (the start rounded down to a slice boundary); nil when unknown.
    package func historySpan(for name: String, from: Double, to: Double) -> MetricHistory.Span? {
        history(for: name)?.span(from: from, to: to)
    }
}

extension MetricsRegistry {
    /// The statistics of `metric`'s samples with a time ≥ `from` (ms since the epoch), from its
    /// history: the start rounded down to a slice boundary (``MetricHistory/alignedStart(_:)``);
    /// quantiles within the histogram's ``ExponentialBucketLayout/relativeErrorBound`` of the exact
    /// nearest rank over the samples of that span, count, sum, mean, min and max exact.
    func historySummary(
        of metric: MetricStorage, quantiles: [Double], from: Double, now: Double
    ) -> PercentileSummary {
        // A copy-on-write copy under the lock; the merge runs outside it.
        let history = metric.withLock { $0.history }
        let span = history.span(from: from, to: .infinity)
        let histogram = span.histogram
        func value(_ q: Double) -> Double? {
            if q == 0 { return histogram.isEmpty ? nil : histogram.minimum }
            if q == 1 { return histogram.isEmpty ? nil : histogram.maximum }
            return histogram.quantile(q)
        }
        var summary =
            histogram.isEmpty
            ? PercentileSummary.empty
            : PercentileSummary(
                count: Int(clamping: histogram.count), min: histogram.minimum, max: histogram.maximum,
                mean: histogram.mean, sum: histogram.sum, p50: value(0.5), p90: value(0.9), p95: value(0.95),
                p99: value(0.99), p999: value(0.999),
                quantiles: quantiles.map { QuantileValue(quantile: $0, value: value($0) ?? .nan) },
                oldestTimestamp: Double(span.fromMilliseconds), newestTimestamp: history.newestMilliseconds)
        summary.exact = false
        summary.relativeError = histogram.layout.relativeErrorBound
        summary.fromMilliseconds = Double(span.fromMilliseconds)
        summary.toMilliseconds = now
        return summary
    }
}

extension MetricsRegistry {
    /// ``MetricHistory/points(range:step:now:)`` of `name` at the wall clock's now; nil when unknown.
    /// The slices are merged outside the metric's lock.
    /// - Throws: ``MetricHistory/PointsError``.
    package func historyPoints(
        for name: String, rangeMilliseconds: Int64, stepMilliseconds: Int64
    ) throws(MetricHistory.PointsError) -> (start: Int64, histograms: [ExponentialHistogram])? {
        guard let history = history(for: name) else { return nil }
        return try history.points(range: rangeMilliseconds, step: stepMilliseconds, now: nowMilliseconds())
    }
}
