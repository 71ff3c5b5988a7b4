import SLOWatchCoreTesting
import Testing

@testable import SLOWatchCore

/// Public APIs given extreme but representable inputs must answer or throw, never trap.
@Suite struct ExtremeInputTests {
    @Test func subscribingAfterTheLargestSequenceReplaysNothingAndMissesNothing() throws {
        let bus = EventBus(logger: .silent)
        #expect(try bus.stream(after: .max).missed == 0)
        for _ in 1...3 { try bus.publish(topic: "t", payload: [:]) }
        let (replay, missed, stream) = try bus.stream(after: .max)
        #expect(replay.isEmpty && missed == 0)
        stream.cancel()
        try bus.subscribe(after: .max) { _ in }
        #expect(bus.history(after: .max).isEmpty)
    }

    @Test(arguments: [1e308, 0x1p64, Double.infinity, -1e308, Double.nan])
    func publishingWithAWallClockOutsideTheULIDRangeStillMakesAnID(now: Double) throws {
        let bus = EventBus(wallClock: FixedWallClock(now: now), logger: .silent)
        let first = try bus.publish(topic: "t", payload: [:])
        let second = try bus.publish(topic: "t", payload: [:])
        #expect(first.id.count == 4 + 26 && second.id.count == 4 + 26)
        #expect(first.id < second.id)
        // A finite reading is kept as it is; a non-finite one is clamped to a finite time.
        let expected = now.isNaN ? 0 : now.isInfinite ? .greatestFiniteMagnitude : now
        #expect(first.timestamp == expected && second.timestamp == expected)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func aNonFiniteWallClockMakesRecordThrowInsteadOfStoringTheTimestamp(now: Double) throws {
        let registry = MetricsRegistry(wallClock: FixedWallClock(now: now), monotonicClock: ManualClock())
        let error = #expect(throws: MetricsError.self) { try registry.record("m", value: 1) }
        #expect(error?.kind == .nonFiniteValue)
        #expect(error?.message.hasPrefix("timestamp \(now) for metric \"m\" is invalid") == true)
        try registry.record("m", value: 2, timestamp: 5)  // an explicit finite timestamp still works
        let handle = try registry.handle(for: "m")
        #expect(throws: MetricsError.self) { try registry.record(handle, value: 3) }
        #expect(registry.markEnd(registry.markStart("m")) == nil)
        #expect(registry.measure("m") { 4 } == 4)  // the body's result survives the dropped sample
        let samples = try registry.percentiles(for: "m")
        #expect(samples.count == 1 && samples.min == 2)
        #expect(samples.oldestTimestamp == 5 && samples.newestTimestamp == 5)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func aNonFiniteWallClockGivesSLOEventsAndEnvelopesAFiniteTimestamp(now: Double) throws {
        let clock = ManualClock()
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        let bus = EventBus(wallClock: FixedWallClock(now: now), logger: .silent)
        let monitor = try SLOMonitor(
            registry: registry, slos: [sloForTest("m-p50", "m", "p50", 30)], publisher: bus,
            wallClock: FixedWallClock(now: now), monotonicClock: clock, logger: .silent)
        try registry.record("m", value: 100)
        let violation = try #require(monitor.checkAll().first)
        let expected: Double = now.isNaN ? 0 : now > 0 ? .greatestFiniteMagnitude : -.greatestFiniteMagnitude
        #expect(violation.timestamp == expected)
        #expect(violation.payload.fields["timestamp"] == .number(expected))
        let envelope = try #require(bus.history().first)
        #expect(envelope.timestamp == expected)
    }

    @Test(arguments: [Duration.seconds(Int64.max), .seconds(Int64(UInt64.max / 1_000_000_000) + 1)])
    func aHugeRateLimitNeverTrapsAndKeepsTheLimitClosed(rateLimit: Duration) throws {
        let fixture = try SLOMonitorFixture([sloForTest("m-p50", "m", "p50", 30)], rateLimit: rateLimit)
        try fixture.record("m", [100])
        #expect(fixture.check() == ["violation m-p50"])
        fixture.clock.advance(by: .seconds(1_000_000_000_000))
        #expect(fixture.check() == [])
    }

    @Test func rateLimitConversionSaturates() {
        #expect(saturatingNanoseconds(fromMilliseconds: .nan) == 0)
        #expect(saturatingNanoseconds(fromMilliseconds: -1e308) == 0)
        #expect(saturatingNanoseconds(fromMilliseconds: 1.5) == 1_500_000)
        #expect(saturatingNanoseconds(fromMilliseconds: 1e308) == .max)
        #expect(saturatingNanoseconds(fromMilliseconds: .infinity) == .max)
    }

