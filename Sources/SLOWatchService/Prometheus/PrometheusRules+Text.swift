extension PrometheusRules {
    /// The recording rule of the error ratio over `windowMilliseconds`, e.g.
    /// `slo:slowatch_error_ratio:rate5m`: the `level:metric:operations` convention, and only characters
    /// a metric name allows.
    package static func recordName(windowMilliseconds: Int64) -> String {
        "slo:slowatch_error_ratio:rate\(duration(milliseconds: windowMilliseconds))"
    }

    /// A Prometheus duration for `milliseconds` (greater than 0): days, hours, minutes, seconds and ms,
    /// each unit once and only when not 0, largest first (`3d`, `1h30m`, `1m10s`, `250ms`), which
    /// Prometheus reads back as exactly the same number of ms. Weeks and years are not used, so a
    /// window reads as the SRE workbook writes it.
    package static func duration(milliseconds: Int64) -> String {
        guard milliseconds > 0 else { return "0s" }
        var rest = milliseconds
        var text = ""
        for (unit, size) in [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)]
        where rest >= Int64(size) {
            text += "\(rest / Int64(size))\(unit)"
            rest %= Int64(size)
        }
        return text
    }

    /// A number as PromQL and the annotations read it: integers without a fraction (`6`), others in
    /// Swift's shortest round-trip form (`14.4`, `0.001`).
    package static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// `text` as a PromQL string literal: double-quoted, with `\` and `"` escaped (SLO ids and metric
    /// names cannot hold them, but the rule file must stay valid whatever they become).
    package static func promQLString(_ text: String) -> String {
        "\"" + text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }

    /// `text` as a double-quoted YAML scalar: `\`, `"` and control characters escaped, so no value can
    /// break the file's structure.
    package static func yamlString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `text` on one line, for a comment: line breaks become spaces.
    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}

extension String {
    /// Every occurrence of `target` replaced with `replacement`, without Foundation.
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self {
            if character == target { out += replacement } else { out.append(character) }
        }
        return out
    }
}
