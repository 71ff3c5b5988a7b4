import Dispatch
import Testing

@testable import SLOWatchCore

@Suite("Budget counters: lifetime, memory and concurrency")
struct BudgetCounterLifetimeTests {
    static let start = BudgetCounterTests.start
    static let spec = BudgetCounterSpec(sloID: "slo", metric: "api", threshold: 50, direction: .above)

    static func counts(_ registry: MetricsRegistry, _ id: String = "slo") -> BudgetCounts? {
        registry.budgetCounts(sloID: id, fromMilliseconds: start, toMilliseconds: start + 86_400_000)
    }

    @Test("a counter started before its metric exists counts from auto-registration on")
    func startsBeforeTheMetricExists() throws {
        let registry = MetricsRegistry()
        try registry.tryStartCounting(Self.spec)
        #expect(registry.definition(for: "api") == nil)
        try registry.record("api", value: 10, timestamp: Self.start + 1)
        try registry.record("api", value: 90, timestamp: Self.start + 2)
        let counts = try #require(Self.counts(registry))
        #expect(counts.goodEvents == 1 && counts.totalEvents == 2)
    }

    @Test("batches, explicit registration and a handle all count")
    func everyRecordPathCounts() throws {
        let registry = MetricsRegistry()
        try registry.register(MetricDefinition(name: "api", type: .latency, unit: "ms", capacity: 10))
        try registry.tryStartCounting(Self.spec)
        let handles = try registry.handles(for: ["api"])
        let batch = [
            RecentSample(value: 1, timestamp: Self.start), RecentSample(value: 51, timestamp: Self.start),
        ]
        try batch.withUnsafeBufferPointer { try registry.record(handles[0], samples: $0) }
        try registry.record(handles[0], value: 50, timestamp: Self.start + 20_000)
        let counts = try #require(Self.counts(registry))
        #expect(counts.goodEvents == 2 && counts.totalEvents == 3)
    }

    @Test("unregistering keeps the counts, registering again re-attaches, upsert and resizing keep counting")
    func survivesUnregisterAndUpsert() throws {
        let registry = MetricsRegistry()
        try registry.tryStartCounting(Self.spec)
        try registry.record("api", value: 1, timestamp: Self.start)
        try registry.unregister("api")
        #expect(Self.counts(registry)?.totalEvents == 1)
        try registry.register(MetricDefinition(name: "api", type: .latency, unit: "ms", capacity: 4))
        try registry.record("api", value: 99, timestamp: Self.start + 1)
        #expect(Self.counts(registry)?.totalEvents == 2)
        for index in 0..<4 { try registry.record("api", value: 1, timestamp: Self.start + 2 + Double(index)) }
        // A capacity change copies in chunks of one sample; samples recorded between chunks are counted.
        var between = 0
        try registry.upsert(
            MetricDefinition(name: "api", type: .latency, unit: "ms", capacity: 64), chunkSamples: 1,
            betweenChunks: {
                // A few only: a copy of one sample per chunk never catches up with one write per chunk.
                guard between < 3 else { return }
                between += 1
                try? registry.record("api", value: 1, timestamp: Self.start + 100)
            })
        #expect(between > 0)
        try registry.record("api", value: 1, timestamp: Self.start + 200)
        let counts = try #require(Self.counts(registry))
        #expect(counts.totalEvents == UInt64(2 + 4 + between + 1))
        #expect(counts.goodEvents == counts.totalEvents - 1)
    }

    @Test("an identical start keeps the counts; a changed spec restarts them; stop frees them")
    func restartAndStop() throws {
        let registry = MetricsRegistry()
        try registry.tryStartCounting(Self.spec)
        try registry.record("api", value: 1, timestamp: Self.start)
        #expect(registry.startCounting(Self.spec) == Int64(Self.start))
        #expect(Self.counts(registry)?.totalEvents == 1)
        let changed = BudgetCounterSpec(sloID: "slo", metric: "api", threshold: 5, direction: .above)
        registry.startCounting(changed)
        #expect(Self.counts(registry)?.totalEvents == 0)
        try registry.record("api", value: 1, timestamp: Self.start + 60_000)
        #expect(Self.counts(registry)?.exactSinceMilliseconds == Int64(Self.start) + 60_000)
        let bytes = registry.memory.reservedByPurpose["budgetCounters"]
        #expect(bytes == 5_880 * 16 + 512)
        registry.stopCounting(sloID: "slo")
        #expect(Self.counts(registry) == nil)
        #expect(registry.memory.reservedByPurpose["budgetCounters"] == nil)
        registry.stopCounting(sloID: "unknown")
    }

    @Test("a start that does not fit the memory budget throws, naming the SLO, and starts nothing")
    func refusedWhenOverTheMemoryBudget() throws {
        var configuration = MetricsRegistry.Configuration(memoryBudget: 200_000)
        configuration.historyMemoryBytes = 0
        let registry = MetricsRegistry(configuration: configuration)
        try registry.tryStartCounting(Self.spec)
        let second = BudgetCounterSpec(sloID: "second", metric: "api", threshold: 5, direction: .below)
        do {
            try registry.tryStartCounting(second)
            Issue.record("a counter past the memory budget was started")
        } catch {
            #expect(error.kind == .memoryLimitReached)
            #expect("\(error)".contains("the budget counter of SLO \"second\""))
        }
        #expect(registry.startCounting(second) == .max)
        #expect(Self.counts(registry, "second") == nil)
        #expect(Self.counts(registry) != nil)
    }

    @Test("threads record while counters start, stop and are read: no sample of a running counter is lost")
    func concurrentRecordingStartsStopsAndReads() throws {
        let registry = MetricsRegistry()
        try registry.tryStartCounting(Self.spec)
        let writers = 4
        let perWriter = 20_000
        DispatchQueue.concurrentPerform(iterations: writers + 2) { worker in
            if worker == writers {
                for round in 0..<300 {
                    let other = BudgetCounterSpec(
                        sloID: "other", metric: "api", threshold: Double(round % 3), direction: .above)
                    registry.startCounting(other)
                    if round % 50 == 0 { try? registry.unregister("api") }
                    registry.stopCounting(sloID: round % 2 == 0 ? "other" : "none")
                }
                return
            }
            if worker == writers + 1 {
                for _ in 0..<2_000 { _ = Self.counts(registry) }
                return
            }
            for index in 0..<perWriter {
                try? registry.record("api", value: Double(index % 100), timestamp: Self.start + Double(index))
            }
        }
        let counts = try #require(Self.counts(registry))
        #expect(counts.totalEvents == UInt64(writers * perWriter))
        #expect(counts.goodEvents == UInt64(writers * perWriter / 100 * 51))
    }
}
