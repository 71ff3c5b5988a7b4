import SLOWatchHTTP

extension AcceptHeader {
    /// The quality (RFC 9110, section 12.5.1) that `headers` give `mediaType`, such as `text/plain`: the
    /// weight of the most specific range that matches it (`text/plain` before `text/*` before `*/*`),
    /// 1 when the range has no `q`. Parameters other than `q` (`version=0.0.4`, `charset`) do not narrow
    /// a range. 0 when no range matches; nil when the request has no `Accept` field at all.
    ///
    /// Unlike ``lists(_:in:)``, wildcards count here: a client that sends only `text/*` accepts the text
    /// exposition. Elements whose `q` is not a number in [0, 1] are ignored, as there.
    static func quality(of mediaType: String, in headers: HTTPHeaders) -> Double? {
        let fields = headers.values("Accept")
        guard !fields.isEmpty else { return nil }
        let wanted = mediaType.lowercased()
        let ranges = [wanted, String(wanted.prefix { $0 != "/" }) + "/*", "*/*"]
        // The weight of the best match so far, and its specificity: 3 exact, 2 `type/*`, 1 `*/*`.
        var best: (specificity: Int, weight: Double) = (0, 0)
        for field in fields {
            for element in field.split(separator: ",") {
                for (offset, range) in ranges.enumerated() {
                    let specificity = 3 - offset
                    guard specificity >= best.specificity, let weight = weight(of: range, in: element) else {
                        continue
                    }
                    // A more specific range overrides; the same range named twice keeps the higher weight.
                    let kept = specificity == best.specificity ? best.weight : 0
                    best = (specificity, max(kept, weight))
                }
            }
        }
        return best.weight
    }
}
