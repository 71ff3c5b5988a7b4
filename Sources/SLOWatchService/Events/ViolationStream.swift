import SLOWatchCore
import SLOWatchHTTP
import SLOWatchSync

/// One open `text/event-stream` response: a bus subscriber that writes matching events to a client.
///
/// Its events arrive on the bus subscriber's own serial queue, bounded by the stream queue capacity;
/// writing only enqueues bytes on the connection, so neither the monitor nor other streams ever wait
/// for this client. The stream ends when the client goes away, when it falls behind (its bus queue
/// overflows, more than the server's `maxOutboundBytes` wait unsent, or all streams together hold more
/// than `streamBufferLimitBytes` and it is among those furthest behind), or when the service stops.
final class ViolationStream: Sendable {
    /// What changes while the stream is open, under ``state``.
    private struct State: Sendable {
        /// The bus subscription, once attached.
        var subscription: EventBus.Subscription?
        /// The stream has ended; nothing more is written.
        var closed = false
    }

    /// The stream's id among the service's streams (for logs).
    let id: UInt64
    /// The chunked response this stream writes to.
    let writer: HTTPStreamWriter
    /// Which SLO events this client wants.
    private let filter: ViolationFilter
    /// Taken by the subscriber queue, the keepalive timer, the event loop (client gone) and `stop`.
    private let state = PThreadLock(State())
    /// Weak: the owner holds the streams, not the other way round.
    private weak let owner: ViolationStreams?

    /// Creates a stream; nothing is written until ``ViolationStreams`` opens it.
    /// - Parameters:
    ///   - id: unique among the owner's streams.
    ///   - writer: the response body.
    ///   - filter: which SLO events to send.
    ///   - owner: the registry that counts this stream and encodes frames.
    init(id: UInt64, writer: HTTPStreamWriter, filter: ViolationFilter, owner: ViolationStreams) {
        self.id = id
        self.writer = writer
        self.filter = filter
        self.owner = owner
    }

    /// Keeps `subscription` so that closing the stream cancels it; cancels it at once when the stream
    /// already ended (the client left, or the service stopped, while subscribing).
    func attach(_ subscription: EventBus.Subscription) {
        let cancelNow = state.withLock { state in
            if state.closed { return true }
            state.subscription = subscription
            return false
        }
        if cancelNow { subscription.cancel() }
    }

    /// The bus handler: sends `event` when it matches the filter. Runs on the subscriber's queue,
    /// in sequence order, replayed events first.
    func deliver(_ event: Event) {
        guard filter.matches(event), !state.withLock({ $0.closed }),
            let frame = owner?.frames.frame(for: event)
        else { return }
        send(frame)
    }

    /// The bus found, while subscribing, that events after the client's `Last-Event-ID` are gone (they
    /// left the history, or were lost to damage or a crash before a restart): writes `: history
    /// truncated` at once. The bus calls this under its lock before it offers any replayed event, so
    /// the notice precedes every event frame and cannot race a publish; it only queues bytes on the
    /// connection (a refused write is noticed by the next event's send, which ends the stream).
    func historyTruncated() {
        writer.write(SSEFrame.historyTruncated)
    }

    /// Sends one keepalive comment. Called by the owner's shared timer on every tick, busy or not:
    /// skipping a stream that wrote an event since the previous tick would let it stay silent for
    /// almost two intervals (an event just after one tick, the next one just before the third), and
    /// a proxy whose idle timeout sits between one and two intervals would then cut it.
    func sendKeepalive() {
        guard !state.withLock({ $0.closed }) else { return }
        send(SSEFrame.keepalive)
    }

    /// The bus dropped this subscriber: its queue was full when another event arrived.
    func dropped(_ reason: SubscriptionDropReason) {
        switch reason {
        case .queueOverflow(let capacity):
            owner?.logger.warning(
                "event stream \(id) disconnected: \(capacity) events were waiting for it (it fell behind)")
        }
        close()
    }

    /// Ends the stream: cancels the subscription, sends the final chunk (the client may reconnect with
    /// `Last-Event-ID`), and leaves the owner's count. Safe to call more than once, from any thread.
    func close() {
        let (first, subscription) = state.withLock { state in
            defer {
                state.closed = true
                state.subscription = nil
            }
            return (!state.closed, state.subscription)
        }
        guard first else { return }
        subscription?.cancel()
        writer.finish()
        owner?.remove(self)
    }

    /// Writes `bytes`; on refusal, ends the stream. Returns whether the bytes were queued.
    ///
    /// The writer refuses when the client is gone (its close handler already ended the stream) or
    /// when more than `maxOutboundBytes` would wait unsent; the latter is a client that stopped
    /// reading, logged at warning.
    @discardableResult
    private func send(_ bytes: [UInt8]) -> Bool {
        let wasOpen = !writer.isClosed
        if writer.write(bytes) { return true }
        if wasOpen {
            owner?.logger.warning(
                "event stream \(id) disconnected: the client stopped reading and its unsent bytes passed the outbound limit"
            )
        }
        close()
        return false
    }
}
