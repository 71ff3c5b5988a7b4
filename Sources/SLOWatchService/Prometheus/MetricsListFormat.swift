import SLOWatchHTTP

/// The three answers of `GET /metrics`: the JSON list of metrics, the Prometheus text exposition, or
/// the Prometheus protobuf exposition (with native histograms).
enum MetricsListFormat: Equatable {
    /// `{"metrics":[…]}`, `application/json`.
    case json
    /// The Prometheus text format 0.0.4 (``PrometheusExposition``).
    case prometheusText
    /// OpenMetrics 1.0.0 text (``PrometheusExposition/renderOpenMetrics(_:)``).
    case openMetrics
    /// Length-delimited `io.prometheus.client.MetricFamily` messages
    /// (``PrometheusExposition/renderProtobuf(_:)``).
    case prometheusProtobuf

    /// The media types that ask for the text exposition. Prometheus 2.x scrapes with
    /// `application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,`
    /// `text/plain;version=0.0.4;q=0.5,*/*;q=0.1`, and is answered OpenMetrics 1.0.0; Prometheus reads
    /// the format from the answer's `Content-Type`.
    static let textMediaTypes = ["text/plain", "application/openmetrics-text"]

    /// The format the request's `Accept` prefers: a text exposition when `text/plain` or
    /// `application/openmetrics-text` has a higher quality than `application/json` (OpenMetrics when
    /// it weighs more than `text/plain`, as in Prometheus's scrape header; the 0.0.4 text otherwise);
    /// JSON otherwise, so no `Accept`, `*/*`, `application/json` and ties (`application/json,
    /// text/plain`) keep JSON.
    ///
    /// The protobuf exposition comes first: it is chosen when the protobuf range is listed with a
    /// weight above 0 and at least that of the text and JSON answers (see
    /// ``AcceptHeader/protobufExpositionQuality(in:)``), as in Prometheus 2.42's scrape header
    /// `application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,`
    /// `text/plain;version=0.0.4;q=0.3,*/*;q=0.1`.
    static func preferred(by headers: HTTPHeaders) -> MetricsListFormat {
        let protobuf = AcceptHeader.protobufExpositionQuality(in: headers)
        if protobuf > 0 {
            let json = AcceptHeader.quality(of: "application/json", in: headers) ?? 0
            let text = textMediaTypes.map { AcceptHeader.quality(of: $0, in: headers) ?? 0 }.max() ?? 0
            if protobuf >= json, protobuf >= text { return .prometheusProtobuf }
        }
        guard let json = AcceptHeader.quality(of: "application/json", in: headers) else { return .json }
        let plain = AcceptHeader.quality(of: "text/plain", in: headers) ?? 0
        let openMetrics = AcceptHeader.quality(of: "application/openmetrics-text", in: headers) ?? 0
        guard max(plain, openMetrics) > json else { return .json }
        return openMetrics > plain ? .openMetrics : .prometheusText
    }
}
