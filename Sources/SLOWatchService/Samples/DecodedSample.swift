/// One sample of a `POST /samples` body, checked: a valid metric name, a finite value and, when
/// given, a finite timestamp.
struct DecodedSample: Sendable, Equatable {
    /// The metric's name; follows the core's name rule.
    var metric: String
    /// The value, in the metric's unit; finite.
    var value: Double
    /// When the sample was taken, in ms since the Unix epoch; nil means "when it arrived".
    var timestamp: Double?
}
