import SLOWatchHTTP

/// How a query parameter may be repeated: the one rule every route reads its query with.
enum QueryParameterKind: Sendable {
    /// One value only (`limit`, `after`, `window`, `metric`, `slo`, `topic`, `range`, `step`, …): a
    /// second occurrence is refused, never silently dropped.
    case single
    /// A comma-separated list (`q`): every occurrence is merged, so `q=0.5&q=0.9` reads as `q=0.5,0.9`.
    case list
}

extension HTTPRequest {
    /// The value of the query parameter `name`, read by the rule of its `kind`: the one accessor routes
    /// use for the query (never ``HTTPRequest/queryValue(_:)``, which keeps the first and drops the rest).
    ///
    /// - Parameters:
    ///   - name: the parameter's name, exactly as sent (case-sensitive).
    ///   - kind: ``QueryParameterKind/single`` (the default) or ``QueryParameterKind/list``.
    /// - Returns: nil when the parameter is absent; the value of a single-valued parameter; for a list,
    ///   the values of every occurrence joined by commas, in the order sent.
    /// - Throws: 400 `invalid_request` naming the parameter, how many times it came and the rule, when a
    ///   single-valued parameter comes more than once.
    func queryParameter(_ name: String, _ kind: QueryParameterKind = .single) throws(APIError) -> String? {
        var first: String?
        var count = 0
        for pair in query where pair.name == name {
            count += 1
            if first == nil { first = pair.value }
        }
        guard first != nil, count > 1 else { return first }
        switch kind {
        case .list:
            return query.lazy.filter { $0.name == name }.map(\.value).joined(separator: ",")
        case .single:
            throw .invalidRequest(
                "The query parameter '\(name)' comes \(count) times; it takes "
                    + "one value, so send it once (only a list parameter such as q may be repeated).")
        }
    }
}
