import SLOWatchCore

extension SLOStatus {
    /// For an error-budget SLO, writes the members `"budget"`, `"burnRates"` and `"alerts"` of its status
    /// object (each `null` until a check with a count source judged it); writes nothing for other SLOs,
    /// whose status stays as it was.
    ///
    /// - `budget`: `{"period":"30d","objective":99.9,"total","good","bad","allowedBad","remaining",
    ///   "exactSince"}`: counts of events (slices for Timeslices) over the period, `remaining` the
    ///   fraction of the budget left (below 0 once spent), `exactSince` in ms since the epoch.
    /// - `burnRates`: `{"5m":…,"30m":…,"1h":…,"2h":…,"6h":…,"1d":…,"3d":…}`, each `null` without events.
    /// - `alerts`: one `{"tier","severity","burnRate","firing","since","longWindow","longBurnRate",
    ///   "shortWindow","shortBurnRate"}` per tier in force; `since` in ms since the epoch or `null`.
    func writeBudgetMembers(to json: inout JSONWriter) {
        guard let definition = slo.budget else { return }
        guard let budget else {
            for key in ["budget", "burnRates", "alerts"] {
                json.key(key)
                json.null()
            }
            return
        }
        json.key("budget")
        json.beginObject()
        json.key("period")
        json.string(DurationText.format(milliseconds: Double(definition.periodMilliseconds), days: true))
        json.key("objective")
        json.number(definition.objective)
        json.key("total")
        json.integer(budget.total)
        json.key("good")
        json.integer(budget.good)
        json.key("bad")
        json.integer(budget.bad)
        json.key("allowedBad")
        json.number(budget.allowedBad)
        json.key("remaining")
        json.number(budget.remaining)
        json.key("exactSince")
        json.integer(budget.exactSinceMilliseconds)
        json.endObject()
        json.key("burnRates")
        json.beginObject()
        for rate in budget.burnRates {
            json.key(DurationText.format(milliseconds: Double(rate.windowMilliseconds), days: true))
            json.number(rate.burnRate)
        }
        json.endObject()
        json.key("alerts")
        json.beginArray()
        for state in budget.alerts {
            json.beginObject()
            json.key("tier")
            json.string(state.tier.name)
            json.key("severity")
            json.string(state.tier.severity)
            json.key("burnRate")
            json.number(state.tier.burnRate)
            json.key("firing")
            json.bool(state.firing)
            json.key("since")
            json.number(state.sinceMilliseconds)
            json.key("longWindow")
            json.string(
                DurationText.format(milliseconds: Double(state.tier.longWindowMilliseconds), days: true))
            json.key("longBurnRate")
            json.number(state.longBurnRate)
            json.key("shortWindow")
            json.string(
                DurationText.format(milliseconds: Double(state.tier.shortWindowMilliseconds), days: true))
            json.key("shortBurnRate")
            json.number(state.shortBurnRate)
            json.endObject()
        }
        json.endArray()
    }
}
