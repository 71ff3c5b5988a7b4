import Foundation
import TestCurlClient
import Testing

/// The live API against the spec: a walk through every operation, in which every answer (success and
/// error) must be a documented status with a body that matches its schema, field for field.
@Suite("OpenAPI spec versus live answers")
struct OpenAPIConformanceTests {
    /// Sends requests, checks each answer against the spec, and remembers which statuses were seen.
    final class Walk {
        /// The spec every answer is checked against.
        let spec: OpenAPIDocument
        /// The service under test.
        let service: TestService
        /// One client, so requests reuse a kept-alive connection where the server keeps it.
        let client: CurlClient
        /// `operationId status` of every answer seen.
        private(set) var seen: Set<String> = []

        /// A walk over `service`, checked against `spec`.
        init(spec: OpenAPIDocument, service: TestService) throws {
            self.spec = spec
            self.service = service
            client = try CurlClient()
        }

        /// Sends `method path` for the operation documented at `template`, and checks the answer.
        @discardableResult
        func send(
            _ method: String, _ template: String, _ path: String? = nil, json: String? = nil,
            contentType: String = "application/json", headers: [(String, String)] = [],
            expect status: Int, sourceLocation: SourceLocation = #_sourceLocation
        ) throws -> CurlResponse {
            let operation = try #require(
                spec.operation(method, template), "\(method) \(template) is not in the spec",
                sourceLocation: sourceLocation)
            let body = json.map { Array($0.utf8) }
            let extra = body == nil ? headers : headers + [("Content-Type", contentType)]
            let response = try client.request(
                method: method, url: service.url(path ?? template), body: body, headers: extra)
            record(response, for: operation, expect: status, sourceLocation: sourceLocation)
            return response
        }

