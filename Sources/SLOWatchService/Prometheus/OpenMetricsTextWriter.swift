/// Writes OpenMetrics 1.0.0 text (`application/openmetrics-text; version=1.0.0`) from the same family and
/// sample calls as ``PrometheusTextWriter``, so the families, labels and values are the 0.0.4 text's.
///
/// What differs from the 0.0.4 text, as the OpenMetrics specification asks:
/// - a counter family's `# TYPE`/`# HELP` lines name it without `_total`, while its samples keep
///   `_total` (every counter the exposition writes is named `…_total`);
/// - `# UNIT` follows when the family name already ends in a base unit (`_seconds`, `_bytes`), so the
///   name-ends-in-unit rule holds; no family is renamed for a unit;
/// - HELP text also escapes `"`;
/// - the text ends with `# EOF`, written by ``finish()``.
/// Summaries (quantiles, `_sum`, `_count`) and gauges are written as in the 0.0.4 text.
struct OpenMetricsTextWriter: PrometheusSampleWriter {
    /// The `Content-Type` of the answer.
    static let contentType = "application/openmetrics-text; version=1.0.0; charset=utf-8"

    /// The units a family name may end in, each given a `# UNIT` line.
    static let units = ["seconds", "bytes"]

    /// The sample lines are written exactly as the 0.0.4 text writes them.
    private var text: PrometheusTextWriter

    /// An empty writer with room for `capacity` bytes.
    init(capacity: Int) { text = PrometheusTextWriter(capacity: capacity) }

    /// The bytes written so far; call ``finish()`` first for a complete exposition.
    var bytes: [UInt8] { text.bytes }

    /// The family name OpenMetrics declares for a sample name of `type`: a counter's without `_total`.
    static func familyName(_ name: String, type: PrometheusFamilyType) -> Substring {
        type == .counter && name.hasSuffix("_total") ? name.dropLast("_total".count) : Substring(name)
    }

    /// `# TYPE`, `# UNIT` (when the family name ends in a unit) and `# HELP` of family `name`.
    mutating func family(_ name: String, type: PrometheusFamilyType, help: String) {
        let family = Self.familyName(name, type: type)
        text.appendRaw("# TYPE \(family) \(type.rawValue)\n")
        if let unit = Self.units.first(where: { family.hasSuffix("_" + $0) }) {
            text.appendRaw("# UNIT \(family) \(unit)\n")
        }
        var escaped = ""
        escaped.reserveCapacity(help.utf8.count)
        for character in help.unicodeScalars {
            switch character {
            case "\\": escaped += #"\\"#
            case "\"": escaped += #"\""#
            case "\n": escaped += #"\n"#
            default: escaped.unicodeScalars.append(character)
            }
        }
        text.appendRaw("# HELP \(family) \(escaped)\n")
    }

    /// One sample line with a floating-point value.
    mutating func sample(_ name: String, labels: KeyValuePairs<String, String>, _ value: Double) {
        text.sample(name, labels: labels, value)
    }

    /// One sample line with a whole-number value.
    mutating func sample(_ name: String, labels: KeyValuePairs<String, String>, _ value: UInt64) {
        text.sample(name, labels: labels, value)
    }

    /// Ends the exposition with `# EOF`, which OpenMetrics requires as the last line.
    mutating func finish() { text.appendRaw("# EOF\n") }
}
