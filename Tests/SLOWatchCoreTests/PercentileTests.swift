import SLOWatchCoreTesting
import Testing

@testable import SLOWatchCore

@Suite("Percentiles")
struct PercentileTests {
    private let clock = ManualClock()

    private func registry(with values: [Double], name: String = "m") throws -> MetricsRegistry {
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        try registry.register(MetricDefinition(name: name, capacity: max(1, values.count)))
        for value in values { try registry.record(name, value: value) }
        return registry
    }

    @Test(arguments: [
        (0.95, 100, 95), (0.07, 100, 7), (0.29, 100, 29), (0.57, 100, 57), (0.58, 100, 58), (0.3, 10, 3),
        (0.1, 10, 1), (0.5, 2, 1), (0.999, 1000, 999), (0.99, 10_000, 9_900), (0.9, 20_000, 18_000),
        (0.6, 5, 3), (1.0 / 3.0, 3, 1), (2.0 / 3.0, 3, 2), (0.7, 10, 7), (0.15, 20, 3),
    ])
    func rankIsExactWhenQuantileTimesCountIsIntegral(q: Double, n: Int, expected: Int) {
        #expect(QuantileSelection.rank(of: q, count: n) == expected)
    }

    @Test func rankRoundsUpNonIntegralProductsAndClampsTheEnds() {
        #expect(QuantileSelection.rank(of: 0.95, count: 101) == 96)  // 95.95
        #expect(QuantileSelection.rank(of: 0.5, count: 3) == 2)  // 1.5
        #expect(QuantileSelection.rank(of: 0.501, count: 100) == 51)  // 50.1
        #expect(QuantileSelection.rank(of: 0, count: 50) == 1)
        #expect(QuantileSelection.rank(of: 1e-9, count: 20_000) == 1)
        #expect(QuantileSelection.rank(of: 1, count: 50) == 50)
        #expect(QuantileSelection.rank(of: 1, count: 1) == 1)
    }

