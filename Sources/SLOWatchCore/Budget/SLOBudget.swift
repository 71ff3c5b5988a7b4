/// How an error-budget SLO counts good and bad: the budgeting methods of OpenSLO v1.
public enum BudgetingMethod: String, Sendable, Equatable, CaseIterable {
    /// Every sample is an event: good when on the good side of the threshold.
    case occurrences = "Occurrences"
    /// Every slice of ``SLOBudget/sliceMilliseconds`` is an event: good when the SLO's percentile of the
    /// slice is on the good side (see ``TimesliceRule``).
    case timeslices = "Timeslices"
}

/// The error budget of an SLO: which fraction of its events over ``periodMilliseconds`` must be good,
/// how events are counted, and the burn-rate alert tiers that watch it.
///
/// Invariants, checked by ``init(slo:objective:method:periodMilliseconds:sliceMilliseconds:alerts:)``:
/// `objective` in (0, 100); `period` a whole number of ms in (0, 400 days]; `slice` a whole number of
/// ms in (0, period] for `Timeslices` and nil for `Occurrences`; every tier valid (see
/// ``BurnAlertTier``) with a long window of at most the period, and tier names unique. Whether the
/// period fits the registry's history and the slice its finest tier is checked by
/// ``check(slo:against:)``, since a definition does not know the registry.
public struct SLOBudget: Sendable, Equatable {
    /// The default period: 30 days, in ms.
    public static let defaultPeriodMilliseconds: Int64 = 30 * 86_400_000
    /// The default slice of a `Timeslices` SLO: 1 minute, in ms.
    public static let defaultSliceMilliseconds: Int64 = 60_000
    /// The most alert tiers one SLO may have.
    public static let maximumTiers = 16

    /// The target percentage of good events, in (0, 100), e.g. 99.9.
    public let objective: Double
    /// How events are counted.
    public let method: BudgetingMethod
    /// The span the budget covers, in ms, ending now.
    public let periodMilliseconds: Int64
    /// For `Timeslices`, the length of one judged slice, in ms; nil for `Occurrences`.
    public let sliceMilliseconds: Int64?
    /// The tiers as given; nil means the default tiers (``BurnAlertTier/defaults(periodMilliseconds:)``),
    /// and an empty list disables alerting.
    public let alerts: [BurnAlertTier]?

    /// Checks and creates a budget.
    /// - Parameters:
    ///   - slo: the SLO's id, for error messages.
    ///   - objective: the target percentage of good events, in (0, 100), e.g. 99.9.
    ///   - method: how events are counted (default ``BudgetingMethod/occurrences``).
    ///   - periodMilliseconds: the span the budget covers, in ms, in (0, 400 days] (default
    ///     ``defaultPeriodMilliseconds``, 30 days).
    ///   - sliceMilliseconds: for `Timeslices`, nil means ``defaultSliceMilliseconds``; must be nil for
    ///     `Occurrences`.
    ///   - alerts: the burn-rate alert tiers; nil means the default tiers, an empty list disables
    ///     alerting.
    /// - Throws: ``SLOError`` naming the first field that breaks its rule (``SLOError/budgetField``).
    public init(
        slo: String, objective: Double, method: BudgetingMethod = .occurrences,
        periodMilliseconds: Int64 = SLOBudget.defaultPeriodMilliseconds, sliceMilliseconds: Int64? = nil,
        alerts: [BurnAlertTier]? = nil
    ) throws(SLOError) {
        guard objective.isFinite, objective > 0, objective < 100 else {
            throw .budget(
                slo: slo, field: "objective",
                "The SLO \"\(slo)\" has the objective \(objective), which is not valid: objective is the "
                    + "percentage of good events, greater than 0 and less than 100 (e.g. 99.9).")
        }
        let longest = HistoryTiers.maximumRetentionMilliseconds
        guard periodMilliseconds > 0, periodMilliseconds <= longest else {
            throw .budget(
                slo: slo, field: "period",
                "The SLO \"\(slo)\" has the period \(BudgetText.duration(periodMilliseconds)), which is not "
                    + "valid: a period must be greater than 0 and at most 400d.")
        }
        var slice: Int64?
        switch method {
        case .occurrences:
            if let sliceMilliseconds {
                throw .budget(
                    slo: slo, field: "slice",
                    "The SLO \"\(slo)\" has the slice \(BudgetText.duration(sliceMilliseconds)), which is "
                        + "not valid here: slice applies only to budgetingMethod Timeslices.")
            }
        case .timeslices:
            let value = sliceMilliseconds ?? Self.defaultSliceMilliseconds
            guard value > 0, value <= periodMilliseconds else {
                throw .budget(
                    slo: slo, field: "slice",
                    "The SLO \"\(slo)\" has the slice \(BudgetText.duration(value)), which is not valid: a "
                        + "slice must be greater than 0 and at most the period "
                        + "(\(BudgetText.duration(periodMilliseconds))).")
            }
            slice = value
        }
        if let alerts {
            try Self.checkTiers(alerts, slo: slo, periodMilliseconds: periodMilliseconds)
        }
        self.objective = objective
        self.method = method
        self.periodMilliseconds = periodMilliseconds
        self.sliceMilliseconds = slice
        self.alerts = alerts
    }

