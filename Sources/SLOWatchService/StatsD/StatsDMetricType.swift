/// The type field of a StatsD line (`|ms`, `|h`, `|d`, `|g`, `|c`, `|s`).
///
/// slowatch keeps latency samples, so the four types whose value is one measurement become samples;
/// counters and sets are well formed but carry no measurement, and are refused as "rejected".
enum StatsDMetricType: Sendable, Equatable {
    /// `ms`: a timer, in ms.
    case timer
    /// `h`: a histogram value (a timer in most servers).
    case histogram
    /// `d`: a DogStatsD distribution value.
    case distribution
    /// `g`: a gauge, taken as an absolute value.
    case gauge
    /// `c`: a counter increment, not a measurement.
    case counter
    /// `s`: a set member, not a measurement.
    case set

    /// The type named by the bytes of a type field, or nil for any other text (types are case-sensitive,
    /// as in every StatsD server).
    init?(field: UnsafeBufferPointer<UInt8>) {
        switch field.count {
        case 1:
            switch field[0] {
            case UInt8(ascii: "h"): self = .histogram
            case UInt8(ascii: "d"): self = .distribution
            case UInt8(ascii: "g"): self = .gauge
            case UInt8(ascii: "c"): self = .counter
            case UInt8(ascii: "s"): self = .set
            default: return nil
            }
        case 2 where field[0] == UInt8(ascii: "m") && field[1] == UInt8(ascii: "s"):
            self = .timer
        default:
            return nil
        }
    }

    /// Whether a line of this type becomes samples.
    var isSample: Bool {
        switch self {
        case .timer, .histogram, .distribution, .gauge: true
        case .counter, .set: false
        }
    }

    /// The type as written on the line, e.g. `ms`.
    var symbol: String {
        switch self {
        case .timer: "ms"
        case .histogram: "h"
        case .distribution: "d"
        case .gauge: "g"
        case .counter: "c"
        case .set: "s"
        }
    }

    /// `a counter`, for messages about refused types.
    var noun: String {
        switch self {
        case .timer: "a timer"
        case .histogram: "a histogram"
        case .distribution: "a distribution"
        case .gauge: "a gauge"
        case .counter: "a counter"
        case .set: "a set"
        }
    }
}
