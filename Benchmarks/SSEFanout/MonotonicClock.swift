#if canImport(Glibc)
    import Glibc
#endif

/// The client's own monotonic clock (`CLOCK_MONOTONIC`), in ns: every time the benchmark reports is a
/// difference of two readings of it, so wall-clock steps cannot skew a result.
enum MonotonicClock {
    /// Now, in ns since an arbitrary fixed point (boot).
    static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// `nanoseconds` as ms, for reports.
    static func milliseconds(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1e6 }
}
