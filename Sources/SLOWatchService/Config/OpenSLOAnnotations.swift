import SLOWatchCore

/// The `metadata.annotations` of an OpenSLO SLO under the `slowatch.dev/` prefix: the slowatch fields that
/// OpenSLO has no place for. Each is optional; other prefixes are left to their own tools.
///
/// | annotation | slowatch field | default |
/// |---|---|---|
/// | `slowatch.dev/percentile` | `percentile` (the instant check; for Timeslices it must match `timeSliceTarget`) | from the target |
/// | `slowatch.dev/unit` | `unit` | `ms` |
/// | `slowatch.dev/window` | `window` of the instant check | every retained sample |
/// | `slowatch.dev/min-samples` | `minSamples` | `1` |
/// | `slowatch.dev/severity` | `severity` of the instant check's alerts | `warning` |
/// | `slowatch.dev/alerts` | `alerts`: the burn-rate tiers as the JSON list `PUT /slos/{id}` takes | the default tiers |
struct OpenSLOAnnotations {
    /// The prefix slowatch reads.
    static let prefix = "slowatch.dev/"
    /// The names slowatch reads after ``prefix``, in the order they are written.
    static let names = ["percentile", "unit", "window", "min-samples", "severity", "alerts"]

    /// `slowatch.dev/percentile`, with its value for errors.
    private(set) var percentile: (Percentile, ConfigValue)?
    /// `slowatch.dev/unit`.
    private(set) var unit: String?
    /// `slowatch.dev/window`, in ms.
    private(set) var windowMilliseconds: Double?
    /// `slowatch.dev/min-samples`.
    private(set) var minSamples: Int?
    /// `slowatch.dev/severity`.
    private(set) var severity: String?
    /// The severity's value, for errors.
    private(set) var severityValue: ConfigValue?
    /// `slowatch.dev/alerts` parsed as JSON, with its value for errors.
    private(set) var alerts: (JSONValue, ConfigValue)?

    /// Reads `metadata.annotations` (nil: none).
    /// - Throws: ``ConfigError`` at the line of an unknown `slowatch.dev/` name or an invalid value.
    init(_ node: ConfigValue?) throws(ConfigError) {
        guard let node else { return }
        guard case .object(let object) = node.value else {
            throw node.keyError("\(node.name) must be a mapping of keys to text, not \(node.kind).")
        }
        for key in object.members.map(\.0) where key.hasPrefix(Self.prefix) {
            let name = String(key.dropFirst(Self.prefix.count))
            let value = try OpenSLOFields(node, allowed: object.members.map(\.0)).required(key)
            try read(name, value)
        }
    }

    /// Reads one annotation.
    private mutating func read(_ name: String, _ value: ConfigValue) throws(ConfigError) {
        let text = try value.text()
        switch name {
        case "percentile":
            do {
                percentile = (try Percentile(parsing: text), value)
            } catch {
                throw value.keyError("\(value.name): \(error.message)")
            }
        case "unit":
            guard text.count <= SLODefinitionBody.maximumUnitLength else {
                throw value.keyError(
                    "\(value.name) is longer than \(SLODefinitionBody.maximumUnitLength) characters.")
            }
            unit = text
        case "window":
            guard let milliseconds = DurationText.milliseconds(text) else {
                throw value.keyError(
                    "\(value.name): \(MessageText.quoted(text, limit: 60)) is not a duration: write "
                        + "\(DurationText.rule).")
            }
            windowMilliseconds = milliseconds
        case "min-samples":
            guard let count = Int(text), count >= 1 else {
                throw value.keyError(
                    "\(value.name): \(MessageText.quoted(text, limit: 60)) is not valid: write a whole number "
                        + "of at least 1.")
            }
            minSamples = count
        case "severity":
            severity = text
            severityValue = value
        case "alerts":
            do {
                alerts = (try JSONParser.parse(Array(text.utf8)), value)
            } catch {
                throw value.keyError(
                    "\(value.name) must be the JSON list of alert tiers that PUT /slos/{id} takes: "
                        + "\(error.message).")
            }
        default:
            throw value.keyError(
                "\(value.name): slowatch reads no annotation \(MessageText.quoted(name, limit: 60)) under "
                    + "\(Self.prefix): the known ones are " + Self.names.joined(separator: ", ") + ".")
        }
    }
}
