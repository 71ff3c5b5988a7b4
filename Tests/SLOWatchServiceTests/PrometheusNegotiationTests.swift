import SLOWatchHTTP
import TestCurlClient
import Testing

@testable import SLOWatchService

@Suite("GET /metrics content negotiation: JSON or the Prometheus text exposition")
struct PrometheusNegotiationTests {
    /// The `Accept` header Prometheus 2.42 scrapes with.
    /// A 0.0.4 text scrape (Prometheus's own header prefers OpenMetrics: ``openMetricsPreferred()``).
    static let prometheusAccept = PrometheusScrapeAccept.text

    private func format(_ values: String...) -> MetricsListFormat {
        var headers = HTTPHeaders()
        for value in values { headers.add(name: "Accept", value: value) }
        return MetricsListFormat.preferred(by: headers)
    }

    @Test("application/openmetrics-text weighing more than text/plain and JSON selects OpenMetrics")
    func openMetricsPreferred() {
        #expect(format(PrometheusScrapeAccept.value) == .openMetrics)
        #expect(format("application/openmetrics-text; version=1.0.0") == .openMetrics)
        #expect(format("application/openmetrics-text;version=0.0.1;q=0.75,text/plain;q=0.5") == .openMetrics)
        #expect(format("application/openmetrics-text;q=0.5,text/plain") == .prometheusText)
        #expect(format("application/openmetrics-text, text/plain") == .prometheusText)  // a tie: 0.0.4
        #expect(format("application/openmetrics-text;q=0.5, application/json") == .json)
    }

    @Test("text/plain or openmetrics preferred over JSON selects the text exposition")
    func textPreferred() {
        #expect(format(Self.prometheusAccept) == .prometheusText)
        #expect(format("text/plain") == .prometheusText)
        #expect(format("text/plain; version=0.0.4") == .prometheusText)
        #expect(format("Text/Plain") == .prometheusText)
        #expect(format("text/*") == .prometheusText)
        #expect(format("application/json;q=0.4, text/plain;q=0.5") == .prometheusText)
        #expect(format("application/json;q=0.4", "text/plain;q=0.5") == .prometheusText)
        // The exact range outranks the wildcard that would give JSON the same weight.
        #expect(format("*/*;q=0.2, text/plain") == .prometheusText)
    }

    @Test("no Accept, */*, application/json, ties and refusals keep JSON")
    func jsonKept() {
        #expect(format() == .json)
        #expect(format("*/*") == .json)
        #expect(format("application/json") == .json)
        #expect(format("application/json, text/plain") == .json)
        #expect(format("text/plain;q=0.5, application/json;q=0.5") == .json)
        #expect(format("text/plain;q=0.5, application/json") == .json)
        #expect(format("text/plain;q=0, */*") == .json)
        #expect(format("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8") == .json)
        #expect(format("text/event-stream") == .json)
        // A malformed weight is ignored, as for the event stream.
        #expect(format("text/plain;q=2") == .json)
        #expect(format("text/plain;q=nan, application/json;q=0.1") == .json)
    }

    @Test(
        "through libcurl, each Accept gets its format, Content-Type and Vary: Accept",
        arguments: [
            (PrometheusNegotiationTests.prometheusAccept, true), ("text/plain", true),
            ("text/plain;version=0.0.4;q=0.9, application/json;q=0.8", true), ("application/json", false),
            ("*/*", false), ("", false), ("application/json;q=0.9, text/plain;q=0.1", false),
        ])
    func negotiatedOverHTTP(accept: String, text: Bool) throws {
        let service = try TestService()
        defer { service.stop() }
        let client = try CurlClient()
        _ = try client.putJSON(service.url("/metrics/checkout.latency"), "{}")
        // An empty value makes libcurl send no Accept at all (it sends */* by default).
        let response = try client.get(service.url("/metrics"), headers: [("Accept", accept)])
        #expect(response.status == 200)
        #expect(response.header("Vary") == "Accept, Accept-Encoding")
        if text {
            #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            let exposition = try PrometheusExpositionReader(response.bodyText)
            #expect(
                exposition.value("slowatch_sample_value_count", ["metric": "checkout.latency", "unit": "ms"])
                    == 0)
        } else {
            #expect(response.header("Content-Type") == "application/json; charset=utf-8")
            let metrics = try #require(response.json()["metrics"] as? [[String: Any]])
            #expect(metrics.first?["name"] as? String == "checkout.latency")
        }
    }

    @Test("HEAD /metrics negotiates like GET and sends the headers without a body")
    func head() throws {
        let service = try TestService()
        defer { service.stop() }
        let client = try CurlClient()
        let text = try client.request(
            method: "HEAD", url: service.url("/metrics"), headers: [("Accept", Self.prometheusAccept)])
        #expect(text.status == 200)
        #expect(text.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        #expect(text.header("Vary") == "Accept, Accept-Encoding")
        #expect(Int(text.header("Content-Length") ?? "") ?? 0 > 0)
        #expect(text.body.isEmpty)
        let json = try client.request(method: "HEAD", url: service.url("/metrics"))
        #expect(json.header("Content-Type") == "application/json; charset=utf-8")
        #expect(json.header("Vary") == "Accept, Accept-Encoding")
        #expect(json.body.isEmpty)
    }
}
