import SLOWatchPOSIX
import SLOWatchSync

/// A streaming (chunked) response in progress.
///
/// `write` may be called from any thread: it only enqueues the chunk and wakes the connection's
/// event loop through its eventfd, so it never blocks. When the client stops reading and the
/// queued bytes pass `maxOutboundBytes`, the client is disconnected and `write` returns false; when all
/// streams together hold more than the server's `streamBufferLimitBytes`, the streams furthest behind
/// are disconnected (see `StreamBudget`).
///
/// Memory: a written array is queued as it is, not copied, so a frame written to many streams is held
/// once (arrays share their storage); the loop copies (and frames) only about
/// `loopChunkBytes` at a time into the connection's output, when the socket can take them.
public final class HTTPStreamWriter: Sendable {
    private struct State: Sendable {
        /// Written payloads not yet handed to the loop, unframed, from `pendingStart` on.
        var pending: [[UInt8]] = []
        /// The first payload of `pending` still to be handed over.
        var pendingStart = 0
        /// The bytes `pending` will take once framed (from `pendingStart` on).
        var pendingBytes = 0
        /// Bytes the loop holds but has not sent yet (updated by the loop after each send).
        var unsent = 0
        /// The bytes charged to the server's ``StreamBudget`` (`pendingBytes + unsent` while open).
        var charged = 0
        /// The client went away, was dropped, or the server closed the connection.
        var closed = false
        /// The stream was dropped to bring all streams back under their byte budget.
        var shed = false
        /// A write was refused because more than `maxOutboundBytes` would have waited unsent.
        var overflowed = false
        /// `finish()` (or the server's stop) ended the stream; the final chunk follows the pending bytes.
        var finished = false
        /// The final chunk was handed to the loop.
        var lastTaken = false
        /// A `streamReady` command is already queued.
        var wakePosted = false
        var handlers: [@Sendable () -> Void] = []

        /// Whether payloads or the final chunk wait to be handed to the loop.
        var hasPending: Bool { pendingStart < pending.count || (finished && !lastTaken) }

        /// Forgets the pending payloads.
        mutating func releasePending() {
            pending = []
            pendingStart = 0
            pendingBytes = 0
        }
    }

    /// The most bytes the loop copies from a writer into its connection's output at a time: enough for
    /// one large send, small enough that a client that stopped reading holds little private memory.
    static let loopChunkBytes = 16 * 1024

    private let state = PThreadLock(State())
    /// The connection this stream belongs to (unique per server).
    let connectionID: UInt64
    /// The mailbox of the connection's event loop; nil for a writer outside a server (tests).
    let mailbox: HTTPLoopMailbox?
    /// False for HTTP/1.0 clients: the body is then sent unframed and ended by closing.
    private let chunked: Bool
    /// The most bytes that may wait unsent for this stream (the server's `maxOutboundBytes`).
    let maxOutboundBytes: Int
    /// The bound all the server's streams share; nil for a writer outside a server (tests).
    private let budget: StreamBudget?
    /// The connection, for ``writeOnLoop(_:)``'s direct send; nil outside a server (tests).
    ///
    /// `nonisolated(unsafe)`: a `Connection` is confined to its loop's thread, and this reference is
    /// followed only after checking that the caller runs on that thread. Weak, so a writer that outlives
    /// its connection keeps nothing alive.
    nonisolated(unsafe) weak let connection: Connection?

    init(
        connectionID: UInt64, mailbox: HTTPLoopMailbox?, chunked: Bool, maxOutboundBytes: Int,
        budget: StreamBudget? = nil, connection: Connection? = nil
    ) {
        self.connectionID = connectionID
        self.mailbox = mailbox
        self.chunked = chunked
        self.maxOutboundBytes = maxOutboundBytes
        self.budget = budget
        self.connection = connection
    }

    /// True for HTTP/1.1 streams (chunked), false for HTTP/1.0 ones (unframed, ended by closing).
    var isChunked: Bool { chunked }

    /// Queues `bytes` as one chunk. Returns false once the client is gone, was dropped, or the
    /// stream was finished. Never blocks. An empty write sends nothing and returns true.
    @discardableResult public func write(_ bytes: [UInt8]) -> Bool {
        let framedCount = chunked ? ChunkFraming.framedCount(bytes.count) : bytes.count
        enum Outcome {
            case queued(wake: Bool, overBudget: Bool)
            case rejected
            case dropped([@Sendable () -> Void])
        }
        let outcome: Outcome = state.withLock { state in
            if state.closed || state.finished { return .rejected }
            if bytes.isEmpty { return .queued(wake: false, overBudget: false) }
            if state.pendingBytes + state.unsent + framedCount > maxOutboundBytes {
                state.releasePending()
                state.overflowed = true
                return .dropped(close(&state))
            }
            state.pending.append(bytes)
            state.pendingBytes += framedCount
            state.charged += framedCount
            let over = budget?.charge(framedCount) ?? false
            let wake = !state.wakePosted
            state.wakePosted = true
            return .queued(wake: wake, overBudget: over)
        }
        switch outcome {
        case .queued(let wake, let overBudget):
            if wake { mailbox?.post(.streamReady(connectionID: connectionID)) }
            if overBudget { budget?.shed() }
            return true
        case .rejected:
            return false
        case .dropped(let handlers):
            mailbox?.post(.streamDropped(connectionID: connectionID))
            for handler in handlers { handler() }
            return false
        }
    }

