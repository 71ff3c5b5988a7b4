import SLOWatchCoreTesting
import Testing

@testable import SLOWatchCore

@Suite("Budget counters: exact counts at ingest against the test's own reference")
struct BudgetCounterTests {
    /// 2026-09-01T00:00:00Z, in ms; every sample of these tests lies after it, before the wall clock.
    static let start = 1_788_220_800_000.0

    /// Windows asked for, in ms back from the newest sample: 5 min … 30 days.
    static let windows: [Double] = [
        300_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 86_400_000, 3 * 86_400_000, 30 * 86_400_000,
    ]

    static func registry() -> MetricsRegistry {
        MetricsRegistry(configuration: .init(defaultCapacity: 1_000))
    }

    @Test(
        "Occurrences: good and total per window equal the test's count, thresholds on and between values",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"),
        arguments: [(50.0, SLODirection.above), (49.5, .above), (50, .below), (49.5, .below), (0, .above)])
    func occurrencesMatchTheReference(threshold: Double, direction: SLODirection) throws {
        let registry = Self.registry()
        let spec = BudgetCounterSpec(sloID: "slo", metric: "api", threshold: threshold, direction: direction)
        try registry.tryStartCounting(spec)
        let samples = BudgetReference.traffic(start: Self.start, days: 4, seed: 16)
        for sample in samples { try registry.record("api", value: sample.value, timestamp: sample.timestamp) }
        let reference = BudgetReference(samples: samples)
        let newest = samples.map(\.timestamp).max() ?? 0
        for window in Self.windows {
            let asked = (from: newest - window, to: newest + 1)
            let counts = try #require(
                registry.budgetCounts(sloID: "slo", fromMilliseconds: asked.from, toMilliseconds: asked.to))
            let expected = reference.occurrences(
                threshold: threshold, direction: direction, from: counts.fromMilliseconds,
                to: counts.toMilliseconds)
            #expect(counts.goodEvents == expected.good, "window \(window) ms")
            #expect(counts.totalEvents == expected.total, "window \(window) ms")
            #expect(Double(counts.fromMilliseconds) <= max(asked.from, Double(counts.fromMilliseconds)))
            #expect(Double(counts.toMilliseconds) >= asked.to)
            #expect(counts.lateEvents == 0)
        }
        // Random spans, so coarser slices are read between ragged ends at every tier.
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<40 {
            let from = Double.random(in: (newest - 5 * 86_400_000)...newest, using: &generator)
            let to = Double.random(in: from...(newest + 60_000), using: &generator)
            let counts = try #require(
                registry.budgetCounts(sloID: "slo", fromMilliseconds: from, toMilliseconds: to))
            let expected = reference.occurrences(
                threshold: threshold, direction: direction, from: counts.fromMilliseconds,
                to: counts.toMilliseconds)
            #expect(
                counts.goodEvents == expected.good && counts.totalEvents == expected.total, "\(from)..<\(to)")
        }
        // A window wholly in the past, read from the 1-minute tier.
        let past = try #require(
            registry.budgetCounts(
                sloID: "slo", fromMilliseconds: newest - 2 * 86_400_000 + 1_234,
                toMilliseconds: newest - 86_400_000 + 5_678))
        #expect(past.fromMilliseconds % 60_000 == 0 && past.toMilliseconds % 60_000 == 0)
        let expected = reference.occurrences(
            threshold: threshold, direction: direction, from: past.fromMilliseconds, to: past.toMilliseconds)
        #expect(past.goodEvents == expected.good && past.totalEvents == expected.total)
        #expect(expected.total > 10_000)
    }

    @Test(
        "Timeslices: good and bad slices equal a reference that sorts each slice and takes the nearest rank",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"),
        arguments: [(50.0, SLODirection.above), (49.5, .below), (60, .above)])
    func timeslicesMatchTheReference(threshold: Double, direction: SLODirection) throws {
        let registry = Self.registry()
        let rule = TimesliceRule(quantile: 0.75, sliceMilliseconds: 60_000, minSamples: 5)
        try registry.tryStartCounting(
            BudgetCounterSpec(
                sloID: "slices", metric: "api", threshold: threshold, direction: direction, timeslice: rule))
        // Late samples stay within 30 min, so every re-judgement happens while the 10 s tier keeps the slice.
        let samples = BudgetReference.traffic(
            start: Self.start, days: 3, seed: 7, lateEvery: 10, maxLag: 1_800_000)
        for sample in samples { try registry.record("api", value: sample.value, timestamp: sample.timestamp) }
        let reference = BudgetReference(samples: samples)
        let newest = samples.map(\.timestamp).max() ?? 0
        let closedBy = Int64((newest / 60_000).rounded(.down)) * 60_000
        var judged: UInt64 = 0
        for window in Self.windows {
            for asked in [(newest - window, newest + 1), (newest - window, newest + 120_000)] {
                let counts = try #require(
                    registry.budgetCounts(sloID: "slices", fromMilliseconds: asked.0, toMilliseconds: asked.1)
                )
                let expected = reference.timeslices(
                    threshold: threshold, direction: direction, quantile: 0.75, slice: 60_000, minSamples: 5,
                    from: counts.fromMilliseconds, to: counts.toMilliseconds,
                    askedTo: Int64(asked.1.rounded(.up)), closedBy: closedBy)
                #expect(counts.goodSlices == expected.good, "window \(window) ms to \(asked.1)")
                #expect(counts.badSlices == expected.bad, "window \(window) ms to \(asked.1)")
                judged = max(judged, counts.goodSlices + counts.badSlices)
            }
        }
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<20 {
            let from = Double.random(in: (newest - 4 * 86_400_000)...newest, using: &generator)
            let to = Double.random(in: from...(newest + 60_000), using: &generator)
            let counts = try #require(
                registry.budgetCounts(sloID: "slices", fromMilliseconds: from, toMilliseconds: to))
            let expected = reference.timeslices(
                threshold: threshold, direction: direction, quantile: 0.75, slice: 60_000, minSamples: 5,
                from: counts.fromMilliseconds, to: counts.toMilliseconds, askedTo: Int64(to.rounded(.up)),
                closedBy: closedBy)
            #expect(counts.goodSlices == expected.good && counts.badSlices == expected.bad, "\(from)..<\(to)")
        }
        #expect(judged > 2_000)
    }

    @Test(
        "every closed coarser slice equals the sum of its finer slices",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func coarserSlicesAreSumsOfFinerOnes() throws {
        let registry = Self.registry()
        try registry.tryStartCounting(
            BudgetCounterSpec(sloID: "s", metric: "api", threshold: 50, direction: .above))
        let samples = BudgetReference.traffic(start: Self.start, days: 3, seed: 3)
        for sample in samples { try registry.record("api", value: sample.value, timestamp: sample.timestamp) }
        let counter = try #require(registry.budgetCounter(sloID: "s"))
        var compared = 0
        for tier in 1..<counter.tiers.count {
            let ratio = counter.tiers[tier].ratio / counter.tiers[tier - 1].ratio
            var finer: [Int64: (good: UInt64, total: UInt64)] = [:]
            for slice in counter.storedSlices(tier: tier - 1) {
                finer[slice.index] = (slice.good, slice.total)
            }
            for slice in counter.storedSlices(tier: tier) {
                let children = (0..<ratio).map { slice.index * ratio + $0 }
                guard children.allSatisfy({ finer[$0] != nil }) else { continue }
                let sums = children.reduce((good: UInt64(0), total: UInt64(0))) {
                    ($0.good + finer[$1]!.good, $0.total + finer[$1]!.total)
                }
                #expect(
                    slice.good == sums.good && slice.total == sums.total, "tier \(tier) slice \(slice.index)")
                compared += slice.total > 0 ? 1 : 0
            }
        }
        #expect(compared > 100)
    }

    @Test("a sample older than every tier's retention is not counted, only counted as late")
    func samplesBeyondRetentionAreCountedAsLate() throws {
        let registry = Self.registry()
        try registry.tryStartCounting(
            BudgetCounterSpec(sloID: "s", metric: "api", threshold: 50, direction: .above))
        let newest = Self.start + 40 * 86_400_000
        try registry.record("api", value: 1, timestamp: newest)
        try registry.record("api", value: 1, timestamp: newest - 36 * 86_400_000)  // past 35 days
        try registry.record("api", value: 99, timestamp: newest - 34 * 86_400_000)  // hour tier keeps it
        try registry.record("api", value: 1, timestamp: newest - 3_600_000)  // late, 10 s tier keeps it
        let counts = try #require(
            registry.budgetCounts(
                sloID: "s", fromMilliseconds: newest - 35 * 86_400_000, toMilliseconds: newest + 1))
        #expect(counts.totalEvents == 3 && counts.goodEvents == 2 && counts.lateEvents == 1)
        let recent = try #require(
            registry.budgetCounts(
                sloID: "s", fromMilliseconds: newest - 7_200_000, toMilliseconds: newest + 1))
        #expect(recent.totalEvents == 2 && recent.fromMilliseconds % 10_000 == 0)
    }

    @Test("exactSince is the start of the first sample's 10 s slice; before any, of the start's slice")
    func exactSinceStartsAtTheFirstCountedSlice() throws {
        let registry = Self.registry()
        let spec = BudgetCounterSpec(sloID: "s", metric: "api", threshold: 50, direction: .above)
        let before = try registry.tryStartCounting(spec)
        #expect(before % 10_000 == 0)
        try registry.record("api", value: 1, timestamp: Self.start + 12_345)
        let counts = try #require(
            registry.budgetCounts(sloID: "s", fromMilliseconds: 0, toMilliseconds: .infinity))
        #expect(counts.exactSinceMilliseconds == Int64(Self.start) + 10_000)
        #expect(registry.startCounting(spec) == Int64(Self.start) + 10_000)
    }
}
