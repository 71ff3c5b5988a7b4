/// A service-level objective: a percentile of one metric, compared with a threshold.
///
/// Every field is checked when the definition is made, so a value of this type is always valid.
public struct SLODefinition: Sendable, Equatable, Identifiable, CustomStringConvertible {
    /// A unique id, e.g. `input-to-echo-p95`; the same name rule as metrics.
    public let id: String
    /// The name of the metric it watches.
    public let metric: String
    /// The percentile compared with the threshold, as written and as a quantile.
    public let percentile: Percentile
    /// The limit, in ``unit``.
    public let threshold: Double
    /// The unit of the threshold and of the actual value, e.g. `ms`, `fps`, `MB`.
    public let unit: String
    /// Which side of the threshold is a breach.
    public let direction: SLODirection
    /// When set, only samples from the last `window` count; `nil` means every retained sample.
    /// Greater than zero: the `Duration` given, or for a window the service read as text, its ms value
    /// as a `Duration` (saturating at the longest `Duration` for the absurdly long ones text can name).
    public let window: Duration?
    /// ``window`` in ms, as the checks and the service's schema use it: finite and greater than 0, or
    /// `nil` for every retained sample. The service's text is read into and written from this value,
    /// so it round-trips exactly.
    package let windowMilliseconds: Double?
    /// The fewest samples (in the window, if any) needed before the SLO is judged; at least 1.
    public let minSamples: Int
    /// How urgent a breach is, e.g. `warning` (the default) or `critical`: the `severity` label of the
    /// alert sent to Alertmanager, where routes match on it; it matches `^[a-z][a-z0-9_-]{0,31}$`.
    public let severity: String

    /// The error budget, for an error-budget SLO (one with an `objective`); nil for a plain percentile
    /// SLO, which works exactly as before budgets existed.
    public let budget: SLOBudget?

    /// The severity of an SLO that names none.
    public static let defaultSeverity = "warning"

    /// Creates and validates an SLO.
    /// - Parameters:
    ///   - id: 1–128 characters matching `^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$`.
    ///   - metric: the metric's name, with the same rule.
    ///   - percentile: the percentile to compare.
    ///   - threshold: a finite limit, in `unit`.
    ///   - unit: the unit of the threshold (default `ms`).
    ///   - direction: `.above` (default) for latency, `.below` for frame rates.
    ///   - window: the window (greater than zero), or `nil` for all retained samples.
    ///   - minSamples: the fewest samples needed (default 1; at least 1).
    ///   - severity: the alert severity (default `warning`), matching `^[a-z][a-z0-9_-]{0,31}$`.
    ///   - budget: the error budget of an error-budget SLO, or `nil` (default) for a plain percentile SLO.
    /// - Throws: ``SLOError`` naming the first field that breaks its rule.
    public init(
        id: String, metric: String, percentile: Percentile, threshold: Double, unit: String = "ms",
        direction: SLODirection = .above, window: Duration? = nil, minSamples: Int = 1,
        severity: String = SLODefinition.defaultSeverity, budget: SLOBudget? = nil
    ) throws(SLOError) {
        try self.init(
            checking: id, metric: metric, percentile: percentile, threshold: threshold, unit: unit,
            direction: direction, window: window, windowMilliseconds: window?.milliseconds,
            minSamples: minSamples, severity: severity, budget: budget)
    }

    /// Creates and validates an SLO whose percentile is written as text (`p95`, `p99.9`).
    /// - Throws: ``SLOError`` naming the first field that breaks its rule.
    public init(
        id: String, metric: String, percentile: String, threshold: Double, unit: String = "ms",
        direction: SLODirection = .above, window: Duration? = nil, minSamples: Int = 1,
        severity: String = SLODefinition.defaultSeverity, budget: SLOBudget? = nil
    ) throws(SLOError) {
        guard Self.isValidName(id) else { throw SLOError.invalidID(id) }
        try self.init(
            id: id, metric: metric, percentile: Percentile(parsing: percentile), threshold: threshold,
            unit: unit, direction: direction, window: window, minSamples: minSamples, severity: severity,
            budget: budget)
    }

    /// Creates and validates an SLO whose window is in ms, as the service's schema reads it (its text
    /// can name windows longer than a `Duration`, and they must survive a round trip unchanged).
    /// - Parameter windowMilliseconds: finite and greater than 0, or `nil` for all retained samples.
    /// - Throws: ``SLOError`` naming the first field that breaks its rule.
    package init(
        id: String, metric: String, percentile: Percentile, threshold: Double, unit: String,
        direction: SLODirection, windowMilliseconds: Double?, minSamples: Int, severity: String,
        budget: SLOBudget? = nil
    ) throws(SLOError) {
        try self.init(
            checking: id, metric: metric, percentile: percentile, threshold: threshold, unit: unit,
            direction: direction, window: windowMilliseconds.map(Duration.init(saturatingMilliseconds:)),
            windowMilliseconds: windowMilliseconds, minSamples: minSamples, severity: severity, budget: budget
        )
    }

