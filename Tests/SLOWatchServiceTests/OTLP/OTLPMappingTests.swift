import Foundation
import SLOWatchCoreTesting
import SLOWatchProtobuf
import Testing

@testable import SLOWatchService

/// `POST /v1/metrics`: how each kind of OTLP data point lands in slowatch, through the in-process router.
@Suite("OTLP ingest: mapping of data points")
struct OTLPMappingTests {
    typealias R = OTLPRequests

    @Test("Gauge points become samples at their time; the answer is an empty ExportMetricsServiceResponse")
    func gaugePointsAreSamples() throws {
        let clock = ManualClock()
        let test = try InProcessService(wallClock: clock)
        let at = UInt64(clock.nowMilliseconds()) - 5_000
        let body = try R.bytes(R.request([R.gauge("cpu.temp", [40, 50, 60], timeMilliseconds: at)]))
        let answer = try test.client.post("/v1/metrics", body: body, headers: R.protobuf)
        #expect(answer.status == 200)
        #expect(answer.header("Content-Type") == "application/x-protobuf")
        #expect(try R.response(answer).hasPartialSuccess == false)
        let samples = try test.client.get("/metrics/cpu.temp/samples").bodyText
        #expect(samples.contains("\(at)"), "\(samples)")
        let percentiles = try test.client.get("/metrics/cpu.temp/percentiles").json()
        #expect(percentiles["count"] as? Int == 3)
        #expect(percentiles["p50"] as? Double == 50)
    }

    @Test(
        "an ExponentialHistogram point merges into history: count, min and max exact, quantiles in a bucket")
    func exponentialPointMergesIntoHistory() throws {
        let test = try InProcessService()
        // Scale 3: bucket 26 holds (2^(26/8), 2^(27/8)] = (9.51, 10.37]; 5 samples there and 5 at scale 3
        // bucket 53 ((98.7, 107.6]).
        var counts = [UInt64](repeating: 0, count: 28)
        counts[0] = 5
        counts[27] = 5
        let metric = R.exponential(
            "rpc.latency", scale: 3, offset: 26, counts: counts, sum: 520, min: 10, max: 100)
        let answer = try test.client.post(
            "/v1/metrics", body: try R.bytes(R.request([metric])), headers: R.protobuf)
        #expect(answer.status == 200)
        #expect(try R.historyCount(test.client, "rpc.latency") == 10)
        let history = try test.client.get("/metrics/rpc.latency/history?range=1h&step=1h&q=0.25,0.75")
            .bodyText
        #expect(history.contains(#""min":10"#) && history.contains(#""max":100"#), "\(history)")
    }

    @Test("a scale finer than 8 is downscaled exactly; a scale below 0 is refused with the reason")
    func scalesOutsideTheHistoryRange() throws {
        let test = try InProcessService()
        let fine = R.exponential("fine", scale: 12, offset: 4096 * 3, counts: [2, 0, 1])
        let coarse = R.exponential("coarse", scale: -1, offset: 1, counts: [1])
        let answer = try test.client.post(
            "/v1/metrics", body: try R.bytes(R.request([fine, coarse])), headers: R.protobuf)
        #expect(answer.status == 200)
        let partial = try R.response(answer).partialSuccess
        #expect(partial.rejectedDataPoints == 1)
        #expect(partial.errorMessage.contains("\"coarse\"") && partial.errorMessage.contains("scale -1"))
        #expect(try R.historyCount(test.client, "fine") == 3)
    }

    @Test("cumulative histogram points are differenced per stream; a new start time is a reset counted whole")
    func cumulativePointsAreDifferenced() throws {
        let clock = ManualClock()
        let test = try InProcessService(wallClock: clock)
        let start = UInt64(clock.nowMilliseconds())
        func post(_ counts: [UInt64], start: UInt64) throws {
            let metric = R.exponential(
                "db.query", scale: 4, offset: 60, counts: counts, temporality: .cumulative,
                startMilliseconds: start)
            let answer = try test.client.post(
                "/v1/metrics", body: try R.bytes(R.request([metric])), headers: R.protobuf)
            #expect(answer.status == 200)
        }
        try post([4, 6], start: start)  // first reading of a series begun after slowatch: 10, whole
        #expect(try R.historyCount(test.client, "db.query") == 10)
        try post([5, 9], start: start)  // +4
        #expect(try R.historyCount(test.client, "db.query") == 14)
        try post([5, 9], start: start)  // nothing new
        #expect(try R.historyCount(test.client, "db.query") == 14)
        try post([1, 2], start: start + 1)  // reset: whole
        #expect(try R.historyCount(test.client, "db.query") == 17)
        try post([0, 1], start: start + 1)  // a bucket went down: reset, whole
        #expect(try R.historyCount(test.client, "db.query") == 18)
        // A series begun before slowatch started: its first reading is only the baseline.
        let old = R.exponential(
            "old.series", scale: 4, offset: 60, counts: [7], temporality: .cumulative,
            startMilliseconds: start - 60_000)
        _ = try test.client.post("/v1/metrics", body: try R.bytes(R.request([old])), headers: R.protobuf)
        #expect(try R.historyCount(test.client, "old.series") == 0)
    }

