import SLOWatchHTTP

/// Reads the `Accept` request header (RFC 9110, section 12.5.1) just far enough to choose between a
/// JSON answer and an event stream.
///
/// The rule: a media type is accepted when some `Accept` field lists exactly that type (compared
/// case-insensitively) with a weight above zero; no `q` parameter means weight 1. Wildcards
/// (`*/*`, `text/*`) do not count, so a client that wants a stream must ask for it by name, as
/// `EventSource` and `curl -H 'Accept: text/event-stream'` do, and a browser's or tool's generic
/// `*/*` keeps getting JSON. An element whose `q` is not a number in [0, 1] is ignored.
enum AcceptHeader {
    /// Whether `headers` list `mediaType` (e.g. `text/event-stream`) with a weight above zero.
    static func lists(_ mediaType: String, in headers: HTTPHeaders) -> Bool {
        let wanted = mediaType.lowercased()
        for field in headers.values("Accept") {
            for element in field.split(separator: ",") {
                if let weight = weight(of: wanted, in: element), weight > 0 { return true }
            }
        }
        return false
    }

    /// The weight of one `type/subtype;param=value;q=0.5` element when its range is `mediaType`;
    /// nil when it names another range or its weight is malformed.
    static func weight(of mediaType: String, in element: Substring) -> Double? {
        var parts = element.split(separator: ";", omittingEmptySubsequences: false).makeIterator()
        guard let range = parts.next(), trimmed(range).lowercased() == mediaType else { return nil }
        var weight = 1.0
        while let parameter = parts.next() {
            let pair = trimmed(parameter).split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased() == "q" else { continue }
            guard let value = Double(trimmed(pair[1])), (0...1).contains(value) else { return nil }
            weight = value
        }
        return weight
    }

    /// `text` without surrounding spaces and tabs (the header grammar's optional whitespace).
    private static func trimmed(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isSpace($0) }),
            let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return text[first...last]
    }
}
