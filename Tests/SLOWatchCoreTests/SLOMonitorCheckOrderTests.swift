import Dispatch
import Foundation
import SLOWatchCoreTesting
import SLOWatchSync
import Synchronization
import Testing

@testable import SLOWatchCore

/// A check evaluates outside the state lock; edits do not wait for it, and per SLO events still leave
/// in the order they were judged (see ``SLOMonitor/checkAll()``).
@Suite struct SLOMonitorCheckOrderTests {
    /// A monitor whose evaluation (or first publish) can be held, over a registry with `m` = 10.
    private struct Gated {
        let clock = ManualClock()
        let gate: GateWallClock
        let publisher: BlockingPublisher
        let registry: MetricsRegistry
        let monitor: SLOMonitor

        init(_ slos: [SLODefinition]) throws {
            gate = GateWallClock(base: clock)
            publisher = BlockingPublisher()
            registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
            monitor = try SLOMonitor(
                registry: registry, slos: slos, publisher: publisher, configuration: .init(rateLimit: .zero),
                wallClock: gate, monotonicClock: clock)
            try registry.record("m", value: 10)
        }

        var topics: [String] { publisher.published.withLock { $0.map { "\($0.topic) \($0.slo)" } } }
    }

    @Test func anEditDuringAnEvaluationDoesNotWaitAndTheCheckDropsItsStaleEvent() throws {
        let gated = try Gated([sloForTest("a", "m", "p50", 1), sloForTest("b", "m", "p50", 1)])
        #expect(gated.monitor.checkAll().count == 2)
        gated.gate.armed.store(true, ordering: .relaxed)
        let done = DispatchSemaphore(value: 0)
        let second = PThreadLock<[SLOEvent]>([])
        onOwnThread {
            let events = gated.monitor.checkAll()
            second.withLock { $0 = events }
            done.signal()
        }
        gated.gate.reached.wait()  // the check copied the trackers and is evaluating
        // The edit runs on its own thread, so that an edit waiting for the evaluation fails the test
        // instead of hanging it.
        let changed = try sloForTest("a", "m", "p50", 100)
        let edited = DispatchSemaphore(value: 0)
        let recoveries = PThreadLock<[String]>([])
        onOwnThread {
            let edit = gated.monitor.upsertSLO(changed)
            recoveries.withLock { $0 = edit.recoveries.map(\.slo) }
            edited.signal()
        }
        let answered = edited.wait(timeout: .now() + .seconds(10)) == .success
        #expect(answered, "the edit waited for the check's evaluation")
        #expect(recoveries.withLock { $0 } == ["a"])  // answered while the check is still held
        #expect(gated.monitor.status(id: "a")?.slo.threshold == 100)
        gated.gate.release.signal()
        done.wait()
        if !answered { edited.wait() }
        // The check judged the old "a": its violation is dropped, "b"'s is kept.
        #expect(second.withLock { $0.map(\.slo) } == ["b"])
        #expect(gated.monitor.status(id: "a")?.checkedAt == nil)  // the edit's fresh tracker stays
        #expect(gated.monitor.status(id: "b")?.violating == true)
        #expect(
            gated.topics == [
                "perf.slo_violation a", "perf.slo_violation b", "perf.slo_recovered a",
                "perf.slo_violation b",
            ])
    }

    @Test func anEditWaitsForADeliveryInProgressSoItsRecoveryComesAfter() throws {
        let gated = try Gated([sloForTest("a", "m", "p50", 1)])
        gated.publisher.holdNext.store(true, ordering: .relaxed)
        let checked = DispatchSemaphore(value: 0)
        onOwnThread {
            gated.monitor.checkAll()
            checked.signal()
        }
        gated.publisher.reached.wait()  // the check is delivering its violation
        let removed = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let recoveries = PThreadLock<[SLOEvent]?>(nil)
        onOwnThread {
            started.signal()
            let events = gated.monitor.removeSLO(id: "a")
            recoveries.withLock { $0 = events }
            removed.signal()
        }
        started.wait()
        // An edit that did not wait would publish its recovery now, before the held violation.
        let waited = removed.wait(timeout: .now() + .milliseconds(200)) == .timedOut
        #expect(waited, "the edit did not wait for the delivery in progress")
        gated.publisher.release.signal()
        checked.wait()
        if waited { removed.wait() }
        #expect(recoveries.withLock { $0?.map(\.reason) } == [.sloRemoved])
        #expect(gated.topics == ["perf.slo_violation a", "perf.slo_recovered a"])
    }
}

/// Runs `body` on a thread of its own: a blocked GCD worker could delay it on a 2-core machine.
private func onOwnThread(_ body: @escaping @Sendable () -> Void) {
    Thread { body() }.start()
}

/// A wall clock that, once armed, holds its next reader until released (the monitor reads it once per
/// evaluation, after copying the trackers).
private final class GateWallClock: WallClock {
    let base: ManualClock
    let armed = Atomic<Bool>(false)
    let reached = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)

    init(base: ManualClock) { self.base = base }

    func nowMilliseconds() -> Double {
        if armed.exchange(false, ordering: .relaxed) {
            reached.signal()
            release.wait()
        }
        return base.nowMilliseconds()
    }
}

/// A publisher that records `topic slo` and, once told to, holds its next publish until released.
private final class BlockingPublisher: EventPublishing {
    let published = PThreadLock<[(topic: String, slo: String)]>([])
    let holdNext = Atomic<Bool>(false)
    let reached = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)

    func publish(topic: String, payload: EventPayload) throws -> Event {
        if holdNext.exchange(false, ordering: .relaxed) {
            reached.signal()
            release.wait()
        }
        let slo = payload.sloEvent?.slo ?? "?"
        published.withLock { $0.append((topic, slo)) }
        return Event(id: "evt_test", topic: topic, sequence: 1, timestamp: 0, payload: payload)
    }
}
