import SLOWatchCoreTesting
import Testing

@testable import SLOWatchCore

/// The console fallback (an event no subscriber heard) writes at most one line per SLO per rate window,
/// and a summary of the lines it held back.
@Suite struct EventBusFallbackTests {
    private func makeBus(_ log: LogCapture, _ clock: ManualClock, window: Duration = .seconds(60)) -> EventBus
    {
        EventBus(
            configuration: .init(fallbackRateWindow: window), wallClock: clock, logger: log.logger,
            monotonicClock: clock)
    }

    private func violate(_ bus: EventBus, _ slo: String) throws {
        try bus.publish(topic: "perf.slo_violation", payload: ["slo": .string(slo)])
    }

    private func fallbackLines(_ log: LogCapture) -> [String] {
        log.messages(atLeast: .warning).filter { $0.contains("(no subscriber)") }
    }

    @Test func oneLinePerSLOPerWindowThenASummaryOfTheRest() throws {
        let log = LogCapture()
        let clock = ManualClock()
        let bus = makeBus(log, clock)
        for _ in 0..<10 {
            try violate(bus, "a")
            try violate(bus, "b")
            clock.advance(by: .seconds(1))
        }
        #expect(fallbackLines(log).count == 2, "one line each for a and b within the minute")
        #expect(log.messages(atLeast: .warning).count == 2, "no summary before the window ends")
        clock.advance(by: .seconds(60))
        try violate(bus, "c")
        let lines = log.messages(atLeast: .warning)
        #expect(lines.count == 4)
        #expect(
            lines.dropLast().last
                == "event bus: 18 violation lines suppressed for 2 SLOs in the last 60 s (no subscriber; at most one line per SLO per 60 s)"
        )
        #expect(lines.last?.contains("slo=c") == true, "a new SLO is written at once")
        try violate(bus, "a")
        #expect(fallbackLines(log).count == 4, "a's window has passed: written again")
        try violate(bus, "a")
        #expect(fallbackLines(log).count == 4, "and held back again within the new window")
    }

    @Test func twoLinesOfOneSLOAreNeverCloserThanTheWindow() throws {
        let log = LogCapture()
        let clock = ManualClock()
        let bus = makeBus(log, clock)
        try violate(bus, "a")
        clock.advance(by: .seconds(59))
        try violate(bus, "a")
        #expect(fallbackLines(log).count == 1)
        clock.advance(by: .seconds(1))
        try violate(bus, "a")
        #expect(fallbackLines(log).count == 2)
    }

    @Test func aZeroWindowWritesEveryLineAndASubscriberSilencesTheFallback() throws {
        let log = LogCapture()
        let clock = ManualClock()
        let bus = makeBus(log, clock, window: .zero)
        for _ in 0..<5 { try violate(bus, "a") }
        #expect(fallbackLines(log).count == 5)
        let quiet = LogCapture()
        let heard = makeBus(quiet, clock)
        try heard.subscribe { _ in }
        for _ in 0..<5 { try violate(heard, "a") }
        #expect(fallbackLines(quiet).isEmpty)
    }

    @Test func theLimiterForgetsKeysQuietForAWindow() {
        var limiter = FallbackLogLimiter(windowNanoseconds: 10)
        #expect(limiter.admit(key: "a", now: 0) == .init(logLine: true, summary: nil))
        #expect(limiter.admit(key: "a", now: 5) == .init(logLine: false, summary: nil))
        #expect(limiter.admit(key: "b", now: 25) == .init(logLine: true, summary: (1, 1)))
        #expect(limiter.admit(key: "a", now: 26) == .init(logLine: true, summary: nil))
    }
}
