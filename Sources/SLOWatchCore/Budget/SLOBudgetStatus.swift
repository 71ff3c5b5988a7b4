/// An error-budget SLO's budget at the last check: the period's counts, the burn rates of the standard
/// windows, and the state of each alert tier.
///
/// For `Occurrences` the counts are samples; for `Timeslices` they are judged slices.
public struct SLOBudgetStatus: Sendable, Equatable {
    /// The windows whose burn rates the status shows, in ms: 5m, 30m, 1h, 2h, 6h, 1d, 3d.
    public static let statusWindowsMilliseconds: [Int64] = [
        300_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 86_400_000, 259_200_000,
    ]

    /// The burn rate of one window.
    public struct BurnRate: Sendable, Equatable {
        /// The window, in ms, ending at the check.
        public var windowMilliseconds: Int64
        /// (bad/total over the window) / (1 − objective/100); nil when the window had no events.
        public var burnRate: Double?
    }

    /// The state of one alert tier.
    public struct TierState: Sendable, Equatable {
        /// The tier.
        public var tier: BurnAlertTier
        /// Whether both windows burn faster than the tier's rate.
        public var firing: Bool
        /// Since when it fires, ms since the epoch (wall clock); nil while it does not.
        public var sinceMilliseconds: Double?
        /// The long window's burn rate; nil when it had no events.
        public var longBurnRate: Double?
        /// The short window's burn rate; nil when it had no events.
        public var shortBurnRate: Double?
    }

    /// Events in the period (samples, or counted slices for `Timeslices`).
    public var total: UInt64
    /// Good events in the period.
    public var good: UInt64
    /// Bad events in the period.
    public var bad: UInt64
    /// The bad events the budget allows over the period: total · (1 − objective/100).
    public var allowedBad: Double
    /// The fraction of the budget left: 1 − bad/allowedBad (1 with no bad events); below 0 once spent.
    public var remaining: Double
    /// Since when the counts are exact, ms since the epoch (see ``BudgetCounts/exactSinceMilliseconds``).
    public var exactSinceMilliseconds: Int64
    /// The burn rates of ``statusWindowsMilliseconds``, in that order.
    public var burnRates: [BurnRate]
    /// Each tier in force, in the SLO's order.
    public var alerts: [TierState]
    /// Good events (samples) since counting started, never decreasing: a Prometheus counter.
    public var cumulativeGood: UInt64
    /// Bad events (samples) since counting started, never decreasing: a Prometheus counter.
    public var cumulativeBad: UInt64

    /// Creates a status.
    public init(
        total: UInt64, good: UInt64, bad: UInt64, allowedBad: Double, remaining: Double,
        exactSinceMilliseconds: Int64, burnRates: [BurnRate], alerts: [TierState], cumulativeGood: UInt64 = 0,
        cumulativeBad: UInt64 = 0
    ) {
        self.cumulativeGood = cumulativeGood
        self.cumulativeBad = cumulativeBad
        self.total = total
        self.good = good
        self.bad = bad
        self.allowedBad = allowedBad
        self.remaining = remaining
        self.exactSinceMilliseconds = exactSinceMilliseconds
        self.burnRates = burnRates
        self.alerts = alerts
    }

    /// `remaining` for `bad` events against `allowedBad`: 1 without bad events, else 1 − bad/allowedBad.
    static func remaining(bad: UInt64, allowedBad: Double) -> Double {
        guard bad > 0 else { return 1 }
        guard allowedBad > 0 else { return -Double(bad) }
        return 1 - Double(bad) / allowedBad
    }
}
