import TestCurlClient
import Testing

extension OpenAPIConformanceTests {
    /// The statuses every operation documents through the shared transport answers of
    /// `components/responses` that only the HTTP layer gives, before any route: 408 (a head or body too
    /// slow, or a silent new connection), 414 (a request line over its limit) and 505 (HTTP/2 or another
    /// major version). The walk cannot provoke them through a route; SLOWatchHTTPTests pins each on a
    /// real socket (`TimeoutTests`, `SilentConnectionTimeoutTests`, the strictness suites).
    static let transportOnlyStatuses: Set<String> = ["408", "414", "505"]

    /// `HEAD` on every path that serves `GET`, with the resources the walk created (200), an unknown
    /// metric (404) and a refused query (400): each answer is checked against the path's `head`
    /// operation, so a validator finds every HEAD answer documented.
    func walkHeads(_ walk: Walk) throws {
        let existing: [(String, String)] = [
            ("/metrics", "/metrics"), ("/metrics/{name}", "/metrics/checkout.latency"),
            ("/metrics/{name}/percentiles", "/metrics/checkout.latency/percentiles?q=0.5&q=0.9"),
            ("/metrics/{name}/samples", "/metrics/checkout.latency/samples?limit=2"),
            ("/metrics/{name}/history", "/metrics/checkout.latency/history?range=1h&step=1m&q=0.5&q=0.9"),
            ("/slos", "/slos"),
            ("/slos/{id}", "/slos/checkout-p95"), ("/slo/violations", "/slo/violations?limit=5"),
            ("/", "/"), ("/healthz", "/healthz"), ("/openapi.yaml", "/openapi.yaml"),
        ]
        for (template, path) in existing {
            let response = try walk.send("HEAD", template, path, expect: 200)
            #expect(response.body.isEmpty, "HEAD \(path) sent a body")
        }
        try walk.send("HEAD", "/metrics/{name}", "/metrics/unknown.metric", expect: 404)
        try walk.send(
            "HEAD", "/metrics/{name}/percentiles",
            "/metrics/checkout.latency/percentiles?window=1m&window=5m",
            expect: 400)
        for operation in walk.spec.operations where operation.method == "get" {
            #expect(
                walk.spec.operation("HEAD", operation.path) != nil,
                "\(operation) has no HEAD twin in the spec, though HEAD is served wherever GET is")
        }
    }
}
