/// Rate-limits the bus's console fallback (the line written for an event no subscriber heard): at most
/// one line per SLO (per topic for other events) per window, and, once a window in which lines were
/// held back has ended, one summary line counting them.
///
/// A key's next line is allowed a whole window after its previous one (a sliding window, so two lines of
/// one SLO are never closer than the window). The summary covers fixed windows: it is written with the
/// first fallback after the window ends. Memory is one entry per key seen within the last window: keys
/// quiet for a whole window are forgotten at each summary.
///
/// Not thread-safe on its own; the bus keeps it under a lock of its own.
struct FallbackLogLimiter: Sendable {
    /// What to write for one unheard event.
    struct Decision: Equatable, Sendable {
        /// Whether the event's own line is written.
        var logLine: Bool
        /// When a window with held-back lines ended: how many lines were held back, for how many keys.
        var summary: (lines: Int, keys: Int)?

        static func == (lhs: Decision, rhs: Decision) -> Bool {
            lhs.logLine == rhs.logLine && lhs.summary?.lines == rhs.summary?.lines
                && lhs.summary?.keys == rhs.summary?.keys
        }
    }

    /// The window, in nanoseconds; 0 lets every line through.
    let windowNanoseconds: UInt64
    /// When each key last had a line written (monotonic ns).
    private var lastLogged: [String: UInt64] = [:]
    /// When the current summary window started (monotonic ns); nil before the first event.
    private var windowStart: UInt64?
    /// Lines held back in the current summary window.
    private var suppressedLines = 0
    /// The keys whose lines were held back in the current summary window.
    private var suppressedKeys: Set<String> = []

    /// A limiter allowing one line per key per `windowNanoseconds` (0: no limit).
    init(windowNanoseconds: UInt64) {
        self.windowNanoseconds = windowNanoseconds
    }

    /// Decides for an unheard event of `key` at `now` (monotonic ns).
    mutating func admit(key: String, now: UInt64) -> Decision {
        guard windowNanoseconds > 0 else { return Decision(logLine: true, summary: nil) }
        var summary: (lines: Int, keys: Int)?
        let start = windowStart ?? now
        if now &- start >= windowNanoseconds || windowStart == nil {
            if suppressedLines > 0 { summary = (suppressedLines, suppressedKeys.count) }
            suppressedLines = 0
            suppressedKeys = []
            windowStart = now
            lastLogged = lastLogged.filter { now &- $0.value < windowNanoseconds }
        }
        if let last = lastLogged[key], now &- last < windowNanoseconds {
            suppressedLines += 1
            suppressedKeys.insert(key)
            return Decision(logLine: false, summary: summary)
        }
        lastLogged[key] = now
        return Decision(logLine: true, summary: summary)
    }
}