    @Test(
        "histogram points for closed slices (recent and an hour old) and one too old land where history keeps them"
    )
    func lateHistogramPoints() throws {
        let clock = ManualClock()
        let test = try InProcessService(wallClock: clock)
        let now = UInt64(clock.nowMilliseconds())
        func post(_ name: String, at time: UInt64, count: UInt64) throws {
            let metric = R.exponential(name, scale: 6, offset: 300, counts: [count], timeMilliseconds: time)
            let answer = try test.client.post(
                "/v1/metrics", body: try R.bytes(R.request([metric])), headers: R.protobuf)
            #expect(answer.status == 200)
        }
        try post("late", at: now, count: 2)  // the open slice
        try post("late", at: now - 30_000, count: 3)  // a recently closed slice: its delta
        try post("late", at: now - 50 * 60_000, count: 4)  // an older closed slice of the finest tier
        #expect(try R.historyCount(test.client, "late") == 9)
        // Older than the coarsest tier keeps (35 days): counted as late, not in history.
        try post("late", at: now - 40 * 86_400_000, count: 5)
        #expect(try R.historyCount(test.client, "late") == 9)
        #expect(test.service.registry.historyCounters(for: "late")?.late == 5)
    }

    @Test("an explicit-bucket Histogram point counts each bucket at its upper bound, the last at max")
    func explicitHistogramRule() throws {
        let test = try InProcessService()
        var point = Opentelemetry_Proto_Metrics_V1_HistogramDataPoint()
        point.explicitBounds = [10, 20, 50]
        point.bucketCounts = [1, 2, 0, 3]
        point.count = 6
        point.max = 80
        var metric = Opentelemetry_Proto_Metrics_V1_Metric()
        metric.name = "classic"
        metric.histogram.aggregationTemporality = .delta
        metric.histogram.dataPoints = [point]
        var bad = point
        bad.count = 7
        var badMetric = metric
        badMetric.name = "classic.bad"
        badMetric.histogram.dataPoints = [bad]
        let answer = try test.client.post(
            "/v1/metrics", body: try R.bytes(R.request([metric, badMetric])), headers: R.protobuf)
        let partial = try R.response(answer).partialSuccess
        #expect(partial.rejectedDataPoints == 1)
        #expect(
            partial.errorMessage.contains("count 7 is not the sum of its bucket_counts, 6"),
            "\(partial.errorMessage)")
        #expect(try R.historyCount(test.client, "classic") == 6)
        let history = try test.client.get("/metrics/classic/history?range=1h&step=1h").bodyText
        #expect(history.contains(#""min":10"#) && history.contains(#""max":80"#), "\(history)")
    }

    @Test("Sum and Summary points are rejected and counted in partial_success with the reason")
    func sumAndSummaryAreRejected() throws {
        let test = try InProcessService()
        var summary = Opentelemetry_Proto_Metrics_V1_Metric()
        summary.name = "old.summary"
        summary.summary.dataPoints = [.init(), .init()]
        let body = try R.bytes(R.request([R.sum("requests", points: 3), summary, R.gauge("ok", [1])]))
        let answer = try test.client.post("/v1/metrics", body: body, headers: R.protobuf)
        #expect(answer.status == 200)
        let partial = try R.response(answer).partialSuccess
        #expect(partial.rejectedDataPoints == 5)
        #expect(partial.errorMessage.hasPrefix("5 data points were rejected: "))
        #expect(partial.errorMessage.contains("metric \"requests\" is a Sum"))
        #expect(partial.errorMessage.contains("metric \"old.summary\" is a Summary"))
        #expect(try test.client.get("/metrics/ok/percentiles").json()["count"] as? Int == 1)
    }

    @Test("configured attribute values are appended to the name; a name breaking the rule rejects the point")
    func namesFromAttributes() throws {
        let test = try InProcessService { $0.otlpNameAttributes = ["http.route", "region"] }
        let routed = R.gauge("http.latency", [7], attributes: [R.attribute("http.route", "checkout")])
        let slashed = R.gauge("http.latency", [8], attributes: [R.attribute("http.route", "/api/items")])
        let body = try R.bytes(R.request([routed, slashed], resource: [R.attribute("region", "eu")]))
        let answer = try test.client.post("/v1/metrics", body: body, headers: R.protobuf)
        let partial = try R.response(answer).partialSuccess
        #expect(partial.rejectedDataPoints == 1)
        #expect(
            partial.errorMessage.contains(#"the metric name "http.latency./api/items.eu""#)
                && partial.errorMessage.contains("breaks slowatch's rule"), "\(partial.errorMessage)")
        #expect(
            try test.client.get("/metrics/http.latency.checkout.eu/percentiles").json()["count"] as? Int == 1)
    }
}
