import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import Testing

/// Runs the library examples of docs/library.md, so the documented API keeps compiling and working.
@Suite("README example")
struct ReadmeExampleTests {
    @Test func theReadmeLibraryExampleRecordsMeasuresAndReportsPercentiles() throws {
        let clock = ManualClock()
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        try registry.register(MetricDefinition(name: "checkout.latency", unit: "ms", capacity: 10_000))

        try registry.record("checkout.latency", value: 12.5)
        try registry.record("checkout.latency", value: 48.0, timestamp: clock.nowMilliseconds())

        let total = registry.measure("checkout.latency") { (1...1000).reduce(0, +) }
        #expect(total == 500_500)

        let summary = try registry.percentiles(
            for: "checkout.latency", quantiles: [0.75], window: .seconds(60))
        #expect(summary.count == 3)
        #expect(summary.max == 48.0)
        #expect(summary.value(atQuantile: 0.75) == 48.0)

        let bus = EventBus(wallClock: clock)
        let subscription = try bus.subscribe(topics: ["perf.slo_violation", "perf.slo_recovered"]) { event in
            print(event.topic, event.sequence, event.payload)
        }
        let slo = try SLODefinition(
            id: "checkout-p95", metric: "checkout.latency", percentile: "p95", threshold: 25)
        let monitor = try SLOMonitor(registry: registry, slos: [slo], publisher: bus, monotonicClock: clock)
        let events = monitor.checkAll()
        #expect(events.map(\.slo) == ["checkout-p95"])
        #expect(bus.history().map(\.topic) == ["perf.slo_violation"])
        subscription.cancel()
    }

    /// The only test in this process that bootstraps `MetricsSystem`, which can be done once.
    @Test(.timeLimit(.minutes(1)))
    func theEmbeddingExampleGetsAViolationThroughSwiftMetricsWithoutHTTP() async throws {
        try await EmbeddingExample.run()
        #expect(EmbeddingExample.printed == ["perf.slo_violation 1"])
    }

    @Test func theReadmeEmbeddingBlockIsTheCodeTheTestRuns() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("docs/library.md"), encoding: .utf8)
        let example = try String(
            contentsOf: root.appendingPathComponent("Tests/SLOWatchCoreTests/EmbeddingExample.swift"),
            encoding: .utf8)
        let body = try #require(
            Self.text(of: example, from: "// README:begin\n", to: "        // README:end"))
        let code = body.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : String($0) }
            .joined(separator: "\n")
        let imports = "import CoreMetrics\nimport SLOWatchCore\nimport SLOWatchMetrics\n\n"
        let block = try #require(Self.text(of: readme, from: "```swift\n" + imports, to: "```\n"))
        #expect(block == code)
    }

    /// The text between the first `start` and the next `end` after it.
    private static func text(of text: String, from start: String, to end: String) -> String? {
        guard let open = text.range(of: start),
            let close = text.range(of: end, range: open.upperBound..<text.endIndex)
        else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }
}
