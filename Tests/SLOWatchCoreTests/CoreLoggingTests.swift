import Logging
import SLOWatchCoreTesting
import Testing

@testable import SLOWatchCore

/// The core logs only through the `Logger` it is given, and nothing when given none.
@Suite struct CoreLoggingTests {
    @Test func theDefaultLoggerDiscardsEveryLine() {
        let logger = Logger.discarding
        #expect(logger.handler is SwiftLogNoOpLogHandler)
    }

    @Test func aGivenLoggerReceivesTheMonitorsLinesAtTheirLevel() throws {
        let log = LogCapture()
        let clock = ManualClock()
        let registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        let slo = try SLODefinition(id: "m-p50", metric: "m", percentile: "p50", threshold: 1)
        let monitor = try SLOMonitor(
            registry: registry, slos: [slo], monotonicClock: clock, logger: log.logger)
        try registry.record("m", value: 5)
        monitor.checkAll()
        #expect(log.lines.map(\.level) == [.warning])
        #expect(log.messages(atLeast: .warning).first?.contains("m-p50") == true)
    }

    @Test func linesBelowTheLoggersLevelAreNotBuilt() {
        var logger = LogCapture().logger
        logger.logLevel = .error
        var built = false
        logger.log(
            .warning,
            {
                built = true
                return "never"
            }())
        #expect(!built)
    }
}
