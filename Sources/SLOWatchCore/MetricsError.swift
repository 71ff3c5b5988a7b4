/// An error from the metrics registry. Its `message` is a sentence naming the input and the rule it broke.
public struct MetricsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The broad category of an error, for mapping to a status code.
    public enum Kind: Sendable, Equatable, CaseIterable {
        /// The metric name breaks the name rule.
        case invalidName
        /// `register` was called for a name that is already registered.
        case alreadyRegistered
        /// No metric has that name (and auto-registration did not apply).
        case unknownMetric
        /// Registering the name would exceed the configured number of metrics.
        case metricLimitReached
        /// The capacity is not in 1...`MetricDefinition.maximumCapacity`.
        case invalidCapacity
        /// A value or timestamp is NaN or infinite.
        case nonFiniteValue
        /// A requested quantile is not in [0, 1].
        case invalidQuantile
        /// A percentile window is negative or NaN.
        case invalidWindow
        /// Registering or resizing would reserve more memory than the registry's budget allows.
        case memoryLimitReached
    }

    private enum Code: Sendable, Equatable {
        case invalidName(String)
        case alreadyRegistered(String)
        case unknownMetric(String)
        case metricLimitReached(String, limit: Int)
        case invalidCapacity(Int, metric: String)
        case nonFiniteValue(Double, metric: String)
        case nonFiniteTimestamp(Double, metric: String)
        case invalidQuantile(Double)
        case invalidWindow(Double)
        case memoryLimitReached(String, requested: Int, reserved: Int, limit: Int)
    }

    private let code: Code

    private init(_ code: Code) { self.code = code }

    /// The name breaks `^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$`.
    public static func invalidName(_ name: String) -> MetricsError { .init(.invalidName(name)) }
    /// `register` was called for a name that is already registered.
    public static func alreadyRegistered(_ name: String) -> MetricsError { .init(.alreadyRegistered(name)) }
    /// No metric has this name.
    public static func unknownMetric(_ name: String) -> MetricsError { .init(.unknownMetric(name)) }
    /// Registering `name` would exceed `limit` metrics.
    public static func metricLimitReached(_ name: String, limit: Int) -> MetricsError {
        .init(.metricLimitReached(name, limit: limit))
    }
    /// The capacity (in samples) is out of range for `metric`.
    public static func invalidCapacity(_ capacity: Int, metric: String) -> MetricsError {
        .init(.invalidCapacity(capacity, metric: metric))
    }
    /// A sample value for `metric` is NaN or infinite.
    public static func nonFiniteValue(_ value: Double, metric: String) -> MetricsError {
        .init(.nonFiniteValue(value, metric: metric))
    }
    /// A sample timestamp (ms since the epoch) for `metric` is NaN or infinite.
    public static func nonFiniteTimestamp(_ timestamp: Double, metric: String) -> MetricsError {
        .init(.nonFiniteTimestamp(timestamp, metric: metric))
    }
    /// A requested quantile is outside [0, 1] or NaN.
    public static func invalidQuantile(_ quantile: Double) -> MetricsError {
        .init(.invalidQuantile(quantile))
    }
    /// A percentile window is negative.
    public static func invalidWindow(_ window: Duration) -> MetricsError {
        invalidWindow(milliseconds: window.milliseconds)
    }
    /// A percentile window in ms, as a query string carries it, is negative or NaN.
    package static func invalidWindow(milliseconds: Double) -> MetricsError {
        .init(.invalidWindow(milliseconds))
    }

    /// Reserving `requested` bytes for `subject` (e.g. `metric "q3"`) would pass the memory budget of
    /// `limit` bytes, of which `reserved` are in use.
    public static func memoryLimitReached(
        _ subject: String, requested: Int, reserved: Int, limit: Int
    ) -> MetricsError {
        .init(.memoryLimitReached(subject, requested: requested, reserved: reserved, limit: limit))
    }

    /// The broad category, for mapping to a status code.
    public var kind: Kind {
        switch code {
        case .invalidName: .invalidName
        case .alreadyRegistered: .alreadyRegistered
        case .unknownMetric: .unknownMetric
        case .metricLimitReached: .metricLimitReached
        case .invalidCapacity: .invalidCapacity
        case .nonFiniteValue, .nonFiniteTimestamp: .nonFiniteValue
        case .invalidQuantile: .invalidQuantile
        case .invalidWindow: .invalidWindow
        case .memoryLimitReached: .memoryLimitReached
        }
    }

    /// The metric that is not registered, for an `unknownMetric` error; nil for every other kind.
    package var unknownName: String? {
        if case .unknownMetric(let name) = code { return name }
        return nil
    }

    /// A human sentence naming the input and the rule it broke.
    public var message: String {
        switch code {
        case .invalidName(let name):
            "metric name \(quoted(name)) is invalid: it must be 1 to 128 characters, start with a letter "
                + "or digit, and contain only letters, digits, '_', '.', ':' and '-'"
        case .alreadyRegistered(let name):
            "metric \(quoted(name)) is already registered; unregister it first or use upsert to replace it"
        case .unknownMetric(let name):
            "metric \(quoted(name)) is not registered"
        case .metricLimitReached(let name, let limit):
            "cannot register metric \(quoted(name)): the limit of \(limit) metrics is reached"
        case .invalidCapacity(let capacity, let metric):
            "capacity \(capacity) for metric \(quoted(metric)) is invalid: it must be between 1 and "
                + "\(MetricDefinition.maximumCapacity) samples"
        case .nonFiniteValue(let value, let metric):
            "value \(value) for metric \(quoted(metric)) is invalid: sample values must be finite numbers"
        case .nonFiniteTimestamp(let timestamp, let metric):
            "timestamp \(timestamp) for metric \(quoted(metric)) is invalid: timestamps must be finite "
                + "milliseconds since the Unix epoch"
        case .invalidQuantile(let quantile):
            "quantile \(quantile) is invalid: quantiles must be between 0 and 1 inclusive"
        case .invalidWindow(let milliseconds):
            "window \(milliseconds) ms is invalid: a window must be zero or more milliseconds"
        case .memoryLimitReached(let subject, let requested, let reserved, let limit):
            "\(subject) needs \(requested) bytes of memory, but \(reserved) of the memory budget's \(limit) "
                + "bytes are already reserved (\(max(0, limit - reserved)) free)"
        }
    }

    /// The same as `message`.
    public var description: String { message }

    private func quoted(_ name: String) -> String {
        // Keeps messages one line and bounded even for hostile names.
        let shown = name.count > 140 ? String(name.prefix(140)) + "…" : name
        return shown.debugDescription  // quoted, with control characters escaped
    }
}
