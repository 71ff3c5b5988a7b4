import SLOWatchCore

/// The SLO schema: reads one SLO from the body of `PUT /slos/{id}`, the durable definitions file, or an
/// item of a configuration file's `slos:` list, with one set of fields, defaults and messages:
/// `{"metric","percentile":"p95","threshold":60,"unit":"ms","direction":"above|below","window":"5m",
/// "minSamples":20,"severity":"critical"}`.
///
/// `metric`, `percentile` and `threshold` are required. `unit` defaults to `ms`, `direction` to
/// `above`, `window` to none (every retained sample; `null` means the same), `minSamples` to 1 and
/// `severity` to `warning`. The rules are the core's (``SLODefinition``).
/// The id comes from the path; a body may repeat it (a `GET` answer can be sent back as it is) but
/// not contradict it. In a body, `status` and unknown fields are ignored; a file refuses unknown keys.
///
/// A new SLO field is named in ``fieldNames``, read in ``definition(_:id:)`` and written in
/// ``SLODefinition/writeJSONMembers(to:)``, all in this file.
enum SLODefinitionBody {
    /// The longest accepted `unit`, in characters.
    static let maximumUnitLength = 64

    /// The fields an SLO may have, `id` included: the keys a configuration file accepts.
    static let fieldNames =
        [
            "id", "metric", "percentile", "threshold", "unit", "direction", "window", "minSamples",
            "severity",
        ] + budgetFieldNames

    /// Builds SLO `id` from `fields`.
    /// - Throws: the source's error (400 `invalid_request` for a body, `file:line:` for a file) naming the
    ///   first bad field, with the rule it broke.
    static func definition<Fields: DefinitionFields>(_ fields: Fields, id: String) throws(Fields.Failure)
        -> SLODefinition
    {
        guard SLODefinition.isValidName(id) else {
            throw fields.invalid("id", SLOError.invalidID(id).message)
        }
        if let bodyID = try fields.string("id", maximumLength: .max), bodyID != id {
            throw fields.invalid(
                "id",
                "id: the body names the SLO \(quoted(bodyID)) but the path names \(quoted(id)); the id comes "
                    + "from the path, so leave it out of the body or make them match.")
        }
        let metric = try fields.requiredString("metric")
        let percentileText = try fields.requiredString("percentile")
        let threshold = try fields.requiredNumber("threshold")
        let unit = try fields.string("unit", maximumLength: maximumUnitLength) ?? "ms"
        let directionText =
            try fields.string("direction", maximumLength: .max) ?? SLODirection.above.rawValue
        var window: Double?
        if let windowText = try fields.string("window", maximumLength: .max) {
            guard let milliseconds = DurationText.milliseconds(windowText) else {
                throw fields.invalid(
                    "window",
                    "\(fields.path(of: "window")): \(quoted(windowText)) is not a duration: write "
                        + "\(DurationText.rule), or null for every retained sample.")
            }
            window = milliseconds
        }
        let minSamples = try fields.integer("minSamples") ?? 1
        let severity =
            try fields.string("severity", maximumLength: .max) ?? SLODefinition.defaultSeverity
        let budget = try Self.budget(fields, id: id)
        do {
            return try SLODefinition(
                id: id, metric: metric, percentile: Percentile(parsing: percentileText), threshold: threshold,
                unit: unit, direction: SLODirection(parsing: directionText), windowMilliseconds: window,
                minSamples: minSamples, severity: severity, budget: budget)
        } catch {
            // The core's error says what is wrong; name the field it is about, for a file's line.
            let culprits: [(SLOError, String)] = [
                (.invalidID(id), "id"),
                (.invalidMetricName(slo: id, metric: metric), "metric"),
                (.invalidPercentile(percentileText), "percentile"),
                (.invalidDirection(directionText), "direction"),
                (.nonFiniteThreshold(slo: id, threshold: threshold), "threshold"),
                (.invalidMinSamples(slo: id, minSamples: minSamples), "minSamples"),
                (.invalidWindow(slo: id, milliseconds: window ?? 0), "window"),
                (.invalidSeverity(slo: id, severity: severity), "severity"),
            ]
            throw fields.invalid(culprits.first { $0.0 == error }?.1, error.message)
        }
    }

    /// Text quoted for a message, cut to 140 characters so that hostile input cannot flood it.
    private static func quoted(_ text: String) -> String { MessageText.quoted(text, limit: 140) }
}

extension SLODefinition {
    /// Writes the definition's members, without braces, so a caller can add more (the status):
    /// `"id","metric","percentile","threshold","unit","direction","window","minSamples","severity"`, the way
    /// `PUT /slos/{id}` reads them, then an error-budget SLO's budget fields (see
    /// ``SLOBudget/writeJSONMembers(to:)``). `window` is written back as a duration (`5m`), or `null` when the
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
        if let window = windowMilliseconds {
            json.string(DurationText.format(milliseconds: window))
        } else {
            json.null()
        }
        json.key("minSamples")
        json.integer(minSamples)
        json.key("severity")
        json.string(severity)
        budget?.writeJSONMembers(to: &json)
    }
}
