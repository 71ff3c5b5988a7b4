/// What tests of ``PercentileQueryCache`` see of it: an answer computed without it, and how many
/// answers a metric keeps.
extension MetricsRegistry {
    /// ``percentiles(for:quantiles:windowMilliseconds:)`` computed afresh: it neither reads nor fills
    /// the metric's ``PercentileQueryCache``, so a test can compare a kept answer with a fresh one.
    /// - Throws: `invalidQuantile`, `invalidWindow` or `unknownMetric`.
    package func freshPercentiles(
        for name: String, quantiles: [Double] = [], windowMilliseconds: Double? = nil
    ) throws(MetricsError) -> PercentileSummary {
        for quantile in quantiles where !(quantile >= 0 && quantile <= 1) {
            throw .invalidQuantile(quantile)
        }
        if let window = windowMilliseconds, !(window >= 0) { throw .invalidWindow(milliseconds: window) }
        guard let metric = lookup(name) else { throw .unknownMetric(name) }
        return summary(
            of: metric, quantiles: quantiles, windowMilliseconds: windowMilliseconds, cachingQueries: false)
    }

    /// How many answers with extra quantiles or a window `name` keeps (at most
    /// ``PercentileQueryCache/capacity``), or nil when it is unknown.
    package func keptQueryAnswers(for name: String) -> Int? {
        lookup(name)?.withLock { $0.queries.entries.count }
    }
}
