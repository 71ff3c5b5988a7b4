/// Reads `Accept-Encoding` (RFC 9110, section 12.5.3) far enough to decide whether a response may be
/// sent with `Content-Encoding: gzip`.
///
/// The rule: gzip is used when the weight given to `gzip` (or to its alias `x-gzip`), or, when neither
/// is named, to `*`, is above zero (`gzip;q=0` refuses it) and not below the weight of `identity` when
/// `identity` is named (`identity;q=1, gzip;q=0.5` keeps the body as it is). Codings are compared case-insensitively; a missing `q` means 1; an element
/// whose `q` is not a number in [0, 1] is ignored. No `Accept-Encoding` field, or an empty one, means
/// no coding is wanted.
public enum AcceptEncoding {
    /// Whether `headers` accept a gzip-coded body (see the type's rule).
    public static func acceptsGzip(_ headers: HTTPHeaders) -> Bool {
        let fields = headers.values("Accept-Encoding")
        guard !fields.isEmpty else { return false }
        var gzip: Double?
        var identity: Double?
        var star: Double?
        for field in fields {
            for element in field.split(separator: ",") {
                guard let (coding, weight) = parse(element) else { continue }
                switch coding {
                case "gzip", "x-gzip": gzip = max(gzip ?? 0, weight)
                case "identity": identity = weight
                case "*": star = weight
                default: continue
                }
            }
        }
        guard let weight = gzip ?? star, weight > 0 else { return false }
        return weight >= (identity ?? 0)
    }

    /// The lowercased coding and weight of one `coding;q=0.5` element; nil when it is empty or its
    /// weight is malformed.
    static func parse(_ element: Substring) -> (String, Double)? {
        let parts = element.split(separator: ";", omittingEmptySubsequences: false)
        guard let first = parts.first else { return nil }
        let coding = trimmed(first).lowercased()
        guard !coding.isEmpty else { return nil }
        var weight = 1.0
        for parameter in parts.dropFirst() {
            let pair = trimmed(parameter).split(separator: "=", maxSplits: 1)
            guard pair.count == 2, trimmed(pair[0]).lowercased() == "q" else { continue }
            guard let value = Double(trimmed(pair[1])), (0...1).contains(value) else { return nil }
            weight = value
        }
        return (coding, weight)
    }

    /// `text` without surrounding spaces and tabs.
    static func trimmed(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isSpace($0) }),
            let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return text[first...last]
    }
}
