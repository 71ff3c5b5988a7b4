import Testing

@testable import SLOWatchCore

/// A metric's history and budget counters saved at a snapshot's cut and restored into a fresh registry
/// (`copyForSnapshot`'s history piece, `restoreHistory`): the same slices, summaries, counters and
/// answers, and damaged or mismatched saves refused.
@Suite("History and budget counters saved and restored")
struct HistorySavedTests {
    static let start = 1_788_220_800_000.0
    static let specs = [
        BudgetCounterSpec(sloID: "occurrences", metric: "api", threshold: 49.5, direction: .above),
        BudgetCounterSpec(
            sloID: "slices", metric: "api", threshold: 80, direction: .above,
            timeslice: TimesliceRule(quantile: 0.9, sliceMilliseconds: 60_000, minSamples: 5)),
    ]

    static func registry(tiers: HistoryTiers = .default, scale: Int = ExponentialBucketLayout.defaultScale)
        -> MetricsRegistry
    {
        var configuration = MetricsRegistry.Configuration(defaultCapacity: 50)
        configuration.historyTiers = tiers
        configuration.historyScale = scale
        return MetricsRegistry(configuration: configuration)
    }

    /// The history and counters of `registry`'s metric `api`, as a snapshot takes them.
    static func saved(_ registry: MetricsRegistry) throws -> MetricsRegistry.SnapshotHistory {
        var taken: MetricsRegistry.SnapshotHistory?
        registry.copyForSnapshot(of: "api") { piece in
            if case .history(let history) = piece { taken = history }
        }
        return try #require(taken)
    }

    /// Short tiers (10 s for 10 min, 1 min for 2 h, 10 min for a day), so that a few hours of traffic
    /// reach every tier with few slices.
    static func shortTiers() throws -> HistoryTiers {
        try HistoryTiers([
            .init(sliceMilliseconds: 10_000, retentionMilliseconds: 600_000),
            .init(sliceMilliseconds: 60_000, retentionMilliseconds: 7_200_000),
            .init(sliceMilliseconds: 600_000, retentionMilliseconds: 86_400_000),
        ])
    }

