import Logging

/// Logs StatsD problems at a bounded rate: at most ``StatsDLimits/logBurst`` per interval, then one
/// line per interval saying how many were left out, so a flood of bad lines cannot flood the log.
///
/// Not thread-safe: owned by the listener's thread.
struct StatsDLogLimiter {
    private let logger: Logger
    private let burst: Int
    private let intervalNanoseconds: UInt64
    /// When the current interval began, in ns on the monotonic clock; nil before the first problem.
    private var intervalStart: UInt64?
    /// Problems logged in the current interval.
    private var logged = 0
    /// Problems left out in the current interval.
    private var suppressed = 0
    /// The most severe level among those left out.
    private var suppressedLevel = Logger.Level.trace

    /// - Parameters:
    ///   - logger: where problems go.
    ///   - limits: the burst and interval.
    init(logger: Logger, limits: StatsDLimits) {
        self.logger = logger
        burst = max(limits.logBurst, 0)
        let milliseconds = SLOWatchService.wholeMilliseconds(limits.logIntervalMilliseconds)
        intervalNanoseconds = UInt64(max(milliseconds, 1)) * 1_000_000
    }

    /// Logs `message()` at `level` unless this interval's burst is spent; the message is only built when
    /// it is logged.
    /// - Parameter now: the monotonic time, in ns.
    mutating func log(_ level: Logger.Level, now: UInt64, _ message: () -> String) {
        guard logger.logLevel <= level else { return }
        flush(now: now)
        if intervalStart == nil { intervalStart = now }
        guard logged < burst else {
            suppressed += 1
            suppressedLevel = max(suppressedLevel, level)
            return
        }
        logged += 1
        logger.log(level: level, "\(message())")
    }

    /// Ends the current interval when it is over: logs how many problems it left out, if any.
    /// - Parameter now: the monotonic time, in ns.
    mutating func flush(now: UInt64) {
        guard let start = intervalStart, now &- start >= intervalNanoseconds else { return }
        if suppressed > 0 {
            let interval = DurationText.format(milliseconds: Double(intervalNanoseconds / 1_000_000))
            let summary =
                "\(suppressed) more StatsD problem\(suppressed == 1 ? " was" : "s were") not logged in "
                + "\(interval) (at most \(burst) are logged per \(interval))."
            logger.log(level: suppressedLevel, "\(summary)")
        }
        intervalStart = nil
        logged = 0
        suppressed = 0
        suppressedLevel = .trace
    }
}
