/// The kind of a Prometheus family, as the text format's `# TYPE` line names it.
enum PrometheusFamilyType: String {
    case counter
    case gauge
    case summary
}

/// Where the exposition's families go: the text format (``PrometheusTextWriter``) or the protobuf
/// format (``PrometheusProtobufWriter``). The exposition writes each family as `family(…)` followed by
/// its samples, contiguous; a summary's samples are its quantiles (label `quantile`), then `<name>_sum`
/// and `<name>_count`, per label set. Both writers thus carry the same names, labels and values.
protocol PrometheusSampleWriter {
    /// Starts family `name` (a valid metric name; the callers pass constants).
    mutating func family(_ name: String, type: PrometheusFamilyType, help: String)
    /// One sample with a floating-point value.
    mutating func sample(_ name: String, labels: KeyValuePairs<String, String>, _ value: Double)
    /// One sample with a whole-number value (a counter), kept exact where the format allows.
    mutating func sample(_ name: String, labels: KeyValuePairs<String, String>, _ value: UInt64)
}

extension PrometheusSampleWriter {
    /// One unlabelled sample with a floating-point value.
    mutating func sample(_ name: String, _ value: Double) { sample(name, labels: [:], value) }
    /// One unlabelled sample with a whole-number value.
    mutating func sample(_ name: String, _ value: UInt64) { sample(name, labels: [:], value) }
}
