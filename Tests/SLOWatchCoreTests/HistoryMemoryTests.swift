import SLOWatchCoreTesting
import Testing

@testable import SLOWatchCore

@Suite("History memory: the limit, drops of the least recently written metrics")
struct HistoryMemoryTests {
    /// Records 60 samples 10 s apart (10 minutes of slices, a bucket or two each) into each of `count`
    /// metrics, in turn.
    static func flood(_ registry: MetricsRegistry, metrics count: Int, now: Double) throws {
        for metric in 0..<count {
            for step in 0..<60 {
                try registry.record(
                    "m\(metric)", value: 10 + Double(step % 3) * 0.01,
                    timestamp: now - 3_600_000 + Double(step) * 10_000)
            }
        }
    }

    @Test("flooding many metrics under a small limit drops slices, oldest writers first, and stays bounded")
    func floodUnderSmallLimit() throws {
        let clock = ManualClock()
        var configuration = MetricsRegistry.Configuration()
        configuration.historyMemoryBytes = 64 << 10
        let registry = MetricsRegistry(configuration: configuration, wallClock: clock, monotonicClock: clock)
        try Self.flood(registry, metrics: 300, now: clock.nowMilliseconds())
        let account = registry.historyMemory
        #expect(account.droppedSlices > 0)
        #expect(account.bytes <= 64 << 10)
        let first = try #require(registry.historyCounters(for: "m0"))
        let last = try #require(registry.historyCounters(for: "m299"))
        #expect(first.droppedSlices > 0)
        #expect(last.droppedSlices == 0)
        #expect(first.bytes < last.bytes)
        // Every sample is still in the ring, whatever history dropped.
        #expect(registry.totalRecorded == 300 * 60)
    }

    @Test("under the limit nothing is dropped, and removing a metric gives its bytes back")
    func underTheLimit() throws {
        let clock = ManualClock()
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        try Self.flood(registry, metrics: 20, now: clock.nowMilliseconds())
        let account = registry.historyMemory
        #expect(account.droppedSlices == 0)
        #expect(account.bytes > 0)
        let before = account.bytes
        try registry.unregister("m0")
        #expect(account.bytes < before)
    }
}
