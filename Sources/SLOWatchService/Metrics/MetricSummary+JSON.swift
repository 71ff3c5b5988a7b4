import SLOWatchCore

extension MetricSummary {
    /// Writes `{"name","type","unit","description","capacity","count","overflow","newestTimestamp"}`:
    /// `capacity` and `count` in samples, `newestTimestamp` in ms since the epoch (`null` when empty).
    /// With `history`, a last member `"history":{"late","future","bytes","droppedSlices"}` (samples kept
    /// out of history as older than its retention or too far ahead, the bytes it holds, slices dropped
    /// to keep `--history-memory`).
    func writeJSON(to json: inout JSONWriter, history: MetricsRegistry.HistoryCounters? = nil) {
        json.beginObject()
        definition.writeJSONMembers(to: &json)
        json.key("count")
        json.integer(count)
        json.key("overflow")
        json.integer(overflow)
        json.key("newestTimestamp")
        json.number(newestTimestamp)
        if let history {
            json.key("history")
            json.beginObject()
            json.key("late")
            json.integer(history.late)
            json.key("future")
            json.integer(history.future)
            json.key("bytes")
            json.integer(history.bytes)
            json.key("droppedSlices")
            json.integer(history.droppedSlices)
            json.endObject()
        }
        json.endObject()
    }
}
