import SLOWatchCore

/// The error-budget fields of the SLO schema, named as in OpenSLO v1:
/// `"objective":99.9,"budgetingMethod":"Occurrences|Timeslices","period":"30d","slice":"1m",
/// "alerts":[{"tier":"page-fast","burnRate":14.4,"longWindow":"1h","shortWindow":"5m","severity":"critical"}]`.
///
/// `objective` makes an SLO an error-budget SLO; the other four need it. `budgetingMethod` defaults to
/// `Occurrences`, `period` to `30d`, `slice` (Timeslices only) to `1m`; `alerts` absent or `null` means
/// the default tiers, `[]` none. In a tier, `severity` defaults to `warning`. Durations are read by
/// ``DurationText`` and must be whole ms. The rules are the core's (``SLOBudget``, ``BurnAlertTier``).
extension SLODefinitionBody {
    /// The budget fields, in the order they are written.
    static let budgetFieldNames = ["objective", "budgetingMethod", "period", "slice", "alerts"]

    /// Reads the budget of SLO `id` from `fields`; nil when it has no `objective`.
    /// - Throws: the source's error naming the first bad field and the rule it broke.
    static func budget<Fields: DefinitionFields>(_ fields: Fields, id: String) throws(Fields.Failure)
        -> SLOBudget?
    {
        let objective = try fields.number("objective")
        let methodText = try fields.string("budgetingMethod", maximumLength: .max)
        let period = try wholeDuration(fields, "period")
        let slice = try wholeDuration(fields, "slice")
        let alertItems = try fields.objectList("alerts")
        guard let objective else {
            let given: [(String, Bool)] = [
                ("budgetingMethod", methodText != nil), ("period", period != nil), ("slice", slice != nil),
                ("alerts", alertItems != nil),
            ]
            if let field = given.first(where: \.1)?.0 {
                throw fields.invalid(
                    field,
                    "\(fields.path(of: field)): needs an objective: \(field) applies only to an error-budget "
                        + "SLO, which sets \"objective\" (the percentage of good events, e.g. 99.9).")
            }
            return nil
        }
        var method = BudgetingMethod.occurrences
        if let methodText {
            guard let parsed = BudgetingMethod(rawValue: methodText) else {
                throw fields.invalid(
                    "budgetingMethod",
                    "\(fields.path(of: "budgetingMethod")): \(MessageText.quoted(methodText, limit: 60)) is not "
                        + "valid: it must be \"Occurrences\" or \"Timeslices\".")
            }
            method = parsed
        }
        var tiers: [BurnAlertTier]?
        if let alertItems {
            tiers = []
            for item in alertItems { tiers?.append(try tier(item, id: id)) }
        }
        do {
            return try SLOBudget(
                slo: id, objective: objective, method: method,
                periodMilliseconds: period ?? SLOBudget.defaultPeriodMilliseconds, sliceMilliseconds: slice,
                alerts: tiers)
        } catch {
            throw fields.invalid(error.budgetField, error.message)
        }
    }

    /// One alert tier: `tier`, `burnRate`, `longWindow`, `shortWindow` required; `severity` optional.
    private static func tier<Fields: DefinitionFields>(_ item: Fields, id: String) throws(Fields.Failure)
        -> BurnAlertTier
    {
        let name = try item.requiredString("tier")
        let burnRate = try item.requiredNumber("burnRate")
        guard let long = try wholeDuration(item, "longWindow") else {
            throw item.invalid(
                "longWindow", "\(item.path(of: "longWindow")): is required and must be a duration.")
        }
        guard let short = try wholeDuration(item, "shortWindow") else {
            throw item.invalid(
                "shortWindow", "\(item.path(of: "shortWindow")): is required and must be a duration.")
        }
        let severity = try item.string("severity", maximumLength: .max) ?? SLODefinition.defaultSeverity
        do {
            return try BurnAlertTier(
                slo: id, name: name, burnRate: burnRate, longWindowMilliseconds: long,
                shortWindowMilliseconds: short, severity: severity)
        } catch {
            throw item.invalid(nil, "\(item.path(of: "tier")): \(error.message)")
        }
    }

    /// The duration at `key` in whole ms, or nil when absent.
    /// - Throws: when it is not a duration, not whole ms, or longer than 400 days.
    private static func wholeDuration<Fields: DefinitionFields>(_ fields: Fields, _ key: String)
        throws(Fields.Failure) -> Int64?
    {
        guard let text = try fields.string(key, maximumLength: .max) else { return nil }
        let limit = Double(HistoryTiers.maximumRetentionMilliseconds)
        guard let milliseconds = DurationText.milliseconds(text), milliseconds == milliseconds.rounded(),
            milliseconds <= limit
        else {
            throw fields.invalid(
                key,
                "\(fields.path(of: key)): \(MessageText.quoted(text, limit: 60)) is not valid: write "
                    + "\(DurationText.rule), a whole number of milliseconds of at most 400d.")
        }
        return Int64(milliseconds)
    }
}

extension SLOBudget {
    /// Writes the budget's members, without braces: `objective`, `budgetingMethod`, `period`, `slice`
    /// (Timeslices only) and `alerts` (only when the SLO replaced the default tiers), as
    /// ``SLODefinitionBody/budget(_:id:)`` reads them back.
    func writeJSONMembers(to json: inout JSONWriter) {
        json.key("objective")
        json.number(objective)
        json.key("budgetingMethod")
        json.string(method.rawValue)
        json.key("period")
        json.string(DurationText.format(milliseconds: Double(periodMilliseconds), days: true))
        if let sliceMilliseconds {
            json.key("slice")
            json.string(DurationText.format(milliseconds: Double(sliceMilliseconds), days: true))
        }
        guard let alerts else { return }
        json.key("alerts")
        json.beginArray()
        for tier in alerts { tier.writeJSON(to: &json) }
        json.endArray()
    }
}

extension BurnAlertTier {
    /// Writes `{"tier","burnRate","longWindow","shortWindow","severity"}`.
    func writeJSON(to json: inout JSONWriter) {
        json.beginObject()
        json.key("tier")
        json.string(name)
        json.key("burnRate")
        json.number(burnRate)
        json.key("longWindow")
        json.string(DurationText.format(milliseconds: Double(longWindowMilliseconds), days: true))
        json.key("shortWindow")
        json.string(DurationText.format(milliseconds: Double(shortWindowMilliseconds), days: true))
        json.key("severity")
        json.string(severity)
        json.endObject()
    }
}