    /// Ends the stream with the final zero-length chunk; the connection closes once it is sent.
    public func finish() {
        let wake: Bool = state.withLock { state in
            if state.closed || state.finished { return false }
            state.finished = true
            let wake = !state.wakePosted
            state.wakePosted = true
            return wake
        }
        if wake { mailbox?.post(.streamReady(connectionID: connectionID)) }
    }

    /// True once the client is gone, was dropped, or the stream was finished.
    public var isClosed: Bool { state.withLock { $0.closed || $0.finished } }

    /// True when the stream was disconnected because all streams together held more than the server's
    /// `streamBufferLimitBytes` and this one was among those furthest behind.
    public var wasShed: Bool { state.withLock { $0.shed } }

    /// True when the stream was disconnected by a ``write(_:)`` that would have left more than
    /// `maxOutboundBytes` unsent (a client that stopped reading).
    public var passedOutboundLimit: Bool { state.withLock { $0.overflowed } }

    /// Registers `handler`, called once when the client goes away, is dropped, the server stops,
    /// or the connection closes after `finish()`. Called at once when that already happened.
    public func onClose(_ handler: @escaping @Sendable () -> Void) {
        let callNow = state.withLock { state in
            if state.closed { return true }
            state.handlers.append(handler)
            return false
        }
        if callNow { handler() }
    }

    /// Marks the stream closed, gives its bytes back to the budget and returns the close handlers.
    /// Pending bytes are kept: the loop may still send them (the final chunk at a server stop).
    private func close(_ state: inout State) -> [@Sendable () -> Void] {
        state.closed = true
        if state.charged != 0 {
            _ = budget?.charge(-state.charged)
            state.charged = 0
        }
        budget?.unregister(self)
        let handlers = state.handlers
        state.handlers = []
        return handlers
    }

    // MARK: Event-loop side

    /// Bytes queued for this stream: pending plus held unsent by the loop.
    var queuedBytes: Int { state.withLock { $0.pendingBytes + $0.unsent } }

    /// Appends queued payloads, framed, to `buffer`: whole payloads until at least `limit` bytes were
    /// appended (at least one payload), then the final chunk once everything before it was taken.
    /// - Returns: true when the stream is finished and nothing more waits.
    func takePending(into buffer: inout [UInt8], limit: Int) -> Bool {
        state.withLock { state in
            var taken = 0
            while state.pendingStart < state.pending.count && (taken == 0 || taken < limit) {
                let payload = state.pending[state.pendingStart]
                state.pending[state.pendingStart] = []
                state.pendingStart += 1
                if chunked {
                    ChunkFraming.appendFramed(payload, to: &buffer)
                } else {
                    buffer.append(contentsOf: payload)
                }
                taken += chunked ? ChunkFraming.framedCount(payload.count) : payload.count
            }
            if state.pendingStart == state.pending.count {
                state.pending = []
                state.pendingStart = 0
            } else if state.pendingStart >= 1024 && state.pendingStart * 2 >= state.pending.count {
                state.pending.removeFirst(state.pendingStart)
                state.pendingStart = 0
            }
            state.pendingBytes -= taken
            state.unsent += taken
            state.wakePosted = false
            guard state.finished, state.pendingStart == state.pending.count else { return false }
            if chunked && !state.lastTaken { buffer.append(contentsOf: ChunkFraming.last) }
            state.lastTaken = true
            return true
        }
    }

    /// Runs `send` under the writer's lock when the stream is open and nothing waits to be handed to
    /// the loop, so that bytes it sends cannot overtake earlier writes, and a write from another thread
    /// meanwhile queues behind them. `send` must not call back into this writer. Returns nil, without
    /// running it, otherwise.
    func ifNothingPending<Result>(_ send: () -> Result) -> Result? {
        state.withLock { state in
            guard !state.closed, !state.finished, !state.hasPending else { return nil }
            return send()
        }
    }

    /// Whether payloads or the final chunk still wait to be handed to the loop.
    var hasPending: Bool { state.withLock { $0.hasPending } }

    /// Records how many bytes the loop still holds unsent for this stream. The figure grows only when
    /// a direct send (``writeOnLoop(_:)``) left part of a chunk unsent, at most one chunk.
    func setUnsent(_ count: Int) {
        state.withLock { state in
            let delta = count - state.unsent
            state.unsent = count
            guard !state.closed, delta != 0 else { return }
            state.charged += delta
            // The next write to this stream goes through `write`, which sheds if the total is over.
            _ = budget?.charge(delta)
        }
    }

    /// Drops the stream for the budget (``StreamBudget/shed()``): releases its pending payloads, asks the
    /// loop to close the connection and notifies the handlers. False when it was already closed.
    func dropForBudget() -> Bool {
        let handlers: [@Sendable () -> Void]? = state.withLock { state in
            guard !state.closed else { return nil }
            state.shed = true
            state.releasePending()
            return close(&state)
        }
        guard let handlers else { return false }
        mailbox?.post(.streamDropped(connectionID: connectionID))
        for handler in handlers { handler() }
        return true
    }

    /// The server is stopping: queue the final chunk (when not yet finished) and notify handlers.
    func serverStopping() {
        finish()
        markClosed()
    }

    /// The connection closed: notify the handlers once.
    func markClosed() {
        let handlers: [@Sendable () -> Void] = state.withLock { state in
            guard !state.closed else { return [] }
            return close(&state)
        }
        for handler in handlers { handler() }
    }

    /// The connection is gone: nothing queued can be sent any more.
    func releaseAfterClose() {
        state.withLock { $0.releasePending() }
    }
}
