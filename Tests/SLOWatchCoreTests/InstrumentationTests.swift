import Dispatch
import SLOWatchCoreTesting
import Synchronization
import Testing

@testable import SLOWatchCore

/// A clock that moves 2.5 ms every time the monotonic time is read, to time code without sleeping.
private final class SteppingClock: MonotonicClock {
    private let clock = ManualClock()
    func nowNanoseconds() -> UInt64 {
        defer { clock.advance(by: .milliseconds(2.5)) }
        return clock.nowNanoseconds()
    }
}

private struct Boom: Error {}

@Suite("Instrumentation")
struct InstrumentationTests {
    private let clock = ManualClock()

    private func makeRegistry(marks: Int = 1_024, autoRegister: Bool = true) -> MetricsRegistry {
        MetricsRegistry(
            configuration: .init(autoRegister: autoRegister, maxConcurrentMarks: marks), wallClock: clock,
            monotonicClock: clock)
    }

    @Test func markEndRecordsTheMonotonicDurationInMilliseconds() throws {
        let registry = makeRegistry()
        let handle = registry.markStart("input-to-echo")
        #expect(handle.isRecording)
        #expect(registry.openMarks == 1)
        clock.advance(by: .milliseconds(12.5))
        #expect(registry.markEnd(handle) == .microseconds(12_500))
        #expect(registry.openMarks == 0)
        let summary = try registry.percentiles(for: "input-to-echo")
        #expect(summary.count == 1 && summary.max == 12.5)
    }

    @Test func endingAHandleTwiceRecordsOnce() throws {
        let registry = makeRegistry()
        let handle = registry.markStart("op")
        clock.advance(by: .milliseconds(1))
        #expect(registry.markEnd(handle) == .milliseconds(1))
        #expect(registry.markEnd(handle) == nil)
        #expect(registry.summary(for: "op")?.count == 1)
    }

    @Test func aStaleHandleWhoseSlotWasReusedRecordsNothing() throws {
        let registry = makeRegistry(marks: 1)
        let stale = registry.markStart("op")
        #expect(registry.markEnd(stale) != nil)
        let current = registry.markStart("other")  // reuses the only slot with a new generation
        #expect(registry.markEnd(stale) == nil)
        #expect(registry.openMarks == 1)
        clock.advance(by: .milliseconds(3))
        #expect(registry.markEnd(current) == .milliseconds(3))
        #expect(registry.summary(for: "op")?.count == 1)
        #expect(registry.summary(for: "other")?.count == 1)
    }

    @Test func aHandleFromAnotherRegistryIsRejected() {
        let first = makeRegistry()
        let second = makeRegistry()
        let handle = first.markStart("op")
        _ = second.markStart("op")
        #expect(second.markEnd(handle) == nil)
        #expect(second.openMarks == 1)
        #expect(first.markEnd(handle) != nil)
    }

    @Test func whenEverySlotIsBusyMarksRecordNothingAndCountOverflow() throws {
        let registry = makeRegistry(marks: 2)
        let first = registry.markStart("op")
        let second = registry.markStart("op")
        let third = registry.markStart("op")
        #expect(!third.isRecording)
        #expect(registry.markOverflow == 1)
        #expect(registry.markEnd(third) == nil)
        #expect(registry.markEnd(first) != nil)
        #expect(registry.markStart("op").isRecording)  // the freed slot is usable again
        #expect(registry.markEnd(second) != nil)
        #expect(registry.markOverflow == 1)
        #expect(registry.summary(for: "op")?.count == 2)
    }

    @Test func theDefaultRegistryHasOneThousandTwentyFourSlots() {
        let registry = makeRegistry()
        let handles = (0..<1_024).map { _ in registry.markStart("op") }
        #expect(handles.allSatisfy { $0.isRecording })
        #expect(!registry.markStart("op").isRecording)
        #expect(registry.markOverflow == 1)
    }