    @Test func standardFieldsFollowNearestRankOnOneToAHundred() throws {
        let registry = try registry(with: (1...100).reversed().map(Double.init))
        let summary = try registry.percentiles(for: "m", quantiles: [0, 0.07, 1, 0.25])
        #expect(summary.count == 100)
        #expect(summary.min == 1 && summary.max == 100 && summary.mean == 50.5 && summary.sum == 5_050)
        #expect(summary.p50 == 50 && summary.p90 == 90 && summary.p95 == 95 && summary.p99 == 99)
        #expect(summary.p999 == 100)
        #expect(
            summary.quantiles == [
                QuantileValue(quantile: 0, value: 1), QuantileValue(quantile: 0.07, value: 7),
                QuantileValue(quantile: 1, value: 100), QuantileValue(quantile: 0.25, value: 25),
            ])
        #expect(summary.value(atQuantile: 0.25) == 25)
        #expect(summary.value(atQuantile: 0.95) == 95)
        #expect(summary.value(atQuantile: 0) == 1)
        #expect(summary.value(atQuantile: 0.33) == nil)
    }

    @Test func noSamplesGiveCountZeroAndNilStatistics() throws {
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        try registry.register(MetricDefinition(name: "empty"))
        let summary = try registry.percentiles(for: "empty", quantiles: [0.3])
        #expect(summary == .empty)
        #expect(summary.p50 == nil && summary.mean == nil && summary.oldestTimestamp == nil)
    }

    @Test func aWindowKeepsOnlySamplesAtOrAfterNowMinusTheWindow() throws {
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        let now = clock.nowMilliseconds()
        for (value, age) in [(100.0, 5_000.0), (1, 1_000), (2, 500), (3, 0), (200, 1_001)] {
            try registry.record("w", value: value, timestamp: now - age)
        }
        let recent = try registry.percentiles(for: "w", windowMilliseconds: 1_000)
        #expect(recent.count == 3)
        #expect(recent.min == 1 && recent.max == 3 && recent.mean == 2)
        #expect(recent.oldestTimestamp == now - 1_000 && recent.newestTimestamp == now)
        let none = try registry.percentiles(for: "w", windowMilliseconds: 0)
        #expect(none.count == 1)
        clock.advance(by: .milliseconds(10))
        #expect(try registry.percentiles(for: "w", windowMilliseconds: 5).count == 0)
        let all = try registry.percentiles(for: "w")
        #expect(all.count == 5 && all.oldestTimestamp == now - 5_000)
    }

    @Test func theCachedSummaryIsReplacedAfterTheNextWrite() throws {
        let registry = try registry(with: [1, 2, 3])
        let first = try registry.percentiles(for: "m")
        #expect(try registry.percentiles(for: "m") == first)
        try registry.record("m", value: 10)
        let second = try registry.percentiles(for: "m")
        #expect(second.count == 3 && second.max == 10 && second.min == 2)
        try registry.upsert(MetricDefinition(name: "m", capacity: 1))
        #expect(try registry.percentiles(for: "m").count == 1)
    }

    @Test func theCachedSummaryNeverOutlivesUnregisterOrReRegistration() throws {
        let registry = try registry(with: [1, 2, 3])
        let cached = try registry.percentiles(for: "m")
        #expect(try registry.percentiles(for: "m") == cached)  // now served from the cache
        try registry.unregister("m")
        try registry.register(MetricDefinition(name: "m"))
        #expect(try registry.percentiles(for: "m") == .empty)
        try registry.record("m", value: 50)
        #expect(try registry.percentiles(for: "m").max == 50)
        // An upsert that changes only the description still gives a fresh answer afterwards.
        _ = try registry.percentiles(for: "m")
        try registry.upsert(MetricDefinition(name: "m", description: "d"))
        try registry.record("m", value: 70)
        let after = try registry.percentiles(for: "m", quantiles: [0.5, 1])
        #expect(after.count == 2 && after.max == 70 && after.quantiles.map(\.value) == [50, 70])
    }

    @Test(arguments: [-0.1, 1.0000001, .nan, .infinity])
    func quantilesOutsideZeroToOneAreRejected(q: Double) throws {
        let registry = try registry(with: [1])
        let error = #expect(throws: MetricsError.self) {
            try registry.percentiles(for: "m", quantiles: [0.5, q])
        }
        #expect(error?.kind == .invalidQuantile)
    }

    @Test(arguments: [-1.0, .nan])
    func negativeOrNaNWindowsAreRejected(window: Double) throws {
        let registry = try registry(with: [1])
        let error = #expect(throws: MetricsError.self) {
            try registry.percentiles(for: "m", windowMilliseconds: window)
        }
        #expect(error?.kind == .invalidWindow)
    }

    @Test func hugeValuesGiveAFiniteMean() throws {
        let registry = try registry(with: [.greatestFiniteMagnitude, .greatestFiniteMagnitude])
        #expect(try registry.percentiles(for: "m").mean == .greatestFiniteMagnitude)
    }

    @Test func selectionSurvivesAdversarialOrders() {
        // Sorted, reversed, all equal and organ-pipe inputs must all give the sorted order at the ranks.
        let size = 5_000
        let inputs: [[Double]] = [
            (0..<size).map(Double.init), (0..<size).reversed().map(Double.init),
            Array(repeating: 7, count: size), (0..<size).map { Double(min($0, size - $0)) },
            (0..<size).map { Double($0 % 2) },
        ]
        for input in inputs {
            var values = input
            let ranks = [0, 1, size / 2, size - 2, size - 1]
            values.withUnsafeMutableBufferPointer { QuantileSelection.select($0, ranks: ranks) }
            let sorted = input.sorted()
            #expect(ranks.map { values[$0] } == ranks.map { sorted[$0] })
        }
    }
}
