import Dispatch
import SLOWatchCoreTesting
import Testing

@testable import SLOWatchCore

/// A snapshot copies a metric in bounded chunks while ingest goes on; samples overwritten meanwhile
/// are skipped, and restoring the copy then replaying what came after the cut rebuilds exactly what a
/// whole copy at the cut would: the same ring, `recorded` and `overflow`.
@Suite("MetricsRegistry snapshot copy")
struct MetricsRegistrySnapshotCopyTests {
    /// What a chunked copy handed out.
    private struct Copy {
        var cut: MetricsRegistry.SnapshotCut?
        var samples: [RecentSample] = []
        var skipped: UInt64 = 0
        var chunks = 0
        /// The whole ring when the cut was taken, oldest first: what a whole copy would hold.
        var whole: [RecentSample] = []
        /// The samples recorded between chunks, in order: what the journal holds past the cut.
        var later: [RecentSample] = []
    }

    /// A registry whose metric `m` of `capacity` holds samples 1...`filled` (value = timestamp).
    private func registry(capacity: Int, filled: Int) throws -> MetricsRegistry {
        let clock = ManualClock()
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        try registry.register(MetricDefinition(name: "m", capacity: capacity))
        for value in stride(from: 1, through: filled, by: 1) {
            try registry.record("m", value: Double(value), timestamp: Double(value))
        }
        return registry
    }

    /// `registry`'s ring of `m` (oldest first), `recorded` and `overflow`.
    private func state(_ registry: MetricsRegistry) throws -> (
        ring: [RecentSample], recorded: UInt64, overflow: UInt64
    ) {
        try #require(registry.lookup("m")).withLock { state in
            (Array(state.buffer.newest(limit: .max).reversed()), state.recorded, state.buffer.overflow)
        }
    }

    /// A new registry with `m` of `capacity` restored from `samples` and counters, then `later` replayed.
    private func restored(
        capacity: Int, samples: [RecentSample], recorded: UInt64, overflow: UInt64, later: [RecentSample]
    ) throws -> MetricsRegistry {
        let clock = ManualClock()
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        try registry.register(MetricDefinition(name: "m", capacity: capacity))
        let handle = try registry.handle(for: "m")
        try samples.withUnsafeBufferPointer { try registry.record(handle, samples: $0) }
        registry.restoreCounters(of: "m", recorded: recorded, overflow: overflow, appliedSequence: 0)
        try later.withUnsafeBufferPointer { try registry.record(handle, samples: $0) }
        return registry
    }

    /// Copies `m` in chunks of `chunk`, recording `perChunk` new samples between chunks.
    private func copy(_ registry: MetricsRegistry, chunk: Int, perChunk: Int) throws -> Copy {
        var copy = Copy()
        var later: [RecentSample] = []
        var next = Double((try state(registry)).recorded + 1)
        let between = {
            for _ in 0..<perChunk {
                try? registry.record("m", value: next, timestamp: next)
                later.append(RecentSample(value: next, timestamp: next))
                next += 1
            }
        }
        let cut = registry.copyForSnapshot(of: "m", chunkSamples: chunk, betweenChunks: between) { piece in
            switch piece {
            case .cut(let cut):
                copy.cut = cut
                // No lock is held here: read the whole ring at the cut, for comparison.
                copy.whole = Array(((try? registry.recentSamples(for: "m", limit: .max)) ?? []).reversed())
            case .samples(let samples):
                copy.samples += samples
                copy.chunks += 1
                #expect(samples.count <= chunk)
            case .skipped(let count): copy.skipped += count
            case .history: break
            }
        }
        #expect(cut == copy.cut)
        copy.later = later
        return copy
    }

    @Test(
        "skipped samples, restored with the cut's counters and replayed, give the whole copy's ring",
        arguments: [
            (filled: 2_500, perChunk: 150), (filled: 300, perChunk: 100), (filled: 1_000, perChunk: 0),
            (filled: 1_000, perChunk: 1_000), (filled: 999, perChunk: 37), (filled: 0, perChunk: 5),
        ])
    func chunkedCopyReplaysLikeAWholeCopy(filled: Int, perChunk: Int) throws {
        let capacity = 1_000
        let live = try registry(capacity: capacity, filled: filled)
        let copy = try copy(live, chunk: 64, perChunk: perChunk)
        let later = copy.later
        let cut = try #require(copy.cut)
        #expect(cut.recorded == UInt64(filled) && cut.sampleCount == UInt64(min(filled, capacity)))
        #expect(copy.whole.count == Int(cut.sampleCount))
        #expect(UInt64(copy.samples.count) + copy.skipped == cut.sampleCount)
        #expect(copy.samples.allSatisfy { $0.value > Double(cut.oldest) && $0.value <= Double(cut.recorded) })
        if filled >= capacity && perChunk >= 100 {
            #expect(copy.skipped > 0, "ingest overwrote samples before they were copied")
        }
        if perChunk == 0 { #expect(copy.samples == copy.whole && copy.skipped == 0) }

        let fromChunks = try restored(
            capacity: capacity, samples: copy.samples, recorded: cut.recorded,
            overflow: cut.overflow + copy.skipped, later: later)
        let fromWhole = try restored(
            capacity: capacity, samples: copy.whole, recorded: cut.recorded, overflow: cut.overflow,
            later: later)
        let expected = try state(fromWhole)
        let actual = try state(fromChunks)
        #expect(actual.ring == expected.ring)
        #expect(actual.recorded == expected.recorded)
        #expect(actual.overflow == expected.overflow)
        // And both equal the live metric, which went on recording.
        let now = try state(live)
        #expect(
            now.ring == expected.ring && now.recorded == expected.recorded
                && now.overflow == expected.overflow)
    }

    @Test("a metric removed during the copy has the rest of its cut skipped")
    func removedDuringCopy() throws {
        let registry = try registry(capacity: 500, filled: 500)
        var pieces: (samples: Int, skipped: UInt64) = (0, 0)
        var removed = false
        let remove = {
            if !removed { try? registry.unregister("m") }
            removed = true
        }
        let cut = registry.copyForSnapshot(of: "m", chunkSamples: 100, betweenChunks: remove) { piece in
            switch piece {
            case .cut, .history: break
            case .samples(let samples): pieces.samples += samples.count
            case .skipped(let count): pieces.skipped += count
            }
        }
        #expect(cut?.sampleCount == 500)
        #expect(pieces.samples == 100 && pieces.skipped == 400)
        #expect(registry.copyForSnapshot(of: "m") { _ in } == nil, "an unknown metric is not copied")
    }

    @Test("a capacity change waits for the copy, so the ring's size never changes under it")
    func replacementWaitsForTheCopy() throws {
        let registry = try registry(capacity: 1_000, filled: 1_000)
        let replaced = DispatchSemaphore(value: 0)
        var started = false
        var capacities: Set<Int> = []
        let between = {
            if !started {
                started = true
                DispatchQueue.global().async {
                    _ = try? registry.upsert(MetricDefinition(name: "m", capacity: 10))
                    replaced.signal()
                }
            }
            #expect(replaced.wait(timeout: .now() + .milliseconds(20)) == .timedOut)
            capacities.insert(registry.definition(for: "m")?.capacity ?? 0)
        }
        registry.copyForSnapshot(of: "m", chunkSamples: 100, betweenChunks: between) { _ in }
        #expect(replaced.wait(timeout: .now() + .seconds(10)) == .success)
        #expect(capacities == [1_000])
        #expect(registry.definition(for: "m")?.capacity == 10)
    }
}
