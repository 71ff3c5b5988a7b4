import SLOWatchCore

/// The client's own monotonic clock, in ns: every time the benchmark reports is a difference of two
/// readings of it, so wall-clock steps cannot skew a result. It reads the core's system clock.
enum FanoutClock {
    /// Now, in ns since an arbitrary fixed point (boot), on `CLOCK_MONOTONIC`.
    static func nanoseconds() -> UInt64 { SystemMonotonicClock().nowNanoseconds() }

    /// `nanoseconds` as ms, for reports.
    static func milliseconds(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1e6 }
}
