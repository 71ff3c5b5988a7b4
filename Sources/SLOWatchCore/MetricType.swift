/// What kind of quantity a metric measures. It changes how a reader interprets the samples,
/// not how they are stored: every metric keeps an exact window of `Double` samples.
public enum MetricType: String, Sendable, CaseIterable, Equatable {
    /// A duration, usually in ms (request latency, input-to-echo time).
    case latency
    /// A level sampled over time (queue depth, memory in bytes).
    case gauge
    /// A count of events per sample (requests in a batch, errors since the last report).
    case counter
}
