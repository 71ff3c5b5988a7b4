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
        try await Task.sleep(for: .milliseconds(40))  // lets a check already under way finish
        let stopped = fixture.monitor.checks
        try await Task.sleep(for: .milliseconds(120))
        #expect(fixture.monitor.checks == stopped)
    }

    @Test func aSecondStartReplacesTheFirstSoOnlyOneLoopRuns() async throws {
        let fixture = try SLOMonitorFixture([sloForTest("m-p50", "m", "p50", 30)])
        fixture.monitor.start(intervalMilliseconds: 25)
        fixture.monitor.start(intervalMilliseconds: 25)
        fixture.monitor.start(interval: .milliseconds(25))
        let clock = ContinuousClock()
        let began = clock.now
        try await Task.sleep(for: .milliseconds(400))
        fixture.monitor.stop()
        let elapsed = clock.now - began
        let checks = fixture.monitor.checks
        // One loop makes at most elapsed / 25 ms checks; three would make about three times as many.
        let oneLoopMaximum = UInt64(elapsed / .milliseconds(25)) + 1
        #expect(checks >= 1)
        #expect(checks <= oneLoopMaximum)
    }

    @Test func aCheckThatOutlastsTheIntervalDefersTheNextInsteadOfOverlapping() async throws {
        let publisher = SlowPublisher()
        let fixture = try SLOMonitorFixture(
            [sloForTest("m-p50", "m", "p50", 30)], publisher: publisher, rateLimitMilliseconds: 0)
        try fixture.record("m", [100])
        fixture.monitor.start(intervalMilliseconds: 5)
        #expect(await sloWaitUntil { publisher.calls >= 5 })
        fixture.monitor.stop()
        #expect(publisher.maxConcurrent == 1)
    }
}

/// A publisher that takes 20 ms per event and records how many calls overlapped.
private final class SlowPublisher: EventPublishing {
    private let state = EventLock((active: 0, maxActive: 0, calls: 0))

    func publish(topic: String, payload: EventPayload) throws -> Event {
        state.withLock {
            $0.active += 1
            $0.maxActive = max($0.maxActive, $0.active)
        }
        let clock = ContinuousClock()
        let until = clock.now + .milliseconds(20)
        while clock.now < until {}
        state.withLock {
            $0.active -= 1
            $0.calls += 1
        }
        return Event(id: "evt_test", topic: topic, sequence: 0, timestamp: 0, payload: payload)
    }

    var calls: Int { state.withLock { $0.calls } }
    var maxConcurrent: Int { state.withLock { $0.maxActive } }
}
