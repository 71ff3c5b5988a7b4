import SLOWatchCore

extension LogRecord {
    /// One readable line, newline included:
    /// `2025-11-29T10:00:00.123Z info slowatch: listening on http://127.0.0.1:8080 port=8080`.
    ///
    /// Metadata follows the message as `key=value` pairs in key order, then `error=…`. Values follow the
    /// logfmt rules (``LogfmtText``): one that is empty or holds a space, `=`, a quote, a backslash or a
    /// control character is quoted, with `\"`, `\\`, `\n`, `\r`, `\t` and `\u00XX` escapes, so a value
    /// that came from a client cannot pass for other fields. The message keeps its text but gets the
    /// same control escapes, so one message is always one line and cannot move the cursor or recolour
    /// a terminal.
    var textLine: [UInt8] {
        var line = "\(timestamp) \(level.rawValue) \(label): \(LogfmtText.escapingControls(message))"
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            line += " \(LogfmtText.escapingControls(key))=\(LogfmtText.value(value.description))"
        }
        if let error { line += " error=\(LogfmtText.value(error))" }
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}
