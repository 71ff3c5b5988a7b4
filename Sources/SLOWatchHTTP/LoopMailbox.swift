import CEpoll
import SLOWatchSync

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
/// Sendable without `@unchecked`: the queue and the open/closed state sit behind a `PThreadLock`, the
/// descriptor number never changes. The descriptor is written and closed only while that lock is
/// held, so a stream writer that posts after the server stopped (it may outlive the loop) can never
/// write to the closed number, or to a file or socket that reused it since.
final class LoopMailbox: Sendable {
    private struct State: Sendable {
        var commands: [LoopCommand] = []
        var closed = false
    }

    /// The eventfd the loop polls; written to wake it.
    let eventFD: Int32
    private let state = PThreadLock(State())

    /// Creates the mailbox and its eventfd; nil when the kernel refuses one.
    init?() {
        let descriptor = cepoll_eventfd_create()
        guard descriptor >= 0 else { return nil }
        eventFD = descriptor
    }

    /// Queues a command and wakes the loop when the queue was empty. Never blocks on the loop (the
    /// eventfd is non-blocking). Does nothing once the mailbox is closed.
    func post(_ command: LoopCommand) {
        state.withLock { state in
            guard !state.closed else { return }
            state.commands.append(command)
            if state.commands.count == 1 { cepoll_eventfd_signal(eventFD) }
        }
    }

    /// Called by the loop: clears the eventfd, then takes every queued command.
    func drain() -> [LoopCommand] {
        state.withLock { state in
            guard !state.closed else { return [] }
            cepoll_eventfd_clear(eventFD)
            let taken = state.commands
            state.commands.removeAll(keepingCapacity: true)
            return taken
        }
    }

    /// Closes the eventfd; call once the loop thread has exited. Later posts are dropped.
    func close() {
        state.withLock { state in
            guard !state.closed else { return }
            state.closed = true
            state.commands = []
            _ = Glibc.close(eventFD)
        }
    }
}
