import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The system wall time for samples that marks and `measure` record, derived from a monotonic reading
/// the caller already took, so ending a mark reads the system clocks twice instead of three times.
///
/// It keeps the offset between `CLOCK_REALTIME` and `CLOCK_MONOTONIC`, read together at most
/// `refreshNanoseconds` ago. NTP slews both clocks alike, so the offset only changes when the wall
/// clock is stepped; such a step shows in the timestamps within `refreshNanoseconds` (1 ms). Used only
/// when the registry runs on both system clocks; injected clocks are always read directly.
final class MarkWallClock: Sendable {
    /// How long an offset is trusted, in ns of monotonic time.
    static let refreshNanoseconds: UInt64 = 1_000_000
    /// Wall time minus monotonic time, in ns.
    private let offset = Atomic<Int64>(0)
    /// The monotonic time in ns from which `offset` must be read again (0: never read).
    private let expiry = Atomic<UInt64>(0)

    /// Creates an estimator that reads the wall clock on its first use.
    init() {}

    /// The wall time, in ms since the epoch, at the monotonic time `now` (ns, just read by the caller).
    @inline(__always)
    func milliseconds(atMonotonic now: UInt64) -> Double {
        // The acquiring load pairs with `refresh`'s releasing store: an unexpired expiry comes with
        // its own offset or a newer one. Two threads refreshing at once both store fresh values.
        guard now < expiry.load(ordering: .acquiring) else {
            return Double(Int64(bitPattern: now) &+ refresh(now)) / 1_000_000
        }
        return Double(Int64(bitPattern: now) &+ offset.load(ordering: .relaxed)) / 1_000_000
    }

    @inline(never)
    private func refresh(_ now: UInt64) -> Int64 {
        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        let fresh = Int64(wall.tv_sec) &* 1_000_000_000 &+ Int64(wall.tv_nsec) &- Int64(bitPattern: now)
        offset.store(fresh, ordering: .relaxed)
        expiry.store(now &+ Self.refreshNanoseconds, ordering: .releasing)
        return fresh
    }
}
