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
