import Dispatch
import SLOWatchSync
import Testing

@testable import SLOWatchCore

@Suite struct SLOMonitorLoopTests {
    @Test func theLoopChecksWithinAnIntervalAndStopHaltsIt() async throws {
        let fixture = try SLOMonitorFixture([sloForTest("m-p50", "m", "p50", 30)])
        fixture.monitor.start(interval: .milliseconds(20))
        #expect(fixture.monitor.isRunning)
        #expect(await sloWaitUntil { fixture.monitor.checks >= 3 })
        fixture.monitor.stop()
        #expect(!fixture.monitor.isRunning)
        let stopped = fixture.monitor.checks
        try await Task.sleep(for: .milliseconds(200))  // ten intervals
        // A check whose tick had already begun may still finish; nothing after it.
        #expect(fixture.monitor.checks <= stopped + 1)
    }

    @Test func aSecondStartReplacesTheFirstSoOnlyOneLoopRuns() async throws {
        let fixture = try SLOMonitorFixture([sloForTest("m-p50", "m", "p50", 30)])
        fixture.monitor.start(interval: .milliseconds(25))
        fixture.monitor.start(interval: .milliseconds(25))
        fixture.monitor.start(interval: .milliseconds(25))
        let clock = ContinuousClock()
        let began = clock.now
        #expect(await sloWaitUntil { fixture.monitor.checks >= 4 })
        fixture.monitor.stop()
        let elapsed = clock.now - began
        let checks = fixture.monitor.checks
        // The k-th check of one loop comes at least k × 25 ms after `start`, so one loop makes at most
        // elapsed / 25 ms + 1 checks; three loops would reach 4 checks in about 35 ms and break this.
        let oneLoopMaximum = UInt64(elapsed / .milliseconds(25)) + 1
        #expect(checks >= 4)
        #expect(checks <= oneLoopMaximum, "\(checks) checks in \(elapsed)")
    }

    @Test func aCheckThatOutlastsTheIntervalDefersTheNextInsteadOfOverlapping() async throws {
        let publisher = SlowPublisher()
        let fixture = try SLOMonitorFixture(
            [sloForTest("m-p50", "m", "p50", 30)], publisher: publisher, rateLimit: .zero)
        try fixture.record("m", [100])
        fixture.monitor.queue.setSpecific(key: SlowPublisher.monitorQueueKey, value: true)
        fixture.monitor.start(interval: .milliseconds(5))
        #expect(await sloWaitUntil { publisher.calls >= 5 })
        fixture.monitor.stop()
        // Issue 2: the loop never runs on an I/O thread; every check runs on the monitor's own queue.
        #expect(publisher.callsOffTheMonitorQueue == 0)
        // The next check is scheduled a full interval (5 ms; 4 allows for clock rounding) after the previous one ends: a timer firing
        // every 5 ms regardless would start the queued checks back to back. Timers never fire early,
        // so this lower bound holds on any machine, however loaded.
        let gaps = publisher.gapsBetweenCalls
        #expect(gaps.count >= 4)
        #expect(gaps.allSatisfy { $0 >= .milliseconds(4) }, "gaps \(gaps)")
    }
}

/// A publisher that takes 20 ms per event and records how many calls ran off the monitor's queue and
/// when each call began and ended.
private final class SlowPublisher: EventPublishing {
    /// Set to true on the monitor's queue by the test, so a call can tell whether it runs there.
    static let monitorQueueKey = DispatchSpecificKey<Bool>()
    private struct State {
        var callsOffTheMonitorQueue = 0
        var spans: [(start: ContinuousClock.Instant, end: ContinuousClock.Instant)] = []
    }
    private let state = PThreadLock(State())

    func publish(topic: String, payload: EventPayload) throws -> Event {
        let clock = ContinuousClock()
        let start = clock.now
        let onMonitorQueue = DispatchQueue.getSpecific(key: Self.monitorQueueKey) == true
        let until = clock.now + .milliseconds(20)
        while clock.now < until {}
        state.withLock {
            if !onMonitorQueue { $0.callsOffTheMonitorQueue += 1 }
            $0.spans.append((start, clock.now))
        }
        return Event(id: "evt_test", topic: topic, sequence: 0, timestamp: 0, payload: payload)
    }

    var calls: Int { state.withLock { $0.spans.count } }
    /// How many calls ran on a thread other than the monitor's queue (marked with `monitorQueueKey`).
    var callsOffTheMonitorQueue: Int { state.withLock { $0.callsOffTheMonitorQueue } }
    /// The time from the end of each call to the start of the next.
    var gapsBetweenCalls: [Duration] {
        state.withLock { state in
            zip(state.spans, state.spans.dropFirst()).map { $1.start - $0.end }
        }
    }
}
