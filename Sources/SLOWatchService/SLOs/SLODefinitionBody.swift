import SLOWatchCore

/// Reads the body of `PUT /slos/{id}`:
/// `{"metric","percentile":"p95","threshold":60,"unit":"ms","direction":"above|below","window":"5m","minSamples":20,
/// "severity":"critical"}`.
///
/// `metric`, `percentile` and `threshold` are required. `unit` defaults to `ms`, `direction` to
/// `above`, `window` to none (every retained sample; `null` means the same), `minSamples` to 1 and
/// `severity` to `warning`.
/// The id comes from the path; a body may repeat it (a `GET` answer can be sent back as it is) but
/// not contradict it. `status` and unknown fields are ignored.
enum SLODefinitionBody {
    /// The longest accepted `unit`, in characters.
    static let maximumUnitLength = 64

    /// Builds SLO `id` from `fields`.
    /// - Throws: 400 `invalid_request` naming the first bad field, with the rule it broke.
    static func definition(_ fields: JSONFields, id: String) throws(APIError) -> SLODefinition {
        guard SLODefinition.isValidName(id) else { throw .invalidRequest(SLOError.invalidID(id).message) }
        if let bodyID = try fields.string("id"), bodyID != id {
            throw .invalidRequest(
                "id: the body names the SLO \(quoted(bodyID)) but the path names \(quoted(id)); the id comes "
                    + "from the path, so leave it out of the body or make them match.")
        }
        let metric = try fields.requiredString("metric")
        let percentileText = try fields.requiredString("percentile")
        let threshold = try fields.requiredNumber("threshold")
        let unit = try fields.string("unit", maximumLength: maximumUnitLength) ?? "ms"
        let directionText = try fields.string("direction") ?? SLODirection.above.rawValue
        var window: Double?
        if let windowText = try fields.string("window") {
            guard let milliseconds = DurationText.milliseconds(windowText) else {
                throw .invalidRequest(
                    "window: \(quoted(windowText)) is not a duration: write \(DurationText.rule), or null for "
                        + "every retained sample.")
            }
            window = milliseconds
        }
        let minSamples = try fields.integer("minSamples") ?? 1
        let severity = try fields.string("severity") ?? SLODefinition.defaultSeverity
        do {
            return try SLODefinition(
                id: id, metric: metric, percentile: Percentile(parsing: percentileText), threshold: threshold,
                unit: unit, direction: SLODirection(parsing: directionText), window: window,
                minSamples: minSamples, severity: severity)
        } catch {
            throw .invalidRequest(error.message)
        }
    }

    /// Text quoted for a message, cut to 140 characters so that hostile input cannot flood it.
    private static func quoted(_ text: String) -> String { MessageText.quoted(text, limit: 140) }
}
