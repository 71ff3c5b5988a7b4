import Foundation
import SLOWatchProtobuf
import SwiftProtobuf
import TestCurlClient

/// Builds OTLP export requests for the tests, and reads their answers.
enum OTLPRequests {
    typealias Request = Opentelemetry_Proto_Collector_Metrics_V1_ExportMetricsServiceRequest
    typealias Metric = Opentelemetry_Proto_Metrics_V1_Metric
    typealias KeyValue = Opentelemetry_Proto_Common_V1_KeyValue

    /// A string attribute.
    static func attribute(_ key: String, _ value: String) -> KeyValue {
        var pair = KeyValue()
        pair.key = key
        pair.value.stringValue = value
        return pair
    }

    /// A request holding `metrics` under one resource with `resource` attributes.
    static func request(_ metrics: [Metric], resource: [KeyValue] = []) -> Request {
        var scope = Opentelemetry_Proto_Metrics_V1_ScopeMetrics()
        scope.scope.name = "test"
        scope.metrics = metrics
        var resourceMetrics = Opentelemetry_Proto_Metrics_V1_ResourceMetrics()
        resourceMetrics.resource.attributes = resource
        resourceMetrics.scopeMetrics = [scope]
        var request = Request()
        request.resourceMetrics = [resourceMetrics]
        return request
    }

    /// A Gauge metric with one point per value, each at `timeMilliseconds` (0: none).
    static func gauge(
        _ name: String, _ values: [Double], timeMilliseconds: UInt64 = 0, attributes: [KeyValue] = []
    )
        -> Metric
    {
        var metric = Metric()
        metric.name = name
        metric.gauge.dataPoints = values.map { value in
            var point = Opentelemetry_Proto_Metrics_V1_NumberDataPoint()
            point.asDouble = value
            point.timeUnixNano = timeMilliseconds * 1_000_000
            point.attributes = attributes
            return point
        }
        return metric
    }

    /// An ExponentialHistogram metric with one point.
    static func exponential(
        _ name: String, scale: Int32, zeroCount: UInt64 = 0, offset: Int32, counts: [UInt64],
        temporality: Opentelemetry_Proto_Metrics_V1_AggregationTemporality = .delta,
        startMilliseconds: UInt64 = 0,
        timeMilliseconds: UInt64 = 0, sum: Double? = nil, min: Double? = nil, max: Double? = nil
    ) -> Metric {
        var point = Opentelemetry_Proto_Metrics_V1_ExponentialHistogramDataPoint()
        point.scale = scale
        point.zeroCount = zeroCount
        point.positive.offset = offset
        point.positive.bucketCounts = counts
        point.count = counts.reduce(zeroCount, +)
        point.startTimeUnixNano = startMilliseconds * 1_000_000
        point.timeUnixNano = timeMilliseconds * 1_000_000
        if let sum { point.sum = sum }
        if let min { point.min = min }
        if let max { point.max = max }
        var metric = Metric()
        metric.name = name
        metric.exponentialHistogram.aggregationTemporality = temporality
        metric.exponentialHistogram.dataPoints = [point]
        return metric
    }

    /// A Sum metric with `points` points.
    static func sum(_ name: String, points: Int) -> Metric {
        var metric = Metric()
        metric.name = name
        metric.sum.dataPoints = (0..<points).map { _ in
            var point = Opentelemetry_Proto_Metrics_V1_NumberDataPoint()
            point.asInt = 1
            return point
        }
        return metric
    }

    /// The binary protobuf of `request`.
    static func bytes(_ request: Request) throws -> [UInt8] { try request.serializedBytes() }

    /// The decoded `ExportMetricsServiceResponse` of a binary answer.
    static func response(_ answer: CurlResponse) throws
        -> Opentelemetry_Proto_Collector_Metrics_V1_ExportMetricsServiceResponse
    {
        try .init(serializedBytes: answer.body)
    }

    /// The headers of a binary protobuf request.
    static let protobuf = [("Content-Type", "application/x-protobuf")]

    /// The count of a metric's history over the last hour (the sum of its points' counts).
    static func historyCount(_ client: InProcessClient, _ name: String) throws -> Int {
        let answer = try client.get("/metrics/\(name)/history?range=1h&step=1h")
        let object = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]
        let points = object?["points"] as? [[String: Any]] ?? []
        return points.reduce(0) { $0 + ($1["count"] as? Int ?? 0) }
    }
}
