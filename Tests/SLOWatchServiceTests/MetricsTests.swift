import Foundation
import SLOWatchCore
import TestCurlClient
import Testing

@Suite("/metrics")
struct MetricsTests {
    @Test("PUT creates with 201, replaces with 200, and answers the stored definition")
    func putCreatesThenReplaces() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let url = service.url("/metrics/checkout.latency")
        let created = try client.putJSON(
            url, #"{"type":"latency","unit":"ms","description":"Checkout, end to end","capacity":500}"#)
        #expect(created.status == 201)
        #expect(
            created.bodyText
                == #"{"name":"checkout.latency","type":"latency","unit":"ms","description":"Checkout, end to end","#
                + #""capacity":500,"count":0,"overflow":0,"newestTimestamp":null}"#)
        let replaced = try client.putJSON(url, #"{"type":"gauge","unit":"requests"}"#)
        #expect(replaced.status == 200)
        // PUT replaces the whole definition: omitted fields take their defaults, not the old values.
        let definition = service.service.registry.definition(for: "checkout.latency")
        #expect(
            definition
                == MetricDefinition(
                    name: "checkout.latency", type: .gauge, unit: "requests", description: "",
                    capacity: 10_000))
    }

    @Test("an empty object defines a metric with every default, including the configured capacity")
    func putDefaults() throws {
        let service = try InProcessService { $0.capacity = 321 }
        defer { service.stop() }
        let response = try service.client.putJSON(service.url("/metrics/a"), "{}")
        #expect(response.status == 201)
        let json = try response.json()
        #expect(json["type"] as? String == "latency")
        #expect(json["unit"] as? String == "ms")
        #expect(json["description"] as? String == "")
        #expect(json["capacity"] as? Int == 321)
    }

