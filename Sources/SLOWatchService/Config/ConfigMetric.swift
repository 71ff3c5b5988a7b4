import SLOWatchCore

/// One metric predefinition from a configuration file's `metrics:` list.
///
/// The capacity is optional: a metric without one gets the resolved `capacity` setting, which a flag
/// or environment variable may still change after the file is read.
public struct ConfigMetric: Sendable, Equatable {
    /// The metric name (already checked against the name rule).
    public let name: String
    /// What the samples measure (default `latency`).
    public let type: MetricType
    /// The unit of the values (default `ms`).
    public let unit: String
    /// Free text (default empty).
    public let description: String
    /// Samples kept, in 1...`MetricDefinition.maximumCapacity`; nil means the `capacity` setting.
    public let capacity: Int?
    /// The 1-based line where the item starts.
    public let line: Int

    /// Creates an entry.
    public init(name: String, type: MetricType, unit: String, description: String, capacity: Int?, line: Int)
    {
        self.name = name
        self.type = type
        self.unit = unit
        self.description = description
        self.capacity = capacity
        self.line = line
    }

    /// The definition to register, with `defaultCapacity` (samples) when the file gave none.
    public func definition(defaultCapacity: Int) -> MetricDefinition {
        MetricDefinition(
            name: name, type: type, unit: unit, description: description,
            capacity: capacity ?? defaultCapacity)
    }
}
