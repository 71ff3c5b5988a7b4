import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value guarded by a small spin-then-yield lock: the lock of every metric, of the registry and of
/// the mark slots.
///
/// Why not `Synchronization.Mutex`: on Linux a contended `Mutex` is handed over through a
/// priority-inheritance futex in the kernel, which ThreadSanitizer cannot see, so `--sanitize=thread`
/// runs report races on correctly locked state. A `pthread_mutex_t` is visible to it but costs a
/// library call each way (`mark_start_end` went from about 135 ns to about 280 ns). This lock is one
/// acquiring compare-exchange and one releasing store, both plain Swift atomics, which
/// ThreadSanitizer understands. Every critical section here is short (tens of ns for a sample, a few
/// µs for a percentile copy), so a waiter spins a little, then yields its core to the holder.
///
/// `@unchecked Sendable`: the state behind `storage` is read and written only while `locked` is held,
/// in `withLock`.
final class MetricLock<State: Sendable>: @unchecked Sendable {
    private let locked = Atomic<Bool>(false)
    /// The state, out of line so that `withLock` needs no dynamic exclusivity check.
    private let storage: UnsafeMutablePointer<State>

    /// Creates a lock around `state`.
    init(_ state: State) {
        storage = .allocate(capacity: 1)
        storage.initialize(to: state)
    }

    deinit {
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    /// Runs `body` with exclusive access to the state. Not reentrant: `body` must not take this lock.
    @inline(__always)
    func withLock<Result, Failure: Error>(
        _ body: (inout State) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        if !locked.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            lockContended()
        }
        defer { locked.store(false, ordering: .releasing) }
        return try body(&storage.pointee)
    }

    @inline(never)
    private func lockContended() {
        var attempts = 0
        while true {
            if !locked.load(ordering: .relaxed),
                locked.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
            {
                return
            }
            attempts += 1
            // A short spin covers a holder running on the other core; past that, the holder is
            // probably descheduled, so give it the core.
            if attempts > 100 { sched_yield() }
        }
    }
}
