extension MetricsRegistry {
    /// The default percentile answer of `name` (every sample, the standard quantiles), rendered by
    /// `render` and cached with the metric until its next write or redefinition.
    ///
    /// A metric that is read more often than written is rendered once per write, not once per read: a
    /// cache hit costs one lock acquisition and a reference-count increment. Rendering runs outside the
    /// metric's lock, so writers to the metric never wait for it.
    /// - Parameters:
    ///   - name: the metric.
    ///   - render: turns the summary and the definition it belongs to into bytes (the service's JSON);
    ///     called at most once per call.
    /// - Returns: the rendering of the current samples.
    /// - Throws: `unknownMetric`.
    package func renderedPercentiles(
        for name: String, render: (PercentileSummary, MetricDefinition) -> [UInt8]
    ) throws(MetricsError) -> [UInt8] {
        guard let metric = lookup(name) else { throw .unknownMetric(name) }
        // Every write and every redefinition bumps the version, so it alone says whether a rendering
        // is current.
        let (hit, version, definition) = metric.withLock { state in
            (
                state.rendered.flatMap { $0.version == state.version ? $0.bytes : nil }, state.version,
                state.definition
            )
        }
        if let hit { return hit }
        // The same storage the version was read from: a DELETE and re-registration in between cannot
        // mix one metric's samples with the other's definition.
        let bytes = render(summary(of: metric), definition)
        metric.withLock { state in
            // Only unchanged since the version was read is the summary known to be of that version.
            if state.version == version { state.rendered = (version, bytes) }
        }
        return bytes
    }
}

extension MetricsRegistry {
    /// The answer of `name` to extra `quantiles` (in the order asked, distinct) and/or a window, rendered
    /// by `render` and kept beside the metric's kept answer to that query (``PercentileQueryCache``), so
    /// a query asked again in the same order, before the metric changes or a sample crosses the
    /// window's edge, costs a lookup.
    ///
    /// The bytes are kept only when the metric's version did not change between looking for them and
    /// keeping them: the answer rendered is then the kept one's, computed at the same cut point, which
    /// selects the same samples as any cut point the kept answer is valid at.
    /// - Parameter render: turns the answer and the definition it belongs to into bytes; called at most
    ///   once per call.
    /// - Throws: `invalidQuantile`, `invalidWindow` or `unknownMetric`.
    package func renderedPercentiles(
        for name: String, quantiles: [Double], windowMilliseconds: Double?,
        render: (PercentileSummary, MetricDefinition) -> [UInt8]
    ) throws(MetricsError) -> [UInt8] {
        for quantile in quantiles where !(quantile >= 0 && quantile <= 1) {
            throw .invalidQuantile(quantile)
        }
        if let window = windowMilliseconds, !(window >= 0) { throw .invalidWindow(milliseconds: window) }
        guard let metric = lookup(name) else { throw .unknownMetric(name) }
        let now = nowMilliseconds()
        let query = PercentileQuery(
            quantiles: quantiles, window: windowMilliseconds, cut: windowMilliseconds.map { now - $0 })
        let cut = query.cut ?? 0
        let (hit, version, definition) = metric.withLock { state in
            let hit =
                query.isKeepable
                ? state.queries.rendered(
                    version: state.version, quantiles: query.quantiles, window: query.window, cut: cut,
                    asked: quantiles) : nil
            return (hit, state.version, state.definition)
        }
        if let hit { return hit }
        let summary = summary(
            of: metric, quantiles: quantiles, windowMilliseconds: windowMilliseconds, now: now)
        let bytes = render(summary, definition)
        guard query.isKeepable else { return bytes }
        metric.withLock { state in
            // Unchanged since the lookup: the summary and the definition are of this version.
            guard state.version == version else { return }
            state.queries.keepRendered(
                bytes, version: version, quantiles: query.quantiles, window: query.window, cut: cut,
                asked: quantiles)
        }
        return bytes
    }
}
