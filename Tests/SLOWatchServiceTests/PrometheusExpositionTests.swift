import SLOWatchCore
import SeededRandom
import TestCurlClient
import Testing

@testable import SLOWatchService

@Suite("Prometheus exposition content")
struct PrometheusExpositionTests {
    /// Scrapes `GET /metrics` as Prometheus does and reads the exposition (in process).
    static func scrape(_ service: InProcessService, client: InProcessClient) throws
        -> PrometheusExpositionReader
    {
        try read(
            client.get(
                service.url("/metrics"), headers: [("Accept", PrometheusNegotiationTests.prometheusAccept)]))
    }

    /// Scrapes `GET /metrics` as Prometheus does and reads the exposition (over a socket).
    static func scrape(_ service: TestService, client: CurlClient) throws -> PrometheusExpositionReader {
        try read(
            client.get(
                service.url("/metrics"), headers: [("Accept", PrometheusNegotiationTests.prometheusAccept)]))
    }

    /// Checks the scrape's status and reads its exposition.
    private static func read(_ response: CurlResponse) throws -> PrometheusExpositionReader {
        #expect(response.status == 200)
        return try PrometheusExpositionReader(response.bodyText)
    }

    /// `{"samples":[…]}` with one sample of `metric` per value.
    static func batch(_ metric: String, _ values: [Double]) -> String { TestSamples.json(metric, values) }

