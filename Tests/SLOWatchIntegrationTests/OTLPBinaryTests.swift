import Foundation
import TestCurlClient
import Testing

/// Whether the SDK test runs: the Python OpenTelemetry SDK and its OTLP/HTTP exporter are importable (pip
/// installs them when missing), or this is CI, where their absence fails the test rather than skipping it.
private let sdkRuns: Bool =
    ProcessInfo.processInfo.environment["CI"] != nil
    || PythonModules.importable(
        ["opentelemetry.sdk.metrics", "opentelemetry.exporter.otlp.proto.http.metric_exporter"],
        installing: ["opentelemetry-sdk", "opentelemetry-exporter-otlp-proto-http"])

/// `POST /v1/metrics` on the real binary: the worked example of docs/otlp.md, and the real Python
/// OpenTelemetry SDK exporting a gauge and an exponential histogram, with and without gzip.
@Suite("OTLP ingest through the binary")
struct OTLPBinaryTests {
    /// A running binary on a free port.
    static func start() throws -> (port: Int, stop: () -> Void) {
        let slowatch = try SlowatchProcess(["--port", "0"])
        guard let port = slowatch.boundPort() else {
            slowatch.kill()
            throw TestServiceError("slowatch did not start: \(slowatch.standardError)")
        }
        return (port, { slowatch.kill() })
    }

    @Test("the worked example of docs/otlp.md prints what the page shows", .timeLimit(.minutes(1)))
    func docsExample() throws {
        let (port, stop) = try Self.start()
        defer { stop() }
        let code = try ReadmeSnippet.code("otlp").replacingOccurrences(
            of: "127.0.0.1:8080", with: "127.0.0.1:\(port)")
        let result = try SlowatchProcess.run(["-c", code], executablePath: "/bin/sh", timeout: 20)
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == 2, "\(result.standardOutput)")
        #expect(
            lines.first
                == #"{"partialSuccess":{"rejectedDataPoints":"1","errorMessage":"1 data point was rejected: metric \"checkout.requests\" is a Sum, which slowatch does not take (it keeps distributions of values: send a Gauge or a histogram)"}}"#
        )
        let percentiles = String(lines.last ?? "")
        #expect(percentiles.contains(#""metric":"checkout.latency""#) && percentiles.contains(#""count":3"#))
        #expect(percentiles.contains(#""quantiles":{"0.5":30}"#), "\(percentiles)")
    }

    /// The script the SDK test runs: a cumulative exponential histogram of 1 … 100 and an observable gauge
    /// of 7, exported once by `force_flush` and once more (the same cumulative state) by `shutdown`.
    static let sdkScript = """
        import sys
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
        from opentelemetry.sdk.metrics.view import View, ExponentialBucketHistogramAggregation
        from opentelemetry.exporter.otlp.proto.http import Compression
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
        from opentelemetry.metrics import Observation
        endpoint, compression, suffix = sys.argv[1], sys.argv[2], sys.argv[3]
        exporter = OTLPMetricExporter(
            endpoint=endpoint,
            compression=Compression.Gzip if compression == "gzip" else Compression.NoCompression)
        reader = PeriodicExportingMetricReader(exporter, export_interval_millis=3_600_000)
        provider = MeterProvider(
            metric_readers=[reader],
            views=[View(instrument_name="sdk.latency*", aggregation=ExponentialBucketHistogramAggregation())])
        meter = provider.get_meter("slowatch-test")
        histogram = meter.create_histogram("sdk.latency" + suffix, unit="ms")
        for value in range(1, 101):
            histogram.record(float(value))
        meter.create_observable_gauge("sdk.queue" + suffix, callbacks=[lambda options: [Observation(7.0)]])
        if not provider.force_flush():
            sys.exit("force_flush failed")
        provider.shutdown()
        """

    @Test(
        "the Python OpenTelemetry SDK exports a gauge and an exponential histogram, with and without gzip",
        .enabled(
            if: sdkRuns, "python3 -m pip install opentelemetry-sdk opentelemetry-exporter-otlp-proto-http"),
        .timeLimit(.minutes(1)), arguments: ["none", "gzip"])
    func pythonSDK(compression: String) throws {
        let (port, stop) = try Self.start()
        defer { stop() }
        let python = try #require(ExternalTool.path("python3"))
        let suffix = "." + compression
        let result = try SlowatchProcess.run(
            ["-c", Self.sdkScript, "http://127.0.0.1:\(port)/v1/metrics", compression, suffix],
            executablePath: python, timeout: 40)
        #expect(result.status == 0, "\(result.standardError)")
        let client = try CurlClient()
        let gauge = try client.get("http://127.0.0.1:\(port)/metrics/sdk.queue\(suffix)/percentiles").json()
        #expect((gauge["count"] as? Int ?? 0) >= 1, "\(gauge)")
        #expect(gauge["p50"] as? Double == 7)
        let history = try client.get(
            "http://127.0.0.1:\(port)/metrics/sdk.latency\(suffix)/history?range=1h&step=1h&q=0.5,0.9")
        let points = try #require(try history.json()["points"] as? [[String: Any]], "\(history.bodyText)")
        let counted = points.filter { ($0["count"] as? Int ?? 0) > 0 }
        #expect(counted.count == 1, "\(history.bodyText)")
        let point = try #require(counted.first)
        // The second export repeats the cumulative state: differenced to nothing, so 100, not 200.
        #expect(point["count"] as? Int == 100)
        #expect(point["min"] as? Double == 1 && point["max"] as? Double == 100)
        let quantiles = try #require(point["quantiles"] as? [String: Double])
        // Within the scale the SDK chose (≤ 20 buckets per octave here: 2.2 % at scale 4) of 50 and 90.
        let median = try #require(quantiles["0.5"])
        let p90 = try #require(quantiles["0.9"])
        #expect(abs(median - 50) <= 50 * 0.045, "\(quantiles)")
        #expect(abs(p90 - 90) <= 90 * 0.045, "\(quantiles)")
    }
}
