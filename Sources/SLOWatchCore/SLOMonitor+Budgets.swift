extension SLOMonitor {
    /// Judges the budget and alert tiers of every error-budget SLO from ``budgetSource``; returns the
    /// burn events, in SLO order, each with its tracker's index. Without a source, or for SLOs without
    /// a budget, it does nothing: plain percentile SLOs cost nothing more than before.
    func evaluateBudgets(_ trackers: inout [SLOTracker]) -> [(index: Int, event: SLOBurnEvent)] {
        guard let budgetSource else { return [] }
        let now = monotonicClock.nowNanoseconds()
        let timestamp = wallClock.finiteNowMilliseconds()
        let rateLimit = configuration.rateLimit.saturatingNanoseconds
        var events: [(index: Int, event: SLOBurnEvent)] = []
        for index in trackers.indices where trackers[index].slo.budget != nil {
            for event in trackers[index].judgeBudget(
                source: budgetSource, now: now, timestamp: timestamp, rateLimit: rateLimit,
                history: registry.configuration.historyTiers)
            {
                events.append((index, event))
            }
        }
        return events
    }

    /// Starts the counters of the budget SLOs among `slos`, and stops those of `removed` ids that no
    /// longer have a budget. Called outside the state lock, after the edit; the service serialises
    /// edits, so two edits cannot cross here.
    func updateCounting(started slos: [SLODefinition], stopped removed: [String]) {
        guard let budgetSource else { return }
        for id in removed { budgetSource.stopCounting(sloID: id) }
        for slo in slos {
            if let spec = slo.budgetCounterSpec { budgetSource.startCounting(spec) }
        }
    }

    /// How many burn-rate alert events were emitted.
    public var burnAlertsEmitted: UInt64 { counters.burnAlertsEmitted.load(ordering: .relaxed) }
    /// How many burn-rate resolution events were emitted.
    public var burnResolutionsEmitted: UInt64 { counters.burnResolutionsEmitted.load(ordering: .relaxed) }
}
