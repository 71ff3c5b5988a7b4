#if canImport(Glibc)
    import Glibc
#endif

/// A value guarded by a `pthread_mutex_t`, for state shared between event loops and other threads
/// (stream writers, mailboxes).
///
/// Used instead of `Synchronization.Mutex` because on Linux a contended `Mutex` is handed over
/// through a priority-inheritance futex in the kernel, which ThreadSanitizer cannot see: it then
/// reports races on correctly locked state. ThreadSanitizer intercepts `pthread_mutex_lock`, so this
/// lock keeps `--sanitize=thread` runs meaningful. Uncontended, both cost one atomic operation.
final class PThreadLock<State: Sendable>: @unchecked Sendable {
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

    /// Runs `body` with exclusive access to the state and returns its result.
    func withLock<Result>(_ body: (inout State) -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body(&state)
    }
}
