import SLOWatchHTTP

/// The two answers of `GET /metrics`: the JSON list of metrics, or the Prometheus text exposition.
enum MetricsListFormat: Equatable {
    /// `{"metrics":[…]}`, `application/json`.
    case json
    /// The Prometheus text format 0.0.4 (``PrometheusExposition``).
    case prometheusText

    /// The media types that ask for the text exposition. Prometheus 2.x scrapes with
    /// `application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,`
    /// `text/plain;version=0.0.4;q=0.5,*/*;q=0.1`; the 0.0.4 text format is served to both, since
    /// Prometheus reads the format from the answer's `Content-Type`.
    static let textMediaTypes = ["text/plain", "application/openmetrics-text"]

    /// The format the request's `Accept` prefers: the text exposition when `text/plain` or
    /// `application/openmetrics-text` has a higher quality than `application/json`; JSON otherwise,
    /// so no `Accept`, `*/*`, `application/json` and ties (`application/json, text/plain`) keep JSON.
    static func preferred(by headers: HTTPHeaders) -> MetricsListFormat {
        guard let json = AcceptHeader.quality(of: "application/json", in: headers) else { return .json }
        let text = textMediaTypes.map { AcceptHeader.quality(of: $0, in: headers) ?? 0 }.max() ?? 0
        return text > json ? .prometheusText : .json
    }
}