    @Test("GET /metrics lists every metric sorted by name with its counters")
    func list() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let empty = try client.get(service.url("/metrics"))
        #expect(empty.status == 200)
        #expect(empty.bodyText == #"{"metrics":[]}"#)
        #expect(try client.putJSON(service.url("/metrics/zeta"), #"{"capacity":2}"#).status == 201)
        let body = SampleJSON.batch([
            ("zeta", 1, 1_764_393_600_010), ("zeta", 2, 1_764_393_600_020), ("zeta", 3, 1_764_393_600_030),
            ("alpha", 4, 1_764_393_600_040),
        ])
        #expect(try client.postJSON(service.url("/samples"), body).status == 200)
        let response = try client.get(service.url("/metrics"))
        #expect(response.status == 200)
        #expect(
            response.bodyText
                == #"{"metrics":[{"name":"alpha","type":"latency","unit":"ms","description":"","capacity":10000,"#
                + #""count":1,"overflow":0,"newestTimestamp":1764393600040},{"name":"zeta","type":"latency","unit":"ms","#
                + #""description":"","capacity":2,"count":2,"overflow":1,"newestTimestamp":1764393600030}]}"#)
    }

    @Test("GET /metrics/{name} answers one metric; an unknown one is 404 metric_not_found")
    func show() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        #expect(
            try client.postJSON(
                service.url("/samples"), #"{"metric":"a.b","value":1,"timestamp":1764393600009}"#
            ).status
                == 200)
        let response = try client.get(service.url("/metrics/a.b"))
        #expect(response.status == 200)
        let json = try response.json()
        #expect(json["name"] as? String == "a.b")
        #expect(json["count"] as? Int == 1)
        #expect(json["overflow"] as? Int == 0)
        #expect(json["newestTimestamp"] as? Int == 1_764_393_600_009)
        expectAPIError(
            try client.get(service.url("/metrics/nope")), status: 404, code: "metric_not_found",
            message: "'nope'")
    }

    @Test("DELETE answers 204 and removes the samples; a second DELETE is 404")
    func delete() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        #expect(try client.postJSON(service.url("/samples"), #"{"metric":"gone","value":1}"#).status == 200)
        let deleted = try client.delete(service.url("/metrics/gone"))
        #expect(deleted.status == 204)
        #expect(deleted.body.isEmpty)
        #expect(service.service.registry.summary(for: "gone") == nil)
        expectAPIError(
            try client.delete(service.url("/metrics/gone")), status: 404, code: "metric_not_found",
            message: "'gone'")
        expectAPIError(
            try client.get(service.url("/metrics/gone/samples")), status: 404, code: "metric_not_found",
            message: "'gone'")
    }

    @Test(
        "an invalid definition is a 400 that names the field and the rule",
        arguments: [
            (
                "ok", #"{"type":"histogram"}"#,
                #"type: "histogram" is not a metric type: it must be one of 'latency'"#
            ),
            ("ok", #"{"type":3}"#, "type: must be a string, got number."),
            ("ok", #"{"unit":["ms"]}"#, "unit: must be a string, got array."),
            (
                "ok", #"{"unit":"\#(String(repeating: "u", count: 65))"}"#,
                "unit: must be at most 64 characters (code points), got 65."
            ),
            ("ok", #"{"description":false}"#, "description: must be a string, got boolean."),
            (
                // One grapheme, 1,025 code points: the limit counts code points, so it cannot be bypassed.
                "ok", #"{"description":"e\#(String(repeating: "\u{301}", count: 1_024))"}"#,
                "description: must be at most 1024 characters (code points), got 1025."
            ),
            (
                "ok", #"{"capacity":0}"#,
                "capacity: must be a whole number of samples from 1 to 10000000, got 0."
            ),
            ("ok", #"{"capacity":10000001}"#, "got 10000001."),
            ("ok", #"{"capacity":1.5}"#, "capacity: must be a whole number, got 1.5."),
            ("ok", #"{"capacity":"100"}"#, "capacity: must be a whole number, got string."),
            ("ok", #"{"capacity":1e300}"#, "capacity: must be a whole number below 2^53"),
            ("ok", "[]", "The body: must be a metric definition object, got array."),
            ("bad%20name", "{}", #"Metric name "bad name" is invalid"#),
            ("-dash", "{}", #"Metric name "-dash" is invalid"#),
        ])
    func invalidDefinitions(name: String, body: String, message: String) throws {
        let service = try InProcessService()
        defer { service.stop() }
        let response = try service.client.putJSON(service.url("/metrics/\(name)"), body)
        expectAPIError(response, status: 400, code: "invalid_request", message: message)
        #expect(service.service.registry.metricCount == 0)
    }

    @Test("PUT with malformed JSON is 400 invalid_json; with another Content-Type, 415")
    func putBodyErrors() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        expectAPIError(
            try client.putJSON(service.url("/metrics/a"), #"{"capacity":"#), status: 400,
            code: "invalid_json",
            message: "end of the input")
        let plain = try client.request(
            method: "PUT", url: service.url("/metrics/a"), body: Array("{}".utf8),
            headers: [("Content-Type", "text/plain")])
        expectAPIError(plain, status: 415, code: "unsupported_media_type", message: "'text/plain'")
        #expect(service.service.registry.metricCount == 0)
    }

    @Test("PUT of a new metric beyond the configured limit is 422 metric_limit_reached; replacing is allowed")
    func putLimit() throws {
        let service = try InProcessService { $0.maxMetrics = 1 }
        defer { service.stop() }
        let client = service.client
        #expect(try client.putJSON(service.url("/metrics/first"), "{}").status == 201)
        expectAPIError(
            try client.putJSON(service.url("/metrics/second"), "{}"), status: 422,
            code: "metric_limit_reached",
            message: #"Cannot register metric "second": the limit of 1 metrics is reached."#)
        #expect(try client.putJSON(service.url("/metrics/first"), #"{"unit":"s"}"#).status == 200)
    }

    @Test("a capacity change keeps the newest samples, and recording goes on afterwards")
    func capacityChangeKeepsNewest() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let samples = (1...10).map { ("shrink", Double($0), 1_764_393_600_000 + Double($0) * 1_000) }
        #expect(try client.postJSON(service.url("/samples"), SampleJSON.batch(samples)).status == 200)
        #expect(try client.putJSON(service.url("/metrics/shrink"), #"{"capacity":4}"#).status == 200)
        let kept = try client.get(service.url("/metrics/shrink/samples")).json()
        let values = (kept["samples"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? Double }
        #expect(values == [10, 9, 8, 7])
        #expect(
            try client.postJSON(service.url("/samples"), #"{"metric":"shrink","value":11}"#).status == 200)
        let after = try client.get(service.url("/metrics/shrink")).json()
        #expect(after["count"] as? Int == 4)
        #expect(after["capacity"] as? Int == 4)
    }

    @Test("re-registering a metric with PUT resets the rate limit of its SLOs")
    func reRegisterResetsRateLimit() throws {
        let slo = try SLODefinition(id: "slow", metric: "rl", percentile: "p50", threshold: 10)
        let service = try InProcessService {
            $0.rateLimitWindowMilliseconds = 3_600_000
            $0.slos = [slo]
        }
        defer { service.stop() }
        let client = service.client
        let monitor = service.service.monitor
        #expect(try client.postJSON(service.url("/samples"), #"{"metric":"rl","value":100}"#).status == 200)
        monitor.checkAll()
        monitor.checkAll()
        #expect(monitor.violationsEmitted == 1)
        #expect(try client.putJSON(service.url("/metrics/rl"), "{}").status == 200)
        monitor.checkAll()
        #expect(monitor.violationsEmitted == 2)
        #expect(try client.postJSON(service.url("/samples"), #"{"metric":"rl","value":200}"#).status == 200)
        #expect(try client.get(service.url("/metrics/rl")).json()["count"] as? Int == 2)
    }

    @Test("GET /metrics/{name}/samples answers the newest first, 100 by default, up to limit")
    func recentSamples() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let samples = (0..<150).map { ("recent", Double($0), 1_764_393_601_000 + Double($0)) }
        #expect(try client.postJSON(service.url("/samples"), SampleJSON.batch(samples)).status == 200)
        let byDefault = try client.get(service.url("/metrics/recent/samples")).json()
        let all = byDefault["samples"] as? [[String: Any]] ?? []
        #expect(all.count == 100)
        #expect(all.first?["value"] as? Double == 149)
        #expect(all.first?["timestamp"] as? Double == 1_764_393_601_149)
        let three = try client.get(service.url("/metrics/recent/samples?limit=3"))
        #expect(
            three.bodyText
                == #"{"samples":[{"value":149,"timestamp":1764393601149},{"value":148,"timestamp":1764393601148},"#
                + #"{"value":147,"timestamp":1764393601147}]}"#
        )
        #expect(try client.get(service.url("/metrics/recent/samples?limit=10000")).status == 200)
    }

    @Test(
        "a limit that is not a whole number from 1 to 10,000 is a 400 naming it",
        arguments: ["0", "-1", "abc", "1.5", "10001", "", "99999999999999999999"])
    func badLimit(limit: String) throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        #expect(try client.postJSON(service.url("/samples"), #"{"metric":"m","value":1}"#).status == 200)
        let response = try client.get(service.url("/metrics/m/samples?limit=\(limit)"))
        expectAPIError(
            response, status: 400, code: "invalid_request",
            message: "limit: \"\(limit)\" is not valid: it must be a whole number from 1 to 10000.")
    }

    @Test("methods a /metrics path does not serve get 405 with Allow")
    func wrongMethods() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let cases = [
            ("POST", "/metrics", "GET, HEAD"), ("DELETE", "/metrics", "GET, HEAD"),
            ("POST", "/metrics/a", "DELETE, GET, HEAD, PUT"),
            ("PATCH", "/metrics/a", "DELETE, GET, HEAD, PUT"),
            ("PUT", "/metrics/a/percentiles", "GET, HEAD"), ("DELETE", "/metrics/a/samples", "GET, HEAD"),
        ]
        for (method, path, allow) in cases {
            let response = try client.request(method: method, url: service.url(path), body: Array("{}".utf8))
            #expect(response.status == 405, "\(method) \(path)")
            #expect(response.errorCode == "method_not_allowed", "\(method) \(path)")
            #expect(response.header("Allow") == allow, "\(method) \(path)")
        }
    }
}
