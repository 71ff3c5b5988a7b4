import SLOWatchCore

/// What one OTLP export request asks slowatch to record, once its data points are mapped
/// (``OTLPPointMapper``) and before anything is recorded: gauge samples, histograms to merge into
/// history, and the points refused with their reasons.
struct OTLPIngest: Sendable {
    /// One Gauge data point: a sample.
    struct Sample: Sendable {
        /// The slowatch metric name (it follows the core's name rule).
        var metric: String
        /// The value; finite.
        var value: Double
        /// ms since the epoch; nil means "when it arrived" (a `time_unix_nano` of 0).
        var timestamp: Double?
    }

    /// One histogram data point (exponential, or explicit-bucket converted by the documented rule), with
    /// cumulative readings already turned into what they add since the previous one.
    struct Histogram: Sendable {
        /// The slowatch metric name (it follows the core's name rule).
        var metric: String
        /// The samples to merge.
        var histogram: ExponentialHistogram
        /// ms since the epoch; nil means "when it arrived".
        var timestamp: Double?
    }

    /// How many distinct reasons ``errorMessage`` quotes at most.
    static let quotedReasons = 3

    /// The gauge samples, in request order.
    var samples: [Sample] = []
    /// The histograms, in request order.
    var histograms: [Histogram] = []
    /// Data points refused (never recorded).
    private(set) var rejected = 0
    /// The first few distinct reasons, each a sentence naming the metric and the rule.
    private(set) var reasons: [String] = []

    /// Counts `points` data points as refused for `reason`.
    mutating func reject(_ reason: String, points: Int = 1) {
        guard points > 0 else { return }
        rejected += points
        if reasons.count < Self.quotedReasons, !reasons.contains(reason) { reasons.append(reason) }
    }

    /// The `partial_success.error_message`: how many points were refused and the first reasons; empty
    /// when none was.
    var errorMessage: String {
        guard rejected > 0 else { return "" }
        let noun = rejected == 1 ? "data point was" : "data points were"
        return "\(rejected) \(noun) rejected: " + reasons.joined(separator: "; ")
    }
}
