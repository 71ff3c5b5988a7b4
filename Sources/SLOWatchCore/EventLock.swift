#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value guarded by a `pthread_mutex_t`.
///
/// Used by the event bus and the SLO monitor instead of `Synchronization.Mutex` because on Linux
/// `Mutex` hands a contended lock over through a priority-inheritance futex in the kernel, which
/// ThreadSanitizer cannot see: it then reports races on correctly locked state. ThreadSanitizer
/// intercepts `pthread_mutex_lock`, so this lock keeps `--sanitize=thread` runs meaningful.
final class EventLock<State: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: `state` is read and written only between `pthread_mutex_lock(mutex)` and
    // `pthread_mutex_unlock(mutex)`, in `withLock`.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var state: State

    /// Creates a lock around `state`.
    init(_ state: State) {
        self.state = state
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the state. Not reentrant: `body` must not take this lock.
    func withLock<Result, Failure: Error>(
        _ body: (inout State) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }
}
