extension MetricsRegistry {
    /// Merges a histogram of samples (e.g. an OpenTelemetry exponential histogram point) into the
    /// history of `handle`'s metric at `timestamp`, as ``MetricHistory/merge(_:at:)`` places it.
    ///
    /// Only the history takes it: the ring (which holds raw samples, and has none here) and the
    /// error-budget counters (which count raw samples against a threshold) do not, so windowed
    /// percentiles that the ring answers and budget SLOs do not see merged histograms; the history
    /// queries (`GET /metrics/{name}/history`, and windows longer than the ring) do.
    /// - Parameters:
    ///   - histogram: the samples; empty merges nothing.
    ///   - handle: the metric.
    ///   - timestamp: ms since the epoch; nil takes the wall clock.
    /// - Returns: what history did with it (``MetricHistory/Outcome``: too old or too far ahead counts
    ///   the histogram's samples as late or future).
    /// - Throws: `nonFiniteTimestamp`, `futureTimestamp` (past the registry's skew limit), or
    ///   `unknownMetric` when the metric was unregistered since the handle was made.
    @discardableResult
    package func merge(_ histogram: ExponentialHistogram, into handle: MetricHandle, at timestamp: Double?)
        throws(MetricsError) -> MetricHistory.Outcome
    {
        let now = nowMilliseconds()
        let time = timestamp ?? now
        guard time.isFinite else { throw .nonFiniteTimestamp(time, metric: handle.name) }
        try checkNotFuture(time, now: now, metric: handle.name)
        let outcome: MetricHistory.Outcome? = handle.storage.withLock { state in
            guard !state.isRemoved else { return nil }
            let open = state.history.openIndex
            let outcome = state.history.merge(histogram, at: time)
            if state.history.openIndex != open { state.accountHistory() }
            state.version &+= 1
            return outcome
        }
        guard let outcome else { throw .unknownMetric(handle.name) }
        keepHistoryMemory()
        return outcome
    }
}
