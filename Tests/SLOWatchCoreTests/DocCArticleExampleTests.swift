import SLOWatchCore
import SLOWatchCoreTesting
import Testing

/// Runs the code of SLOWatchCore's DocC articles (`Sources/SLOWatchCore/SLOWatchCore.docc/`), so the
/// documented API keeps compiling and does what the articles say. `DocCSnippetTests` checks that each
/// article's block is this code, line for line.
@Suite("DocC articles of SLOWatchCore")
struct DocCArticleExampleTests {
    @Test("EmbeddingSlowatch: register, record, measure, percentiles, an SLO on the bus")
    func embedding() throws {
        // A registry of metrics; each metric keeps its newest `capacity` samples (default 10,000).
        let registry = MetricsRegistry()
        try registry.register(MetricDefinition(name: "checkout.latency", unit: "ms", capacity: 10_000))

        // Record samples (ms). An unknown name is registered on the fly (type latency, unit ms).
        try registry.record("checkout.latency", value: 12.5)
        try registry.record("checkout.latency", value: 48.0, timestamp: 1_764_393_600_000)  // epoch ms

        // Or time a block: the duration goes into the metric, in ms.
        let total = registry.measure("checkout.latency") { (1...1000).reduce(0, +) }

        // Exact percentiles; extra quantiles and a time window are optional.
        let summary = try registry.percentiles(
            for: "checkout.latency", quantiles: [0.75], window: .seconds(60))
        print(summary.count, summary.p50 ?? .nan, summary.value(atQuantile: 0.75) ?? .nan)

        // An SLO checked every 5 s; violations and recoveries go to the event bus.
        let bus = EventBus()
        let subscription = try bus.subscribe(topics: ["perf.slo_violation", "perf.slo_recovered"]) { event in
            print(event.topic, event.sequence, event.payload)
        }
        let slo = try SLODefinition(
            id: "checkout-p95", metric: "checkout.latency", percentile: "p95", threshold: 250)
        let monitor = try SLOMonitor(registry: registry, slos: [slo], publisher: bus)
        monitor.start(interval: .seconds(5))
        monitor.stop()
        subscription.cancel()

        #expect(total == 500_500)
        // The sample stamped 2025-11-29 is outside the last minute; 12.5 and the measured block are in it.
        #expect(summary.count == 2)
        #expect(try registry.percentiles(for: "checkout.latency").count == 3)
    }

    @Test("WallAndMonotonicClocks: a ManualClock ages a sample out of a window")
    func clocks() throws {
        let clock = ManualClock()  // 2025-11-29T05:20:00Z
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        try registry.register(MetricDefinition(name: "checkout.latency", unit: "ms", capacity: 10_000))
        try registry.record("checkout.latency", value: 12.5)  // stamped clock.nowMilliseconds()

        clock.advance(by: .seconds(90))
        let lastMinute = try registry.percentiles(for: "checkout.latency", window: .seconds(60))
        // lastMinute.count == 0: the sample is 90 s old

        #expect(lastMinute.count == 0)
        #expect(try registry.percentiles(for: "checkout.latency").count == 1)
    }

    @Test("TheEventBus: a reader resumes after its last sequence number")
    func resume() throws {
        let bus = EventBus()
        let lastSeen: UInt64 = 0  // e.g. the reader's Last-Event-ID
        let (replay, missed, stream) = try bus.stream(topics: ["perf.slo_violation"], after: lastSeen)
        for event in replay { print("replayed", event.sequence) }
        if missed > 0 { print("\(missed) events left the history before the reader came back") }
        // Live events follow on `stream.events`, from sequence `(replay.last?.sequence ?? lastSeen) + 1` on.
        stream.cancel()

        #expect(replay.isEmpty)
        #expect(missed == 0)
    }

    @Test("HistoryAndBudgets: an Occurrences budget counts good and bad samples at ingest")
    func budget() throws {
        let registry = MetricsRegistry()
        try registry.register(MetricDefinition(name: "checkout.latency", unit: "ms"))
        let budget = try SLOBudget(slo: "checkout-budget", objective: 99.9)
        let slo = try SLODefinition(
            id: "checkout-budget", metric: "checkout.latency", percentile: "p99", threshold: 250,
            budget: budget)
        let monitor = try SLOMonitor(registry: registry, slos: [slo], budgetSource: registry)

        for value in [120.0, 180.0, 900.0] {
            try registry.record("checkout.latency", value: value)
        }
        monitor.checkAll()
        let status = monitor.status(id: "checkout-budget")?.budget
        print(status?.total ?? 0, status?.bad ?? 0)  // 3 1

        #expect(status?.total == 3)
        #expect(status?.bad == 1)
    }
}