    @Test("a restored history and its counters answer as the saved ones, slice for slice")
    func roundTrip() throws {
        let source = Self.registry(tiers: try Self.shortTiers())
        for spec in Self.specs { try source.tryStartCounting(spec) }
        // 7 hours with late samples (up to 2 h back): every tier, dense slices, summaries, roll-ups.
        let samples = BudgetReference.traffic(start: Self.start, days: 0.3, seed: 41)
        for sample in samples { try source.record("api", value: sample.value, timestamp: sample.timestamp) }
        let snapshot = try Self.saved(source)
        #expect(snapshot.counters.count == 2)
        let saved = snapshot.history.saved
        #expect(saved.pieces.contains { $0.tier == 0 && $0.level == 0 && $0.index > saved.compactedThrough })
        #expect(Set(saved.pieces.map(\.level)).count > 1, "slices and summaries")
        #expect(Set(saved.pieces.map(\.tier)) == [0, 1, 2])

        let target = Self.registry(tiers: try Self.shortTiers())
        for spec in Self.specs { try target.tryStartCounting(spec) }
        try target.register(MetricDefinition(name: "api", type: .latency, unit: "ms", capacity: 50))
        let outcome = target.restoreHistory(of: "api", saved: saved, counters: snapshot.counters)
        #expect(outcome.historyRestored)
        #expect(outcome.problems.isEmpty)
        let restored = try #require(target.history(for: "api"))
        #expect(restored.saved == saved)
        #expect(try Self.saved(target).counters == snapshot.counters)
        let newest = samples.map(\.timestamp).max() ?? 0
        for window: Double in [300_000, 3_600_000, 14_400_000, 86_400_000] {
            #expect(
                restored.span(from: newest - window, to: newest + 1).histogram
                    == snapshot.history.span(from: newest - window, to: newest + 1).histogram)
            for spec in Self.specs {
                #expect(
                    target.budgetCounts(
                        sloID: spec.sloID, fromMilliseconds: newest - window, toMilliseconds: newest + 1)
                        == source.budgetCounts(
                            sloID: spec.sloID, fromMilliseconds: newest - window, toMilliseconds: newest + 1))
            }
        }
        // Both go on alike: the same next samples, late ones included, give the same state.
        let later = BudgetReference.traffic(start: newest - 3_600_000, days: 0.05, seed: 42)
        for sample in later {
            try source.record("api", value: sample.value, timestamp: sample.timestamp)
            try target.record("api", value: sample.value, timestamp: sample.timestamp)
        }
        #expect(try Self.saved(target).history.saved == Self.saved(source).history.saved)
        #expect(try Self.saved(target).counters == Self.saved(source).counters)
    }

    @Test(
        "a history saved with other tiers or another scale is refused, with its counts; the metric keeps its own"
    )
    func mismatchedConfigurationIsRefused() throws {
        let source = Self.registry()
        try source.tryStartCounting(Self.specs[0])
        for index in 0..<500 {
            try source.record("api", value: Double(index), timestamp: Self.start + Double(index) * 1_000)
        }
        let snapshot = try Self.saved(source)
        let otherTiers = try HistoryTiers([
            .init(sliceMilliseconds: 60_000, retentionMilliseconds: 86_400_000)
        ])
        for target in [Self.registry(tiers: otherTiers), Self.registry(scale: 5)] {
            try target.tryStartCounting(Self.specs[0])
            try target.register(MetricDefinition(name: "api", type: .latency, unit: "ms", capacity: 50))
            try target.record("api", value: 1, timestamp: Self.start)
            let outcome = target.restoreHistory(
                of: "api", saved: snapshot.history.saved, counters: snapshot.counters)
            #expect(!outcome.historyRestored)
            // The counts are left too: the ring's samples will go through the counters again.
            #expect(outcome.problems.count == 2)
            #expect(target.history(for: "api")?.open.count == 1)
            let counts = target.budgetCounts(
                sloID: "occurrences", fromMilliseconds: 0, toMilliseconds: .infinity)
            #expect(counts?.totalEvents == 1)
        }
    }

    @Test("pieces out of order, dense slices out of place and a wrong newest time are refused")
    func brokenInvariantsAreRefused() throws {
        let source = Self.registry(tiers: try Self.shortTiers())
        let samples = BudgetReference.traffic(start: Self.start, days: 0.3, seed: 43)
        for sample in samples { try source.record("api", value: sample.value, timestamp: sample.timestamp) }
        let saved = try Self.saved(source).history.saved
        let template = MetricHistory(tiers: try Self.shortTiers(), futureLimitMilliseconds: .infinity)
        #expect((try? MetricHistory(restoring: saved, like: template)) != nil)
        var reversed = saved
        reversed.pieces.reverse()
        var misplaced = saved
        // A delta at the open slice's index (in-order traffic leaves no delta: one is made here).
        misplaced.dense = [
            MetricHistory.SavedPiece(tier: 0, level: 0, index: saved.openIndex, slice: saved.open)
        ]
        var timeless = saved
        timeless.newestMilliseconds = .nan
        var unsummarised = saved
        unsummarised.validFrom[0].append(0)
        for broken in [reversed, misplaced, timeless, unsummarised] {
            #expect(throws: MetricHistory.RestoreFailure.self) {
                try MetricHistory(restoring: broken, like: template)
            }
        }
    }

    @Test("a counter's saved state applies only to a counter of the same rule, with its slots in range")
    func counterStateIsChecked() throws {
        let source = Self.registry()
        try source.tryStartCounting(Self.specs[0])
        for index in 0..<100 {
            try source.record("api", value: Double(index), timestamp: Self.start + Double(index) * 1_000)
        }
        let counter = try #require(try Self.saved(source).counters.first)
        let other = Self.registry()
        try other.tryStartCounting(
            BudgetCounterSpec(sloID: "occurrences", metric: "api", threshold: 10, direction: .above))
        try other.register(MetricDefinition(name: "api", type: .latency, unit: "ms", capacity: 50))
        let history = try Self.saved(source).history.saved
        #expect(other.restoreHistory(of: "api", saved: history, counters: [counter]).problems.count == 1)
        var outOfRange = counter
        outOfRange.slots.append(
            SavedBudgetSlot(slot: 1 << 30, good: 1, total: 1, goodSlices: 0, badSlices: 0))
        var moreGoodThanTotal = counter
        moreGoodThanTotal.slots[0].good = moreGoodThanTotal.slots[0].total + 1
        var farIndex = counter
        farIndex.newest[0] = .min
        let same = Self.registry()
        try same.tryStartCounting(Self.specs[0])
        try same.register(MetricDefinition(name: "api", type: .latency, unit: "ms", capacity: 50))
        for broken in [outOfRange, moreGoodThanTotal, farIndex] {
            #expect(same.restoreHistory(of: "api", saved: history, counters: [broken]).problems.count == 1)
        }
        #expect(same.restoreHistory(of: "api", saved: history, counters: [counter]).problems.isEmpty)
    }

    @Test("coded slices: every slice codes back; damaged bytes are refused or read as what they code")
    func codedSlicesAreValidated() throws {
        var histogram = ExponentialHistogram(scale: 6)
        var generator = SeededGenerator(seed: 44)
        for _ in 0..<5_000 {
            histogram.record(Double.random(in: -500...5_000, using: &generator), layout: histogram.layout)
        }
        histogram.record(0, layout: histogram.layout)
        let bytes = CompactHistogram(histogram).codedBytes
        #expect(CompactHistogram(validating: bytes) == CompactHistogram(histogram))
        #expect(CompactHistogram(validating: []) == nil)
        #expect(CompactHistogram(validating: Array(bytes.dropLast())) == nil)
        for _ in 0..<2_000 {
            var damaged = bytes
            let position = Int.random(in: 0..<damaged.count, using: &generator)
            damaged[position] ^= UInt8.random(in: 1...255, using: &generator)
            if let accepted = CompactHistogram(validating: damaged) {
                #expect(accepted.codedBytes == damaged)
            }
        }
    }
}
