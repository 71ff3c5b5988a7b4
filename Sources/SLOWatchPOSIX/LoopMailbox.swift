import CEpoll
import SLOWatchSync

#if canImport(Glibc)
    import Glibc
#endif

/// The cross-thread entry of an event loop: a queue of messages plus an `eventfd` that wakes it.
///
/// Generic over the message, so that each loop's messages are a plain enum (no closure allocated
/// per post on the hot path of a stream writer).
///
/// Sendable without `@unchecked`: the queue and the open/closed state sit behind a `PThreadLock`, the
/// descriptor number never changes. The descriptor is written and closed only while that lock is
/// held, so a writer that posts after the loop stopped (it may outlive the loop) can never write to
/// the closed number, or to a file or socket that reused it since.
package final class LoopMailbox<Message: Sendable>: Sendable {
    private struct State: Sendable {
        var messages: [Message] = []
        var closed = false
    }

    /// The eventfd the loop polls; written to wake it.
    package let eventFD: Int32
    private let state = PThreadLock(State())

    /// Creates the mailbox and its eventfd; nil when the kernel refuses one.
    package init?() {
        let descriptor = cepoll_eventfd_create()
        guard descriptor >= 0 else { return nil }
        eventFD = descriptor
    }

    /// Queues a message and wakes the loop when the queue was empty. Never blocks on the loop (the
    /// eventfd is non-blocking). Returns false, and does nothing, once the mailbox is closed.
    @discardableResult package func post(_ message: Message) -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            state.messages.append(message)
            if state.messages.count == 1 { cepoll_eventfd_signal(eventFD) }
            return true
        }
    }

    /// Called by the loop: clears the eventfd, then takes every queued message, oldest first.
    package func drain() -> [Message] {
        state.withLock { state in
            guard !state.closed else { return [] }
            cepoll_eventfd_clear(eventFD)
            let taken = state.messages
            state.messages.removeAll(keepingCapacity: true)
            return taken
        }
    }

    /// Closes the eventfd; call once the loop thread has exited. Later posts are dropped.
    package func close() {
        state.withLock { state in
            guard !state.closed else { return }
            state.closed = true
            state.messages = []
            _ = Glibc.close(eventFD)
        }
    }
}
