import Foundation
import SLOWatchCoreTesting
import Testing

@testable import SLOWatchCore

/// Backfilling a new budget counter from its metric's history (the time before the SLO existed),
/// checked against the test's own counts over the raw samples (``BudgetReference``).
@Suite("Budget counters: backfill from history")
struct BudgetBackfillTests {
    /// The bucket classification against a brute-force count: never more good than there are, short
    /// by at most the samples of the threshold's bucket, and exact when it says so.
    @Test(
        "goodCount never overcounts, misses at most the threshold's bucket, and is exact when it says so",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"),
        arguments: [
            (256.0, SLODirection.above), (256.0, .below), (250.0, .above), (250.0, .below), (0.0, .above),
            (0.0, .below), (-16.0, .above), (-16.0, .below), (-3.7, .above), (1e-300, .below),
        ])
    func goodCountAgainstBruteForce(threshold: Double, direction: SLODirection) {
        var generator = SeededGenerator(seed: 0x5EED_0001)
        let layout = ExponentialBucketLayout.at(scale: 6)
        var histogram = ExponentialHistogram(scale: 6)
        var values: [Double] = [threshold, threshold.nextUp, threshold.nextDown, 0, -0.0]
        for _ in 0..<20_000 {
            let magnitude = Double.random(in: -12...12, using: &generator)
            let sign: Double = Bool.random(using: &generator) ? 1 : -1
            values.append(sign * exp2(magnitude))
        }
        for value in values { histogram.record(value, layout: layout) }
        let isGood = { (value: Double) in !direction.isBreached(actual: value, threshold: threshold) }
        let truth = UInt64(values.filter(isGood).count)
        let inThresholdBucket = UInt64(
            values.filter { value in
                threshold != 0 && value != 0 && (value > 0) == (threshold > 0)
                    && layout.index(ofMagnitude: value) == layout.index(ofMagnitude: threshold)
            }.count)
        let (good, exact) = histogram.goodCount(threshold: threshold, direction: direction)
        #expect(good <= truth)
        #expect(truth - good <= inThresholdBucket)
        if exact { #expect(good == truth) }
        // A power of two is the top double of its bucket: `above` counts it exactly.
        if threshold == 256, direction == .above { #expect(exact && good == truth) }
    }

    /// Records, into `registry` and `reference`, `perSlice` samples in every 10 s slice of the `hours`
    /// before `now`, log-normal-ish values from 1 to 1,000 ms.
    static func fill(
        _ registry: MetricsRegistry, _ reference: inout BudgetReference, hours: Int, now: Double,
        perSlice: Int = 3
    ) throws {
        var generator = SeededGenerator(seed: 0xBAC_F111)
        let slices = hours * 360
        for slice in 0..<slices {
            let start = now - Double(slices - slice) * 10_000
            for _ in 0..<perSlice {
                let time = (start + Double.random(in: 0..<10_000, using: &generator)).rounded(.down)
                let value = exp2(Double.random(in: 0...10, using: &generator)).rounded()
                try registry.record("api", value: value, timestamp: time)
                reference.samples.append(RecentSample(value: value, timestamp: time))
            }
        }
    }

    @Test(
        "Occurrences on a bucket edge: the backfilled counts equal the raw counts, over every tier",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func occurrencesExact() throws {
        let clock = ManualClock()
        let registry = MetricsRegistry(configuration: .init(), wallClock: clock, monotonicClock: clock)
        let now = clock.nowMilliseconds()
        var reference = BudgetReference()
        try Self.fill(registry, &reference, hours: 12, now: now)
        let spec = BudgetCounterSpec(sloID: "api-256", metric: "api", threshold: 256, direction: .above)
        let exactSince = try registry.tryStartCounting(spec)
        #expect(exactSince == Int64((now / 10_000).rounded(.down)) * 10_000)
        for hoursBack in [1, 5, 11] {
            let from = now - Double(hoursBack) * 3_600_000
            let counts = try #require(
                registry.budgetCounts(sloID: spec.sloID, fromMilliseconds: from, toMilliseconds: now))
            let expected = reference.occurrences(
                threshold: 256, direction: .above, from: counts.fromMilliseconds, to: exactSince)
            #expect(counts.totalEvents == expected.total, "\(hoursBack) h back")
            #expect(counts.goodEvents == expected.good, "\(hoursBack) h back")
        }
        // After the start, samples are counted at ingest as before.
        try registry.record("api", value: 300, timestamp: now + 1)
        try registry.record("api", value: 3, timestamp: now + 2)
        let after = try #require(
            registry.budgetCounts(
                sloID: spec.sloID, fromMilliseconds: now - 3_600_000, toMilliseconds: now + 3))
        let before = reference.occurrences(
            threshold: 256, direction: .above, from: after.fromMilliseconds, to: exactSince)
        #expect(after.totalEvents == before.total + 2 && after.goodEvents == before.good + 1)
    }

    @Test(
        "Occurrences between bucket edges: never more good than the raw count, short by one bucket at most",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func occurrencesConservative() throws {
        let clock = ManualClock()
        let registry = MetricsRegistry(configuration: .init(), wallClock: clock, monotonicClock: clock)
        let now = clock.nowMilliseconds()
        var reference = BudgetReference()
        try Self.fill(registry, &reference, hours: 3, now: now)
        let spec = BudgetCounterSpec(sloID: "api-250", metric: "api", threshold: 250, direction: .above)
        try registry.tryStartCounting(spec)
        let counts = try #require(
            registry.budgetCounts(sloID: spec.sloID, fromMilliseconds: now - 7_200_000, toMilliseconds: now))
        let expected = reference.occurrences(
            threshold: 250, direction: .above, from: counts.fromMilliseconds, to: counts.toMilliseconds)
        let layout = ExponentialBucketLayout.at(scale: 6)
        let inBucket = reference.samples.filter { sample in
            sample.timestamp >= Double(counts.fromMilliseconds)
                && sample.timestamp < Double(counts.toMilliseconds)
                && layout.index(ofMagnitude: sample.value) == layout.index(ofMagnitude: 250)
        }.count
        #expect(counts.totalEvents == expected.total)
        #expect(counts.goodEvents <= expected.good)
        #expect(expected.good - counts.goodEvents <= UInt64(inBucket))
    }

    @Test(
        "Timeslices on a bucket edge: the slices judged from history match the raw samples' verdicts",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func timeslicesExact() throws {
        let clock = ManualClock()
        let registry = MetricsRegistry(configuration: .init(), wallClock: clock, monotonicClock: clock)
        let now = clock.nowMilliseconds()
        var reference = BudgetReference()
        try Self.fill(registry, &reference, hours: 2, now: now, perSlice: 4)
        let rule = TimesliceRule(quantile: 0.5, sliceMilliseconds: 60_000, minSamples: 1)
        let spec = BudgetCounterSpec(
            sloID: "api-slices", metric: "api", threshold: 256, direction: .above, timeslice: rule)
        let exactSince = try registry.tryStartCounting(spec)
        let from = now - 3_600_000
        let counts = try #require(
            registry.budgetCounts(
                sloID: spec.sloID, fromMilliseconds: from, toMilliseconds: Double(exactSince)))
        let expected = reference.timeslices(
            threshold: 256, direction: .above, quantile: 0.5, slice: 60_000, minSamples: 1,
            from: counts.fromMilliseconds, to: counts.toMilliseconds, askedTo: counts.toMilliseconds,
            closedBy: exactSince)
        #expect(counts.goodSlices + counts.badSlices > 50)
        #expect(counts.goodSlices == expected.good && counts.badSlices == expected.bad)
    }

    @Test("a metric without history, or a counter restarted on a new spec, starts from nothing before it")
    func nothingToBackfill() throws {
        let clock = ManualClock()
        let registry = MetricsRegistry(configuration: .init(), wallClock: clock, monotonicClock: clock)
        let spec = BudgetCounterSpec(sloID: "a", metric: "api", threshold: 256, direction: .above)
        try registry.tryStartCounting(spec)
        let empty = try #require(
            registry.budgetCounts(
                sloID: "a", fromMilliseconds: 0, toMilliseconds: clock.nowMilliseconds()))
        #expect(empty.totalEvents == 0)
        try registry.record("api", value: 1)
        let counts = try #require(
            registry.budgetCounts(
                sloID: "a", fromMilliseconds: 0, toMilliseconds: clock.nowMilliseconds() + 1))
        #expect(counts.totalEvents == 1 && counts.goodEvents == 1)
    }
}
