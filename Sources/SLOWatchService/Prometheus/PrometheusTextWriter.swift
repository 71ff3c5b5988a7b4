/// Writes the Prometheus text exposition format, version 0.0.4, into bytes.
///
/// A family is its `# HELP` and `# TYPE` lines followed by its samples, which the caller writes
/// together (the format wants a family's samples contiguous). Label values are escaped as the format
/// asks: backslash, double quote and line feed become `\\`, `\"` and `\n`; HELP text escapes backslash
/// and line feed. Values are `NaN`, `+Inf`, `-Inf` or the shortest decimal that reads back as the same
/// Double, as Go's `strconv.ParseFloat`, which Prometheus uses, reads it.
struct PrometheusTextWriter: PrometheusSampleWriter {
    /// The text written so far (UTF-8).
    private(set) var bytes: [UInt8] = []

    /// An empty writer with room for `capacity` bytes.
    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// `# HELP name help` and `# TYPE name type`. `name` must already be a valid metric name
    /// (`[a-zA-Z_:][a-zA-Z0-9_:]*`); the callers pass constants.
    mutating func family(_ name: String, type: PrometheusFamilyType, help: String) {
        bytes.append(contentsOf: "# HELP ".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: " "))
        for byte in help.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            default: bytes.append(byte)
            }
        }
        bytes.append(contentsOf: "\n# TYPE ".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: type.rawValue.utf8)
        bytes.append(0x0A)
    }

    /// Appends `text` as it is: for ``OpenMetricsTextWriter``'s own metadata lines and `# EOF`.
    mutating func appendRaw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// One sample line: `name{label="value",…} value`, without braces when there are no labels. Label
    /// names must be valid (`[a-zA-Z_][a-zA-Z0-9_]*`); the callers pass constants.
    mutating func sample(_ name: String, labels: KeyValuePairs<String, String>, _ value: Double) {
        appendName(name, labels)
        Self.appendValue(value, to: &bytes)
        bytes.append(0x0A)
    }

    /// One sample line with a whole-number value (a counter), written exactly.
    mutating func sample(_ name: String, labels: KeyValuePairs<String, String>, _ value: UInt64) {
        appendName(name, labels)
        bytes.append(contentsOf: String(value).utf8)
        bytes.append(0x0A)
    }

    /// `name{labels} ` (with the space before the value).
    private mutating func appendName(_ name: String, _ labels: KeyValuePairs<String, String>) {
        bytes.append(contentsOf: name.utf8)
        if !labels.isEmpty {
            bytes.append(UInt8(ascii: "{"))
            for (index, label) in labels.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(contentsOf: label.key.utf8)
                bytes.append(contentsOf: "=\"".utf8)
                Self.appendLabelValue(label.value, to: &bytes)
                bytes.append(UInt8(ascii: "\""))
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
    }

    /// `text` escaped for a label value (without the quotes): `\` → `\\`, `"` → `\"`, LF → `\n`. Every
    /// other byte, other control characters and non-ASCII UTF-8 included, is valid as it is.
    static func appendLabelValue(_ text: String, to bytes: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            default: bytes.append(byte)
            }
        }
    }

    /// `value` as the format writes a float: `NaN`, `+Inf`, `-Inf`, a whole number below 2^53 as an
    /// integer, else Swift's shortest round-trip decimal (`0.1`, `1.5e-05`, `1e+20`), which Go reads back.
    static func appendValue(_ value: Double, to bytes: inout [UInt8]) {
        if value.isNaN {
            bytes.append(contentsOf: "NaN".utf8)
        } else if value.isInfinite {
            bytes.append(contentsOf: (value > 0 ? "+Inf" : "-Inf").utf8)
        } else {
            JSONWriter.appendNumber(value, to: &bytes)
        }
    }
}
