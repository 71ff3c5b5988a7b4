import SLOWatchCore

/// One metric predefinition from a configuration file's `metrics:` list.
///
/// The capacity is optional: a metric without one gets the resolved `capacity` setting, which a flag
/// or environment variable may still change after the file is read. Every other field is the decoded
/// definition's (``MetricDefinitionBody``), so a new metric field needs no change here.
public struct ConfigMetric: Sendable, Equatable {
    /// The definition as decoded; its capacity is meaningful only when ``capacity`` is not nil.
    private let decoded: MetricDefinition
    /// Samples kept, in 1...`MetricDefinition.maximumCapacity`; nil means the `capacity` setting.
    public let capacity: Int?
    /// The 1-based line where the item starts.
    public let line: Int

    /// The metric name (already checked against the name rule).
    public var name: String { decoded.name }
    /// What the samples measure (default `latency`).
    public var type: MetricType { decoded.type }
    /// The unit of the values (default `ms`).
    public var unit: String { decoded.unit }
    /// Free text (default empty).
    public var description: String { decoded.description }

    /// Creates an entry from a decoded definition.
    /// - Parameters:
    ///   - definition: the decoded fields; its capacity is replaced by `capacity` or the setting.
    ///   - capacity: the capacity the file gave, in samples, or nil for the `capacity` setting.
    ///   - line: the 1-based line of the item.
    init(definition: MetricDefinition, capacity: Int?, line: Int) {
        decoded = definition
        self.capacity = capacity
        self.line = line
    }

    /// Creates an entry.
    public init(name: String, type: MetricType, unit: String, description: String, capacity: Int?, line: Int)
    {
        self.init(
            definition: MetricDefinition(
                name: name, type: type, unit: unit, description: description,
                capacity: capacity ?? MetricDefinition.defaultCapacity),
            capacity: capacity, line: line)
    }

    /// The definition to register, with `defaultCapacity` (samples) when the file gave none.
    public func definition(defaultCapacity: Int) -> MetricDefinition {
        var definition = decoded
        definition.capacity = capacity ?? defaultCapacity
        return definition
    }

    /// Equal when the definitions to register are, whatever capacity a file without one was decoded with.
    public static func == (lhs: ConfigMetric, rhs: ConfigMetric) -> Bool {
        lhs.capacity == rhs.capacity && lhs.line == rhs.line
            && lhs.definition(defaultCapacity: 1) == rhs.definition(defaultCapacity: 1)
    }
}
