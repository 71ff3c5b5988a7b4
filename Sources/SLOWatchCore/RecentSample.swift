/// One stored sample, as ``MetricsRegistry/recentSamples(for:limit:)`` hands it out.
public struct RecentSample: Sendable, Equatable {
    /// The value, in the metric's unit.
    public var value: Double
    /// When it was taken, in ms since the Unix epoch.
    public var timestamp: Double

    /// Creates a sample.
    public init(value: Double, timestamp: Double) {
        self.value = value
        self.timestamp = timestamp
    }
}

extension MetricsRegistry {
    /// The newest samples of `name`, newest first, copied under the metric's lock.
    /// - Parameters:
    ///   - name: the metric.
    ///   - limit: the most samples returned (at least 0).
    /// - Throws: `unknownMetric` when `name` is not registered.
    public func recentSamples(for name: String, limit: Int) throws(MetricsError) -> [RecentSample] {
        guard let metric = lookup(name) else { throw .unknownMetric(name) }
        return metric.withLock { $0.buffer.newest(limit: limit) }
    }
}
