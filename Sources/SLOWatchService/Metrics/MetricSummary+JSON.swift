import SLOWatchCore

extension MetricSummary {
    /// Writes `{"name","type","unit","description","capacity","count","overflow","newestTimestamp"}`:
    /// `capacity` and `count` in samples, `newestTimestamp` in ms since the epoch (`null` when empty).
    func writeJSON(to json: inout JSONWriter) {
        json.beginObject()
        json.key("name")
        json.string(definition.name)
        json.key("type")
        json.string(definition.type.rawValue)
        json.key("unit")
        json.string(definition.unit)
        json.key("description")
        json.string(definition.description)
        json.key("capacity")
        json.integer(definition.capacity)
        json.key("count")
        json.integer(count)
        json.key("overflow")
        json.integer(overflow)
        json.key("newestTimestamp")
        json.number(newestTimestamp)
        json.endObject()
    }
}
