#if canImport(Glibc)
    import Glibc
#endif

/// A joinable POSIX thread that runs one closure: the start-up code of every event loop.
///
/// `pthread_create` rather than `Thread` or Dispatch: an event loop blocks in `epoll_wait` for its
/// whole life, which would starve a Dispatch worker, and the loop must be able to tell its own thread
/// apart (``isCurrent``) to refuse to join itself.
///
/// `@unchecked Sendable`: `handle` is written once by ``start(_:)`` before the value is shared, and
/// read afterwards; ``join()`` is called by one owner, once.
package final class LoopThread: @unchecked Sendable {
    private var handle: pthread_t?

    private init() {}

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
        let thread = LoopThread()
        thread.handle = handle
        return thread
    }

    /// True when the caller runs on this thread.
    package var isCurrent: Bool {
        guard let handle else { return false }
        return pthread_equal(handle, pthread_self()) != 0
    }

    /// Waits for the thread to return. Must not be called from the thread itself; a second call
    /// returns at once.
    package func join() {
        guard let handle, !isCurrent else { return }
        pthread_join(handle, nil)
        self.handle = nil
    }

    /// The closure, boxed so that it can cross `pthread_create`'s `void *` argument.
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
}
