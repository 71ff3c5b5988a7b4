import SLOWatchCore
import SLOWatchSync

/// A clock that moves only when told to, so tests never sleep.
///
/// It serves as both the wall clock and the monotonic clock: advancing it moves both by the same
/// amount. Every method is thread-safe (one `PThreadLock` holds both readings).
public final class ManualClock: WallClock, MonotonicClock {
    /// Wall time in ms since the epoch, and monotonic time in ns.
    private let state: PThreadLock<(wallMilliseconds: Double, monotonicNanoseconds: UInt64)>

    /// Creates a clock that starts at the given wall time, with its monotonic reading at 1 s.
    /// - Parameter startMilliseconds: wall time in ms since the Unix epoch, the unit of ``WallClock``
    ///   (default 2025-11-29T05:20:00Z).
    public init(startMilliseconds: Double = 1_764_393_600_000) {
        state = PThreadLock((startMilliseconds, 1_000_000_000))
    }

    /// Moves both clocks forward by `duration`.
    ///
    /// Zero and negative durations are ignored, since a monotonic clock never goes back. The
    /// monotonic reading saturates at `UInt64.max` ns instead of overflowing.
    public func advance(by duration: Duration) {
        guard duration > .zero else { return }
        let step = duration.saturatingNanoseconds
        let milliseconds = duration.milliseconds
        state.withLock {
            $0.wallMilliseconds += milliseconds
            let (sum, overflow) = $0.monotonicNanoseconds.addingReportingOverflow(step)
            $0.monotonicNanoseconds = overflow ? .max : sum
        }
    }

    /// The current manual wall time, in ms since the Unix epoch.
    public func nowMilliseconds() -> Double { state.withLock { $0.wallMilliseconds } }

    /// The current manual monotonic time, in ns.
    public func nowNanoseconds() -> UInt64 { state.withLock { $0.monotonicNanoseconds } }
}
