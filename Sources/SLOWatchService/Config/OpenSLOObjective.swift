import SLOWatchCore

/// The `budgetingMethod` and the one objective of an OpenSLO SLO, as slowatch's budget reads them.
///
/// `op: lte` is direction `above` and `op: gte` direction `below`: slowatch counts a sample equal to the
/// threshold as good, as they do. `lt` and `gt` are refused: a sample equal to `value` would be counted
/// differently. A `Timeslices` slice is good when at least `timeSliceTarget` of its samples are, which is
/// slowatch's rule "the slice's p(100·timeSliceTarget) is at or below the threshold" for `lte`; for `gte`
/// the nearest-rank percentile differs from that fraction when it falls on a whole sample, so
/// `Timeslices` with `gte` is refused.
struct OpenSLOObjective {
    /// How events are counted.
    let method: BudgetingMethod
    /// Which side of the threshold is bad.
    let direction: SLODirection
    /// `value`: the threshold.
    let threshold: Double
    /// The objective, in percent: `target` × 100 or `targetPercent`.
    let percent: Double
    /// The slice, in ms, for `Timeslices`.
    let sliceMilliseconds: Int64?
    /// The percentile judged: `timeSliceTarget` for `Timeslices`; for `Occurrences`, which counts samples
    /// and not a percentile, the target rounded down to a tenth of a percent (the instant check).
    let percentile: (Percentile, ConfigValue)
    /// The values read, for errors about them.
    let targetValue: ConfigValue
    /// The `value` field, for errors.
    let valueValue: ConfigValue
    /// The `timeSliceWindow` field, for errors.
    let sliceValue: ConfigValue?

    /// Reads `spec.budgetingMethod` and `spec.objectives`.
    /// - Throws: ``ConfigError`` at the line of the first field outside the subset or invalid.
    init(_ methodNode: ConfigValue, _ objectives: ConfigValue) throws(ConfigError) {
        let methodText = try methodNode.text()
        guard let method = BudgetingMethod(rawValue: methodText) else {
            throw methodNode.keyError(
                "\(methodNode.name): \(MessageText.quoted(methodText, limit: 60)) is not supported: "
                    + "slowatch counts \"Occurrences\" (samples) or \"Timeslices\" (slices judged by a "
                    + "percentile); RatioTimeslices averages ratios, which it does not keep.")
        }
        self.method = method
        let items = try objectives.items(rule: "a list of objectives")
        guard items.count == 1 else {
            throw objectives.keyError(
                "\(objectives.name) holds \(items.count) objectives: a thresholdMetric SLO has exactly one "
                    + "(write one SLO document per threshold).")
        }
        let fields = try OpenSLOFields(
            items[0],
            allowed: [
                "displayName", "op", "value", "target", "targetPercent", "timeSliceTarget", "timeSliceWindow",
                "indicator", "indicatorRef", "compositeWeight",
            ])
        for key in ["indicator", "indicatorRef", "compositeWeight"] {
            if let composite = fields.optional(key) {
                throw composite.keyError(
                    "\(composite.name): composite SLOs are not supported: slowatch's SLO watches one metric.")
            }
        }
        let op = try fields.required("op")
        direction = try Self.direction(op)
        valueValue = try fields.required("value")
        threshold = try valueValue.number()
        (percent, targetValue) = try Self.target(fields)
        let sliceTarget = fields.optional("timeSliceTarget")
        sliceValue = fields.optional("timeSliceWindow")
        switch method {
        case .occurrences:
            if let extra = sliceTarget ?? sliceValue {
                throw extra.keyError(
                    "\(extra.name) applies only to budgetingMethod Timeslices; this SLO counts Occurrences.")
            }
            sliceMilliseconds = nil
            percentile = (Self.instantPercentile(percent), targetValue)
        case .timeslices:
            guard direction == .above else {
                throw op.keyError(
                    "\(op.name): gte is supported with Occurrences only: slowatch judges a slice by a "
                        + "nearest-rank percentile, which for gte differs from a fraction of good samples "
                        + "when it falls on a whole sample.")
            }
            let target = try fields.required("timeSliceTarget")
            percentile = (try Self.slicePercentile(target), target)
            let window = try fields.required("timeSliceWindow")
            sliceMilliseconds = try Self.slice(window)
        }
    }

