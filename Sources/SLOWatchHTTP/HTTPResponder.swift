import SLOWatchPOSIX
import Synchronization

/// The answer to a request, given later, from any thread: what a deferred route
/// (``HTTPRouter/addDeferred(_:_:_:)``) receives instead of returning a response.
///
/// A route hands blocking work (a file write and its fsync) to a pool and calls ``respond(_:)`` from
/// there. The response travels to the connection's event loop through its mailbox, and the loop writes
/// it; the loop never waits for it. Until then the connection reads no further request, so responses
/// stay in order, and every other connection of the loop is served as usual.
///
/// Sendable: the mailbox is Sendable and the answered flag is atomic.
public final class HTTPResponder: Sendable {
    /// Where the answer goes: the connection's loop, or a function (the in-process test harness).
    private enum Destination: Sendable {
        case loop(connectionID: UInt64, mailbox: HTTPLoopMailbox)
        case function(@Sendable (HTTPResponse) -> Void)
    }

    private let destination: Destination
    private let answered = Atomic<Bool>(false)
    /// The index of the event loop that called the route (0 up to the server's loop count), or nil in
    /// the in-process harness: what ``HTTPRouter/afterDeferredRequests`` is later called with on it.
    public let loopIndex: Int?

    init(connectionID: UInt64, mailbox: HTTPLoopMailbox, loopIndex: Int) {
        destination = .loop(connectionID: connectionID, mailbox: mailbox)
        self.loopIndex = loopIndex
    }

    /// A responder that hands the answer to `deliver`, on the thread that calls ``respond(_:)``; for
    /// the in-process harness (``HTTPRouter/respondInProcess(method:target:headers:body:admit:errorResponse:maxBodyBytes:date:)``).
    package init(deliver: @escaping @Sendable (HTTPResponse) -> Void) {
        destination = .function(deliver)
        loopIndex = nil
    }

    /// Sends `response` (as a plain route's return value would be sent). Only the first call counts; it
    /// never blocks. Nothing is sent when the client went away or the server stopped meanwhile.
    public func respond(_ response: HTTPResponse) {
        guard !answered.exchange(true, ordering: .relaxed) else { return }
        switch destination {
        case .loop(let connectionID, let mailbox):
            mailbox.post(.respond(connectionID: connectionID, response: response))
        case .function(let deliver):
            deliver(response)
        }
    }

    /// Marks the responder answered for a ``Batch``: returns its connection and loop, or nil when it
    /// was answered before or answers through a function (to which `response` is then delivered).
    func claimForBatch(_ response: HTTPResponse) -> (connectionID: UInt64, mailbox: HTTPLoopMailbox)? {
        guard !answered.exchange(true, ordering: .relaxed) else { return nil }
        switch destination {
        case .loop(let connectionID, let mailbox):
            return (connectionID, mailbox)
        case .function(let deliver):
            deliver(response)
            return nil
        }
    }
}
