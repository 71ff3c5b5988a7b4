import Foundation
import SLOWatchCoreTesting
import SeededRandom
import Testing

@testable import SLOWatchCore

/// ``RingBuffer/append(contentsOf:)`` equals one ``RingBuffer/append(value:timestamp:)`` each, and a
/// batch recorded during a resize keeps every sample.
@Suite("RingBuffer runs")
struct RingBufferRunTests {
    // MARK: Ring

    static func expectIdentical(_ a: RingBuffer, _ b: RingBuffer, _ comment: Comment) {
        #expect(a.count == b.count && a.overflow == b.overflow && a.tail == b.tail, comment)
        #expect(a.newestEvicted == b.newestEvicted && a.newestTimestamp == b.newestTimestamp, comment)
        #expect(a.samples.map(\.value) == b.samples.map(\.value), comment)
        #expect(a.samples.map(\.timestamp) == b.samples.map(\.timestamp), comment)
    }

    @Test(
        "appending a run equals one append each: empty, partly full, full, across the wrap, longer than the ring"
    )
    func ringRunEqualsSingles() throws {
        var next = 1.0
        func run(_ length: Int) -> [RecentSample] {
            (0..<length).map { _ in
                defer { next += 1 }
                // Timestamps not in order, so that the newest evicted one is a maximum, not the last.
                return RecentSample(
                    value: next, timestamp: next.truncatingRemainder(dividingBy: 7) * 100 + next)
            }
        }
        for capacity in 1...7 {
            for filled in 0...(2 * capacity + 1) {
                for length in 0...(3 * capacity + 1) {
                    var single = try RingBuffer(capacity: capacity)
                    for sample in run(filled) {
                        single.append(value: sample.value, timestamp: sample.timestamp)
                    }
                    var batched = single
                    let samples = run(length)
                    for sample in samples { single.append(value: sample.value, timestamp: sample.timestamp) }
                    samples.withUnsafeBufferPointer { batched.append(contentsOf: $0) }
                    Self.expectIdentical(
                        batched, single, "capacity \(capacity), filled \(filled), run \(length)")
                }
            }
        }
    }

    @Test("after removeAll, and into a ring filled by a bulk copy, a run still equals one append each")
    func ringRunAfterRemoveAndCopy() throws {
        var single = try RingBuffer(capacity: 5)
        for value in 1...8 { single.append(value: Double(value), timestamp: Double(value)) }
        single.removeAll()
        var batched = single
        let samples = (10...16).map { RecentSample(value: Double($0), timestamp: Double($0)) }
        for sample in samples { single.append(value: sample.value, timestamp: sample.timestamp) }
        samples.withUnsafeBufferPointer { batched.append(contentsOf: $0) }
        Self.expectIdentical(batched, single, "after removeAll")
        #expect(batched.overflow == 5)  // 3 before removeAll, 2 since

        var source = try RingBuffer(capacity: 9)
        for value in 1...12 { source.append(value: Double(value), timestamp: Double(value)) }
        var copied = try RingBuffer(capacity: 6)
        copied.append(from: source, ages: 2..<6)
        var oneByOne = copied
        let more = (20...24).map { RecentSample(value: Double($0), timestamp: Double(30 - $0)) }
        for sample in more { oneByOne.append(value: sample.value, timestamp: sample.timestamp) }
        more.withUnsafeBufferPointer { copied.append(contentsOf: $0) }
        Self.expectIdentical(copied, oneByOne, "after append(from:ages:)")
    }

    @Test("a batch recorded while a resize copies loses no sample and keeps the order")
    func batchDuringResize() throws {
        let clock = ManualClock()
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        try registry.register(MetricDefinition(name: "m", capacity: 100))
        let handle = try registry.handle(for: "m")
        for value in 1...100 { try registry.record("m", value: Double(value), timestamp: 0) }
        var calls = 0
        try registry.upsert(MetricDefinition(name: "m", capacity: 1_000), chunkSamples: 10) {
            calls += 1
            guard calls == 1 else { return }
            // 150 more in one batch into the full old ring, with 10 samples copied: the per-sample
            // path moves each one about to be overwritten first.
            let batch = (101...250).map { RecentSample(value: Double($0), timestamp: 0) }
            try? batch.withUnsafeBufferPointer { try registry.record(handle, samples: $0) }
        }
        let kept = try #require(registry.lookup("m")).withLock { $0.buffer.samples }
        #expect(kept.map(\.value) == (1...250).map(Double.init))
        #expect(registry.summary(for: "m")?.overflow == 0)
        let after = (251...260).map { RecentSample(value: Double($0), timestamp: 0) }
        try after.withUnsafeBufferPointer { try registry.record(handle, samples: $0) }
        #expect(registry.summary(for: "m")?.count == 260 && registry.summary(for: "m")?.overflow == 0)
    }
}
