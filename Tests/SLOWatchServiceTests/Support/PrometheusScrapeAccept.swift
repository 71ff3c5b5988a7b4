/// The `Accept` header Prometheus 2.42 scrapes with; shared by the service and integration targets.
enum PrometheusScrapeAccept {
    /// The header's value: OpenMetrics preferred, then the 0.0.4 text format.
    static let value =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
}

extension PrometheusScrapeAccept {
    /// A scrape that asks for the 0.0.4 text format only, which Debian 12's promtool 2.42 checks (the
    /// header above is answered OpenMetrics).
    static let text = "text/plain;version=0.0.4"

    /// The header Prometheus 2.42 scrapes with when `--enable-feature=native-histograms` is on.
    static let nativeHistograms =
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,"
        + "text/plain;version=0.0.4;q=0.3,*/*;q=0.1"
}
