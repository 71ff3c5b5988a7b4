#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A wall clock: the time used for sample timestamps and event times.
public protocol WallClock: Sendable {
    /// The current time, in milliseconds since the Unix epoch (1970-01-01T00:00:00Z).
    func nowMilliseconds() -> Double
}

/// A monotonic clock: the time used to measure durations. It never goes backwards.
public protocol MonotonicClock: Sendable {
    /// The current time, in nanoseconds since an arbitrary, fixed origin.
    func nowNanoseconds() -> UInt64
}

/// The ms from `start` to `end` (monotonic ns), 0 if the clock went backwards.
@inline(__always)
package func elapsedMilliseconds(from start: UInt64, to end: UInt64) -> Double {
    Double(end &- min(start, end)) / 1_000_000
}

/// `milliseconds` in ns, saturating: NaN and negatives give 0, anything past `UInt64.max` ns
/// (about 584 years, or infinity) gives `UInt64.max`, where `UInt64(_:)` would trap.
package func saturatingNanoseconds(fromMilliseconds milliseconds: Double) -> UInt64 {
    let nanoseconds = milliseconds * 1_000_000
    guard nanoseconds > 0 else { return 0 }
    return nanoseconds < 0x1p64 ? UInt64(nanoseconds) : .max
}

/// The system's real-time clock (`CLOCK_REALTIME`).
public struct SystemWallClock: WallClock {
    /// Creates the system wall clock.
    public init() {}

    /// The current time, in milliseconds since the Unix epoch.
    @inlinable @inline(__always)
    public func nowMilliseconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
    }
}

/// The system's monotonic clock (`CLOCK_MONOTONIC`).
public struct SystemMonotonicClock: MonotonicClock {
    /// Creates the system monotonic clock.
    public init() {}

    /// The current time, in nanoseconds since an arbitrary origin (usually boot).
    @inlinable @inline(__always)
    public func nowNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
