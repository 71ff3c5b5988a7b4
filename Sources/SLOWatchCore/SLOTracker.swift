/// One SLO and what the monitor remembers about it between checks: its rate limit, its current breach
/// and the last value it judged.
///
/// Not thread-safe on its own: the monitor keeps its trackers under its state lock.
struct SLOTracker: Sendable {
    /// The SLO.
    var slo: SLODefinition
    /// Which tracker this is: a new or changed definition gets a new epoch from the monitor, a check's
    /// update keeps it. A check's result merges back only into the tracker of the same epoch.
    let epoch: UInt64
    /// The metric's registration id at the last check; nil when the metric was unknown.
    var registrationID: UInt64?
    /// Monotonic ns of the last violation event.
    var lastViolationNanoseconds: UInt64?
    /// Monotonic ns when the current breach began; `nil` while within the threshold.
    var breachStartNanoseconds: UInt64?
    /// Whether a violation event was emitted during the current breach.
    var announced = false
    /// The percentile at the last check, in the SLO's unit; nil when there was too little data.
    var lastActual: Double?
    /// How many samples the last check saw.
    var lastCount = 0
    /// When the last check looked at this SLO, ms since the epoch (wall clock); nil before the first.
    var checkedAt: Double?
    /// The percentile (SLO's unit) and sample count of the last check that computed a value: what a
    /// recovery with no fresh value reports.
    var lastJudged: (actual: Double, count: Int)?
    /// For a budget SLO, the budget at the last check; nil before it, or without a count source.
    var budgetStatus: SLOBudgetStatus?
    /// For a budget SLO, each alert tier's state, by tier name.
    var burnTiers: [String: BurnTierTracker] = [:]
    /// For a budget SLO, its cumulative good and bad events.
    var eventTotals: EventTotals?

    /// A tracker that knows nothing yet.
    init(slo: SLODefinition, epoch: UInt64) {
        self.slo = slo
        self.epoch = epoch
    }

    /// Forgets everything but the SLO and the epoch, for a metric that was unregistered or re-registered.
    /// The budget and burn tiers are kept: budget counts are keyed by SLO id, not by registration.
    mutating func reset(registrationID: UInt64?) {
        let (budgetStatus, burnTiers, eventTotals) = (self.budgetStatus, self.burnTiers, self.eventTotals)
        self = SLOTracker(slo: slo, epoch: epoch)
        self.registrationID = registrationID
        self.budgetStatus = budgetStatus
        self.burnTiers = burnTiers
        self.eventTotals = eventTotals
    }

    /// The SLO with what the last check found.
    var status: SLOStatus {
        SLOStatus(
            slo: slo, violating: breachStartNanoseconds != nil, lastActual: lastActual, lastCount: lastCount,
            checkedAt: checkedAt, budget: budgetStatus)
    }

    /// The recovery that ends an announced breach for a reason other than a fresh value within the
    /// threshold; nil when no violation was announced for the current breach (nothing to end).
    ///
    /// `actual` and `count` are those of the last check that computed a value, since a reset or a
    /// removed SLO leaves no fresh value for the old breach.
    /// - Parameters:
    ///   - reason: ``SLOEvent/RecoveryReason/metricReset`` or ``SLOEvent/RecoveryReason/sloRemoved``.
    ///   - now: monotonic ns, for `violatingForMs`.
    ///   - timestamp: the event time, ms since the epoch.
    func endingRecovery(reason: SLOEvent.RecoveryReason, now: UInt64, timestamp: Double) -> SLOEvent? {
        guard announced, let breachStart = breachStartNanoseconds, let lastJudged else { return nil }
        return event(
            .recovery, actual: lastJudged.actual, count: lastJudged.count, timestamp: timestamp,
            violatingForMs: elapsedMilliseconds(from: breachStart, to: now), reason: reason)
    }

    /// Judges a fresh percentile and updates the breach and rate-limit state.
    /// - Parameters:
    ///   - actual: the percentile, in the SLO's unit.
    ///   - count: the samples it was computed from.
    ///   - now: monotonic ns.
    ///   - rateLimit: the least ns between two violation events.
    ///   - timestamp: the event time, ms since the epoch.
    /// - Returns: a violation (when the rate limit is open), a `within_threshold` recovery (when an
    ///   announced breach ended), or nil.
    mutating func judge(
        actual: Double, count: Int, now: UInt64, rateLimit: UInt64, timestamp: Double
    ) -> SLOEvent? {
        lastActual = actual
        lastJudged = (actual, count)
        if slo.direction.isBreached(actual: actual, threshold: slo.threshold) {
            if breachStartNanoseconds == nil { breachStartNanoseconds = now }
            let open = lastViolationNanoseconds.map { now >= $0 && now - $0 >= rateLimit } ?? true
            guard open else { return nil }
            lastViolationNanoseconds = now
            announced = true
            return event(.violation, actual: actual, count: count, timestamp: timestamp)
        }
        guard let breachStart = breachStartNanoseconds else { return nil }
        let wasAnnounced = announced
        breachStartNanoseconds = nil
        announced = false
        // A breach that the rate limit kept quiet gets no recovery: every recovery pairs with a violation.
        guard wasAnnounced else { return nil }
        return event(
            .recovery, actual: actual, count: count, timestamp: timestamp,
            violatingForMs: elapsedMilliseconds(from: breachStart, to: now), reason: .withinThreshold)
    }

    private func event(
        _ kind: SLOEvent.Kind, actual: Double, count: Int, timestamp: Double,
        violatingForMs: Double? = nil, reason: SLOEvent.RecoveryReason? = nil
    ) -> SLOEvent {
        SLOEvent(
            kind: kind, slo: slo.id, metric: slo.metric, percentile: slo.percentile.text,
            quantile: slo.quantile, threshold: slo.threshold, actual: actual, unit: slo.unit,
            direction: slo.direction, count: count, timestamp: timestamp, violatingForMs: violatingForMs,
            reason: reason, severity: slo.severity)
    }
}
