/// One multiwindow burn-rate alert tier of an error-budget SLO (the SRE workbook's alerting): it fires
/// when the budget burns faster than ``burnRate`` over both its long and its short window, and resolves
/// when either window drops to the rate or below.
///
/// Invariants, checked by ``init(slo:name:burnRate:longWindowMilliseconds:shortWindowMilliseconds:severity:)``:
/// `name` and `severity` match `^[a-z][a-z0-9_-]{0,31}$`; `burnRate` finite and greater than 0; both
/// windows greater than 0 ms, the short one at most the long one.
public struct BurnAlertTier: Sendable, Equatable {
    /// The tier's name, e.g. `page-fast`: the `tier` label of its alert.
    public let name: String
    /// The burn rate both windows must exceed: 1 spends the budget exactly over the period.
    public let burnRate: Double
    /// The long window, in ms.
    public let longWindowMilliseconds: Int64
    /// The short window, in ms: it makes the alert resolve soon after the burn stops.
    public let shortWindowMilliseconds: Int64
    /// The `severity` label of its alert, e.g. `critical`.
    public let severity: String

    /// Checks and creates a tier.
    /// - Parameters:
    ///   - slo: the SLO's id, for error messages.
    ///   - name: the tier's name (``name``), matching `^[a-z][a-z0-9_-]{0,31}$`.
    ///   - burnRate: the burn rate both windows must exceed (``burnRate``), finite and greater than 0.
    ///   - longWindowMilliseconds: the long window, in ms (``longWindowMilliseconds``), greater than 0.
    ///   - shortWindowMilliseconds: the short window, in ms (``shortWindowMilliseconds``), greater than 0
    ///     and at most the long one.
    ///   - severity: the `severity` label of its alert (``severity``), with the same rule as `name`.
    /// - Throws: ``SLOError`` about the `alerts` field, naming the tier and the rule it broke.
    public init(
        slo: String, name: String, burnRate: Double, longWindowMilliseconds: Int64,
        shortWindowMilliseconds: Int64, severity: String
    ) throws(SLOError) {
        func refuse(_ rule: String) -> SLOError {
            .budget(slo: slo, field: "alerts", "The SLO \"\(slo)\" has an alert tier \(rule)")
        }
        guard SLODefinition.isValidSeverity(name) else {
            throw refuse(
                "named \"\(name.prefix(100))\", which is not valid: a tier name is 1 to 32 lowercase "
                    + "letters, digits, '_' or '-', starting with a letter (page-fast).")
        }
        guard burnRate.isFinite, burnRate > 0 else {
            throw refuse(
                "\"\(name)\" with the burnRate \(burnRate): a burn rate must be a finite number greater than 0."
            )
        }
        guard longWindowMilliseconds > 0, shortWindowMilliseconds > 0,
            shortWindowMilliseconds <= longWindowMilliseconds
        else {
            throw refuse(
                "\"\(name)\" with the windows \(BudgetText.duration(longWindowMilliseconds)) (long) and "
                    + "\(BudgetText.duration(shortWindowMilliseconds)) (short): both must be greater than 0, "
                    + "and the short window at most the long one.")
        }
        guard SLODefinition.isValidSeverity(severity) else {
            throw refuse(
                "\"\(name)\" with the severity \"\(severity.prefix(100))\", which is not valid: a severity is "
                    + "1 to 32 lowercase letters, digits, '_' or '-', starting with a letter.")
        }
        self.init(
            unchecked: name, burnRate: burnRate, long: longWindowMilliseconds, short: shortWindowMilliseconds,
            severity: severity)
    }

    private init(unchecked name: String, burnRate: Double, long: Int64, short: Int64, severity: String) {
        self.name = name
        self.burnRate = burnRate
        self.longWindowMilliseconds = long
        self.shortWindowMilliseconds = short
        self.severity = severity
    }

    /// The SRE workbook's tiers for a 30-day period, each window scaled by period / 30 days (rounded to
    /// whole ms, at least 1 ms): page-fast 14.4 over 1h and 5m (critical), page-slow 6 over 6h and 30m
    /// (critical), ticket-fast 3 over 1d and 2h (warning), ticket-slow 1 over 3d and 6h (warning).
    public static func defaults(periodMilliseconds: Int64) -> [BurnAlertTier] {
        let scale = Double(periodMilliseconds) / Double(SLOBudget.defaultPeriodMilliseconds)
        func window(_ milliseconds: Int64) -> Int64 {
            max(1, Int64((Double(milliseconds) * scale).rounded()))
        }
        let hour: Int64 = 3_600_000
        let minute: Int64 = 60_000
        return [
            ("page-fast", 14.4, hour, 5 * minute, "critical"),
            ("page-slow", 6, 6 * hour, 30 * minute, "critical"),
            ("ticket-fast", 3, 24 * hour, 2 * hour, "warning"),
            ("ticket-slow", 1, 72 * hour, 6 * hour, "warning"),
        ].map { name, rate, long, short, severity in
            BurnAlertTier(
                unchecked: name, burnRate: rate, long: window(long), short: window(short), severity: severity)
        }
    }
}
