import SLOWatchCoreTesting
import SLOWatchSync
import Testing

@testable import SLOWatchCore

/// A registry, a monitor and a log on one manual clock.
struct SLOMonitorFixture {
    let clock = ManualClock()
    let log = SLOTestLog()
    let registry: MetricsRegistry
    let monitor: SLOMonitor

    init(
        _ slos: [SLODefinition], publisher: (any EventPublishing)? = nil,
        monotonicClock: (any MonotonicClock)? = nil, rateLimit: Duration = .seconds(10)
    ) throws {
        registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        monitor = try SLOMonitor(
            registry: registry, slos: slos, publisher: publisher,
            configuration: .init(rateLimit: rateLimit),
            monotonicClock: monotonicClock ?? clock, logger: log.logger)
    }

    /// Records each value into `metric` at the clock's current time.
    func record(_ metric: String, _ values: [Double], timestamp: Double? = nil) throws {
        for value in values { try registry.record(metric, value: value, timestamp: timestamp) }
    }

    /// Runs one check and returns `kind slo` for each event, e.g. `violation fps-p50`.
    func check() -> [String] {
        monitor.checkAll().map { "\($0.kind) \($0.slo)" }
    }
}

/// An SLO built with `try`, for brevity in tests.
func sloForTest(
    _ id: String, _ metric: String, _ percentile: String, _ threshold: Double,
    direction: SLODirection = .above, unit: String = "ms", window: Duration? = nil, minSamples: Int = 1
) throws -> SLODefinition {
    try SLODefinition(
        id: id, metric: metric, percentile: percentile, threshold: threshold, unit: unit,
        direction: direction,
        window: window, minSamples: minSamples)
}

/// A publisher that always throws.
struct SLOThrowingPublisher: EventPublishing {
    struct Refused: Error {}
    func publish(topic: String, payload: EventPayload) throws -> Event { throw Refused() }
}

/// A publisher that records what it was given.
final class SLORecordingPublisher: EventPublishing {
    let published = PThreadLock<[(topic: String, payload: EventPayload)]>([])
    func publish(topic: String, payload: EventPayload) throws -> Event {
        let sequence = published.withLock {
            $0.append((topic, payload))
            return UInt64($0.count)
        }
        return Event(id: "evt_test", topic: topic, sequence: sequence, timestamp: 0, payload: payload)
    }
    var count: Int { published.withLock { $0.count } }
}

/// A monotonic clock that moves forward by a fixed step on every read, so any measured span is long.
final class SLOAdvancingClock: MonotonicClock {
    private let nanoseconds = PThreadLock<UInt64>(1_000_000_000)
    private let step: UInt64

    init(stepMilliseconds: UInt64) { step = stepMilliseconds * 1_000_000 }

    func nowNanoseconds() -> UInt64 {
        nanoseconds.withLock {
            $0 += step
            return $0
        }
    }
}

@Suite struct SLOMonitorTestSupportTests {
    @Test func theAdvancingClockMovesOnEveryRead() {
        let clock = SLOAdvancingClock(stepMilliseconds: 10)
        let first = clock.nowNanoseconds()
        #expect(clock.nowNanoseconds() - first == 10_000_000)
    }
}
