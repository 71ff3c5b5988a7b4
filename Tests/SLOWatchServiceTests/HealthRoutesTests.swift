import Foundation
import SLOWatchCore
import TestCurlClient
import Testing

/// `GET /healthz` and `GET /openapi.yaml`.
@Suite("Health and spec endpoints")
struct HealthRoutesTests {
    @Test("/healthz answers status ok, the uptime in seconds and the counts of metrics, SLOs and subscribers")
    func healthFieldsAndTypes() throws {
        let slo = try SLODefinition(
            id: "checkout-p95", metric: "checkout.latency", percentile: .p95, threshold: 60)
        let service = try InProcessService { $0.slos = [slo] }
        defer { service.stop() }
        let client = service.client
        let before = try client.get(service.url("/healthz"))
        #expect(before.status == 200)
        #expect(before.header("Content-Type") == "application/json; charset=utf-8")
        let body = try before.json()
        #expect(Set(body.keys) == ["status", "uptimeSeconds", "metrics", "slos", "subscribers"])
        #expect(body["status"] as? String == "ok")
        let uptime = try #require(body["uptimeSeconds"] as? Double)
        #expect(uptime >= 0 && uptime < 600, "uptime \(uptime) s")
        #expect(body["metrics"] as? Int == 0)
        #expect(body["slos"] as? Int == 1)
        #expect(body["subscribers"] as? Int == 0)

        try service.service.registry.record("a.metric", value: 1)
        try service.service.registry.record("b.metric", value: 2)
        let after = try client.get(service.url("/healthz")).json()
        #expect(after["metrics"] as? Int == 2)
        let later = try #require(after["uptimeSeconds"] as? Double)
        #expect(later >= uptime, "uptime went from \(uptime) s back to \(later) s")
    }

    @Test("/healthz counts an open violation stream as a subscriber, and stops counting it when it closes")
    func healthCountsSubscribers() throws {
        let service = try TestService()
        defer { service.stop() }
        let client = try CurlClient()
        let streamer = try CurlClient()
        var counted: Int?
        let response = try streamer.stream(
            service.url("/slo/violations"), headers: [("Accept", "text/event-stream")],
            timeoutMilliseconds: 10_000
        ) { _ in
            // The prelude arrived, so the stream is registered; ask /healthz from the other client.
            counted = (try? client.get(service.url("/healthz")).json())?["subscribers"] as? Int
            return false
        }
        #expect(response.stoppedByClient)
        #expect(counted == 1)
        var remaining: Int?
        for _ in 0..<100 {
            remaining = (try client.get(service.url("/healthz")).json())["subscribers"] as? Int
            if remaining == 0 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(remaining == 0, "the closed stream is still counted after 5 s")
    }

    @Test("/healthz answers HEAD with no body and refuses POST with 405 and Allow: GET, HEAD")
    func healthMethods() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let head = try client.request(method: "HEAD", url: service.url("/healthz"))
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        let post = try client.post(service.url("/healthz"), body: [])
        #expect(post.status == 405)
        #expect(post.header("Allow") == "GET, HEAD")
        #expect(post.errorCode == "method_not_allowed")
    }

    @Test("/openapi.yaml serves openapi.yaml byte for byte as application/yaml")
    func specIsServed() throws {
        let spec = try OpenAPIDocument()
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let response = try client.get(service.url("/openapi.yaml"))
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/yaml")
        let identical = response.body == spec.bytes
        #expect(
            identical,
            "the served spec differs from openapi.yaml")
        let head = try client.request(method: "HEAD", url: service.url("/openapi.yaml"))
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == String(spec.bytes.count))
        #expect(head.body.isEmpty)
    }
}