    /// Checks every field, then stores them; `window` and `windowMilliseconds` are the same span.
    private init(
        checking id: String, metric: String, percentile: Percentile, threshold: Double, unit: String,
        direction: SLODirection, window: Duration?, windowMilliseconds: Double?, minSamples: Int,
        severity: String, budget: SLOBudget?
    ) throws(SLOError) {
        guard Self.isValidName(id) else { throw SLOError.invalidID(id) }
        guard Self.isValidName(metric) else { throw SLOError.invalidMetricName(slo: id, metric: metric) }
        guard threshold.isFinite else { throw SLOError.nonFiniteThreshold(slo: id, threshold: threshold) }
        guard minSamples >= 1 else { throw SLOError.invalidMinSamples(slo: id, minSamples: minSamples) }
        if let window = windowMilliseconds, !(window.isFinite && window > 0) {
            throw SLOError.invalidWindow(slo: id, milliseconds: window)
        }
        guard Self.isValidSeverity(severity) else {
            throw SLOError.invalidSeverity(slo: id, severity: severity)
        }
        self.init(
            storing: id, metric: metric, percentile: percentile, threshold: threshold, unit: unit,
            direction: direction, window: window, windowMilliseconds: windowMilliseconds,
            minSamples: minSamples, severity: severity, budget: budget)
    }

    /// Creates an SLO without checking it; only for the service's embedded seeds, which the tests
    /// validate, and for tests.
    /// - Parameter windowMilliseconds: the window in ms, or `nil` for all retained samples.
    package init(
        unchecked id: String, metric: String, percentile: Percentile, threshold: Double, unit: String,
        direction: SLODirection, windowMilliseconds: Double?, minSamples: Int,
        severity: String = SLODefinition.defaultSeverity, budget: SLOBudget? = nil
    ) {
        self.init(
            storing: id, metric: metric, percentile: percentile, threshold: threshold, unit: unit,
            direction: direction, window: windowMilliseconds.map(Duration.init(saturatingMilliseconds:)),
            windowMilliseconds: windowMilliseconds, minSamples: minSamples, severity: severity, budget: budget
        )
    }

    /// Stores the fields as given.
    private init(
        storing id: String, metric: String, percentile: Percentile, threshold: Double, unit: String,
        direction: SLODirection, window: Duration?, windowMilliseconds: Double?, minSamples: Int,
        severity: String, budget: SLOBudget?
    ) {
        self.id = id
        self.metric = metric
        self.percentile = percentile
        self.threshold = threshold
        self.unit = unit
        self.direction = direction
        self.window = window
        self.windowMilliseconds = windowMilliseconds
        self.minSamples = minSamples
        self.severity = severity
        self.budget = budget
    }

    /// The quantile in (0, 1] of ``percentile``.
    public var quantile: Double { percentile.quantile }

    /// `id: metric p95 above 60 ms`, for log lines (the severity is left out: it does not change the check).
    public var description: String {
        let windowText = windowMilliseconds.map { " over \($0) ms" } ?? ""
        return "\(id): \(metric) \(percentile) \(direction) \(threshold) \(unit)\(windowText)"
    }

    /// Checks that the ids in a set are unique.
    /// - Throws: ``SLOError/duplicateID(_:)`` for the first repeated id.
    package static func validateSet(_ slos: [SLODefinition]) throws(SLOError) {
        var seen = Set<String>()
        for slo in slos where !seen.insert(slo.id).inserted { throw SLOError.duplicateID(slo.id) }
    }

    /// Whether `name` matches `^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$`, the metric name rule.
    package static func isValidName(_ name: String) -> Bool { MetricName.isValid(name) }

    /// Whether `severity` matches `^[a-z][a-z0-9_-]{0,31}$`: 1 to 32 lowercase letters, digits, `_` or `-`,
    /// starting with a letter.
    ///
    /// A pattern rather than a fixed set, because teams route on their own words (`critical`, `warning`,
    /// `info`, but also `page` or `ticket`); lowercase and short, because it becomes an Alertmanager label
    /// value that routes and silences match exactly, and `Critical` next to `critical` would split them.
    package static func isValidSeverity(_ severity: String) -> Bool {
        let bytes = Array(severity.utf8)
        guard (1...32).contains(bytes.count), (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[0])
        else {
            return false
        }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "-")
        }
    }
}
