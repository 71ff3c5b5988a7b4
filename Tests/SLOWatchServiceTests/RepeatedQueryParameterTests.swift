import SLOWatchHTTP
import TestCurlClient
import Testing

@testable import SLOWatchService

/// A repeated query parameter is never silently dropped: the list parameter `q` merges every
/// occurrence, and every single-valued parameter refuses a repeat with 400 naming it (issue 19, item 1).
@Suite("Repeated query parameters")
struct RepeatedQueryParameterTests {
    /// A service holding `checkout` with the samples 1…100 ms.
    private func serviceWithSamples() throws -> InProcessService {
        let service = try InProcessService()
        let posted = try service.client.postJSON(
            service.url("/samples"), TestSamples.json("checkout", (1...100).map(Double.init)))
        #expect(posted.status == 200, "\(posted.bodyText)")
        return service
    }

    @Test("q=0.5&q=0.9 answers both quantiles, exactly as q=0.5,0.9 does")
    func repeatedQuantilesMerge() throws {
        let service = try serviceWithSamples()
        defer { service.stop() }
        let repeated = try service.client.get(service.url("/metrics/checkout/percentiles?q=0.5&q=0.9"))
        let listed = try service.client.get(service.url("/metrics/checkout/percentiles?q=0.5,0.9"))
        #expect(repeated.status == 200, "\(repeated.bodyText)")
        #expect(repeated.bodyText == listed.bodyText)
        let quantiles = try #require(try repeated.json()["quantiles"] as? [String: Double])
        #expect(quantiles == ["0.5": 50, "0.9": 90], "\(repeated.bodyText)")
    }

    @Test("occurrences of q merge in order, a list in one occurrence included, and a bad item is still named")
    func mergedListsKeepTheirRules() throws {
        let service = try serviceWithSamples()
        defer { service.stop() }
        let merged = try service.client.get(service.url("/metrics/checkout/percentiles?q=0.99,0.5&q=1"))
        let quantiles = try #require(try merged.json()["quantiles"] as? [String: Double])
        #expect(quantiles == ["0.99": 99, "0.5": 50, "1": 100], "\(merged.bodyText)")
        expectAPIError(
            try service.client.get(service.url("/metrics/checkout/percentiles?q=0.5&q=2")), status: 400,
            code: "invalid_request", message: #"q: "2" is not a quantile"#)
    }

    @Test(
        "a repeated single-valued parameter is refused with 400 naming it, on every route that reads it",
        arguments: [
            ("/metrics/checkout/percentiles?window=1m&window=5m", "window"),
            ("/metrics/checkout/percentiles?q=0.5&window=1m&q=0.9&window=1m", "window"),
            ("/metrics/checkout/samples?limit=1&limit=3", "limit"),
            ("/slo/violations?limit=1&limit=3", "limit"),
            ("/slo/violations?after=0&after=5", "after"),
            ("/slo/violations?metric=checkout&metric=search", "metric"),
            ("/slo/violations?slo=a&slo=b", "slo"),
            ("/slo/violations?topic=perf.slo_violation&topic=perf.slo_recovered", "topic"),
        ])
    func repeatedSingleValueIsRefused(target: String, name: String) throws {
        let service = try serviceWithSamples()
        defer { service.stop() }
        expectAPIError(
            try service.client.get(service.url(target)), status: 400, code: "invalid_request",
            message: "The query parameter '\(name)' comes 2 times; it takes one value, so send it once")
    }

    @Test("the same single-valued parameters given once are still answered 200")
    func singleOccurrencesAreAnswered() throws {
        let service = try serviceWithSamples()
        defer { service.stop() }
        for target in [
            "/metrics/checkout/percentiles?window=1m&q=0.5", "/metrics/checkout/samples?limit=3",
            "/slo/violations?limit=1&after=0&metric=checkout&slo=a&topic=perf.slo_violation",
        ] {
            let response = try service.client.get(service.url(target))
            #expect(response.status == 200, "\(target): \(response.bodyText)")
        }
    }

    @Test("the accessor merges a list and counts every occurrence of a single value")
    func accessorRules() throws {
        let request = HTTPRequest(method: .get, target: "/x?q=0.5&limit=1&q=&q=0.9&limit=1&limit=2")
        #expect(try request.queryParameter("q", .list) == "0.5,,0.9")
        #expect(try request.queryParameter("absent") == nil)
        #expect(try request.queryParameter("absent", .list) == nil)
        #expect(throws: APIError.self) { try request.queryParameter("limit") }
        do {
            _ = try request.queryParameter("limit")
        } catch {
            #expect(error.message.contains("comes 3 times"), "\(error.message)")
        }
    }
}