    @Test func zeroSlotsMakeEveryMarkOverflow() {
        let registry = makeRegistry(marks: 0)
        let handle = registry.markStart("op")
        #expect(!handle.isRecording)
        #expect(registry.markEnd(handle) == nil)
        #expect(registry.markOverflow == 1)
        #expect(registry.summary(for: "op") == nil)
    }

    @Test func marksFromManyThreadsEachRecordOnceAndFreeTheirSlots() {
        let registry = makeRegistry(marks: 64)
        let threads = 8
        let rounds = 2_000
        let recorded = Atomic<Int>(0)
        let endedTwice = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let metric = "op.\(thread % 2)"
            for _ in 0..<rounds {
                // Two nested marks per thread: 16 open at most, well under 64 slots.
                let outer = registry.markStart(metric)
                let inner = registry.markStart(metric)
                if registry.markEnd(inner) != nil { recorded.add(1, ordering: .relaxed) }
                if registry.markEnd(outer) != nil { recorded.add(1, ordering: .relaxed) }
                if registry.markEnd(inner) != nil { endedTwice.add(1, ordering: .relaxed) }
            }
        }
        #expect(recorded.load(ordering: .relaxed) == threads * rounds * 2)
        #expect(endedTwice.load(ordering: .relaxed) == 0)
        #expect(registry.markOverflow == 0)
        #expect(registry.openMarks == 0)
        #expect(registry.totalRecorded == UInt64(threads * rounds * 2))
    }

    @Test func concurrentMarksBeyondTheSlotsEitherRecordOrCountAnOverflow() {
        let registry = makeRegistry(marks: 4)
        let threads = 8
        let rounds = 1_000
        let recorded = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for _ in 0..<rounds {
                let handles = (0..<3).map { _ in registry.markStart("op") }
                for handle in handles where registry.markEnd(handle) != nil {
                    recorded.add(1, ordering: .relaxed)
                }
            }
        }
        let total = UInt64(recorded.load(ordering: .relaxed)) + registry.markOverflow
        #expect(total == UInt64(threads * rounds * 3))
        #expect(registry.totalRecorded == UInt64(recorded.load(ordering: .relaxed)))
        #expect(registry.openMarks == 0)
    }

    @Test func withTheSystemClocksAMarkIsStampedWithTheWallClockAtItsEnd() throws {
        let registry = MetricsRegistry()
        let wall = SystemWallClock()
        for _ in 0..<3 {
            let handle = registry.markStart("stamped")
            let before = wall.nowMilliseconds()
            let duration = try #require(registry.markEnd(handle))
            let after = wall.nowMilliseconds()
            let stamp = try #require(registry.summary(for: "stamped")?.newestTimestamp)
            #expect(duration >= .zero)
            // The stamp is the wall time of the end, give or take the 1 ms the offset is kept.
            #expect(stamp >= before - 1 && stamp <= after + 1)
        }
    }

    @Test func markEndReturnsNilWhenTheMetricRefusesTheSample() {
        let registry = makeRegistry(autoRegister: false)
        let handle = registry.markStart("unknown")
        #expect(registry.markEnd(handle) == nil)
        #expect(registry.openMarks == 0)
    }

    @Test func measureRecordsTheBodysDurationAndReturnsItsResult() throws {
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: SteppingClock())
        let result = registry.measure("work") { 42 }
        #expect(result == 42)
        #expect(try registry.percentiles(for: "work").max == 2.5)
    }

    @Test func measureRecordsEvenWhenTheBodyThrows() throws {
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: SteppingClock())
        #expect(throws: Boom.self) { try registry.measure("failing") { throw Boom() } }
        #expect(registry.summary(for: "failing")?.count == 1)
    }

    @Test func asyncMeasureRecordsAcrossSuspensionAndRethrows() async throws {
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: SteppingClock())
        let value = await registry.measure("async.work") { () async -> Int in
            await Task.yield()
            return 7
        }
        #expect(value == 7)
        await #expect(throws: Boom.self) {
            try await registry.measure("async.work") { () async throws -> Int in throw Boom() }
        }
        #expect(registry.summary(for: "async.work")?.count == 2)
        #expect(try registry.percentiles(for: "async.work").p50 == 2.5)
    }
}
