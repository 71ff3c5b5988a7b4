import Dispatch
import SLOWatchCoreTesting
import Synchronization
import Testing

@testable import SLOWatchCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `upsert` with a new capacity copies in chunks, so recording goes on during the copy, and no
/// acknowledged sample is lost or reordered.
@Suite("MetricsRegistry resize")
struct MetricsRegistryResizeTests {
    /// A registry whose metric `m` holds samples 1...`filled` (value = timestamp), with `capacity`.
    private func registry(capacity: Int, filled: Int) throws -> MetricsRegistry {
        let clock = ManualClock()
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        try registry.register(MetricDefinition(name: "m", capacity: capacity))
        for value in 1...filled { try registry.record("m", value: Double(value), timestamp: Double(value)) }
        return registry
    }

    private func samples(_ registry: MetricsRegistry) throws -> [(value: Double, timestamp: Double)] {
        try #require(registry.lookup("m")).withLock { $0.buffer.samples }
    }

    @Test func growingCopiesInChunksAndKeepsTheSamplesRecordedBetweenThem() throws {
        let registry = try registry(capacity: 1_000, filled: 1_000)
        let before = registry.registrationID(for: "m")
        var next = 1_001
        var chunks = 0
        let outcome = try registry.upsert(MetricDefinition(name: "m", capacity: 3_000), chunkSamples: 100) {
            chunks += 1
            // The metric's lock is free between chunks: recording here would deadlock otherwise.
            for _ in 0..<7 {
                try? registry.record("m", value: Double(next), timestamp: Double(next))
                next += 1
            }
        }
        #expect(outcome == .replaced && chunks >= 9)
        let kept = try samples(registry)
        #expect(kept.map(\.value) == (1..<next).map(Double.init))
        #expect(kept.map(\.timestamp) == (1..<next).map(Double.init))
        #expect(registry.definition(for: "m")?.capacity == 3_000)
        #expect(registry.registrationID(for: "m") != before)
        #expect(registry.summary(for: "m")?.overflow == 0)
        #expect(try registry.percentiles(for: "m").max == Double(next - 1))  // the cache was invalidated
    }

    @Test func aWriterThatWrapsTheOldRingDuringTheCopyLosesNoSample() throws {
        let registry = try registry(capacity: 100, filled: 100)
        var calls = 0
        try registry.upsert(MetricDefinition(name: "m", capacity: 1_000), chunkSamples: 10) {
            calls += 1
            guard calls == 1 else { return }
            // 150 more into the full old ring of 100, while only 10 samples have been copied: each
            // sample about to be overwritten is moved to the new buffer first.
            for value in 101...250 { try? registry.record("m", value: Double(value), timestamp: 0) }
        }
        #expect(try samples(registry).map(\.value) == (1...250).map(Double.init))
        #expect(registry.summary(for: "m")?.overflow == 0)
        try registry.record("m", value: 251, timestamp: 0)  // the new capacity applies
        #expect(registry.summary(for: "m")?.count == 251 && registry.summary(for: "m")?.overflow == 0)
    }

    @Test func shrinkingWhileRecordingKeepsTheNewestSamplesAndCountsOnlyDropsPastTheNewCapacity() throws {
        let registry = try registry(capacity: 1_000, filled: 1_000)
        var next = 1_001
        try registry.upsert(MetricDefinition(name: "m", capacity: 500), chunkSamples: 50) {
            for _ in 0..<20 {
                try? registry.record("m", value: Double(next), timestamp: Double(next))
                next += 1
            }
        }
        #expect(next > 1_001)
        #expect(try samples(registry).map(\.value) == ((next - 500)..<next).map(Double.init))
        // As if the new capacity of 500 applied from the start: the 500 samples the shrink dropped are
        // not counted, and each sample recorded since pushed one out.
        #expect(registry.summary(for: "m")?.overflow == UInt64(next - 1_001))
    }

