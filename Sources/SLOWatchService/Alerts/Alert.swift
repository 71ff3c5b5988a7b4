import SLOWatchCore

/// One SLO alert as Alertmanager knows it: the labels that identify it, the annotations that describe
/// it, and when it started and (once resolved) ended.
///
/// Alertmanager treats two posts with the same labels as the same alert, so an alert keeps its labels
/// and its `startsAt` across re-sends; only the annotations (the latest actual value) and `endsAt` change.
struct Alert: Sendable, Equatable {
    /// `alertname` of a percentile SLO's alert: the same for every one, so routes can match all of them.
    static let name = "SLOViolation"
    /// `alertname` of an error-budget SLO's burn-rate tier alert.
    static let burnName = "SLOBurnRate"

    /// `alertname`: ``name`` or ``burnName``.
    let alertName: String
    /// The name of the third label: `percentile` for a violation, `tier` for a burn-rate alert.
    let detailLabel: String
    /// The `slo` label: the SLO id.
    let slo: String
    /// The `metric` label.
    let metric: String
    /// The value of the third label: the percentile (`p95`) or the tier (`page-fast`).
    let percentile: String
    /// The `severity` label, from the SLO (default `warning`).
    let severity: String
    /// The `summary` annotation: `checkout.latency p95 is 75 ms, above the 60 ms threshold`.
    var summary: String
    /// The `description` annotation: the SLO, its rule and the sample count.
    var description: String
    /// When the violation began, in ms since the epoch; the same in every send of this alert.
    let startsAtMilliseconds: Double
    /// When it ended, in ms since the epoch; nil while firing (each send then says now + 4 × the resend
    /// interval).
    var endsAtMilliseconds: Double?
    /// `http://<this service>/slos/<id>`: where a human finds the SLO and its status.
    let generatorURL: String

    /// The labels, in the order they are written: `alertname`, `slo`, `metric`, `percentile` (or `tier`
    /// for a burn-rate alert), `severity`.
    var labels: [(name: String, value: String)] {
        [
            ("alertname", alertName), ("slo", slo), ("metric", metric), (detailLabel, percentile),
            ("severity", severity),
        ]
    }

    /// What Alertmanager identifies the alert by: its label values, joined with NUL (which no label here
    /// may contain). Two states with the same identity are the same alert, and a newer one supersedes an
    /// older one waiting to be sent.
    var identity: String {
        [alertName, slo, metric, detailLabel, percentile, severity].joined(separator: "\u{0}")
    }

    /// Whether the alert is resolved (has an `endsAt` of its own).
    var isResolved: Bool { endsAtMilliseconds != nil }

    /// The alert for an SLO event: firing for a violation, resolved at the event's time for a recovery.
    /// - Parameters:
    ///   - event: the violation or recovery.
    ///   - startsAtMilliseconds: when the violation began: the first violation's time while it is firing;
    ///     for a recovery without one, the recovery's time minus `violatingForMs`.
    ///   - generatorBase: `http://host:port` of this service.
    init(event: SLOEvent, startsAtMilliseconds: Double, generatorBase: String) {
        alertName = Self.name
        detailLabel = "percentile"
        slo = event.slo
        metric = event.metric
        percentile = event.percentile
        severity = event.severity
        self.startsAtMilliseconds = startsAtMilliseconds
        endsAtMilliseconds = event.kind == .recovery ? max(event.timestamp, startsAtMilliseconds) : nil
        // SLO ids are letters, digits and `_.:-`, all allowed as they are in a URL path segment.
        generatorURL = "\(generatorBase)/slos/\(event.slo)"
        summary = Self.summary(event)
        description = Self.description(event)
    }

    /// The alert for a burn event: firing for an alert, resolved at the event's time for a resolution.
    /// - Parameters:
    ///   - startsAtMilliseconds: when the tier started firing (kept across re-sends).
    ///   - generatorBase: `http://host:port` of this service.
    init(burn event: SLOBurnEvent, startsAtMilliseconds: Double, generatorBase: String) {
        alertName = Self.burnName
        detailLabel = "tier"
        slo = event.slo
        metric = event.metric
        percentile = event.tier
        severity = event.severity
        self.startsAtMilliseconds = startsAtMilliseconds
        endsAtMilliseconds = event.kind == .resolved ? max(event.timestamp, startsAtMilliseconds) : nil
        generatorURL = "\(generatorBase)/slos/\(event.slo)"
        let long = event.longBurnRate.map { Self.number($0) } ?? "none"
        let short = event.shortBurnRate.map { Self.number($0) } ?? "none"
        let windows =
            "\(long) over \(DurationText.format(milliseconds: event.longWindowMs, days: true)) and \(short) over "
            + "\(DurationText.format(milliseconds: event.shortWindowMs, days: true))"
        summary =
            event.kind == .alert
            ? "\(event.slo) burns its error budget at \(windows), faster than \(Self.number(event.factor))"
            : "\(event.slo) no longer burns its error budget faster than \(Self.number(event.factor)) (\(windows))"
        description =
            "The \(event.tier) tier of the SLO \(event.slo) fires while both windows burn the error budget "
            + "faster than \(Self.number(event.factor)) times the sustainable rate; "
            + "\(Self.number(event.budgetRemaining * 100))% of the budget is left."
    }

    /// `checkout.latency p95 is 75 ms, above the 60 ms threshold`, or for a recovery
    /// `checkout.latency p95 is back to 40 ms, within the 60 ms threshold`.
    private static func summary(_ event: SLOEvent) -> String {
        let actual = "\(number(event.actual)) \(event.unit)"
        let threshold = "the \(number(event.threshold)) \(event.unit) threshold"
        let subject = "\(event.metric) \(event.percentile)"
        switch (event.kind, event.reason) {
        case (.violation, _), (.recovery, nil):
            return "\(subject) is \(actual), \(event.direction.rawValue) \(threshold)"
        case (.recovery, .withinThreshold?):
            return "\(subject) is back to \(actual), within \(threshold)"
        case (.recovery, .metricReset?):
            return "\(subject) was reset (the metric was re-registered or removed); it was last \(actual)"
        case (.recovery, .sloRemoved?):
            return "The SLO \(event.slo) was removed or changed; \(subject) was last \(actual)"
        }
    }

    /// `The SLO checkout-p95 allows checkout.latency p95 to be at most 60 ms; it was 75 ms over 120 samples.`
    private static func description(_ event: SLOEvent) -> String {
        let bound = event.direction == .above ? "at most" : "at least"
        return "The SLO \(event.slo) allows \(event.metric) \(event.percentile) to be \(bound) "
            + "\(number(event.threshold)) \(event.unit); it was \(number(event.actual)) \(event.unit) over "
            + "\(event.count) sample\(event.count == 1 ? "" : "s")."
    }

    /// `75` for a whole number, else at most three decimals (`75.125`), for a human reading an alert.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.description }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() && abs(rounded) < 1e15
            ? String(Int64(rounded)) : rounded.description
    }
}
