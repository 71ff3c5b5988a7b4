import SLOWatchPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// One client connection: its socket, its request reader and output buffer, and its state machine.
/// Confined to its event loop's thread.
///
/// The protocol state lives in one value, `machine` (`ConnectionStateMachine`): the connection feeds it
/// events and performs the actions it returns (`perform(_:)`). What remains here beside it is socket
/// readiness under edge-triggered epoll (`wantRead`, `hangupSeen`, `sendBlocked`) and the loop's
/// scheduling (`isDeferred`), which say when to call `read`/`send`, not where the connection is.
final class Connection {
    let fd: Int32
    let id: UInt64
    unowned let loop: HTTPLoop
    /// Counted against `maxConnections` (a connection refused with 503 is not).
    let counted: Bool
    /// The connection's state (idle, head, body, closing, streaming, lingering, closed) and the peer's
    /// half-close; every change goes through its events, and `perform(_:)` carries out their actions.
    var machine = ConnectionStateMachine()
    /// The head of the request a deferred route is answering (while `awaitingResponse`).
    var deferredHead: RequestHead?
    /// Queued in the loop's `deferred` list (loop scheduling, not connection state).
    var isDeferred = false
    /// The socket may have unread bytes (an edge was seen and not yet drained).
    var wantRead = true
    /// epoll reported the peer's FIN (`EPOLLRDHUP` or `EPOLLHUP`): a short read no longer means the
    /// socket is drained, since the FIN came in the same edge as the data and no later edge will report it.
    var hangupSeen = false
    /// When the current state times out (monotonic ns); `UInt64.max` for never. A connection with a
    /// deadline is put on its loop's timer list (``HTTPLoop/watchTimers(_:)``).
    var deadline = UInt64.max {
        didSet { if deadline != .max { loop.watchTimers(self) } }
    }
    /// On the loop's timer list, which holds only the connections with a deadline or unsent output:
    /// an idle stream (no deadline, nothing unsent) costs the periodic scan nothing.
    var isTimerWatched = false
    /// The input buffer and the request-parsing loop over it.
    var reader: RequestReader
    var output: [UInt8] = []
    var outputSent = 0
    /// When the client last took `writeStallMinimumBytes` of waiting output, or output was last queued
    /// onto an empty backlog (monotonic ns): the start of the current write stall, if bytes are waiting.
    var lastWriteProgress: UInt64 = 0
    /// Bytes sent since `lastWriteProgress`.
    var sentSinceProgress = 0
    /// The last `flush()` left bytes unsent (the socket was full).
    var sendBlocked = false
    var pending: PendingRequest?
    /// When the current request's body began to be read (monotonic ns).
    var bodyStart: UInt64 = 0
    var writer: HTTPStreamWriter?
    /// The connection holds one of the server's stream slots (``StreamBudget``), given back at close.
    var holdsStreamSlot = false

    /// A request whose head was accepted and whose body is being read.
    struct PendingRequest {
        var head: RequestHead
        var handler: HTTPRouter.Handler
        var path: String
        var parameters: [String: String]
        /// The decoded query parameters, in order (validated before the body is read).
        var query: [(name: String, value: String)]
    }

    init(fd: Int32, id: UInt64, loop: HTTPLoop, counted: Bool) {
        self.fd = fd
        self.id = id
        self.loop = loop
        self.counted = counted
        reader = RequestReader(configuration: loop.configuration)
        lastWriteProgress = loop.now
    }

    /// True once the socket is closed.
    var isClosed: Bool { machine.isClosed }

    /// Bytes queued but not yet sent.
    var unsentBytes: Int { output.count - outputSent }

    /// Starts the head timer of a new connection.
    func start() {
        perform(machine.started())
        service()
    }

