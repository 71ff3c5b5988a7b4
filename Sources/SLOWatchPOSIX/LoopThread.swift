import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A joinable POSIX thread that runs one closure: the start-up code of every event loop.
///
/// `pthread_create` rather than `Thread` or Dispatch: an event loop blocks in `epoll_wait` for its
/// whole life, which would starve a Dispatch worker, and the loop must be able to tell its own thread
/// apart (``isCurrent``) to refuse to join itself.
///
/// Sendable: `handle` is set in `init` and never changed, so any thread may compare it with its own
/// while another joins; `joinClaimed` and `joined` are atomic.
package final class LoopThread: Sendable {
    private let handle: pthread_t
    /// Set by the first ``join()`` from another thread, so only that call joins.
    private let joinClaimed = Atomic<Bool>(false)
    /// Set once `pthread_join` returned: a joined thread's id may be reused by a new thread, so it is no
    /// longer compared.
    private let joined = Atomic<Bool>(false)

    private init(handle: pthread_t) { self.handle = handle }

    /// Starts a thread running `body`.
    /// - Returns: the thread, or nil when the system refuses one (`pthread_create` failed; the code is
    ///   in `errno`).
    package static func start(_ body: @escaping @Sendable () -> Void) -> LoopThread? {
        let box = Unmanaged.passRetained(Body(body))
        var handle = pthread_t()
        let result = pthread_create(
            &handle, nil,
            { argument in
                guard let argument else { return nil }
                Unmanaged<Body>.fromOpaque(argument).takeRetainedValue().run()
                return nil
            }, box.toOpaque())
        guard result == 0 else {
            box.release()
            errno = result
            return nil
        }
        return LoopThread(handle: handle)
    }

    /// True when the caller runs on this thread (false once it was joined).
    package var isCurrent: Bool {
        !joined.load(ordering: .acquiring) && pthread_equal(handle, pthread_self()) != 0
    }

    /// Waits for the thread to return. Only the first call joins; later ones return at once. Called
    /// from the thread itself (the last owner of a pool or loop can be released by one of its own
    /// jobs) it detaches the thread instead, since a thread cannot join itself: the system then frees
    /// it when it returns, so no finished thread is left unjoined.
    package func join() {
        let current = isCurrent
        guard
            joinClaimed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
                .exchanged
        else { return }
        if current {
            pthread_detach(handle)
            return
        }
        pthread_join(handle, nil)
        joined.store(true, ordering: .releasing)
    }

    /// The closure, boxed so that it can cross `pthread_create`'s `void *` argument.
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
}
