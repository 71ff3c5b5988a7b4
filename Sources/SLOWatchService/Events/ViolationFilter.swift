import SLOWatchCore

/// Which SLO events a reader wants: the violation and recovery topics and the burn-rate alert topics,
/// optionally narrowed to some of those topics (`?topic=`), one metric and/or one SLO (matched against the typed ``SLOEvent``'s `metric` and `slo`; a producer
/// without a typed payload that publishes on these topics is matched on its `metric` and `slo` fields).
struct ViolationFilter: Sendable, Equatable {
    /// The topics of SLO events: `perf.slo_violation`, `perf.slo_recovered`, `perf.slo_burn_alert` and
    /// `perf.slo_burn_resolved`.
    static let topics: Set<String> = [
        SLOEvent.violationTopic, SLOEvent.recoveredTopic, SLOBurnEvent.alertTopic, SLOBurnEvent.resolvedTopic,
    ]

    /// Only events of these topics (a subset of ``topics``), when set.
    var topic: Set<String>?
    /// Only events whose payload `metric` equals this, when set.
    var metric: String?
    /// Only events whose payload `slo` equals this, when set.
    var slo: String?

    /// Whether `event` is an SLO event that passes the metric and SLO filters.
    func matches(_ event: Event) -> Bool {
        guard Self.topics.contains(event.topic) else { return false }
        return matchesPayload(event)
    }

    /// Whether `event` passes the topic subset, metric and SLO filters, its topic taken as already
    /// checked against ``topics`` (a subscription to those only). Cheap when no filter is set, as for
    /// most streams.
    func matchesPayload(_ event: Event) -> Bool {
        if topic == nil && metric == nil && slo == nil { return true }
        guard topic?.contains(event.topic) ?? true else { return false }
        switch event.payload {
        case .slo(let event):
            return (metric.map { $0 == event.metric } ?? true) && (slo.map { $0 == event.slo } ?? true)
        case .burn(let event):
            return (metric.map { $0 == event.metric } ?? true) && (slo.map { $0 == event.slo } ?? true)
        case .fields(let fields):
            if let metric, fields["metric"] != .string(metric) { return false }
            if let slo, fields["slo"] != .string(slo) { return false }
            return true
        }
    }
}
