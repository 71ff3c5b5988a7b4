#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value guarded by a `pthread_mutex_t`: the general-purpose lock of SLOWatchCore (event bus,
/// subscriber queues, SLO monitor) and SLOWatchHTTP (stream writers, loop mailboxes).
///
/// Why not `Synchronization.Mutex`: on Linux a contended `Mutex` is handed over through a
/// priority-inheritance futex in the kernel, which ThreadSanitizer cannot see, so it reports races on
/// correctly locked state. ThreadSanitizer intercepts `pthread_mutex_lock`, so this lock keeps
/// `--sanitize=thread` runs meaningful. Uncontended, locking costs one atomic operation.
///
/// A lock that guards no value still needs a non-empty `State` (say a `UInt8`): with `()`,
/// ThreadSanitizer reports a race between the read of the mutex and the (empty) state's exclusive
/// access, which is a false positive.
package final class PThreadLock<State>: @unchecked Sendable {
    // @unchecked Sendable: `state` is read and written only between `pthread_mutex_lock(mutex)` and
    // `pthread_mutex_unlock(mutex)`, in `withLock`.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var state: State

    /// Creates a lock around `state`.
    package init(_ state: State) {
        self.state = state
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the state and returns its result. Not reentrant: `body`
    /// must not take this lock again.
    package func withLock<R, E: Error>(_ body: (inout State) throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }
}
