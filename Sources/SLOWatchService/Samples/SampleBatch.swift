import SLOWatchCore

/// The checked samples of one `POST /samples` body, with each distinct metric named once, so that the
/// recorder resolves every metric once per request rather than once per sample.
struct SampleBatch: Sendable {
    /// One sample: which metric, the value, and when it was taken.
    struct Sample: Sendable {
        /// The sample's metric: an index into ``SampleBatch/metrics``.
        var metric: Int
        /// The value, in the metric's unit; finite.
        var value: Double
        /// When the sample was taken, in ms since the Unix epoch (finite, 0 or more); nil means "when
        /// it arrived".
        var timestamp: Double?
    }

    /// The distinct metric names, in order of first appearance; each follows the core's name rule.
    var metrics: [String] = []
    /// Handles the decoder already found for ``metrics`` (parallel to it: nil for a name it did not
    /// know), or empty when it looked none up; see ``SampleRecorder/handles(for:in:)``.
    var handles: [MetricHandle?] = []
    /// The registration version (``MetricsRegistry/registrationVersion``) the cache that gave
    /// ``handles`` was current at.
    var handlesVersion: UInt64 = 0
    /// The samples, in body order.
    var samples: [Sample] = []

    /// How many samples the batch holds.
    var count: Int { samples.count }
}
