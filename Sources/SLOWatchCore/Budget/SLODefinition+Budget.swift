extension SLODefinition {
    /// What the registry counts for this SLO when it has a budget: its metric, threshold and direction,
    /// and for `Timeslices` the rule judging each slice by ``percentile`` and ``minSamples``; nil for an
    /// SLO without a budget.
    public var budgetCounterSpec: BudgetCounterSpec? {
        guard let budget else { return nil }
        let timeslice = budget.sliceMilliseconds.map {
            TimesliceRule(quantile: quantile, sliceMilliseconds: $0, minSamples: minSamples)
        }
        return BudgetCounterSpec(
            sloID: id, metric: metric, threshold: threshold, direction: direction, timeslice: timeslice)
    }
}
