import SLOWatchCore

/// Which SLO events a reader wants: the violation and recovery topics, optionally narrowed to one
/// metric and/or one SLO (matched against the payload's `metric` and `slo` string fields).
struct ViolationFilter: Sendable, Equatable {
    /// The topics of SLO events: `perf.slo_violation` and `perf.slo_recovered`.
    static let topics: Set<String> = [SLOEvent.violationTopic, SLOEvent.recoveredTopic]

    /// Only events whose payload `metric` equals this, when set.
    var metric: String?
    /// Only events whose payload `slo` equals this, when set.
    var slo: String?

    /// Whether `event` is an SLO event that passes the metric and SLO filters.
    func matches(_ event: Event) -> Bool {
        guard Self.topics.contains(event.topic) else { return false }
        if let metric, event.payload["metric"] != .string(metric) { return false }
        if let slo, event.payload["slo"] != .string(slo) { return false }
        return true
    }
}