    @Test func durationConversionSaturates() {
        #expect(Duration.seconds(-1).saturatingNanoseconds == 0)
        #expect(Duration.zero.saturatingNanoseconds == 0)
        #expect(Duration.milliseconds(1.5).saturatingNanoseconds == 1_500_000)
        #expect(Duration.seconds(Int64.max).saturatingNanoseconds == .max)
        #expect(Duration.milliseconds(-2.5).milliseconds == -2.5)
        #expect(Duration.seconds(3).milliseconds == 3_000)
    }

    @Test func aHugeMarkSlotCountIsClampedInsteadOfTrapping() throws {
        let clock = ManualClock()
        let registry = MetricsRegistry(
            configuration: .init(maxConcurrentMarks: .max), wallClock: clock, monotonicClock: clock)
        let handle = registry.markStart("op")
        clock.advance(by: .milliseconds(4))
        #expect(registry.markEnd(handle) == .milliseconds(4))
        let none = MetricsRegistry(configuration: .init(maxConcurrentMarks: .min))
        #expect(!none.markStart("op").isRecording)
        #expect(none.markOverflow == 1)
    }

    @Test func aHugeDefaultCapacityIsRejectedWhenAutoRegistering() {
        let registry = MetricsRegistry(configuration: .init(maxMetrics: .max, defaultCapacity: .max))
        #expect(throws: MetricsError.invalidCapacity(.max, metric: "x")) {
            try registry.record("x", value: 1)
        }
        #expect(throws: MetricsError.invalidCapacity(.max, metric: "y")) {
            try registry.register(MetricDefinition(name: "y", capacity: .max))
        }
    }

    @Test func theManualClockSaturatesInsteadOfTrapping() {
        let clock = ManualClock()
        let start = clock.nowMilliseconds()
        clock.advance(by: .seconds(Int64.max))
        #expect(clock.nowNanoseconds() == .max)
        clock.advance(by: .milliseconds(1))
        clock.advance(by: .seconds(-5))
        #expect(clock.nowNanoseconds() == .max)
        #expect(clock.nowMilliseconds() > start + 9e21)
    }

    @Test func extremeTimestampsWindowsAndQuantilesAnswerWithoutTrapping() throws {
        let clock = ManualClock()
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        let big = Double.greatestFiniteMagnitude
        try registry.record("m", value: big, timestamp: -big)
        try registry.record("m", value: -big, timestamp: big)
        try registry.record("m", value: 1, timestamp: -1e308)
        let all = try registry.percentiles(for: "m", quantiles: [1e-300, 1, 0], windowMilliseconds: 1e308)
        #expect(all.count == 2)  // now − 1e308 excludes only the sample stamped −max
        #expect(all.quantiles.map(\.value) == [-big, 1, -big])
        #expect(all.mean?.isFinite == true)
        let everything = try registry.percentiles(for: "m", windowMilliseconds: .infinity)
        #expect(
            everything.count == 3 && everything.oldestTimestamp == -big && everything.newestTimestamp == big)

        // Only the service's text can name a window this long; the core keeps it in ms.
        let hugeWindow = try SLODefinition(
            id: "m-p50", metric: "m", percentile: .p50, threshold: 30, unit: "ms", direction: .above,
            windowMilliseconds: 1e308, minSamples: 1, severity: "warning")
        let fixture = try SLOMonitorFixture([hugeWindow])
        try fixture.record("m", [100], timestamp: -1e308)
        try fixture.record("m", [100], timestamp: big)
        #expect(fixture.check() == ["violation m-p50"])
    }

    @Test func extremeLoopIntervalsDoNotTrap() throws {
        let fixture = try SLOMonitorFixture([sloForTest("m-p50", "m", "p50", 30)])
        fixture.monitor.start(interval: .seconds(Int64.max))
        fixture.monitor.start(interval: .seconds(-1))
        fixture.monitor.start(interval: .zero)
        fixture.monitor.start(interval: .seconds(Int64.max))
        fixture.monitor.start(interval: .seconds(Int64.min))
        #expect(fixture.monitor.isRunning)
        fixture.monitor.stop()
        #expect(!fixture.monitor.isRunning)
    }
}

/// A wall clock stuck at one value, which may be anything a `Double` holds.
private struct FixedWallClock: WallClock {
    let now: Double
    func nowMilliseconds() -> Double { now }
}
