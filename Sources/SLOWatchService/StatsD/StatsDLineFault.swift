import SLOWatchCore

/// Why a StatsD line was not taken: malformed (``isBad``), or well formed but of a type slowatch does
/// not keep (a counter or a set).
///
/// Each case keeps the offending part's text, cut to a bounded length, so a message can name it.
enum StatsDLineFault: Error, Sendable, Equatable {
    /// No `:` between the name and the value.
    case missingColon
    /// Nothing before the `:`.
    case emptyName
    /// The name breaks the metric name rule.
    case invalidName(String)
    /// No `|` and type after the value.
    case missingType
    /// A value (one of the `:`-separated ones) is empty or not a finite decimal number.
    case invalidValue(String)
    /// A gauge value starts with `+` or `-`, which StatsD reads as a change to the previous gauge.
    case signedGauge(String)
    /// The type is not one of ms, h, d, g, c, s.
    case unknownType(String)
    /// The `@` field is not a number greater than 0 and at most 1.
    case invalidRate(String)
    /// A field after the type is neither `@rate` nor `#tags`, or one of those appears twice.
    case unexpectedField(String)
    /// The line is longer than the listener reads as one line, in bytes.
    case tooLong(limit: Int)
    /// A TCP connection idled out in the middle of the line.
    case cutOff
    /// A counter (`|c`) or a set (`|s`): well formed, but not a latency sample.
    case notSample(StatsDMetricType)

    /// Whether the line is malformed (counted as bad) rather than refused for its type (rejected).
    var isBad: Bool {
        if case .notSample = self { return false }
        return true
    }

    /// What is wrong, as a clause that completes `line 3 ("…"): `.
    var reason: String {
        switch self {
        case .missingColon:
            "it has no ':' between the metric name and the value (expected name:value|type)"
        case .emptyName: "the metric name before ':' is empty"
        // The core states the name rule once.
        case .invalidName(let name): MetricsError.invalidName(name).message
        case .missingType:
            "it has no '|type' after the value (expected name:value|ms, |h, |d or |g)"
        case .invalidValue(let text):
            "the value \(MessageText.quoted(text, limit: 40)) is not a finite decimal number"
        case .signedGauge(let text):
            "the gauge value \(MessageText.quoted(text, limit: 40)) has a sign, which StatsD reads as a "
                + "change to the previous gauge; slowatch keeps absolute values only, so send the value itself"
        case .unknownType(let text):
            "the type \(MessageText.quoted(text, limit: 40)) is unknown: slowatch keeps ms, h, d and g"
        case .invalidRate(let text):
            "the sample rate \(MessageText.quoted(text, limit: 40)) must be '@' and a number greater "
                + "than 0 and at most 1"
        case .unexpectedField(let text):
            "the field \(MessageText.quoted(text, limit: 40)) is not allowed: after the type come at "
                + "most one sample rate (@0.5) and one tag list (#key:value,…)"
        case .tooLong(let limit):
            "it is longer than \(limit) bytes"
        case .cutOff: "the connection sent no more of it before the idle timeout closed it"
        case .notSample(let type):
            "the type '\(type.symbol)' is \(type.noun), not a latency sample: slowatch keeps ms, h, d and g"
        }
    }
}
