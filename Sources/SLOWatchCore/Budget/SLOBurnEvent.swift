/// What the monitor reports about an error-budget SLO's alert tier: it started firing (both windows
/// burn faster than the tier's rate) or stopped.
public struct SLOBurnEvent: Sendable, Equatable, CustomStringConvertible {
    /// Starts firing or stops, each with its bus topic.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The tier started firing (`perf.slo_burn_alert`).
        case alert
        /// A tier whose alert was announced stopped firing (`perf.slo_burn_resolved`).
        case resolved

        /// `perf.slo_burn_alert` or `perf.slo_burn_resolved`.
        public var topic: String {
            switch self {
            case .alert: SLOBurnEvent.alertTopic
            case .resolved: SLOBurnEvent.resolvedTopic
            }
        }
    }

    /// Why an announced burn alert stopped: the `reason` of a resolution.
    public enum ResolveReason: String, Sendable, Equatable, CaseIterable {
        /// A window burns at the tier's rate or slower (`below_rate`).
        case belowRate = "below_rate"
        /// The SLO was removed or changed (`slo_removed`).
        case sloRemoved = "slo_removed"
    }

    /// The bus topic of a tier that starts firing.
    public static let alertTopic = "perf.slo_burn_alert"
    /// The bus topic of a tier that stops firing.
    public static let resolvedTopic = "perf.slo_burn_resolved"

    /// Alert or resolution.
    public var kind: Kind
    /// The SLO id.
    public var slo: String
    /// The metric name.
    public var metric: String
    /// The tier's name, e.g. `page-fast`.
    public var tier: String
    /// The tier's severity, e.g. `critical`.
    public var severity: String
    /// The tier's burn rate, the factor both windows must exceed.
    public var factor: Double
    /// The long window, in ms.
    public var longWindowMs: Double
    /// The long window's burn rate at the check; nil when it had no events.
    public var longBurnRate: Double?
    /// The short window, in ms.
    public var shortWindowMs: Double
    /// The short window's burn rate at the check; nil when it had no events.
    public var shortBurnRate: Double?
    /// The fraction of the period's budget left at the check (1 − bad/allowedBad; below 0 when spent).
    public var budgetRemaining: Double
    /// When the check ran, in ms since the Unix epoch (wall clock).
    public var timestamp: Double
    /// For a resolution: how long the tier fired, in ms (monotonic); nil for an alert.
    public var firingForMs: Double?
    /// For a resolution: why it ended; nil for an alert.
    public var reason: ResolveReason?

    /// Creates an event.
    public init(
        kind: Kind, slo: String, metric: String, tier: String, severity: String, factor: Double,
        longWindowMs: Double, longBurnRate: Double?, shortWindowMs: Double, shortBurnRate: Double?,
        budgetRemaining: Double, timestamp: Double, firingForMs: Double? = nil, reason: ResolveReason? = nil
    ) {
        self.kind = kind
        self.slo = slo
        self.metric = metric
        self.tier = tier
        self.severity = severity
        self.factor = factor
        self.longWindowMs = longWindowMs
        self.longBurnRate = longBurnRate
        self.shortWindowMs = shortWindowMs
        self.shortBurnRate = shortBurnRate
        self.budgetRemaining = budgetRemaining
        self.timestamp = timestamp
        self.firingForMs = firingForMs
        self.reason = reason
    }

    /// The bus topic for this event.
    public var topic: String { kind.topic }

    /// The event as the bus carries it.
    public var payload: EventPayload { .burn(self) }

    /// The one encoder of a burn event, in a fixed order: `slo`, `metric`, `tier`, `severity`,
    /// `factor`, `longWindowMs`, `longBurnRate`, `shortWindowMs`, `shortBurnRate` (each burn rate
    /// `null` when its window had no events), `budgetRemaining`, `timestamp`, and for a resolution
    /// `firingForMs` and `reason` (`below_rate` or `slo_removed`).
    public func writeFields(to writer: inout some EventFieldWriter) {
        writer.field("slo", .string(slo))
        writer.field("metric", .string(metric))
        writer.field("tier", .string(tier))
        writer.field("severity", .string(severity))
        writer.field("factor", .number(factor))
        writer.field("longWindowMs", .number(longWindowMs))
        writer.field("longBurnRate", longBurnRate.map(EventValue.number) ?? .null)
        writer.field("shortWindowMs", .number(shortWindowMs))
        writer.field("shortBurnRate", shortBurnRate.map(EventValue.number) ?? .null)
        writer.field("budgetRemaining", .number(budgetRemaining))
        writer.field("timestamp", .number(timestamp))
        if let firingForMs { writer.field("firingForMs", .number(firingForMs)) }
        if let reason { writer.field("reason", .string(reason.rawValue)) }
    }

    /// A one-line summary for logs, e.g. `SLO burn alert api-99.9 page-fast: api burns 20.0 over 3600000.0
    /// ms and 25.0 over 300000.0 ms (factor 14.4, critical, budget remaining 0.8)`.
    public var description: String {
        let head = kind == .alert ? "SLO burn alert" : "SLO burn resolved"
        let long = longBurnRate.map { "\($0)" } ?? "none"
        let short = shortBurnRate.map { "\($0)" } ?? "none"
        let tail = reason.map { ", reason \($0.rawValue)" } ?? ""
        return "\(head) \(slo) \(tier): \(metric) burns \(long) over \(longWindowMs) ms and \(short) over "
            + "\(shortWindowMs) ms (factor \(factor), \(severity), budget remaining \(budgetRemaining)\(tail))"
    }
}
