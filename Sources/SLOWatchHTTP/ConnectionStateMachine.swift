/// The life of one HTTP/1.1 connection as one state, and the action each event asks of it.
///
/// Pure: no socket, no event loop, no clock. `Connection` feeds it the events it sees (a head begins,
/// a response is queued, the output drained, the peer's FIN, a deadline, the server stopping) and
/// performs the action each transition returns, in the manner of swift-nio's
/// `HTTPServerPipelineHandler`. Requests are answered strictly in order: a connection reads the next
/// pipelined request only in `idle`, `head` or `body`, so a response that closes (`closing`) stops
/// the pipeline, and the requests behind it are never read.
///
/// Invariants: `closed` is final; `closing` holds only while response bytes wait to be sent (it is
/// left by `outputDrained()`); the peer's FIN (`inputClosed`) never reopens.
struct ConnectionStateMachine: Equatable {
    /// Where the connection is in its life.
    enum State: Equatable {
        /// Between requests; `fresh` until the first request, when the head timeout applies instead of
        /// the idle timeout.
        case idle(fresh: Bool)
        /// Part of a request head has arrived.
        case head
        /// The head was accepted and the body is being read.
        case body
        /// The last response is queued and says `Connection: close`: no further request is read, and
        /// the connection lingers once the response is sent.
        case closing
        /// A streaming response is in progress; `finished` once its writer has ended it.
        case streaming(finished: Bool)
        /// A deferred route is preparing the answer on another thread: nothing more is read until it
        /// is queued, and no deadline runs.
        case awaitingResponse
        /// Output is done and half-closed: input is drained until EOF or the linger deadline.
        case lingering
        /// The socket is closed.
        case closed
    }

    /// Which deadline to arm.
    enum Deadline: Equatable {
        /// The request head's (`headTimeout` from now).
        case head
        /// The body's (`bodyTimeout` from its last byte, bounded by the minimum body rate).
        case body
        /// A keep-alive connection's between requests (`idleTimeout` from now).
        case idle
        /// A lingering connection's (the linger timeout from now).
        case linger
        /// None: the connection never times out in this state.
        case never
    }

    /// What the connection must do after an event.
    enum Action: Equatable {
        /// Nothing.
        case none
        /// Set the deadline of the given kind, replacing the current one.
        case arm(Deadline)
        /// Answer 408 with the message of the deadline that passed (`head` or `body`), then close.
        case respondTimeout(Deadline)
        /// Half-close the output (`SHUT_WR`), drop unread input, and arm the linger deadline.
        case linger
        /// Half-close the output as `linger` does, then close at once: the peer's FIN already came.
        case lingerThenClose
        /// Close the socket now.
        case close
        /// Tell the streaming response's writer that the server is stopping.
        case stopStream
    }

    /// The current state.
    private(set) var state = State.idle(fresh: true)
    /// The peer sent its FIN: no request can follow the bytes already read.
    private(set) var inputClosed = false

    /// Creates the state of a connection just accepted (`idle(fresh: true)`).
    init() {}

    /// True once the socket is closed.
    var isClosed: Bool { state == .closed }

    /// True while buffered requests may be parsed and answered: not after a response that closes, not
    /// during a stream, not while lingering or closed.
    var acceptsRequests: Bool {
        switch state {
        case .idle, .head, .body: return true
        case .closing, .streaming, .awaitingResponse, .lingering, .closed: return false
        }
    }

    /// The connection was accepted and counted: the first request's head is awaited.
    mutating func started() -> Action {
        guard !isClosed else { return .none }
        state = .idle(fresh: true)
        return .arm(.head)
    }

    /// Bytes of a head arrived but the head is not complete.
    mutating func headStarted() -> Action {
        guard case .idle = state else { return .none }
        state = .head
        return .arm(.head)
    }

    /// A routed head's body is to be read.
    mutating func bodyStarted() -> Action {
        guard acceptsRequests else { return .none }
        state = .body
        return .arm(.body)
    }

    /// A complete response was queued (a deferred route's answer included); with `keepAlive`, the
    /// connection waits for the next request.
    mutating func responseQueued(keepAlive: Bool) -> Action {
        guard acceptsRequests || state == .awaitingResponse else { return .none }
        if keepAlive {
            state = .idle(fresh: false)
            return .arm(.idle)
        }
        state = .closing
        return .none
    }

    /// The head of a streaming response was queued: the writer takes over the output.
    mutating func streamStarted() -> Action {
        guard acceptsRequests else { return .none }
        state = .streaming(finished: false)
        return .arm(.never)
    }

    /// A deferred route took the request: its answer comes later, through the loop's mailbox.
    mutating func deferredStarted() -> Action {
        guard acceptsRequests else { return .none }
        state = .awaitingResponse
        return .arm(.never)
    }

    /// The stream's writer ended the stream; the connection lingers once its bytes are sent.
    mutating func streamFinished() {
        if case .streaming = state { state = .streaming(finished: true) }
    }

    /// Every queued output byte was sent.
    mutating func outputDrained() -> Action {
        switch state {
        case .closing, .streaming(finished: true):
            state = .lingering
            return inputClosed ? .lingerThenClose : .linger
        default:
            return .none
        }
    }

    /// A read returned 0: the peer half-closed its side.
    mutating func peerClosed() {
        inputClosed = true
    }

    /// The peer's FIN came and every request before it was handled (`outputPending`: response bytes
    /// are still unsent). A response on its way is sent first; otherwise the connection closes.
    mutating func inputEnded(outputPending: Bool) -> Action {
        inputClosed = true
        switch state {
        case .closed:
            return .none
        case .lingering, .streaming:
            return .close
        case .awaitingResponse:
            // The answer is still to come; it is sent, then the connection closes.
            return .none
        case .idle, .head, .body, .closing:
            guard outputPending else { return .close }
            state = .closing
            return .none
        }
    }

    /// The armed deadline passed (`outputPending`: response bytes are still unsent, so a 408 could
    /// not be read in order and the connection closes without one).
    mutating func timedOut(outputPending: Bool) -> Action {
        switch state {
        case .idle(let fresh):
            return fresh && !outputPending ? .respondTimeout(.head) : .close
        case .head:
            return outputPending ? .close : .respondTimeout(.head)
        case .body:
            return outputPending ? .close : .respondTimeout(.body)
        case .closing, .lingering:
            return .close
        case .streaming, .awaitingResponse:
            return .arm(.never)
        case .closed:
            return .none
        }
    }

    /// The server is stopping: an idle connection closes (after its queued output), a stream is
    /// told to end, a request in progress is let finish, a lingering connection closes.
    mutating func serverStopping(outputPending: Bool) -> Action {
        switch state {
        case .idle:
            guard outputPending else { return .close }
            state = .closing
            return .none
        case .lingering:
            return .close
        case .streaming:
            return .stopStream
        case .head, .body, .closing, .awaitingResponse, .closed:
            return .none
        }
    }

    /// The socket was closed; nothing follows.
    mutating func closed() {
        state = .closed
    }
}