    /// `lte` → `above`, `gte` → `below`.
    private static func direction(_ op: ConfigValue) throws(ConfigError) -> SLODirection {
        let text = try op.text()
        switch text {
        case "lte": return .above
        case "gte": return .below
        case "lt", "gt":
            throw op.keyError(
                "\(op.name): \(text) is not supported: slowatch counts a sample equal to the threshold as "
                    + "good, so only lte (good at or below value) and gte (good at or above value) are exact."
            )
        default:
            throw op.keyError(
                "\(op.name): \(MessageText.quoted(text, limit: 60)) is not an OpenSLO operator: write lte or "
                    + "gte.")
        }
    }

    /// The objective in percent from `target` (in (0, 1)) or `targetPercent` (in (0, 100)), with its value.
    private static func target(_ fields: OpenSLOFields) throws(ConfigError) -> (Double, ConfigValue) {
        let target = fields.optional("target")
        let targetPercent = fields.optional("targetPercent")
        if let target, targetPercent != nil {
            throw target.keyError("\(target.name): give target or targetPercent, not both.")
        }
        if let target {
            let fraction = try target.number()
            guard fraction > 0, fraction < 1 else {
                throw target.keyError(
                    "\(target.name) must be greater than 0 and less than 1 (0.999 is 99.9 %).")
            }
            return (Double(OpenSLONumberText.shifted(fraction, by: 2)) ?? fraction * 100, target)
        }
        guard let targetPercent else {
            throw fields.value.keyError("\(fields.value.name) needs target (0.999) or targetPercent (99.9).")
        }
        return (try targetPercent.number(), targetPercent)
    }

    /// The percentile `timeSliceTarget` names: 0.95 → p95, 0.999 → p99.9.
    private static func slicePercentile(_ target: ConfigValue) throws(ConfigError) -> Percentile {
        let fraction = try target.number()
        let text = fraction > 0 && fraction <= 1 ? "p" + OpenSLONumberText.shifted(fraction, by: 2) : ""
        do {
            return try Percentile(parsing: text)
        } catch {
            throw target.keyError(
                "\(target.name): \(target.tree.written[target.name] ?? String(fraction)) is not supported: "
                    + "slowatch judges each slice by a percentile, so it must be greater than 0 and at most 1 "
                    + "with at most three decimals (0.95 is p95, 0.999 is p99.9).")
        }
    }

    /// The percentile of an `Occurrences` SLO's instant check: `percent` rounded down to a tenth.
    static func instantPercentile(_ percent: Double) -> Percentile {
        let tenths = min(999, max(1, Int((percent * 10 + 1e-9).rounded(.down))))
        let text = tenths % 10 == 0 ? "p\(tenths / 10)" : "p\(tenths / 10).\(tenths % 10)"
        return (try? Percentile(parsing: text)) ?? .p99
    }

    /// `timeSliceWindow`: a duration shorthand, or a number of minutes, as OpenSLO reads one.
    private static func slice(_ window: ConfigValue) throws(ConfigError) -> Int64 {
        if case .number(let minutes) = window.value, minutes > 0, minutes == minutes.rounded(),
            minutes <= 576_000
        {
            return Int64(minutes) * 60_000
        }
        let text = try window.text()
        guard let milliseconds = OpenSLOTimeWindow.milliseconds(text) else {
            throw window.keyError(
                "\(window.name): \(MessageText.quoted(text, limit: 60)) is not supported: write a whole "
                    + "number followed by m, h, d or w (e.g. 1m, 5m), or a whole number of minutes.")
        }
        return milliseconds
    }
}
