extension LogRecord {
    /// One readable line, newline included:
    /// `2025-11-29T10:00:00.123Z info slowatch: listening on http://127.0.0.1:8080 port=8080`.
    ///
    /// Metadata follows the message as `key=value` pairs in key order, then `error=…`; values that are
    /// empty or hold spaces, quotes or `=` are written quoted. Control characters other than tab are
    /// escaped (`\n`, `\r`, `\u{1B}`), so one message is always one line and text that came from a
    /// client (a query parameter in a debug line) cannot move the cursor or recolour a terminal.
    var textLine: [UInt8] {
        var line = "\(timestamp) \(level.rawValue) \(label): \(message)"
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            line += " \(key)=\(Self.shown(value.description))"
        }
        if let error { line += " error=\(Self.shown(error))" }
        var bytes = Self.escapingControls(line)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// `text` as UTF-8 with every C0 control character but tab, and DEL, written as an escape.
    private static func escapingControls(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 1)
        for byte in text.utf8 {
            switch byte {
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
            case 0x00..<0x09, 0x0B..<0x20, 0x7F:
                bytes.append(contentsOf: "\\u{\(String(byte, radix: 16, uppercase: true))}".utf8)
            default: bytes.append(byte)
            }
        }
        return bytes
    }

    /// The value as is, or quoted when it is empty or has spaces, quotes or `=`.
    private static func shown(_ value: String) -> String {
        value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" })
            ? value.debugDescription : value
    }
}
