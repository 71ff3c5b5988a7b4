import Logging

extension EventBus {
    /// Writes the console fallback line of `event`, which no subscriber heard, within the rate limit,
    /// after the summary of the lines held back in the window that just ended, if any.
    func logUnheard(_ event: Event, level: Logger.Level) {
        let key: String =
            switch event.payload {
            case .slo(let slo): "slo \(slo.slo)"
            case .burn(let burn): "slo \(burn.slo) tier \(burn.tier)"
            case .fields(let fields):
                if case .string(let slo)? = fields["slo"] { "slo \(slo)" } else { "topic \(event.topic)" }
            }
        let now = monotonicClock.nowNanoseconds()
        let decision = fallbackLimiter.withLock { $0.admit(key: key, now: now) }
        if let summary = decision.summary {
            let seconds = Int(configuration.fallbackRateWindow.saturatingNanoseconds / 1_000_000_000)
            stats.logger.log(
                level,
                "event bus: \(summary.lines) violation lines suppressed for \(summary.keys) SLOs in the last "
                    + "\(seconds) s (no subscriber; at most one line per SLO per \(seconds) s)")
        }
        if decision.logLine { stats.logger.log(level, "event (no subscriber): \(event)") }
    }
}
