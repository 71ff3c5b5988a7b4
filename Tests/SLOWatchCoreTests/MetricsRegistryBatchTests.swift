import Testing

@testable import SLOWatchCore

/// Recording a run of samples under one lock, and the rendered default percentile answer.
@Suite("MetricsRegistry batches and rendered percentiles")
struct MetricsRegistryBatchTests {
    @Test("a run of samples is recorded in order, all of them")
    func runIsRecordedInOrder() throws {
        let registry = MetricsRegistry(configuration: .init(defaultCapacity: 4))
        let handle = try registry.handle(for: "run")
        let samples = (1...6).map { RecentSample(value: Double($0), timestamp: Double(1_000 + $0)) }
        try samples.withUnsafeBufferPointer { try registry.record(handle, samples: $0) }
        let newest = try registry.recentSamples(for: "run", limit: 10)
        #expect(newest.map(\.value) == [6, 5, 4, 3])
        #expect(newest.first?.timestamp == 1_006)
        #expect(registry.totalRecorded == 6)
        #expect(registry.summary(for: "run")?.overflow == 2)
    }

    @Test("a run with a non-finite number records nothing and names the number")
    func nonFiniteRunRecordsNothing() throws {
        let registry = MetricsRegistry()
        let handle = try registry.handle(for: "run")
        let bad = [RecentSample(value: 1, timestamp: 1), RecentSample(value: .infinity, timestamp: 2)]
        #expect(throws: MetricsError.nonFiniteValue(.infinity, metric: "run")) {
            try bad.withUnsafeBufferPointer { try registry.record(handle, samples: $0) }
        }
        let badTime = [RecentSample(value: 1, timestamp: .nan)]
        #expect(throws: MetricsError.self) {
            try badTime.withUnsafeBufferPointer { try registry.record(handle, samples: $0) }
        }
        #expect(registry.summary(for: "run")?.count == 0)
    }

    @Test("a run into an unregistered metric throws unknownMetric and records nothing")
    func runIntoRemovedMetric() throws {
        let registry = MetricsRegistry()
        let handle = try registry.handle(for: "gone")
        try registry.unregister("gone")
        let samples = [RecentSample(value: 1, timestamp: 1)]
        #expect(throws: MetricsError.unknownMetric("gone")) {
            try samples.withUnsafeBufferPointer { try registry.record(handle, samples: $0) }
        }
        #expect(registry.totalRecorded == 0)
    }

    @Test("the rendering is cached until the next write, and renders the current samples")
    func renderingIsCachedUntilAWrite() throws {
        let registry = MetricsRegistry()
        for value in 1...100 { try registry.record("cached", value: Double(value), timestamp: 1) }
        var renders = 0
        let render = { (summary: PercentileSummary, definition: MetricDefinition) -> [UInt8] in
            renders += 1
            return Array("\(definition.unit) n=\(summary.count) p50=\(summary.p50 ?? -1)".utf8)
        }
        let first = try registry.renderedPercentiles(for: "cached", render: render)
        let second = try registry.renderedPercentiles(for: "cached", render: render)
        #expect(String(decoding: first, as: UTF8.self) == "ms n=100 p50=50.0")
        #expect(second == first)
        #expect(renders == 1)
        try registry.record("cached", value: 1_000, timestamp: 2)
        let third = try registry.renderedPercentiles(for: "cached", render: render)
        #expect(String(decoding: third, as: UTF8.self) == "ms n=101 p50=51.0")
        #expect(renders == 2)
    }

    @Test("redefining the metric renders again, with the new unit")
    func redefinitionRendersAgain() throws {
        let registry = MetricsRegistry()
        try registry.record("unit", value: 5, timestamp: 1)
        let render = { (summary: PercentileSummary, definition: MetricDefinition) -> [UInt8] in
            Array("\(definition.unit) \(summary.count)".utf8)
        }
        #expect(
            String(decoding: try registry.renderedPercentiles(for: "unit", render: render), as: UTF8.self)
                == "ms 1")
        _ = try registry.upsert(MetricDefinition(name: "unit", unit: "s"))
        #expect(
            String(decoding: try registry.renderedPercentiles(for: "unit", render: render), as: UTF8.self)
                == "s 1")
    }

    @Test("an unknown metric throws unknownMetric without rendering")
    func unknownMetric() {
        let registry = MetricsRegistry()
        #expect(throws: MetricsError.unknownMetric("nope")) {
            try registry.renderedPercentiles(for: "nope") { _, _ in
                Issue.record("rendered an unknown metric")
                return []
            }
        }
    }
}