    /// Reads what the socket has, processes complete requests, and sends the responses in one write.
    func service() {
        var rounds = 0
        while !isClosed {
            if wantRead && !machine.inputClosed { readAvailable() }
            if isClosed { return }
            switch machine.state {
            case .lingering:
                reader.discardInput()
                if machine.inputClosed { perform(machine.inputEnded(outputPending: unsentBytes > 0)) }
                return
            case .streaming:
                reader.discardInput()
                serviceStream()
                return
            default:
                break
            }
            let consumed = process()
            let backlogged = unsentBytes > loop.configuration.maxOutboundBytes
            flush()
            if isClosed { return }
            // Requests buffered before the FIN but held back by the backlog are still answered, as the
            // output drains; the end of input is handled only once no buffered request can make progress.
            let heldBack = backlogged && reader.hasUnreadInput && machine.state != .closing
            if machine.inputClosed && !heldBack {
                perform(machine.inputEnded(outputPending: unsentBytes > 0))
                return
            }
            // Still over the backlog limit: the send hit EAGAIN, so an EPOLLOUT edge resumes us.
            if unsentBytes > loop.configuration.maxOutboundBytes { return }
            // Go on while there is progress to build on: requests were consumed, or processing was
            // held back by a backlog that this flush cleared (no edge will come for the requests
            // already buffered, nor for the socket's unread bytes), and there is input to look at.
            guard consumed > 0 || backlogged, wantRead || reader.hasUnreadInput else { return }
            rounds += 1
            if rounds >= 16 {
                loop.deferService(self)
                return
            }
        }
    }

    /// Reads until the socket is drained (a short read) or the input buffer is full.
    private func readAvailable() {
        while true {
            let space = reader.makeSpace()
            if space == 0 { return }
            let fd = fd
            let count = reader.receive { buffer in read(fd, buffer.baseAddress, buffer.count) }
            if count > 0 {
                // After a FIN, read on to the 0 that reports it; else the connection would sit half-closed
                // until a timeout (the FIN's edge has already been consumed with this data).
                if count < space && !hangupSeen {
                    wantRead = false
                    return
                }
                if case .lingering = machine.state { reader.discardInput() }
                continue
            }
            if count == 0 {
                machine.peerClosed()
                wantRead = false
                return
            }
            let code = errno
            if code == EINTR { continue }
            wantRead = false
            if code != EAGAIN && code != EWOULDBLOCK {
                close()
            }
            return
        }
    }

    /// Sends queued output until done or the socket is full; then closes or lingers as decided.
    func flush() {
        guard !isClosed else { return }
        // Nothing was waiting before: what is queued now is new, so its stall clock starts now, not at
        // the last send (which may be long ago on an idle stream or keep-alive connection).
        if !sendBlocked {
            lastWriteProgress = loop.now
            sentSinceProgress = 0
        }
        defer {
            sendBlocked = !isClosed && outputSent < output.count
            if sendBlocked { loop.watchTimers(self) }
        }
        while outputSent < output.count {
            let sent = outputSent
            let count = output.withUnsafeBytes { buffer in
                send(fd, buffer.baseAddress.map { $0 + sent }, buffer.count - sent, Int32(MSG_NOSIGNAL))
            }
            if count > 0 {
                outputSent += count
                sentSinceProgress += count
                if sentSinceProgress >= loop.configuration.writeStallMinimumBytes {
                    lastWriteProgress = loop.now
                    sentSinceProgress = 0
                }
                continue
            }
            let code = errno
            if count < 0 && code == EINTR { continue }
            if count < 0 && (code == EAGAIN || code == EWOULDBLOCK) { break }
            close()
            return
        }
        if outputSent == output.count {
            // A stream gives its buffer back between events, so an idle stream holds no output memory.
            if output.capacity > 256 * 1024 || writer != nil {
                output = []
            } else {
                output.removeAll(keepingCapacity: true)
            }
            outputSent = 0
        } else if outputSent > 64 * 1024 && outputSent * 2 > output.count {
            output.removeFirst(outputSent)
            outputSent = 0
        }
        if let writer { writer.setUnsent(unsentBytes) }
        guard outputSent == output.count else { return }
        perform(machine.outputDrained())
    }

    /// Closes the socket and forgets the connection; notifies a stream's writer.
    func close() {
        guard !isClosed else { return }
        machine.closed()
        _ = Glibc.close(fd)
        loop.remove(self)
        if counted { loop.counters.openConnections.subtract(1, ordering: .relaxed) }
        if holdsStreamSlot {
            holdsStreamSlot = false
            loop.streamBudget.releaseSlot()
        }
        if let writer {
            writer.markClosed()
            writer.releaseAfterClose()
        }
        reader.release()
        output = []
    }
}