        /// Checks `response` against `operation` and remembers its status.
        func record(
            _ response: CurlResponse, for operation: OpenAPIDocument.Operation, expect status: Int,
            sourceLocation: SourceLocation = #_sourceLocation
        ) {
            #expect(
                response.status == status, "\(operation): \(response.status) \(response.bodyText)",
                sourceLocation: sourceLocation)
            let failures = spec.failures(of: response, for: operation)
            #expect(failures.isEmpty, "\(failures)", sourceLocation: sourceLocation)
            seen.insert("\(operation.node["operationId"]?.string ?? "?") \(response.status)")
        }
    }

    @Test("every answer of a walk through the whole API is documented and matches its schema")
    func walkThroughTheAPI() throws {
        let spec = try OpenAPIDocument()
        // A data directory whose journal writes can be made to fail, so that its 503 can be walked.
        let dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("slowatch-walk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let storage = InjectedStorage()
        let service = try TestService {
            $0.storage = storage
            $0.maxMetrics = 2
            $0.maxBodyBytes = 32_768
            $0.dataDirectory = dataDirectory
        }
        defer { service.stop() }
        let walk = try Walk(spec: spec, service: service)
        try walkMetrics(walk)
        try walkSamples(walk)
        try walkSLOsAndViolations(walk)
        try walkStream(walk)
        try walkServiceEndpoints(walk)
        try walkHeads(walk)
        try walkStorageFailures(walk, storage: storage)
        try walkRemovals(walk)

        // Every documented success status of every operation, and every documented status somewhere.
        var everyStatus: Set<String> = []
        for operation in spec.operations {
            let id = operation.node["operationId"]?.string ?? "?"
            for status in (operation.node["responses"]?.object ?? [:]).keys {
                everyStatus.insert(status)
                if status.hasPrefix("2") {
                    #expect(walk.seen.contains("\(id) \(status)"), "\(id) \(status) not seen")
                }
            }
        }
        let seen = walk.seen.union(try walkAccess(spec).seen)
        let seenStatuses = Set(seen.compactMap { $0.split(separator: " ").last.map(String.init) })
            .union(Self.transportOnlyStatuses)
        #expect(
            everyStatus.subtracting(seenStatuses).isEmpty,
            "never seen: \(everyStatus.subtracting(seenStatuses))")
    }

    /// Metric definitions and percentiles of an empty metric, with their 400, 404 and 415.
    private func walkMetrics(_ walk: Walk) throws {
        let definition = #"{"type":"latency","unit":"ms","description":"Checkout.","capacity":50000}"#
        let metric = "/metrics/{name}"
        try walk.send("PUT", metric, "/metrics/checkout.latency", json: definition, expect: 201)
        try walk.send("PUT", metric, "/metrics/checkout.latency", json: definition, expect: 200)
        try walk.send("PUT", metric, "/metrics/checkout.latency", json: #"{"capacity":0}"#, expect: 400)
        try walk.send("PUT", metric, "/metrics/checkout.latency", json: "{", expect: 400)
        try walk.send(
            "PUT", metric, "/metrics/checkout.latency", json: "{}", contentType: "text/plain", expect: 415)
        try walk.send("GET", metric, "/metrics/checkout.latency", expect: 200)
        try walk.send("GET", metric, "/metrics/unknown.metric", expect: 404)
        let percentiles = "/metrics/{name}/percentiles"
        let empty = try walk.send(
            "GET", percentiles, "/metrics/checkout.latency/percentiles?q=0.5,0.75", expect: 200)
        #expect(try SpecValue.json(empty.body)["p95"] == .null)
        try walk.send("GET", percentiles, "/metrics/unknown.metric/percentiles", expect: 404)
        try walk.send("GET", percentiles, "/metrics/checkout.latency/percentiles?q=1.5", expect: 400)
        try walk.send("GET", percentiles, "/metrics/checkout.latency/percentiles?window=5x", expect: 400)
        let history = "/metrics/{name}/history"
        try walk.send("GET", history, "/metrics/checkout.latency/history?range=1h&step=1m&q=0.5", expect: 200)
        try walk.send("GET", history, "/metrics/checkout.latency/history?step=soon", expect: 400)
        try walk.send("GET", history, "/metrics/unknown.metric/history", expect: 404)
    }

    /// Samples, the limits (413, 422) and the read endpoints once samples exist.
    private func walkSamples(_ walk: Walk) throws {
        let one = #"{"metric":"checkout.latency","value":12.5,"timestamp":1764393600000}"#
        try walk.send("POST", "/samples", json: one, expect: 200)
        let batch =
            #"{"samples":[{"metric":"checkout.latency","value":48},{"metric":"search.latency","value":7.25}]}"#
        try walk.send("POST", "/samples", json: batch, expect: 200)
        try walk.send("POST", "/samples", json: #"{"metric":"checkout.latency","value":"12"}"#, expect: 400)
        try walk.send("POST", "/samples", json: #"{"metric":"checkout.latency","value":1e999}"#, expect: 400)
        try walk.send("POST", "/samples", json: one, contentType: "text/csv", expect: 415)
        // OTLP/HTTP (docs/otlp.md): the answer and the google.rpc.Status of an error in OTLP/JSON.
        let otlp =
            #"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"checkout.latency","#
            + #""gauge":{"dataPoints":[{"asDouble":3}]}},{"name":"n","sum":{"dataPoints":[{"asInt":"1"}]}}]}]}]}"#
        try walk.send("POST", "/v1/metrics", json: otlp, expect: 200)
        try walk.send("POST", "/v1/metrics", json: #"{"resourceMetrics":7}"#, expect: 400)
        try walk.send("POST", "/v1/metrics", json: otlp, contentType: "text/csv", expect: 415)
        let lines = "checkout.latency:12.5|ms\ncheckout.latency:48|ms|@0.5|#region:eu\n"
        try walk.send("POST", "/samples", json: lines, contentType: "text/plain", expect: 200)
        try walk.send(
            "POST", "/samples", json: "checkout.latency:1|c\n", contentType: "text/plain", expect: 400)
        // The registry holds two metrics, its limit in this test.
        try walk.send("POST", "/samples", json: #"{"metric":"third.metric","value":1}"#, expect: 422)
        try walk.send("PUT", "/metrics/{name}", "/metrics/third.metric", json: "{}", expect: 422)
        let padding = String(repeating: " ", count: 40_000)
        try walk.send("POST", "/samples", json: one + padding, expect: 413)
        try walk.send("GET", "/metrics", expect: 200)
        try walk.send(
            "GET", "/metrics", headers: [("Accept", PrometheusNegotiationTests.prometheusAccept)], expect: 200
        )
        let percentiles = "/metrics/{name}/percentiles"
        try walk.send(
            "GET", percentiles, "/metrics/checkout.latency/percentiles?q=0.5,0.750,1&window=1h", expect: 200)
        try walk.send("GET", percentiles, "/metrics/checkout.latency/percentiles", expect: 200)
        let samples = "/metrics/{name}/samples"
        try walk.send("GET", samples, "/metrics/checkout.latency/samples?limit=2", expect: 200)
        try walk.send("GET", samples, "/metrics/checkout.latency/samples?limit=0", expect: 400)
        try walk.send("GET", samples, "/metrics/unknown.metric/samples", expect: 404)
    }

    /// SLO definitions, then a breach and a recovery read back from `GET /slo/violations`.
    private func walkSLOsAndViolations(_ walk: Walk) throws {
        let slo = "/slos/{id}"
        let definition = #"""
            {"metric":"checkout.latency","percentile":"p95","threshold":60,"unit":"ms","direction":"above",
             "window":"5m","minSamples":20}
            """#
        try walk.send("PUT", slo, "/slos/checkout-p95", json: definition, expect: 201)
        try walk.send("PUT", slo, "/slos/checkout-p95", json: definition, expect: 200)
        try walk.send("PUT", slo, "/slos/checkout-p95", json: #"{"metric":"checkout.latency"}"#, expect: 400)
        try walk.send(
            "PUT", slo, "/slos/checkout-p95", json: definition, contentType: "text/plain", expect: 415)
        try walk.send(
            "PUT", slo, "/slos/checkout-p95", json: definition + String(repeating: " ", count: 40_000),
            expect: 413)
        try walk.send("GET", slo, "/slos/checkout-p95", expect: 200)
        try walk.send("GET", slo, "/slos/unknown-slo", expect: 404)

        // A breach, then a recovery: twenty slow samples, then four hundred fast ones.
        let slow = Array(repeating: #"{"metric":"checkout.latency","value":100}"#, count: 20)
        try walk.send(
            "POST", "/samples", json: #"{"samples":[\#(slow.joined(separator: ","))]}"#, expect: 200)
        walk.service.service.monitor.checkAll()
        try walk.send("GET", "/slos", expect: 200)
        let fast = Array(repeating: #"{"metric":"checkout.latency","value":10}"#, count: 400)
        try walk.send(
            "POST", "/samples", json: #"{"samples":[\#(fast.joined(separator: ","))]}"#, expect: 200)
        walk.service.service.monitor.checkAll()

        let violations = "/slo/violations"
        let page = try walk.send(
            "GET", violations, "\(violations)?after=0&limit=10&metric=checkout.latency&slo=checkout-p95",
            expect: 200)
        let topics = try SpecValue.json(page.body)["violations"]?.array?.compactMap { $0["topic"]?.string }
        #expect(topics == ["perf.slo_violation", "perf.slo_recovered"])
        try walk.send("GET", violations, "\(violations)?limit=1001", expect: 400)
        try walk.send("GET", violations, "\(violations)?after=-1", expect: 400)
    }

    /// The event stream: its head against the spec, and each `data:` line against the Event schema.
    private func walkStream(_ walk: Walk) throws {
        let operation = try #require(walk.spec.operation("GET", "/slo/violations"))
        var received: [UInt8] = []
        let response = try walk.client.stream(
            walk.service.url("/slo/violations?lastEventId=0"), headers: [("Accept", "text/event-stream")],
            timeoutMilliseconds: 10_000
        ) { chunk in
            received += chunk
            return String(decoding: received, as: UTF8.self).components(separatedBy: "\ndata: ").count < 3
        }
        walk.record(response, for: operation, expect: 200)
        #expect(response.header("Content-Type") == "text/event-stream")
        let eventSchema = SpecValue.object(["$ref": .string("#/components/schemas/Event")])
        let lines = String(decoding: received, as: UTF8.self).split(separator: "\n")
        #expect(lines.first == "retry: 2000")
        let data = lines.filter { $0.hasPrefix("data: ") }
        #expect(data.count == 2)
        for line in data {
            let event = try SpecValue.json(Array(line.dropFirst(6).utf8))
            let failures = walk.spec.validator().failures(of: event, against: eventSchema, at: "data")
            #expect(failures.isEmpty, "\(failures)")
        }
        try walk.send(
            "GET", "/slo/violations", "/slo/violations?lastEventId=x",
            headers: [("Accept", "text/event-stream")],
            expect: 400)
    }

    /// `/healthz`, `/openapi.yaml`, the dashboard (200, then 304 with its ETag), an oversized header
    /// section (431) and a refused method (405).
    private func walkServiceEndpoints(_ walk: Walk) throws {
        try walk.send("GET", "/healthz", expect: 200)
        try walk.send("GET", "/openapi.yaml", expect: 200)
        let page = try walk.send("GET", "/", expect: 200)
        try walk.send("GET", "/", headers: [("If-None-Match", page.header("ETag") ?? "")], expect: 304)
        try walk.send(
            "GET", "/healthz", "/healthz", headers: [("X-Padding", String(repeating: "a", count: 20_000))],
            expect: 431)
        let refused = try walk.client.post(walk.service.url("/healthz"), body: [])
        walk.record(refused, for: try #require(walk.spec.operation("GET", "/healthz")), expect: 405)
    }

    /// Changes that cannot be saved to the data directory's journal (503): its writes fail (ENOSPC).
    private func walkStorageFailures(_ walk: Walk, storage: InjectedStorage) throws {
        storage.full.withLock { $0 = true }
        defer { storage.full.withLock { $0 = false } }
        let definition = #"{"metric":"checkout.latency","percentile":"p95","threshold":60}"#
        try walk.send("PUT", "/slos/{id}", "/slos/checkout-p95", json: definition, expect: 503)
        try walk.send("DELETE", "/slos/{id}", "/slos/checkout-p95", expect: 503)
        try walk.send("PUT", "/metrics/{name}", "/metrics/search.latency", json: "{}", expect: 503)
        try walk.send("DELETE", "/metrics/{name}", "/metrics/search.latency", expect: 503)
        try walk.send(
            "POST", "/samples", "/samples", json: #"{"metric":"search.latency","value":1}"#, expect: 503)
    }

    /// DELETE of an SLO and a metric (204), then again (404).
    private func walkRemovals(_ walk: Walk) throws {
        try walk.send("DELETE", "/slos/{id}", "/slos/checkout-p95", expect: 204)
        try walk.send("DELETE", "/slos/{id}", "/slos/checkout-p95", expect: 404)
        try walk.send("DELETE", "/metrics/{name}", "/metrics/search.latency", expect: 204)
        try walk.send("DELETE", "/metrics/{name}", "/metrics/search.latency", expect: 404)
    }
}
