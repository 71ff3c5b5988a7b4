import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import TestCurlClient
import Testing

@Suite("POST /samples")
struct SamplesTests {
    @Test("a single sample is recorded with its timestamp and answered 200 {\"accepted\":1}")
    func singleSample() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let response = try client.postJSON(
            service.url("/samples"), #"{"metric":"checkout.latency","value":12.5,"timestamp":1764393600000}"#)
        #expect(response.status == 200)
        #expect(response.bodyText == #"{"accepted":1}"#)
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        let samples = try service.service.registry.recentSamples(for: "checkout.latency", limit: 10)
        #expect(samples == [RecentSample(value: 12.5, timestamp: 1_764_393_600_000)])
    }

    @Test("samples without a timestamp take the wall clock's time when the request arrives")
    func defaultTimestamp() throws {
        let clock = ManualClock(startMilliseconds: 1_700_000_000_000)
        let service = try InProcessService(wallClock: clock)
        defer { service.stop() }
        let client = service.client
        let body = #"{"samples":[{"metric":"a","value":1},{"metric":"a","value":2,"timestamp":null}]}"#
        #expect(try client.postJSON(service.url("/samples"), body).status == 200)
        let samples = try service.service.registry.recentSamples(for: "a", limit: 10)
        #expect(samples.map(\.timestamp) == [1_700_000_000_000, 1_700_000_000_000])
    }

