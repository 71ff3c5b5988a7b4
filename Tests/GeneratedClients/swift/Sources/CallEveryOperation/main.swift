// Calls every operation of slowatch's openapi.yaml through the client swift-openapi-generator made from
// it, against a running slowatch, and checks each answer. Exits 1 naming the first operation that
// answered otherwise; prints the count of operations on success.
//
// Usage: CallEveryOperation BASE_URL   (e.g. http://127.0.0.1:8080, a server with no data yet)

import Foundation
import OpenAPIRuntime
import OpenAPIURLSession

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A failed expectation: the operation and what it answered.
struct CallFailure: Error, CustomStringConvertible {
    let description: String
}

func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw CallFailure(description: message()) }
}

/// The nearest-rank quantile `q` of `values`: the ⌈q·n⌉-th smallest.
func nearestRank(_ values: [Double], _ q: Double) -> Double {
    let sorted = values.sorted()
    return sorted[max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1)]
}

/// The operations called, by operationId; the run fails unless it covers every one in the spec.
var called: Set<String> = []

@MainActor
func run(_ client: Client) async throws {
    let name = "gen.swift"
    let values = (1...100).map(Double.init)
    let now = (Date().timeIntervalSince1970 * 1000).rounded(.down)

    // Writes: the metric's definition, then one sample and a batch.
    let put = try await client.putMetric(
        path: .init(name: name), body: .json(.init(unit: "ms", description: "swift client", capacity: 1000)))
    called.insert("putMetric")
    let defined: Components.Schemas.Metric
    switch put {
    case .created(let created): defined = try created.body.json
    case .ok(let ok): defined = try ok.body.json
    default: throw CallFailure(description: "putMetric answered \(put)")
    }
    try expect(defined.name == name && defined.capacity == 1000, "putMetric: \(defined)")

    let one = try await client.postSamples(
        body: .json(.init(value1: .init(metric: name, value: values[0], timestamp: now))))
    try expect(try one.ok.body.json.accepted == 1, "postSamples (one): \(one)")
    let batch = values.dropFirst().enumerated().map { offset, value in
        Components.Schemas.SampleInput(metric: name, value: value, timestamp: now + Double(offset + 1))
    }
    let many = try await client.postSamples(body: .json(.init(value2: .init(samples: batch))))
    try expect(try many.ok.body.json.accepted == 99, "postSamples (batch): \(many)")
    called.insert("postSamples")

    // POST /v1/metrics (OTLP/JSON): a Gauge point is taken as a sample; a Sum point is refused in
    // partialSuccess.
    typealias JSONObject = [String: (any Sendable)?]
    typealias JSONArray = [(any Sendable)?]
    let point: JSONObject = ["asDouble": 7.5, "timeUnixNano": String(Int64(now) * 1_000_000)]
    let gaugeMetric: JSONObject = [
        "name": "swift.otlp", "gauge": ["dataPoints": [point] as JSONArray] as JSONObject,
    ]
    let sumPoint: JSONObject = ["asInt": "3"]
    let sumMetric: JSONObject = [
        "name": "swift.requests",
        "sum": ["dataPoints": [sumPoint] as JSONArray, "aggregationTemporality": 2] as JSONObject,
    ]
    let scope: JSONObject = ["metrics": [gaugeMetric, sumMetric] as JSONArray]
    let resource = try OpenAPIObjectContainer(unvalidatedValue: ["scopeMetrics": [scope] as JSONArray])
    let exported = try await client.postOTLPMetrics(body: .json(.init(resourceMetrics: [resource])))
    let partial = try exported.ok.body.json.partialSuccess
    try expect(
        partial?.rejectedDataPoints == "1" && partial?.errorMessage?.contains("Sum") == true,
        "postOTLPMetrics: \(exported)")
    let otlpMetric = try await client.getMetric(path: .init(name: "swift.otlp")).ok.body.json
    try expect(otlpMetric.count == 1, "getMetric swift.otlp after OTLP: \(otlpMetric)")
    called.insert("postOTLPMetrics")

    // Reads of the metric.
    let list = try await client.listMetrics().ok.body.json
    try expect(list.metrics.contains { $0.name == name }, "listMetrics lacks \(name): \(list)")
    called.insert("listMetrics")
    _ = try await client.headMetrics().ok
    called.insert("headMetrics")
    let metric = try await client.getMetric(path: .init(name: name)).ok.body.json
    try expect(metric.count == 100 && metric.history?.late == 0, "getMetric: \(metric)")
    called.insert("getMetric")
    _ = try await client.headMetric(path: .init(name: name)).ok
    called.insert("headMetric")

    let percentiles = try await client.getPercentiles(path: .init(name: name)).ok.body.json
    try expect(
        percentiles.p50 == nearestRank(values, 0.5) && percentiles.p99 == nearestRank(values, 0.99)
            && percentiles.exact,
        "getPercentiles: \(percentiles)")
    called.insert("getPercentiles")
    _ = try await client.headPercentiles(path: .init(name: name)).ok
    called.insert("headPercentiles")

    let recent = try await client.getRecentSamples(path: .init(name: name), query: .init(limit: 5)).ok.body
        .json
    try expect(
        recent.samples.map(\.value) == Array(values.suffix(5).reversed()), "getRecentSamples: \(recent)")
    called.insert("getRecentSamples")
    _ = try await client.headRecentSamples(path: .init(name: name)).ok
    called.insert("headRecentSamples")

    let history = try await client.getMetricHistory(
        path: .init(name: name), query: .init(range: "1h", step: "1h")
    ).ok.body.json
    let counted = history.points.reduce(0) { $0 + $1.count }
    try expect(counted == 100, "getMetricHistory counts \(counted) samples, not 100: \(history)")
    called.insert("getMetricHistory")
    _ = try await client.headMetricHistory(path: .init(name: name)).ok
    called.insert("headMetricHistory")

    // SLOs: the p50 of 1…100 is 50, above a threshold of 10: a violation.
    let slo = try await client.putSLO(
        path: .init(id: "swift-p50"), body: .json(.init(metric: name, percentile: "p50", threshold: 10)))
    switch slo {
    case .created, .ok: break
    default: throw CallFailure(description: "putSLO answered \(slo)")
    }
    called.insert("putSLO")
    let slos = try await client.listSLOs().ok.body.json
    try expect(slos.slos.contains { $0.id == "swift-p50" }, "listSLOs: \(slos)")
    called.insert("listSLOs")
    _ = try await client.headSLOs().ok
    called.insert("headSLOs")
    var state: Components.Schemas.SLOState?
    for _ in 0..<50 {
        state = try await client.getSLO(path: .init(id: "swift-p50")).ok.body.json.status.state
        if state == .violating { break }
        try await Task.sleep(for: .milliseconds(100))
    }
    try expect(state == .violating, "getSLO: swift-p50 is \(String(describing: state)), not violating")
    called.insert("getSLO")
    _ = try await client.headSLO(path: .init(id: "swift-p50")).ok
    called.insert("headSLO")

    let events = try await client.getViolations(
        query: .init(slo: "swift-p50"), headers: .init(accept: [.init(contentType: .json)])
    ).ok.body.json
    let actuals = events.violations.compactMap { event -> Double? in
        if case .SLOEventPayload(let payload) = event.payload, payload.slo == "swift-p50" {
            return payload.actual
        }
        return nil
    }
    try expect(actuals.first == nearestRank(values, 0.5), "getViolations: \(events)")
    called.insert("getViolations")
    _ = try await client.headViolations().ok
    called.insert("headViolations")

    _ = try await client.deleteSLO(path: .init(id: "swift-p50")).noContent
    try expect(
        (try? await client.getSLO(path: .init(id: "swift-p50")).notFound) != nil, "getSLO after deleteSLO")
    called.insert("deleteSLO")

    // The service routes.
    let page = try await client.getDashboard().ok.body.html
    let html = try await String(collecting: page, upTo: 4 << 20)
    try expect(html.lowercased().contains("<html"), "getDashboard: not an HTML page")
    called.insert("getDashboard")
    _ = try await client.headDashboard().ok
    called.insert("headDashboard")
    let health = try await client.getHealth().ok.body.json
    try expect(health.status == .ok && health.metrics >= 1, "getHealth: \(health)")
    called.insert("getHealth")
    _ = try await client.headHealth().ok
    called.insert("headHealth")
    let spec = try await String(collecting: client.getOpenAPISpec().ok.body.yaml, upTo: 4 << 20)
    try expect(spec.hasPrefix("openapi: 3.1"), "getOpenAPISpec: \(spec.prefix(40))")
    called.insert("getOpenAPISpec")
    _ = try await client.headOpenAPISpec().ok
    called.insert("headOpenAPISpec")

    // Last: the metric goes away.
    _ = try await client.deleteMetric(path: .init(name: name)).noContent
    try expect(
        (try? await client.getMetric(path: .init(name: name)).notFound) != nil, "getMetric after delete")
    called.insert("deleteMetric")
}

let arguments = CommandLine.arguments
guard arguments.count == 2, let serverURL = URL(string: arguments[1]) else {
    print("usage: CallEveryOperation BASE_URL")
    exit(2)
}
do {
    let client = Client(serverURL: serverURL, transport: URLSessionTransport())
    try await run(client)
    // Every operationId of the spec the server serves must have been called.
    let spec = try await String(collecting: client.getOpenAPISpec().ok.body.yaml, upTo: 4 << 20)
    let specified = Set(
        spec.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            return words.count == 2 && words[0] == "operationId:" ? String(words[1]) : nil
        })
    try expect(!specified.isEmpty, "the served spec names no operationId")
    try expect(
        specified == called,
        "operations not called: \(specified.subtracting(called).sorted()); "
            + "called but not in the spec: \(called.subtracting(specified).sorted())")
    print("CallEveryOperation: all \(called.count) operations of the spec answered as expected")
} catch {
    print("CallEveryOperation: FAILED: \(error)")
    exit(1)
}
