import Foundation
import SLOWatchCore
import TestCurlClient
import Testing

@testable import SLOWatchService

@Suite("Prometheus exposition checked by the real promtool")
struct PrometheusPromtoolTests {
    @Test(
        "promtool check metrics accepts a scrape with metrics, SLOs, escapes and an empty metric, warning-free",
        .enabled(if: ExternalTool.isInstalled("promtool"), ExternalTool.skipReason("promtool")))
    func promtoolAcceptsTheExposition() throws {
        let violating = try SLODefinition(
            id: "checkout-p95", metric: "checkout.latency", percentile: .p95, threshold: 50)
        let healthy = try SLODefinition(
            id: "fps-p50", metric: "fps", percentile: .p50, threshold: 30, unit: "fps", direction: .below)
        let unjudged = try SLODefinition(id: "empty-p99", metric: "empty", percentile: .p99, threshold: 10)
        let service = try TestService { $0.slos = [violating, healthy, unjudged] }
        defer { service.stop() }
        let client = try CurlClient()
        _ = try client.putJSON(service.url("/metrics/fps"), #"{"type":"gauge","unit":"fps"}"#)
        _ = try client.putJSON(service.url("/metrics/empty"), "{}")
        _ = try client.putJSON(service.url("/metrics/odd.unit"), #"{"unit":"a\\b \"c\"\nd\te\r"}"#)
        _ = try client.postJSON(
            service.url("/samples"),
            TestSamples.json("checkout.latency", [20, 80.25, 1e-7, 3e21]))
        _ = try client.postJSON(
            service.url("/samples"), TestSamples.json("fps", [59.9, 60, 61]))
        _ = try client.postJSON(service.url("/samples"), TestSamples.json("odd.unit", [1]))
        _ = try client.get(service.url("/no/such/route"))
        #expect(service.service.monitor.checkAll().count == 1)

        let exposition = try PromtoolCheck.scrapeAndCheck(
            service.url("/metrics"), folderName: "slowatch-promtool")
        // The checked text did hold what the test set up.
        #expect(exposition.contains(#"unit="a\\b \"c\"\nd"#))
        #expect(
            exposition.contains(
                #"slowatch_slo_violating{slo="checkout-p95",metric="checkout.latency"} 1"#))
        #expect(
            exposition.contains(#"slowatch_sample_value{metric="empty",unit="ms",quantile="0.99"} NaN"#))
        #expect(exposition.contains(#"slowatch_http_requests_total{code="404"} 1"#))
    }
}