    @Test func aMetricUnregisteredDuringTheCopyIsNotBroughtBack() throws {
        let registry = try registry(capacity: 100, filled: 100)
        try registry.upsert(MetricDefinition(name: "m", capacity: 200), chunkSamples: 10) {
            try? registry.unregister("m")
        }
        #expect(registry.definition(for: "m") == nil)
        #expect(registry.totalRecorded == 100)
    }

    /// With room to spare in the old ring, and with a full one that writers overwrite during the copy.
    @Test(.serialized, arguments: [100_000, 50_000])
    func recordingAndReadingDuringAResizeLoseNoAcknowledgedSampleAndKeepOrder(oldCapacity: Int) throws {
        let registry = try registry(capacity: oldCapacity, filled: 50_000)
        let progress = ResizeProgress(acknowledged: 50_000)
        let group = DispatchGroup()
        // Own serial queues, so each gets a thread of its own even when the global pool is busy.
        DispatchQueue(label: "resize-test.writer").async(group: group) {
            // The writer: the next value, as long as the resize runs; at most 40,000, which the new
            // capacity holds.
            // Starts once the copy has begun: a full old ring drops samples before that, as it should.
            while !progress.resizeStarted.load(ordering: .acquiring) { sched_yield() }
            var value = 50_001
            while !progress.resizeDone.load(ordering: .acquiring) && value <= 90_000 {
                if (try? registry.record("m", value: Double(value), timestamp: Double(value))) != nil {
                    progress.acknowledged.store(value, ordering: .releasing)
                }
                value += 1
            }
        }
        DispatchQueue(label: "resize-test.reader").async(group: group) {
            // A reader: the count it sees never goes down (it never sees a partial buffer).
            var last = 0
            while !progress.resizeDone.load(ordering: .acquiring) {
                let count = (try? registry.percentiles(for: "m", windowMilliseconds: 1e15).count) ?? -1
                if count < last { progress.readerSawShrink.store(true, ordering: .relaxed) }
                last = count
            }
        }
        var chunksWithProgress = 0
        try registry.upsert(MetricDefinition(name: "m", capacity: 200_000), chunkSamples: 1_000) {
            // Wait (bounded) for the writer to record something while the copy is under way.
            progress.resizeStarted.store(true, ordering: .releasing)
            let seen = progress.acknowledged.load(ordering: .acquiring)
            let deadline = DispatchTime.now().uptimeNanoseconds + 2_000_000_000
            while progress.acknowledged.load(ordering: .acquiring) == seen && seen < 90_000
                && DispatchTime.now().uptimeNanoseconds < deadline
            {
                sched_yield()
            }
            if progress.acknowledged.load(ordering: .acquiring) > seen { chunksWithProgress += 1 }
        }
        progress.resizeDone.store(true, ordering: .releasing)
        group.wait()
        let last = progress.acknowledged.load(ordering: .acquiring)
        #expect(chunksWithProgress > 0)
        let readerSawShrink = progress.readerSawShrink.load(ordering: .relaxed)
        #expect(!readerSawShrink)
        let kept = try samples(registry)
        let inOrder = zip(kept, kept.dropFirst()).allSatisfy { $1.value == $0.value + 1 }
        #expect(kept.count == last && registry.summary(for: "m")?.count == last)
        #expect(kept.first?.value == 1 && kept.last?.value == Double(last) && inOrder)
        #expect(registry.summary(for: "m")?.newestTimestamp == Double(last))
        #expect(registry.summary(for: "m")?.overflow == 0)
        #expect(registry.definition(for: "m")?.capacity == 200_000)
    }
}

/// What the writer and reader threads of a concurrent resize test share.
private final class ResizeProgress: Sendable {
    /// The last value the writer recorded successfully (values are consecutive).
    let acknowledged: Atomic<Int>
    let resizeStarted = Atomic<Bool>(false)
    let resizeDone = Atomic<Bool>(false)
    let readerSawShrink = Atomic<Bool>(false)

    init(acknowledged: Int) { self.acknowledged = Atomic(acknowledged) }
}
