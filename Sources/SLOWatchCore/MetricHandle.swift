/// A reference to one metric for repeated recording without a name lookup.
///
/// Get one from `MetricsRegistry.handle(for:)` and pass it to `record(_:value:timestamp:)`. After the
/// metric is unregistered, recording through the handle throws `unknownMetric`, even if the name is
/// registered again.
public struct MetricHandle: Sendable {
    /// The metric's name.
    public let name: String
    /// The metric itself.
    let storage: MetricStorage

    init(name: String, storage: MetricStorage) {
        self.name = name
        self.storage = storage
    }
}
