import SLOWatchCore

extension PercentileSummary {
    /// Writes the answer of `GET /metrics/{name}/percentiles`, fields in the documented order:
    /// `{"metric","unit","count","min","max","mean","p50","p90","p95","p99","p999","from","to","exact"}`,
    /// then `"relativeError"` when the answer came from history, then `"quantiles":{"0.75":…}` when extra
    /// quantiles were asked for. Statistics, `from` and `to` are `null` when `count` is 0; `from` and
    /// `to` are the oldest and newest timestamps used, in ms (from history: the start of the first
    /// slice merged and the newest sample time).
    /// - Parameters:
    ///   - metric: the metric's name.
    ///   - unit: the metric's unit.
    ///   - asked: the extra quantiles asked for, with their keys, in the order asked.
    ///   - json: the writer.
    func writeJSON(metric: String, unit: String, asked: [QueryText.Quantile], to json: inout JSONWriter) {
        json.beginObject()
        json.key("metric")
        json.string(metric)
        json.key("unit")
        json.string(unit)
        json.key("count")
        json.integer(count)
        let fields: [(String, Double?)] = [
            ("min", min), ("max", max), ("mean", mean), ("p50", p50), ("p90", p90), ("p95", p95),
            ("p99", p99), ("p999", p999), ("from", oldestTimestamp), ("to", newestTimestamp),
        ]
        for (key, value) in fields {
            json.key(key)
            json.number(value)
        }
        json.key("exact")
        json.bool(exact)
        if let relativeError {
            json.key("relativeError")
            json.number(relativeError)
        }
        if !asked.isEmpty {
            json.key("quantiles")
            json.beginObject()
            for quantile in asked {
                json.key(quantile.key)
                json.number(count > 0 ? value(atQuantile: quantile.value) : nil)
            }
            json.endObject()
        }
        json.endObject()
    }
}
