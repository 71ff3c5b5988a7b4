import SLOWatchCore

extension SLODefinition {
    /// Writes the definition's members, without braces, so a caller can add more (the status):
    /// `"id","metric","percentile","threshold","unit","direction","window","minSamples","severity"`, the way
    /// `PUT /slos/{id}` reads them. `window` is written back as a duration (`5m`), or `null` when the
    /// SLO uses every retained sample.
    func writeJSONMembers(to json: inout JSONWriter) {
        json.key("id")
        json.string(id)
        json.key("metric")
        json.string(metric)
        json.key("percentile")
        json.string(percentile.text)
        json.key("threshold")
        json.number(threshold)
        json.key("unit")
        json.string(unit)
        json.key("direction")
        json.string(direction.rawValue)
        json.key("window")
        if let window {
            json.string(DurationText.format(milliseconds: window))
        } else {
            json.null()
        }
        json.key("minSamples")
        json.integer(minSamples)
        json.key("severity")
        json.string(severity)
    }
}
