/// The logfmt rules for text log lines, so that a value that came from a client (an SLO's unit, a
/// query parameter) can neither end a line nor pass for other fields.
///
/// - A value is written as it is when it is not empty and holds no space, `=`, `"`, `\` or control
///   character; otherwise it is quoted, with `"` as `\"`, `\` as `\\`, newline as `\n`, carriage return
///   as `\r`, tab as `\t`, and every other control character (C0, DEL, C1, U+2028 and U+2029) as
///   `\u00XX` (four hex digits).
/// - Free text (a message) keeps its spaces and quotes but gets the same control escapes, so one
///   message is always one line and cannot move a terminal's cursor.
package enum LogfmtText {
    /// `value` as a logfmt value: as it is, or quoted and escaped (see ``LogfmtText``).
    package static func value(_ value: String) -> String {
        guard needsQuotes(value) else { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            default: appendEscaped(scalar, to: &quoted)
            }
        }
        return quoted + "\""
    }

    /// `text` with its control characters escaped, and nothing else changed.
    package static func escapingControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars { appendEscaped(scalar, to: &escaped) }
        return escaped
    }

    /// Whether `value` must be quoted: empty, or holding a space, `=`, `"`, `\` or a control character.
    static func needsQuotes(_ value: String) -> Bool {
        value.isEmpty
            || value.unicodeScalars.contains {
                $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\\" || isControl($0)
            }
    }

    /// Whether `scalar` is escaped: C0 controls, DEL, C1 controls, and the line and paragraph separators.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }

    /// Appends `scalar`, or its escape when it is a control character.
    private static func appendEscaped(_ scalar: Unicode.Scalar, to text: inout String) {
        guard isControl(scalar) else {
            text.unicodeScalars.append(scalar)
            return
        }
        switch scalar {
        case "\n": text += "\\n"
        case "\r": text += "\\r"
        case "\t": text += "\\t"
        default:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            text += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }
}
