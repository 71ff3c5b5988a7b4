/// What runs on an ``EventLoop``: the protocol above the socket layer (HTTP, StatsD) implements it,
/// and the loop calls it on its own thread only.
///
/// The loop is generic over its driver, so every call here is resolved for the concrete driver type:
/// no existential box and no closure on the per-event path.
package protocol EventLoopDriver: AnyObject, SendableMetatype {
    /// The value registered with each descriptor and handed back with its readiness, e.g. an enum of
    /// listener and connection.
    associatedtype Handler
    /// The messages other threads post to this driver through the loop's mailbox.
    associatedtype Command: Sendable

    /// A registered descriptor is ready.
    /// - Parameters:
    ///   - loop: the loop (``EventLoop/now`` is the time of this wake-up, in monotonic ns).
    ///   - handler: the value given at registration.
    ///   - fd: the descriptor.
    ///   - events: what epoll reported.
    func loop(_ loop: EventLoop<Self>, ready handler: Handler, fd: Int32, events: EpollEvents)

    /// The loop woke from `epoll_wait` (``EventLoop/now`` is updated), before it hands out the events:
    /// the place for per-wake-up work such as refreshing a cached date.
    func loopDidWake(_ loop: EventLoop<Self>)

    /// A command posted with ``EventLoop/post(_:)`` arrived (in the order posted).
    func loop(_ loop: EventLoop<Self>, received command: Command)

    /// Called once per iteration, after the events, the commands and the due timers.
    /// - Returns: false to end the loop (its thread then returns).
    func loopIterationEnded(_ loop: EventLoop<Self>) -> Bool

    /// True when work remains that must run without waiting for epoll (the loop then polls with a
    /// zero timeout).
    var hasImmediateWork: Bool { get }
}

extension EventLoopDriver {
    /// No immediate work by default.
    package var hasImmediateWork: Bool { false }

    /// Nothing to do on a wake-up by default.
    package func loopDidWake(_ loop: EventLoop<Self>) {}
}
