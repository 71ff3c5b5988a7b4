/// The description of one metric: its name, kind, unit, and how many samples it keeps.
public struct MetricDefinition: Sendable, Equatable {
    /// The default number of samples a metric keeps: 10,000 (160,000 bytes once allocated).
    public static let defaultCapacity = 10_000

    /// The largest accepted capacity: 10,000,000 samples (160 MB once allocated).
    ///
    /// It exists so that a single request cannot ask for an allocation the machine cannot make.
    public static let maximumCapacity = 10_000_000

    /// The metric's name; it must match `^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$`.
    public var name: String
    /// What the samples measure.
    public var type: MetricType
    /// The unit of the sample values, free text such as `ms`, `bytes` or `requests`.
    public var unit: String
    /// A human description, free text.
    public var description: String
    /// How many samples the ring buffer keeps (16 bytes each); the oldest is dropped beyond that.
    public var capacity: Int

    /// Creates a definition. Nothing is validated here; the registry validates on `register`/`upsert`.
    /// - Parameters:
    ///   - name: the metric name.
    ///   - type: what the samples measure (default `.latency`).
    ///   - unit: the unit of the values (default `ms`).
    ///   - description: free text (default empty).
    ///   - capacity: samples kept, 1...`maximumCapacity` (default 10,000).
    public init(
        name: String,
        type: MetricType = .latency,
        unit: String = "ms",
        description: String = "",
        capacity: Int = MetricDefinition.defaultCapacity
    ) {
        self.name = name
        self.type = type
        self.unit = unit
        self.description = description
        self.capacity = capacity
    }

    /// Checks the name and the capacity.
    /// - Throws: `MetricsError.invalidName` or `MetricsError.invalidCapacity`.
    func validate() throws(MetricsError) {
        try MetricName.validate(name)
        guard capacity > 0, capacity <= MetricDefinition.maximumCapacity else {
            throw .invalidCapacity(capacity, metric: name)
        }
    }
}
