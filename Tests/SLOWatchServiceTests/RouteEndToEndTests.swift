import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import SLOWatchHTTP
import TestCurlClient
import Testing

@testable import SLOWatchService

/// One end-to-end pass per route over a real socket (libcurl), beside the suites that test the routes in
/// process: the same script of requests goes to a started service and to an in-process one on the same
/// fixed wall clock, and each answer must have the same status and body both ways. The script must
/// cover the router's whole table, so a new route without a socket pass fails here.
@Suite("Every route end to end over a socket")
struct RouteEndToEndTests {
    /// One step: the route it exercises (method and pattern as in the route table) and its request.
    struct Step {
        let method: HTTPMethod
        let pattern: String
        let target: String
        var body: String = ""
        var headers: [(String, String)] = []
        /// False where the body holds a reading that differs between two services (uptime).
        var sameBody = true
    }

    static let json = [("Content-Type", "application/json")]

    /// Writes first, then reads, then deletes, so every route answers with success, not 404.
    static let script: [Step] = [
        Step(
            method: .put, pattern: "/metrics/:name", target: "/metrics/e2e", body: #"{"capacity":100}"#,
            headers: json),
        Step(
            method: .post, pattern: "/samples", target: "/samples", body: #"{"metric":"e2e","value":12}"#,
            headers: json),
        Step(
            method: .post, pattern: "/v1/metrics", target: "/v1/metrics",
            body: #"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"e2e","gauge":{"dataPoints":"#
                + #"[{"asDouble":14,"timeUnixNano":"1764393600000000000"}]}}]}]}]}"#, headers: json),
        Step(method: .get, pattern: "/metrics", target: "/metrics"),
        Step(method: .get, pattern: "/metrics/:name", target: "/metrics/e2e"),
        Step(method: .get, pattern: "/metrics/:name/percentiles", target: "/metrics/e2e/percentiles?q=0.5"),
        Step(method: .get, pattern: "/metrics/:name/samples", target: "/metrics/e2e/samples"),
        Step(
            method: .get, pattern: "/metrics/:name/history",
            target: "/metrics/e2e/history?range=1h&step=10m&q=0.5&q=0.99"),
        Step(
            method: .put, pattern: "/slos/:id", target: "/slos/e2e",
            body: #"{"metric":"e2e","percentile":"p95","threshold":60}"#, headers: json),
        Step(method: .get, pattern: "/slos", target: "/slos"),
        Step(method: .get, pattern: "/slos/:id", target: "/slos/e2e"),
        Step(method: .get, pattern: "/slo/violations", target: "/slo/violations"),
        Step(method: .get, pattern: "/healthz", target: "/healthz", sameBody: false),
        Step(method: .get, pattern: "/openapi.yaml", target: "/openapi.yaml"),
        Step(method: .get, pattern: "/", target: "/"),
        Step(method: .delete, pattern: "/slos/:id", target: "/slos/e2e"),
        Step(method: .delete, pattern: "/metrics/:name", target: "/metrics/e2e"),
    ]

    @Test("every route answers over a socket as it does in process, and the script covers the route table")
    func everyRoute() throws {
        let clock = ManualClock(startMilliseconds: 1_764_393_600_000)
        let live = try TestService(wallClock: clock)
        defer { live.stop() }
        let inProcess = try InProcessService(wallClock: clock)
        let curl = try CurlClient()

        let table = Set(live.service.router.routeTable.map { "\($0.method.rawValue) \($0.pattern)" })
        let covered = Set(Self.script.map { "\($0.method.rawValue) \($0.pattern)" })
        #expect(covered == table, "routes without a step: \(table.subtracting(covered).sorted())")

        for step in Self.script {
            let body = Array(step.body.utf8)
            let overSocket = try curl.request(
                method: step.method.rawValue, url: live.url(step.target), body: body, headers: step.headers)
            let expected = try inProcess.client.request(
                method: step.method.rawValue, url: step.target, body: body, headers: step.headers)
            let name = "\(step.method.rawValue) \(step.target)"
            #expect((200..<300).contains(overSocket.status), "\(name): \(overSocket.bodyText)")
            #expect(overSocket.status == expected.status, "\(name)")
            if step.sameBody { #expect(overSocket.bodyText == expected.bodyText, "\(name)") }
        }
    }

    @Test("the violation stream sends its head and first frame over a socket")
    func violationStream() throws {
        let live = try TestService()
        defer { live.stop() }
        var received: [UInt8] = []
        let response = try CurlClient().stream(
            live.url("/slo/violations"), headers: [("Accept", "text/event-stream")],
            timeoutMilliseconds: 5_000
        ) { chunk in
            received += chunk
            return false
        }
        #expect(response.status == 200)
        #expect(response.header("Content-Type")?.hasPrefix("text/event-stream") == true)
        #expect(response.stoppedByClient)
        #expect(!received.isEmpty)
    }
}