    @Test("a batch is recorded in full, unknown fields are ignored and unknown metrics are registered")
    func batch() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let body =
            #"{"source":"web","samples":[{"metric":"a","value":1,"timestamp":1764393600005,"host":"x"},"#
            + #"{"metric":"b","value":-2.5e-3,"timestamp":1764393600006,"tags":{"k":[1,2]}},{"metric":"a","value":3,"timestamp":1764393600007}]}"#
        let response = try client.postJSON(service.url("/samples"), body)
        #expect(response.status == 200)
        #expect(response.bodyText == #"{"accepted":3}"#)
        let registry = service.service.registry
        #expect(try registry.recentSamples(for: "a", limit: 10).map(\.value) == [3, 1])
        #expect(try registry.recentSamples(for: "b", limit: 10).map(\.value) == [-0.0025])
    }

    @Test("interleaved metrics keep each metric's body order, untimed samples share the arrival time")
    func interleavedMetricsKeepOrder() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let names = ["a", "b", "c", "b", "a", "c", "a", "b", "a"]
        let samples = names.enumerated().map { index, name in
            index.isMultiple(of: 2)
                ? #"{"metric":"\#(name)","value":\#(index),"timestamp":\#(1_764_393_601_000 + index)}"#
                : #"{"metric":"\#(name)","value":\#(index)}"#
        }
        let response = try client.postJSON(
            service.url("/samples"), #"{"samples":["# + samples.joined(separator: ",") + "]}")
        #expect(response.bodyText == #"{"accepted":9}"#)
        let registry = service.service.registry
        let a = try registry.recentSamples(for: "a", limit: 10)
        #expect(a.map(\.value) == [8, 6, 4, 0])
        #expect(
            a.map(\.timestamp) == [
                1_764_393_601_008, 1_764_393_601_006, 1_764_393_601_004, 1_764_393_601_000,
            ])
        let b = try registry.recentSamples(for: "b", limit: 10)
        #expect(b.map(\.value) == [7, 3, 1])
        #expect(Set(b.map(\.timestamp)).count == 1)
        #expect(try registry.recentSamples(for: "c", limit: 10).map(\.value) == [5, 2])
    }

    @Test("an empty batch is accepted and records nothing")
    func emptyBatch() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let response = try service.client.postJSON(service.url("/samples"), #"{"samples":[]}"#)
        #expect(response.status == 200)
        #expect(response.bodyText == #"{"accepted":0}"#)
        #expect(service.service.registry.metricCount == 0)
    }

    @Test("a batch with one bad sample records nothing and names the first bad one")
    func allOrNothing() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        #expect(try client.postJSON(service.url("/samples"), #"{"metric":"kept","value":1}"#).status == 200)
        let body =
            #"{"samples":[{"metric":"kept","value":2},{"metric":"fresh","value":3},{"metric":"kept","value":4},"#
            + #"{"metric":"kept","value":"12"},{"metric":"kept","value":null}]}"#
        let response = try client.postJSON(service.url("/samples"), body)
        expectAPIError(
            response, status: 400, code: "invalid_request",
            message: "samples[3].value: must be a finite number, got string.")
        let registry = service.service.registry
        #expect(registry.summary(for: "kept")?.count == 1)
        #expect(registry.summary(for: "fresh") == nil)
        #expect(registry.totalRecorded == 1)
    }

    @Test("10,000 samples are one batch; 10,001 are refused with 400 and nothing recorded")
    func batchLimit() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let full = SampleJSON.batch((0..<10_000).map { ("big", Double($0), nil) })
        let accepted = try client.postJSON(service.url("/samples"), full)
        #expect(accepted.status == 200)
        #expect(accepted.bodyText == #"{"accepted":10000}"#)
        let over = SampleJSON.batch((0..<10_001).map { ("big", Double($0), nil) })
        let refused = try client.postJSON(service.url("/samples"), over)
        expectAPIError(
            refused, status: 400, code: "invalid_request",
            message: "samples: holds 10001 samples, more than the limit of 10000 per batch.")
        #expect(service.service.registry.totalRecorded == 10_000)
    }

    @Test(
        "each kind of bad sample is a 400 that names the field and the rule",
        arguments: [
            (#"{"value":1}"#, "metric: is required and must be a string."),
            (#"{"metric":7,"value":1}"#, "metric: must be a string, got number."),
            (
                #"{"metric":"has space","value":1}"#,
                #"metric: metric name "has space" is invalid: it must be 1 to 128 characters"#
            ),
            (#"{"metric":"","value":1}"#, #"metric: metric name "" is invalid"#),
            (#"{"metric":"a"}"#, "value: is required and must be a finite number."),
            (#"{"metric":"a","value":null}"#, "value: is required and must be a finite number."),
            (#"{"metric":"a","value":"NaN"}"#, "value: must be a finite number, got string."),
            (#"{"metric":"a","value":true}"#, "value: must be a finite number, got boolean."),
            (
                #"{"metric":"a","value":1,"timestamp":"now"}"#,
                "timestamp: must be a finite number, got string."
            ),
            (
                #"{"metric":"a","value":1,"timestamp":-1}"#,
                "timestamp: -1 is negative; timestamps are milliseconds since the Unix epoch"
            ),
            (
                #"{"samples":{"metric":"a","value":1}}"#,
                "samples: must be an array of sample objects, got object."
            ),
            (#"{"samples":null}"#, "samples: must be an array of sample objects, got null."),
            (
                #"{"samples":[{"metric":"a","value":1},5]}"#,
                "samples[1]: must be a sample object, got number."
            ),
            (#"[{"metric":"a","value":1}]"#, "The body: must be a sample object"),
            (#"{"samples":[{"metric":"a","value":1},{"metric":"b"}]}"#, "samples[1].value: is required"),
        ])
    func badSamples(body: String, message: String) throws {
        let service = try InProcessService()
        defer { service.stop() }
        let response = try service.client.postJSON(service.url("/samples"), body)
        expectAPIError(response, status: 400, code: "invalid_request", message: message)
        #expect(service.service.registry.metricCount == 0)
    }

    @Test(
        "a Content-Type other than application/json or text/plain gets 415; parameters and letter case are accepted",
        arguments: [
            ("text/csv", 415), ("text/plainx", 415), ("application/x-www-form-urlencoded", 415),
            ("application/jsonx", 415),
            ("application/json-seq", 415), ("application/json; charset=utf-8", 200),
            ("Application/JSON;charset=UTF-8", 200), ("application/json ; charset=utf-8", 200),
        ])
    func contentTypes(contentType: String, status: Int) throws {
        let service = try InProcessService()
        defer { service.stop() }
        let response = try service.client.post(
            service.url("/samples"), body: Array(#"{"metric":"a","value":1}"#.utf8),
            headers: [("Content-Type", contentType)])
        #expect(response.status == status)
        if status == 415 {
            #expect(response.errorCode == "unsupported_media_type")
            #expect(response.errorMessage?.contains("'\(contentType)'") == true)
            #expect(service.service.registry.metricCount == 0)
        }
    }

    @Test("an empty Content-Type gets 415 that quotes it")
    func emptyContentType() throws {
        let service = try InProcessService()
        defer { service.stop() }
        // An empty Content-Type: the field, with nothing in it.
        let response = try service.client.post(
            service.url("/samples"), body: Array(#"{"metric":"a","value":1}"#.utf8),
            headers: [("Content-Type", "")])
        expectAPIError(
            response, status: 415, code: "unsupported_media_type",
            message:
                "The Content-Type is ''; this endpoint accepts application/json (samples) or text/plain (StatsD lines)."
        )
    }

    @Test("a body over the configured limit gets 413 and the server keeps answering")
    func bodyTooLarge() throws {
        let service = try InProcessService { $0.maxBodyBytes = 256 }
        defer { service.stop() }
        let client = service.client
        let body = SampleJSON.batch((0..<40).map { ("a", Double($0), nil) })
        #expect(body.utf8.count > 256)
        let response = try client.postJSON(service.url("/samples"), body)
        expectAPIError(response, status: 413, code: "payload_too_large", message: "256 bytes")
        #expect(service.service.registry.metricCount == 0)
        #expect(
            try service.client.postJSON(service.url("/samples"), #"{"metric":"a","value":1}"#).status == 200)
    }

    @Test("a batch that needs more metrics than the registry holds gets 422 and records nothing")
    func metricLimit() throws {
        let service = try InProcessService { $0.maxMetrics = 2 }
        defer { service.stop() }
        let client = service.client
        #expect(try client.postJSON(service.url("/samples"), #"{"metric":"one","value":1}"#).status == 200)
        let body = SampleJSON.batch([("one", 2, nil), ("two", 3, nil), ("three", 4, nil)])
        let response = try client.postJSON(service.url("/samples"), body)
        expectAPIError(
            response, status: 422, code: "metric_limit_reached",
            message: #"Cannot register metric "three": the limit of 2 metrics is reached."#)
        #expect(service.service.registry.totalRecorded == 1)
        #expect(service.service.registry.summary(for: "one")?.count == 1)
        // All or nothing: "two", which would have fitted alone, is not registered either.
        #expect(service.service.registry.metricCount == 1)
    }

    @Test("GET, PUT and DELETE on /samples get 405 with Allow: POST")
    func wrongMethod() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        for method in ["GET", "PUT", "DELETE"] {
            let response = try client.request(method: method, url: service.url("/samples"))
            #expect(response.status == 405, "\(method)")
            #expect(response.errorCode == "method_not_allowed", "\(method)")
            #expect(response.header("Allow") == "POST", "\(method)")
        }
    }
}

// MARK: - Support shared by the Samples, Metrics, Percentiles and SLOs tests

/// Writes sample bodies for tests.
enum SampleJSON {
    /// `{"samples":[{"metric":…,"value":…,"timestamp":…},…]}`; a nil timestamp is left out.
    static func batch(_ samples: [(metric: String, value: Double, timestamp: Double?)]) -> String {
        let items = samples.map { sample in
            let time = sample.timestamp.map { #","timestamp":\#(number($0))"# } ?? ""
            return #"{"metric":"\#(sample.metric)","value":\#(number(sample.value))\#(time)}"#
        }
        return #"{"samples":["# + items.joined(separator: ",") + "]}"
    }

    /// A finite Double as a JSON number that reads back as the same Double.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}

/// Checks an API error answer: the status, the `error.code`, and that `error.message` contains `message`.
func expectAPIError(
    _ response: CurlResponse, status: Int, code: String, message: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, "\(response.bodyText)", sourceLocation: sourceLocation)
    #expect(response.errorCode == code, "\(response.bodyText)", sourceLocation: sourceLocation)
    #expect(
        response.errorMessage?.contains(message) == true, "\(response.errorMessage ?? response.bodyText)",
        sourceLocation: sourceLocation)
}

extension CurlClient {
    /// `DELETE url`.
    func delete(_ url: String) throws -> CurlResponse { try request(method: "DELETE", url: url) }
}