    @Test("the summary holds the exact nearest-rank quantiles, sum and count, equal to the JSON API's")
    func summaryIsExact() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        // 1,000 distinct values (0.5 … 500), shuffled; halves add up exactly in any order.
        var random = SplitMix64(seed: 6)
        let values = (1...1_000).map { Double($0) / 2 }.shuffled(using: &random)
        #expect(
            try client.postJSON(service.url("/samples"), Self.batch("checkout.latency", values)).status == 200
        )

        let exposition = try Self.scrape(service, client: client)
        let labels = ["metric": "checkout.latency", "unit": "ms"]
        let sorted = values.sorted()
        // Nearest rank: the ⌈q·n⌉-th smallest, with q in thousandths so the rank is exact integer math.
        for (label, thousandths) in [
            ("0.5", 500), ("0.9", 900), ("0.95", 950), ("0.99", 990), ("0.999", 999),
        ] {
            let rank = (thousandths * sorted.count + 999) / 1_000
            let quantileLabels = labels.merging(["quantile": label]) { $1 }
            #expect(
                exposition.value("slowatch_sample_value", quantileLabels) == sorted[rank - 1], "q \(label)")
        }
        #expect(exposition.value("slowatch_sample_value_sum", labels) == values.reduce(0, +))
        #expect(exposition.value("slowatch_sample_value_count", labels) == 1_000)

        let api = try client.get(service.url("/metrics/checkout.latency/percentiles")).json()
        let p99 = try #require(api["p99"] as? Double)
        #expect(exposition.value("slowatch_sample_value", labels.merging(["quantile": "0.99"]) { $1 }) == p99)
    }

    @Test("an empty metric has NaN quantiles, sum 0 and count 0; every family has HELP and TYPE")
    func emptyMetricAndMetadata() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        _ = try client.putJSON(service.url("/metrics/fps"), #"{"type":"gauge","unit":"fps"}"#)
        let exposition = try Self.scrape(service, client: client)
        let labels = ["metric": "fps", "unit": "fps"]
        for quantile in ["0.5", "0.9", "0.95", "0.99", "0.999"] {
            let value = exposition.value(
                "slowatch_sample_value", labels.merging(["quantile": quantile]) { $1 })
            #expect(value?.isNaN == true, "q \(quantile): \(String(describing: value))")
        }
        #expect(exposition.value("slowatch_sample_value_sum", labels) == 0)
        #expect(exposition.value("slowatch_sample_value_count", labels) == 0)
        for sample in exposition.samples {
            let family = exposition.family(of: sample)
            #expect(exposition.helped.contains(family), "\(family) has no HELP")
            #expect(exposition.types[family] != nil, "\(family) has no TYPE")
        }
        for family in ["process_resident_memory_bytes", "process_open_fds", "process_start_time_seconds"] {
            #expect((exposition.value(family) ?? 0) > 0, "\(family)")
        }
    }

    @Test("a unit with a backslash, a quote and a line feed is escaped in the label and reads back")
    func labelEscaping() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let unit = "a\\b \"c\"\nd"
        _ = try client.putJSON(service.url("/metrics/odd"), #"{"unit":"a\\b \"c\"\nd"}"#)
        let response = try client.get(
            service.url("/metrics"), headers: [("Accept", PrometheusNegotiationTests.prometheusAccept)])
        #expect(response.bodyText.contains(#"unit="a\\b \"c\"\nd""#))
        let exposition = try PrometheusExpositionReader(response.bodyText)
        #expect(exposition.value("slowatch_sample_value_count", ["metric": "odd", "unit": unit]) == 0)
    }

    @Test("samples_total, dropped_total and http_requests_total{code} grow with what happens")
    func countersGrow() throws {
        // Over a socket: http_requests_total counts the answers the connections write.
        let service = try TestService()
        defer { service.stop() }
        let client = try CurlClient()
        _ = try client.putJSON(service.url("/metrics/small"), #"{"capacity":2}"#)
        let before = try Self.scrape(service, client: client)
        #expect(
            try client.postJSON(service.url("/samples"), Self.batch("small", [1, 2, 3, 4, 5])).status == 200)
        #expect(try client.get(service.url("/no/such/route")).status == 404)
        #expect(try client.get(service.url("/metrics/missing")).status == 404)
        let after = try Self.scrape(service, client: client)

        #expect(after.value("slowatch_samples_total") == (before.value("slowatch_samples_total") ?? -1) + 5)
        #expect(
            after.value("slowatch_samples_dropped_total")
                == (before.value("slowatch_samples_dropped_total") ?? -1) + 3)
        // The router's own 404 and the handler's 404 both count.
        let notFound = (before.value("slowatch_http_requests_total", ["code": "404"]) ?? 0) + 2
        #expect(after.value("slowatch_http_requests_total", ["code": "404"]) == notFound)
        // The first scrape itself was answered 200 before the second one read the counts.
        #expect((after.value("slowatch_http_requests_total", ["code": "200"]) ?? 0) >= 2)

        // Deleting the metric keeps its drops in the total.
        #expect(try client.request(method: "DELETE", url: service.url("/metrics/small")).status == 204)
        let deleted = try Self.scrape(service, client: client)
        #expect(
            deleted.value("slowatch_samples_dropped_total") == after.value("slowatch_samples_dropped_total"))
    }

    @Test("a forced violation sets the SLO gauges and counts one violation, which a removal keeps")
    func sloFamilies() throws {
        let breached = try SLODefinition(
            id: "checkout-p99", metric: "checkout.latency", percentile: .p99, threshold: 50)
        let calm = try SLODefinition(id: "search-p50", metric: "search", percentile: .p50, threshold: 500)
        let idle = try SLODefinition(id: "idle-p95", metric: "idle", percentile: .p95, threshold: 10)
        let service = try InProcessService { $0.slos = [breached, calm, idle] }
        defer { service.stop() }
        let client = service.client
        _ = try client.postJSON(service.url("/samples"), Self.batch("checkout.latency", [80, 90, 120]))
        _ = try client.postJSON(service.url("/samples"), Self.batch("search", [100, 200]))
        let events = service.service.monitor.checkAll()
        #expect(events.map(\.slo) == ["checkout-p99"])

        let exposition = try Self.scrape(service, client: client)
        let checkout = ["slo": "checkout-p99", "metric": "checkout.latency"]
        let search = ["slo": "search-p50", "metric": "search"]
        #expect(exposition.value("slowatch_slo_violating", checkout) == 1)
        #expect(exposition.value("slowatch_slo_actual", checkout) == 120)
        #expect(exposition.value("slowatch_slo_threshold", checkout) == 50)
        #expect(exposition.value("slowatch_slo_violating", search) == 0)
        #expect(exposition.value("slowatch_slo_actual", search) == 100)
        // No data: violating 0 and no actual at all.
        #expect(exposition.value("slowatch_slo_violating", ["slo": "idle-p95", "metric": "idle"]) == 0)
        #expect(
            !exposition.samples.contains {
                $0.name == "slowatch_slo_actual" && $0.labels["slo"] == "idle-p95"
            })
        #expect(exposition.value("slowatch_slo_violations_total", ["slo": "checkout-p99"]) == 1)
        #expect(exposition.value("slowatch_slo_violations_total", ["slo": "search-p50"]) == 0)

        // Removing the SLO keeps its count, so the counter never goes down.
        try service.service.monitor.replaceSLOs([calm, idle])
        let removed = try Self.scrape(service, client: client)
        #expect(removed.value("slowatch_slo_violations_total", ["slo": "checkout-p99"]) == 1)
        #expect(removed.value("slowatch_slo_violating", checkout) == nil)
    }
}
