import CEpoll

#if canImport(Glibc)
    import Glibc
#endif

/// One epoll event loop on a thread of its own: registered descriptors, each with a handler, a
/// mailbox through which other threads reach it, and timers. It knows nothing of the protocol it
/// runs; its `Driver` (an ``EventLoopDriver``) does.
///
/// Threading rules: ``post(_:)``, ``execute(_:)`` and ``isCurrentThread`` may be called from any
/// thread. Everything else (registration, timers, ``now``, ``exit()``) is for the loop's own thread,
/// or for the owner before ``start()`` and after ``join()``.
///
/// `@unchecked Sendable`: every mutable property is confined to the loop's thread (`run()`), except
/// before the thread starts and after it is joined, when only the owner touches it. Other threads
/// reach a running loop only through `mailbox`, which is Sendable.
///
/// The per-event path (`start`, `run`, the handler lookup) is `@inlinable`, so that it is compiled
/// for the concrete driver in the module that creates the loop rather than through generic witnesses.
package final class EventLoop<Driver: EventLoopDriver>: @unchecked Sendable, LoopExecutor {
    /// What the mailbox carries: a driver command, or a closure to run on the loop.
    package enum Message: Sendable {
        case command(Driver.Command)
        case task(@Sendable () -> Void)
    }

    /// The epoll token of the mailbox's eventfd; descriptors use their own number as token.
    @usableFromInline static var mailboxToken: UInt64 { .max }

    /// The protocol this loop runs.
    package let driver: Driver
    /// The cross-thread entry.
    package let mailbox: LoopMailbox<Message>
    @usableFromInline let epollFD: Int32
    /// Handlers by descriptor number.
    @usableFromInline var handlers: [Driver.Handler?] = []
    /// The monotonic time of the current iteration, in ns.
    @usableFromInline package internal(set) var now: UInt64 = 0
    /// Pending timers, soonest last.
    var timers: [LoopTimer] = []
    /// The id of the next timer.
    var nextTimerID: UInt64 = 1
    @usableFromInline var exitRequested = false
    @usableFromInline var thread: LoopThread?

    /// Creates the loop's epoll instance and mailbox; no thread runs until ``start()``.
    /// - Returns: nil when the kernel refuses an epoll instance or an eventfd (`errno` says why).
    package init?(driver: Driver) {
        guard let mailbox = LoopMailbox<Message>() else { return nil }
        let epollFD = cepoll_create()
        guard epollFD >= 0 else {
            let code = errno
            mailbox.close()
            errno = code
            return nil
        }
        guard cepoll_ctl(epollFD, 0, mailbox.eventFD, CEPOLL_IN, Self.mailboxToken) == 0 else {
            let code = errno
            mailbox.close()
            _ = Glibc.close(epollFD)
            errno = code
            return nil
        }
        self.driver = driver
        self.mailbox = mailbox
        self.epollFD = epollFD
        now = Socket.monotonicNanoseconds()
    }

    // MARK: Any thread

    /// Queues `command` for the driver. Never blocks.
    /// - Returns: false once the loop has been joined (the command is dropped).
    @discardableResult package func post(_ command: Driver.Command) -> Bool {
        mailbox.post(.command(command))
    }

    /// Queues `task` to run on the loop's thread, after the messages posted before it. Never blocks.
    /// - Returns: false once the loop has been joined (`task` never runs).
    @discardableResult package func execute(_ task: @escaping @Sendable () -> Void) -> Bool {
        mailbox.post(.task(task))
    }

    /// True when the caller runs on this loop's thread.
    package var isCurrentThread: Bool { thread?.isCurrent ?? false }

    /// The loop's thread once ``start()`` succeeded (never changed after).
    package var loopThread: LoopThread? { thread }

    // MARK: Owner

    /// Starts the loop's thread.
    /// - Returns: false when the system refuses a thread.
    @inlinable package func start() -> Bool {
        guard let thread = LoopThread.start({ self.run() }) else { return false }
        self.thread = thread
        return true
    }

    /// Waits for the loop's thread to end (after the driver ended it), then closes the epoll instance
    /// and the mailbox. Also releases a loop that never started. Call once, from another thread.
    package func join() {
        thread?.join()
        _ = Glibc.close(epollFD)
        mailbox.close()
    }

    // MARK: Loop thread

    /// Registers `fd` for `events` with `handler`; the driver gets `handler` back with each readiness.
    /// - Returns: false when epoll refuses it (`errno` says why); nothing is registered then.
    @discardableResult package func register(_ fd: Int32, for events: EpollEvents, handler: Driver.Handler)
        -> Bool
    {
        guard fd >= 0, cepoll_ctl(epollFD, 0, fd, events.rawValue, UInt64(fd)) == 0 else { return false }
        if Int(fd) >= handlers.count {
            handlers.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - handlers.count + 64))
        }
        handlers[Int(fd)] = handler
        return true
    }

    /// Changes the events `fd` is registered for.
    /// - Returns: false when epoll refuses it.
    @discardableResult package func modify(_ fd: Int32, for events: EpollEvents) -> Bool {
        cepoll_ctl(epollFD, 1, fd, events.rawValue, UInt64(fd)) == 0
    }

    /// Removes `fd` from epoll and forgets its handler; call before closing a descriptor that another
    /// loop may still share.
    package func unregister(_ fd: Int32) {
        _ = cepoll_ctl(epollFD, 2, fd, 0, 0)
        forget(fd)
    }

    /// Forgets the handler of `fd`, which was (or is about to be) closed: closing a descriptor removes
    /// it from epoll, so this costs no system call.
    package func forget(_ fd: Int32) {
        if fd >= 0, Int(fd) < handlers.count { handlers[Int(fd)] = nil }
    }

    /// The handler registered for `fd`, if any.
    @inlinable package func handler(for fd: Int32) -> Driver.Handler? {
        fd >= 0 && Int(fd) < handlers.count ? handlers[Int(fd)] : nil
    }

    /// Every registered handler with its descriptor, in descriptor order.
    package var registeredHandlers: some Sequence<(fd: Int32, handler: Driver.Handler)> {
        handlers.lazy.enumerated().compactMap { index, handler in
            handler.map { (fd: Int32(index), handler: $0) }
        }
    }

    /// Ends the loop at the end of this iteration (the driver's ``EventLoopDriver/loopIterationEnded(_:)``
    /// returning false does the same).
    package func exit() { exitRequested = true }

    /// The loop: wait, hand out events and commands, run due timers, ask the driver whether to go on.
    @inlinable func run() {
        var events = [cepoll_event_t](repeating: cepoll_event_t(), count: 256)
        now = Socket.monotonicNanoseconds()
        while !exitRequested {
            let timeout = driver.hasImmediateWork ? 0 : waitMilliseconds()
            let count = events.withUnsafeMutableBufferPointer { buffer in
                cepoll_wait(epollFD, buffer.baseAddress, Int32(buffer.count), timeout)
            }
            now = Socket.monotonicNanoseconds()
            driver.loopDidWake(self)
            if count > 0 {
                for index in 0..<Int(count) {
                    let event = events[index]
                    if event.data == Self.mailboxToken {
                        drainMailbox()
                    } else if let handler = handler(for: Int32(truncatingIfNeeded: event.data)) {
                        driver.loop(
                            self, ready: handler, fd: Int32(truncatingIfNeeded: event.data),
                            events: EpollEvents(rawValue: event.events))
                    }
                }
            }
            runDueTimers()
            if !driver.loopIterationEnded(self) { break }
        }
    }

    /// Hands every queued message to the driver (commands) or runs it (tasks).
    @inlinable func drainMailbox() {
        for message in mailbox.drain() {
            switch message {
            case .command(let command): driver.loop(self, received: command)
            case .task(let task): task()
            }
        }
    }
}