    /// The tiers in force: ``alerts`` as given, or the defaults scaled to the period.
    public var tiers: [BurnAlertTier] {
        alerts ?? BurnAlertTier.defaults(periodMilliseconds: periodMilliseconds)
    }

    /// The percentage of events allowed to be bad: 100 − objective, in (0, 100). It is computed in
    /// millionths of a percent, so that a decimal objective gives its decimal complement (99.9 gives
    /// 0.1, not 0.09999999999999432) and the budgets and burn rates built on it come out exact for
    /// exact counts; an objective with more than six decimals falls back to the plain difference.
    public var allowedBadPercent: Double {
        let millionths = (objective * 1_000_000).rounded()
        guard millionths > 0, millionths < 100_000_000 else { return 100 - objective }
        return (100_000_000 - millionths) / 1_000_000
    }

    /// The bad events a budget of `total` events allows: total · (100 − objective) / 100.
    public func allowedBad(total: UInt64) -> Double { Double(total) * allowedBadPercent / 100 }

    /// The burn rate of `bad` bad events among `total` (greater than 0): how many times faster than
    /// the budget allows they spend it, (bad/total) / ((100 − objective)/100).
    public func burnRate(bad: UInt64, total: UInt64) -> Double {
        Double(bad) * 100 / (Double(total) * allowedBadPercent)
    }

    /// Checks what depends on the registry: the period is at most the history's retention (the coarsest
    /// tier's), and a `Timeslices` slice is a whole multiple of the finest tier's slice and at most its
    /// retention.
    /// - Throws: ``SLOError`` naming `period` or `slice` and the limit.
    public func check(slo: String, against history: HistoryTiers) throws(SLOError) {
        guard periodMilliseconds <= history.retentionMilliseconds else {
            throw .budget(
                slo: slo, field: "period",
                "The SLO \"\(slo)\" has the period \(BudgetText.duration(periodMilliseconds)), which is "
                    + "longer than the history's retention: a period may be at most "
                    + "\(BudgetText.duration(history.retentionMilliseconds)).")
        }
        if let sliceMilliseconds, sliceMilliseconds % history.finest.sliceMilliseconds != 0 {
            throw .budget(
                slo: slo, field: "slice",
                "The SLO \"\(slo)\" has the slice \(BudgetText.duration(sliceMilliseconds)), which is not "
                    + "valid: a slice must be a whole multiple of the finest history slice "
                    + "(\(BudgetText.duration(history.finest.sliceMilliseconds))).")
        }
        // A slice is judged from the finest tier's counts, so it must fit in what that tier keeps.
        if let sliceMilliseconds, sliceMilliseconds > history.finest.retentionMilliseconds {
            throw .budget(
                slo: slo, field: "slice",
                "The SLO \"\(slo)\" has the slice \(BudgetText.duration(sliceMilliseconds)), which is "
                    + "longer than the finest history tier keeps: a slice may be at most "
                    + "\(BudgetText.duration(history.finest.retentionMilliseconds)).")
        }
    }

    /// Checks a list of tiers: at most ``maximumTiers``, unique names, long windows within the period.
    private static func checkTiers(
        _ tiers: [BurnAlertTier], slo: String, periodMilliseconds: Int64
    ) throws(SLOError) {
        guard tiers.count <= maximumTiers else {
            throw .budget(
                slo: slo, field: "alerts",
                "The SLO \"\(slo)\" has \(tiers.count) alert tiers: at most \(maximumTiers) are allowed.")
        }
        var names = Set<String>()
        for tier in tiers {
            guard names.insert(tier.name).inserted else {
                throw .budget(
                    slo: slo, field: "alerts",
                    "The SLO \"\(slo)\" names the alert tier \"\(tier.name)\" more than once: tier names "
                        + "must be unique.")
            }
            guard tier.longWindowMilliseconds <= periodMilliseconds else {
                throw .budget(
                    slo: slo, field: "alerts",
                    "The SLO \"\(slo)\" has the alert tier \"\(tier.name)\" with the long window "
                        + "\(BudgetText.duration(tier.longWindowMilliseconds)): a window may be at most the "
                        + "period (\(BudgetText.duration(periodMilliseconds))).")
            }
        }
    }
}
