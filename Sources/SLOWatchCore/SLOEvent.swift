/// What the SLO monitor reports: an SLO breached its threshold, or came back within it.
public struct SLOEvent: Sendable, Equatable, CustomStringConvertible {
    /// The two kinds of SLO event, each with its bus topic.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The actual value is past the threshold (rate-limited per SLO).
        case violation
        /// An announced violation is over: the actual value is back within the threshold.
        case recovery

        /// `perf.slo_violation` or `perf.slo_recovered`.
        public var topic: String {
            switch self {
            case .violation: SLOEvent.violationTopic
            case .recovery: SLOEvent.recoveredTopic
            }
        }
    }

    /// Why an announced violation ended: the `reason` field of a recovery's payload.
    public enum RecoveryReason: String, Sendable, Equatable, CaseIterable {
        /// The percentile is back within the threshold (`within_threshold`).
        case withinThreshold = "within_threshold"
        /// The metric was unregistered or re-registered, so its samples no longer describe the breach
        /// (`metric_reset`).
        case metricReset = "metric_reset"
        /// The SLO was removed from the set, or its definition changed (`slo_removed`).
        case sloRemoved = "slo_removed"
    }

    /// The bus topic of violations.
    public static let violationTopic = "perf.slo_violation"
    /// The bus topic of recoveries.
    public static let recoveredTopic = "perf.slo_recovered"

    /// Violation or recovery.
    public var kind: Kind
    /// The SLO id.
    public var slo: String
    /// The metric name.
    public var metric: String
    /// The percentile as written, e.g. `p95`.
    public var percentile: String
    /// The quantile in (0, 1], e.g. 0.95.
    public var quantile: Double
    /// The SLO's threshold, in ``unit``.
    public var threshold: Double
    /// The percentile's value at the check, in ``unit``. For a recovery whose ``reason`` is
    /// ``RecoveryReason/metricReset`` or ``RecoveryReason/sloRemoved`` there is no fresh value, so this
    /// is the value of the last check that computed one (the breaching value).
    public var actual: Double
    /// The unit of ``threshold`` and ``actual``.
    public var unit: String
    /// Which side of the threshold is a breach.
    public var direction: SLODirection
    /// The SLO's alert severity, e.g. `warning` (see ``SLODefinition/severity``).
    public var severity: String
    /// How many samples the percentile was computed from (those in the window, if the SLO has one); like
    /// ``actual``, from the last check that computed a value when a recovery has no fresh one.
    public var count: Int
    /// When the check ran, in ms since the Unix epoch (wall clock).
    public var timestamp: Double
    /// For a recovery: how long the SLO was violating, in ms (monotonic). `nil` for a violation.
    public var violatingForMs: Double?
    /// For a recovery: why the violation ended. `nil` for a violation.
    public var reason: RecoveryReason?

    /// Creates an event.
    public init(
        kind: Kind, slo: String, metric: String, percentile: String, quantile: Double, threshold: Double,
        actual: Double, unit: String, direction: SLODirection, count: Int, timestamp: Double,
        violatingForMs: Double? = nil, reason: RecoveryReason? = nil,
        severity: String = SLODefinition.defaultSeverity
    ) {
        self.kind = kind
        self.slo = slo
        self.metric = metric
        self.percentile = percentile
        self.quantile = quantile
        self.threshold = threshold
        self.actual = actual
        self.unit = unit
        self.direction = direction
        self.severity = severity
        self.count = count
        self.timestamp = timestamp
        self.violatingForMs = violatingForMs
        self.reason = reason
    }

    /// The bus topic for this event.
    public var topic: String { kind.topic }

    /// The event as the bus carries it: typed, so no consumer reads a field back from text.
    public var payload: EventPayload { .slo(self) }

    /// The one encoder of an SLO event: writes its fields with lowerCamelCase keys, in a fixed order:
    /// `slo`, `metric`, `percentile`, `quantile`, `threshold`, `actual`, `unit`, `direction`, `severity`,
    /// `count`, `timestamp`, and for a recovery `violatingForMs` and `reason` (`within_threshold`,
    /// `metric_reset` or `slo_removed`). Every format (JSON, the durable record, log lines) writes these.
    public func writeFields(to writer: inout some EventFieldWriter) {
        writer.field("slo", .string(slo))
        writer.field("metric", .string(metric))
        writer.field("percentile", .string(percentile))
        writer.field("quantile", .number(quantile))
        writer.field("threshold", .number(threshold))
        writer.field("actual", .number(actual))
        writer.field("unit", .string(unit))
        writer.field("direction", .string(direction.rawValue))
        writer.field("severity", .string(severity))
        writer.field("count", .integer(Int64(count)))
        writer.field("timestamp", .number(timestamp))
        if let violatingForMs { writer.field("violatingForMs", .number(violatingForMs)) }
        if let reason { writer.field("reason", .string(reason.rawValue)) }
    }

    /// A one-line summary for logs, e.g. `SLO violation input-to-echo-p95: input-to-echo p95 = 75.0 ms
    /// (threshold above 60.0 ms, 120 samples)`. A unit with spaces, `=`, quotes or control characters is
    /// quoted by the logfmt rules (`LogfmtText`), so it cannot pass for other fields.
    public var description: String {
        let head = kind == .violation ? "SLO violation" : "SLO recovered"
        let duration = violatingForMs.map { ", violating for \($0) ms" } ?? ""
        let tail = duration + (reason.map { ", reason \($0.rawValue)" } ?? "")
        let unit = LogfmtText.value(unit)
        return "\(head) \(slo): \(metric) \(percentile) = \(actual) \(unit) "
            + "(threshold \(direction) \(threshold) \(unit), \(count) samples\(tail))"
    }
}
