import SLOWatchCore
import SLOWatchHTTP
import Synchronization

/// One open `text/event-stream` response: writes the matching events its loop's ``StreamFanout``
/// hands it to a client.
///
/// The stream is not a bus subscriber of its own: the fan-out of its connection's event loop receives
/// each event once and appends the shared frame to each of its streams, on the loop thread. Writing
/// only enqueues bytes on the connection, so neither the monitor nor other streams ever wait for this
/// client. The stream ends when the client goes away, when it falls behind (more than the stream queue
/// capacity of events wait for its loop, more than the server's `maxOutboundBytes` wait unsent, or all
/// streams together hold more than `streamBufferLimitBytes` and it is among those furthest behind), or
/// when the service stops.
final class ViolationStream: Sendable {
    /// The stream's id among the service's streams (for logs).
    let id: UInt64
    /// The chunked response this stream writes to.
    let writer: HTTPStreamWriter
    /// Which SLO events this client wants.
    let filter: ViolationFilter
    /// Set once by ``close()``, from any thread; read by the fan-out and the keepalive timer.
    private let closed = Atomic<Bool>(false)
    /// The outbound-limit warning was logged (once per stream, whichever thread's write met it).
    private let overflowReported = Atomic<Bool>(false)
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

    /// True once the stream ended; nothing more is written.
    var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Events after the client's `Last-Event-ID` are gone (they left the history, or were lost to
    /// damage or a crash before a restart): writes `: history truncated` and `event: stream.truncated`
    /// (see ``StreamTruncation``), before any replayed event.
    func truncated(_ truncation: StreamTruncation) {
        writer.write(truncation.frame)
    }

    /// Sends one keepalive comment. Called by the owner's shared timer on every tick, busy or not:
    /// skipping a stream that wrote an event since the previous tick would let it stay silent for
    /// almost two intervals (an event just after one tick, the next one just before the third), and
    /// a proxy whose idle timeout sits between one and two intervals would then cut it.
    func sendKeepalive() {
        guard !isClosed else { return }
        send(SSEFrame.keepalive)
    }

    /// The stream fell behind: `reason` says by how much.
    func dropped(_ reason: SubscriptionDropReason) {
        switch reason {
        case .queueOverflow(let capacity):
            owner?.logger.warning(
                "event stream \(id) disconnected: \(capacity) events were waiting for it (it fell behind)")
        }
        close()
    }

    /// Ends the stream: sends the final chunk (the client may reconnect with `Last-Event-ID`) and
    /// leaves the owner's count. Safe to call more than once, from any thread; returns true for the
    /// call that ended it.
    @discardableResult
    func close() -> Bool {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return false }
        writer.finish()
        owner?.remove(self)
        return true
    }

    /// Writes a live event's chunk, from the loop's thread (the fan-out): straight to the socket when
    /// nothing waits before it, else queued like ``send(_:)``; on refusal, ends the stream. Returns
    /// whether the chunk was sent or queued.
    @discardableResult
    func deliver(_ chunk: HTTPStreamChunk) -> Bool {
        if writer.writeOnLoop(chunk) { return true }
        return refused()
    }

    /// Writes `bytes` (an event frame or a comment); on refusal, ends the stream. Returns whether the
    /// bytes were queued.
    ///
    /// The writer refuses when the client is gone (its close handler already ended the stream) or
    /// when more than `maxOutboundBytes` would wait unsent; the latter is a client that stopped
    /// reading, logged at warning.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        // One writer lock per frame on the fan-out's path; the reason is read only on a refusal.
        if writer.write(bytes) { return true }
        return refused()
    }

    /// A write was refused: logs a client that stopped reading (once), ends the stream, returns false.
    private func refused() -> Bool {
        // The writer's close handler may already have ended the stream; the warning goes out once.
        if writer.passedOutboundLimit && !overflowReported.exchange(true, ordering: .relaxed) {
            owner?.logger.warning(
                "event stream \(id) disconnected: the client stopped reading and its unsent bytes passed the outbound limit"
            )
        }
        close()
        return false
    }
}
