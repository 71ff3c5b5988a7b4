import SLOWatchCore

extension MetricSummary {
    /// Writes `{"name","type","unit","description","capacity","count","overflow","newestTimestamp"}`:
    /// `capacity` and `count` in samples, `newestTimestamp` in ms since the epoch (`null` when empty).
    func writeJSON(to json: inout JSONWriter) {
        json.beginObject()
        definition.writeJSONMembers(to: &json)
        json.key("count")
        json.integer(count)
        json.key("overflow")
        json.integer(overflow)
        json.key("newestTimestamp")
        json.number(newestTimestamp)
        json.endObject()
    }
}
