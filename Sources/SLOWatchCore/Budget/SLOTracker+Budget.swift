extension SLOTracker {
    /// Reads the budget's counts from `source`, updates ``budgetStatus`` and every tier, and returns the
    /// burn events of this check, in tier order. Does nothing for an SLO without a budget.
    ///
    /// Costs one ``BudgetCountSource/budgetCounts(sloID:fromMilliseconds:toMilliseconds:)`` for the
    /// period and one per distinct window (the status windows and the tiers' windows). When the source
    /// has no counter for the SLO, the status is nil and no tier fires.
    /// - Parameters:
    ///   - now: monotonic ns; `timestamp`: wall-clock ms, the end of every window.
    ///   - rateLimit: the least ns between two alert events of one tier.
    ///   - history: the registry's tiers: the cumulative event counts roll their anchor forward in whole
    ///     slices of the coarsest tier, so that it stays within the retention (see ``EventTotals``).
    mutating func judgeBudget(
        source: any BudgetCountSource, now: UInt64, timestamp: Double, rateLimit: UInt64,
        history: HistoryTiers
    ) -> [SLOBurnEvent] {
        guard let budget = slo.budget else { return [] }
        guard
            let period = source.budgetCounts(
                sloID: slo.id, fromMilliseconds: timestamp - Double(budget.periodMilliseconds),
                toMilliseconds: timestamp)
        else {
            budgetStatus = nil
            return []
        }
        var burns: [Int64: Double?] = [:]
        func burn(_ window: Int64) -> Double? {
            if let known = burns[window] { return known }
            let counts = source.budgetCounts(
                sloID: slo.id, fromMilliseconds: timestamp - Double(window), toMilliseconds: timestamp)
            let rate = counts.flatMap { Self.burnRate($0, budget: budget) }
            burns[window] = .some(rate)
            return rate
        }
        let (total, bad) = Self.totalAndBad(period, method: budget.method)
        let allowedBad = budget.allowedBad(total: total)
        let remaining = SLOBudgetStatus.remaining(bad: bad, allowedBad: allowedBad)
        var events: [SLOBurnEvent] = []
        var states: [SLOBudgetStatus.TierState] = []
        var trackers: [String: BurnTierTracker] = [:]
        for tier in budget.tiers {
            let long = burn(tier.longWindowMilliseconds)
            let short = burn(tier.shortWindowMilliseconds)
            var tracker = burnTiers[tier.name] ?? BurnTierTracker()
            let since = tracker.firingSinceNanoseconds
            if let kind = tracker.judge(
                long: long, short: short, rate: tier.burnRate, now: now, timestamp: timestamp,
                rateLimit: rateLimit)
            {
                events.append(
                    burnEvent(
                        kind, tier: tier, long: long, short: short, remaining: remaining,
                        timestamp: timestamp,
                        firingForMs: kind == .resolved
                            ? since.map { elapsedMilliseconds(from: $0, to: now) } : nil,
                        reason: kind == .resolved ? .belowRate : nil))
            }
            trackers[tier.name] = tracker
            states.append(
                SLOBudgetStatus.TierState(
                    tier: tier, firing: tracker.firingSinceNanoseconds != nil,
                    sinceMilliseconds: tracker.firingSinceMilliseconds, longBurnRate: long,
                    shortBurnRate: short))
        }
        burnTiers = trackers
        var totals = eventTotals ?? EventTotals(anchorMilliseconds: period.exactSinceMilliseconds)
        totals.update(sloID: slo.id, source: source, now: timestamp, history: history)
        eventTotals = totals
        budgetStatus = SLOBudgetStatus(
            total: total, good: total - bad, bad: bad, allowedBad: allowedBad, remaining: remaining,
            exactSinceMilliseconds: period.exactSinceMilliseconds,
            burnRates: SLOBudgetStatus.statusWindowsMilliseconds.map {
                SLOBudgetStatus.BurnRate(windowMilliseconds: $0, burnRate: burn($0))
            },
            alerts: states, cumulativeGood: totals.good, cumulativeBad: totals.bad)
        return events
    }

    /// The `slo_removed` resolutions of every announced tier, for an SLO removed or changed: its last
    /// burn rates and budget are those of the last check.
    func endingBurns(now: UInt64, timestamp: Double) -> [SLOBurnEvent] {
        guard slo.budget != nil, let status = budgetStatus else { return [] }
        return status.alerts.compactMap { state in
            guard let tracker = burnTiers[state.tier.name], tracker.announced else { return nil }
            return burnEvent(
                .resolved, tier: state.tier, long: state.longBurnRate, short: state.shortBurnRate,
                remaining: status.remaining, timestamp: timestamp,
                firingForMs: tracker.firingSinceNanoseconds.map { elapsedMilliseconds(from: $0, to: now) },
                reason: .sloRemoved)
        }
    }

    /// (bad/total) / (1 − objective/100) for `counts`; nil without events.
    static func burnRate(_ counts: BudgetCounts, budget: SLOBudget) -> Double? {
        let (total, bad) = totalAndBad(counts, method: budget.method)
        guard total > 0 else { return nil }
        return budget.burnRate(bad: bad, total: total)
    }

    /// The events and bad events of `counts`: samples for `Occurrences`, judged slices for `Timeslices`.
    static func totalAndBad(_ counts: BudgetCounts, method: BudgetingMethod) -> (total: UInt64, bad: UInt64) {
        switch method {
        case .occurrences: (counts.totalEvents, counts.badEvents)
        case .timeslices: (counts.goodSlices &+ counts.badSlices, counts.badSlices)
        }
    }

    private func burnEvent(
        _ kind: SLOBurnEvent.Kind, tier: BurnAlertTier, long: Double?, short: Double?, remaining: Double,
        timestamp: Double, firingForMs: Double?, reason: SLOBurnEvent.ResolveReason?
    ) -> SLOBurnEvent {
        SLOBurnEvent(
            kind: kind, slo: slo.id, metric: slo.metric, tier: tier.name, severity: tier.severity,
            factor: tier.burnRate, longWindowMs: Double(tier.longWindowMilliseconds), longBurnRate: long,
            shortWindowMs: Double(tier.shortWindowMilliseconds), shortBurnRate: short,
            budgetRemaining: remaining, timestamp: timestamp, firingForMs: firingForMs, reason: reason)
    }
}
