import SLOWatchHTTP

/// An error answered to a client: status, a snake_case code and a sentence that names the input and
/// the rule it broke. Rendered as `{"error":{"code":…,"message":…}}`.
struct APIError: Error, Sendable, Equatable {
    /// The HTTP status, 4xx or 5xx.
    var status: Int
    /// A stable snake_case code, e.g. `metric_not_found`.
    var code: String
    /// A human sentence.
    var message: String

    /// The JSON error response, `Content-Type: application/json; charset=utf-8`.
    var response: HTTPResponse {
        var json = JSONWriter(capacity: 40 + code.utf8.count + message.utf8.count)
        json.beginObject()
        json.key("error")
        json.beginObject()
        json.key("code")
        json.string(code)
        json.key("message")
        json.string(message)
        json.endObject()
        json.endObject()
        return .json(status: status, json.bytes)
    }

    /// The API's rendering of an error the transport answers by itself (a malformed request, an
    /// unknown path or method, a timeout, …), installed as ``HTTPServerConfiguration/errorResponse``
    /// so that every error on the wire has the same `{"error":{…}}` shape.
    @Sendable static func response(for answer: HTTPErrorAnswer) -> HTTPResponse {
        APIError(status: answer.status, code: answer.code, message: answer.message).response
    }

    /// 400 `invalid_json`: the body is not valid JSON.
    static func invalidJSON(_ message: String) -> APIError {
        APIError(status: 400, code: "invalid_json", message: message)
    }

    /// 400 `invalid_request`: valid JSON or query, but a field or parameter breaks a rule.
    static func invalidRequest(_ message: String) -> APIError {
        APIError(status: 400, code: "invalid_request", message: message)
    }

    /// 404 `metric_not_found`.
    static func metricNotFound(_ name: String) -> APIError {
        APIError(status: 404, code: "metric_not_found", message: "No metric is named '\(name)'.")
    }

    /// 404 `slo_not_found`.
    static func sloNotFound(_ id: String) -> APIError {
        APIError(status: 404, code: "slo_not_found", message: "No SLO has the id '\(id)'.")
    }

    /// 415 `unsupported_media_type`: the body's `Content-Type` is not one the route reads.
    static func unsupportedMediaType(_ contentType: String?, expected: String) -> APIError {
        let given = contentType.map { "'\($0)'" } ?? "missing"
        return APIError(
            status: 415, code: "unsupported_media_type",
            message: "The Content-Type is \(given); this endpoint accepts \(expected).")
    }

    /// 415 `unsupported_media_type` for a body labelled `text/plain` (or not labelled) that looks like
    /// JSON: `fetch` with a string body sends `text/plain;charset=UTF-8`, and reading it as StatsD lines
    /// would answer a confusing parse error about a metric named `{"metric"`.
    static func jsonSentAsText(_ contentType: String?) -> APIError {
        let given = contentType.map { "'\($0)'" } ?? "missing"
        return APIError(
            status: 415, code: "unsupported_media_type",
            message: "The body looks like JSON, but its Content-Type is \(given): send Content-Type: "
                + "application/json with a JSON body (text/plain is read as StatsD lines).")
    }
}
