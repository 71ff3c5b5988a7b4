import SLOWatchCoreTesting
import Testing

@testable import SLOWatchCore

/// The percentile scratch stays within its slots whatever the number of concurrent queries.
@Suite("Scratch pool bound")
struct ScratchPoolTests {
    @Test("8 concurrent percentile queries on a 2M-sample metric keep scratch within 2 slots")
    func concurrentQueriesStayBounded() async throws {
        // Under ThreadSanitizer, recording 2M samples takes minutes; 200,000 (still above the pool's
        // minimum slot) keeps the eight concurrent queries that it is there to check.
        let capacity = ThreadSanitizerRun.isActive ? 200_000 : 2_000_000
        let registry = MetricsRegistry(configuration: .init(defaultCapacity: capacity))
        let handle = try registry.handle(for: "big")
        let samples = (0..<capacity).map { RecentSample(value: Double($0 % 9_973), timestamp: Double($0)) }
        try samples.withUnsafeBufferPointer { try registry.record(handle, samples: $0) }
        let bound = ScratchPool.reservedBytes(largestCapacity: capacity)
        #expect(registry.memory.reservedByPurpose["scratch"] == bound)
        let answers = await withTaskGroup(of: Int.self) { group in
            for query in 0..<8 {
                group.addTask {
                    // Extra quantiles (and a window for half) skip the cached answer: each query copies.
                    let summary = try? registry.percentiles(
                        for: "big", quantiles: [0.25 + Double(query) / 100],
                        windowMilliseconds: query.isMultiple(of: 2) ? nil : 1e15)
                    return summary?.count ?? -1
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers == Array(repeating: capacity, count: 8))
        let peak = registry.scratchPool.peakAllocatedBytes
        #expect(peak >= 8 * capacity)
        #expect(peak <= bound)
    }

    @Test("a third taker waits until a slot is given back")
    func thirdTakerWaits() async throws {
        let pool = ScratchPool()
        let first = pool.take(count: 10)
        let second = pool.take(count: 10)
        let taken = MetricLock(false)
        let waiter = Task.detached {
            let third = pool.take(count: 10)
            taken.withLock { $0 = true }
            pool.giveBack(third)
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(!taken.withLock { $0 })
        pool.giveBack(first)
        await waiter.value
        #expect(taken.withLock { $0 })
        pool.giveBack(second)
    }
}
