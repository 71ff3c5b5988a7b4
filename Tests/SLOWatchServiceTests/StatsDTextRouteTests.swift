import TestCurlClient
import Testing

@testable import SLOWatchService

/// `POST /samples` with `Content-Type: text/plain`: StatsD lines, all or nothing, over a real socket.
@Suite("StatsD lines over POST /samples")
struct StatsDTextRouteTests {
    private func postText(_ service: InProcessService, _ body: String, contentType: String = "text/plain")
        throws
        -> CurlResponse
    {
        try service.client.post(
            service.url("/samples"), body: Array(body.utf8), headers: [("Content-Type", contentType)])
    }

    @Test(
        "text/plain lines are recorded and answered like JSON, any charset or letter case",
        arguments: ["text/plain", "text/plain; charset=utf-8", "Text/Plain;charset=UTF-8"])
    func accepted(contentType: String) throws {
        let service = try InProcessService()
        defer { service.stop() }
        let response = try postText(
            service, "checkout:12.5|ms\r\ncheckout:30|h|@0.5\nfps:60|g|#env:prod\n\nsearch:1:2|d\n",
            contentType: contentType)
        #expect(response.status == 200, "\(response.bodyText)")
        #expect(response.bodyText == #"{"accepted":5}"#)
        let registry = service.service.registry
        #expect(registry.summary(for: "checkout")?.count == 2)
        #expect(registry.summary(for: "fps")?.count == 1)
        #expect(registry.summary(for: "search")?.count == 2)
        #expect(ServiceCounters.read(service.service.counters.samplesAccepted) == 5)
        let percentiles = try service.client.get(service.url("/metrics/checkout/percentiles?q=1"))
        #expect(percentiles.bodyText.contains("30"), "\(percentiles.bodyText)")
    }

    @Test("one bad line refuses the whole body with 400 naming the line, and records nothing")
    func allOrNothing() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let response = try postText(service, "kept:1|ms\nfresh:2|ms\nbad:x|ms\n")
        expectAPIError(
            response, status: 400, code: "invalid_request",
            message: #"line 3 ("bad:x|ms"): the value "x" is not a finite decimal number."#)
        #expect(service.service.registry.metricCount == 0)
        #expect(ServiceCounters.read(service.service.counters.samplesAccepted) == 0)
    }

    @Test("counters and sets are refused with 400 explaining they are not latency samples")
    func countersAndSets() throws {
        let service = try InProcessService()
        defer { service.stop() }
        expectAPIError(
            try postText(service, "a:1|ms\nhits:1|c\n"), status: 400, code: "invalid_request",
            message: #"line 2 ("hits:1|c"): the type 'c' is a counter, not a latency sample"#)
        expectAPIError(
            try postText(service, "users:bob|s"), status: 400, code: "invalid_request",
            message: "the type 's' is a set, not a latency sample")
        #expect(service.service.registry.metricCount == 0)
    }

    @Test("more than 10,000 samples get 400 like a JSON batch; over the body limit gets 413")
    func limits() throws {
        let service = try InProcessService()
        defer { service.stop() }
        expectAPIError(
            try postText(service, String(repeating: "a:1|ms\n", count: 10_001)), status: 400,
            code: "invalid_request",
            message: "line 10001 (\"a:1|ms\"): the body holds more than 10000 samples")
        #expect(service.service.registry.metricCount == 0)
        let small = try InProcessService { $0.maxBodyBytes = 64 }
        defer { small.stop() }
        expectAPIError(
            try postText(small, String(repeating: "a:1|ms\n", count: 20)), status: 413,
            code: "payload_too_large", message: "64 bytes")
    }

    @Test("a new metric beyond the registry's limit gets 422 and nothing of the body is recorded")
    func metricLimit() throws {
        let service = try InProcessService { $0.maxMetrics = 1 }
        defer { service.stop() }
        let response = try postText(service, "one:1|ms\ntwo:2|ms\n")
        #expect(response.status == 422)
        #expect(response.errorCode == "metric_limit_reached")
        #expect(service.service.registry.summary(for: "one")?.count ?? 0 == 0)
    }

    @Test("another Content-Type gets 415 listing both accepted types")
    func unsupportedType() throws {
        let service = try InProcessService()
        defer { service.stop() }
        expectAPIError(
            try postText(service, "a:1|ms", contentType: "text/csv"), status: 415,
            code: "unsupported_media_type",
            message: "The Content-Type is 'text/csv'; this endpoint accepts application/json (samples) or "
                + "text/plain (StatsD lines).")
    }
}
