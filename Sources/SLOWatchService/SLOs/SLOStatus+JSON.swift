import SLOWatchCore

extension SLOStatus {
    /// `violating` while a breach is open (until its recovery); else `no_data` when the last check
    /// could not judge the SLO (never checked yet, an unknown metric, or fewer than `minSamples`
    /// samples); else `ok`.
    var state: String {
        if violating { return "violating" }
        return lastActual == nil ? "no_data" : "ok"
    }

    /// Writes `{…definition…, "status":{"state","actual","count","checkedAt"}}`: `actual` in the SLO's
    /// unit (`null` when the last check had too little data), `count` the samples that check saw,
    /// `checkedAt` its time in ms since the epoch (`null` before the first check); an error-budget SLO's
    /// status adds `budget`, `burnRates` and `alerts` (``writeBudgetMembers(to:)``).
    func writeJSON(to json: inout JSONWriter) {
        json.beginObject()
        slo.writeJSONMembers(to: &json)
        json.key("status")
        json.beginObject()
        json.key("state")
        json.string(state)
        json.key("actual")
        json.number(lastActual)
        json.key("count")
        json.integer(lastCount)
        json.key("checkedAt")
        json.number(checkedAt)
        writeBudgetMembers(to: &json)
        json.endObject()
        json.endObject()
    }
}
