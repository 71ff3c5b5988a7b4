import CEpoll

#if canImport(Glibc)
    import Glibc
#endif

/// A message from another thread to an event loop.
enum LoopCommand: Sendable {
    /// Begin a graceful stop: stop accepting, finish in-flight work within the grace (ns).
    case stop(graceNanoseconds: UInt64)
    /// A stream writer of this connection has bytes or a finish queued.
    case streamReady(connectionID: UInt64)
    /// A stream writer of this connection overflowed; close the connection now.
    case streamDropped(connectionID: UInt64)
}

/// The cross-thread entry of an event loop: a queue of commands plus an `eventfd` that wakes it.
///
/// Sendable without `@unchecked`: the queue sits behind a `PThreadLock`, the descriptor never changes.
final class LoopMailbox: Sendable {
    /// The eventfd the loop polls; written to wake it.
    let eventFD: Int32
    private let queue = PThreadLock<[LoopCommand]>([])

    /// Creates the mailbox and its eventfd; nil when the kernel refuses one.
    init?() {
        let descriptor = cepoll_eventfd_create()
        guard descriptor >= 0 else { return nil }
        eventFD = descriptor
    }

    /// Queues a command and wakes the loop when the queue was empty. Never blocks on the loop.
    func post(_ command: LoopCommand) {
        let wasEmpty = queue.withLock { queue in
            queue.append(command)
            return queue.count == 1
        }
        if wasEmpty { cepoll_eventfd_signal(eventFD) }
    }

    /// Called by the loop: clears the eventfd, then takes every queued command.
    func drain() -> [LoopCommand] {
        cepoll_eventfd_clear(eventFD)
        return queue.withLock { queue in
            let taken = queue
            queue.removeAll(keepingCapacity: true)
            return taken
        }
    }

    /// Closes the eventfd; call once the loop thread has exited.
    func close() {
        _ = Glibc.close(eventFD)
    }
}
