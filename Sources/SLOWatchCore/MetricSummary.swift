/// A cheap view of one metric: its definition and counters, without any percentile work.
public struct MetricSummary: Sendable, Equatable {
    /// The metric's current definition.
    public var definition: MetricDefinition
    /// Samples currently held (at most `definition.capacity`).
    public var count: Int
    /// Samples dropped because the ring buffer was full, since the metric was registered.
    public var overflow: UInt64
    /// The timestamp of the most recently recorded sample, in ms since the Unix epoch; nil when empty.
    public var newestTimestamp: Double?

    /// Creates a summary.
    package init(definition: MetricDefinition, count: Int, overflow: UInt64, newestTimestamp: Double?) {
        self.definition = definition
        self.count = count
        self.overflow = overflow
        self.newestTimestamp = newestTimestamp
    }
}
