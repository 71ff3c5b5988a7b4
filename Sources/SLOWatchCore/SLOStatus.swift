/// The monitor's current view of one SLO, for dashboards and Prometheus gauges.
public struct SLOStatus: Sendable, Equatable {
    /// The SLO.
    public var slo: SLODefinition
    /// Whether the last judged check found the SLO breached. Stays as it was while data is too
    /// scarce to judge (no data is no breach, but also no proof of recovery).
    public var violating: Bool
    /// The percentile's value at the last check, in the SLO's unit; `nil` when there was too little data.
    public var lastActual: Double?
    /// How many samples the last check saw (in the window, if any); 0 for an unknown metric.
    public var lastCount: Int
    /// When the last check that looked at this SLO ran, in ms since the Unix epoch (the monitor's wall
    /// clock); `nil` until the first check after the SLO was added or changed.
    public var checkedAt: Double?
    /// For an error-budget SLO, its budget, burn rates and alert tiers at the last check; nil for
    /// other SLOs, and until the first check with a count source.
    public var budget: SLOBudgetStatus?

    /// Creates a status.
    package init(
        slo: SLODefinition, violating: Bool, lastActual: Double?, lastCount: Int, checkedAt: Double? = nil,
        budget: SLOBudgetStatus? = nil
    ) {
        self.budget = budget
        self.slo = slo
        self.violating = violating
        self.lastActual = lastActual
        self.lastCount = lastCount
        self.checkedAt = checkedAt
    }
}
