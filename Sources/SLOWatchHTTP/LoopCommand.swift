/// A message from another thread to an HTTP event loop, through its ``LoopMailbox``.
enum LoopCommand: Sendable {
    /// Begin a graceful stop: stop accepting, finish in-flight work within the grace (ns).
    case stop(graceNanoseconds: UInt64)
    /// A stream writer of this connection has bytes or a finish queued.
    case streamReady(connectionID: UInt64)
    /// A stream writer of this connection overflowed; close the connection now.
    case streamDropped(connectionID: UInt64)
    /// The answer of a deferred route (``HTTPResponder``) for this connection.
    case respond(connectionID: UInt64, response: HTTPResponse)
    /// Several deferred answers for connections of this loop, in order (``HTTPResponder/Batch``).
    case respondAll([DeferredAnswer])
    /// Run this closure on the loop's thread (``HTTPStreamWriter/runOnLoop(_:)``): work that must not
    /// race the loop, such as fanning a batch of events out to the loop's own streams.
    case run(@Sendable () -> Void)
}
