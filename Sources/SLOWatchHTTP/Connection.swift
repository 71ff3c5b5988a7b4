import SLOWatchPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// One client connection: its buffers, parser and state. Confined to its event loop's thread.
final class Connection {
    /// Where the connection is in its life.
    enum Phase {
        /// Between requests; `fresh` until the first request, when the head timeout applies instead.
        case idle(fresh: Bool)
        /// Part of a request head has arrived.
        case head
        /// The head was accepted and the body is being read.
        case body
        /// A streaming response is in progress.
        case streaming
        /// A deferred route is preparing the answer to this request on another thread; nothing more is
        /// read until it arrives.
        case awaitingResponse(RequestHead)
        /// The server is closing: output is done, input is drained until EOF or the linger timeout.
        case lingering
    }

    let fd: Int32
    let id: UInt64
    unowned let loop: HTTPLoop
    /// Counted against `maxConnections` (a connection refused with 503 is not).
    let counted: Bool
    var isClosed = false
    var isDeferred = false
    /// The socket may have unread bytes (an edge was seen and not yet drained).
    var wantRead = true
    /// epoll reported the peer's FIN (`EPOLLRDHUP` or `EPOLLHUP`): a short read no longer means the
    /// socket is drained, since the FIN came in the same edge as the data and no later edge will report it.
    var hangupSeen = false
    var peerClosed = false
    var phase = Phase.idle(fresh: true)
    /// When the current phase times out (monotonic ns); `UInt64.max` for never.
    var deadline = UInt64.max
    var input: [UInt8]
    var readIndex = 0
    var writeIndex = 0
    var output: [UInt8] = []
    var outputSent = 0
    /// When the client last took `writeStallMinimumBytes` of waiting output, or output was last queued
    /// onto an empty backlog (monotonic ns): the start of the current write stall, if bytes are waiting.
    var lastWriteProgress: UInt64 = 0
    /// Bytes sent since `lastWriteProgress`.
    var sentSinceProgress = 0
    /// The last `flush()` left bytes unsent (the socket was full).
    var sendBlocked = false
    /// Close (after lingering) once the output is sent.
    var closeAfterWrite = false
    var parser: RequestParser
    var pending: PendingRequest?
    var body: [UInt8] = []
    /// When the current request's body began to be read (monotonic ns).
    var bodyStart: UInt64 = 0
    var writer: HTTPStreamWriter?
    var streamFinished = false

    /// A request whose head was accepted and whose body is being read.
    struct PendingRequest {
        var head: RequestHead
        var handler: HTTPRouter.Handler
        var path: String
        var parameters: [String: String]
        /// The decoded query parameters, in order (validated before the body is read).
        var query: [(name: String, value: String)]
    }

    private static let initialInputBytes = 4096

    init(fd: Int32, id: UInt64, loop: HTTPLoop, counted: Bool) {
        self.fd = fd
        self.id = id
        self.loop = loop
        self.counted = counted
        input = [UInt8](repeating: 0, count: Self.initialInputBytes)
        parser = RequestParser(limits: loop.limits)
        lastWriteProgress = loop.now
    }

    /// The most input bytes buffered: a maximal head plus room for the next read.
    private var maxInputBytes: Int {
        loop.limits.maxRequestLineBytes + loop.limits.maxHeaderBytes + 8192
    }

    /// Bytes queued but not yet sent.
    var unsentBytes: Int { output.count - outputSent }

    /// Starts the head timer of a new connection.
    func start() {
        phase = .idle(fresh: true)
        deadline = loop.now + loop.headTimeout
        service()
    }

    /// Reads what the socket has, processes complete requests, and sends the responses in one write.
    func service() {
        var rounds = 0
        while !isClosed {
            if wantRead && !peerClosed { readAvailable() }
            if isClosed { return }
            if case .lingering = phase {
                readIndex = 0
                writeIndex = 0
                if peerClosed { close() }
                return
            }
            if case .streaming = phase {
                readIndex = 0
                writeIndex = 0
            }
            let consumed = process()
            let backlogged = unsentBytes > loop.configuration.maxOutboundBytes
            flush()
            if isClosed { return }
            // Requests buffered before the FIN but held back by the backlog are still answered, as the
            // output drains; the end of input is handled only once no buffered request can make progress.
            let heldBack = backlogged && readIndex < writeIndex && !closeAfterWrite
            if peerClosed && !heldBack {
                handleEndOfInput()
                return
            }
            // Still over the backlog limit: the send hit EAGAIN, so an EPOLLOUT edge resumes us.
            if unsentBytes > loop.configuration.maxOutboundBytes { return }
            // Go on while there is progress to build on: requests were consumed, or processing was
            // held back by a backlog that this flush cleared (no edge will come for the requests
            // already buffered, nor for the socket's unread bytes), and there is input to look at.
            guard consumed > 0 || backlogged, wantRead || readIndex < writeIndex else { return }
            rounds += 1
            if rounds >= 16 {
                loop.deferService(self)
                return
            }
        }
    }

    /// Reads until the socket is drained (a short read) or the input buffer is full.
    private func readAvailable() {
        // Everything read was consumed: start at the front again, so the next read gets the whole
        // buffer instead of the tail end (a short tail read costs a second read per edge).
        if readIndex == writeIndex {
            readIndex = 0
            writeIndex = 0
        }
        while true {
            if writeIndex == input.count {
                if readIndex > 0 {
                    compactInput()
                } else if input.count < maxInputBytes {
                    input.append(
                        contentsOf: repeatElement(0, count: min(input.count, maxInputBytes - input.count)))
                } else {
                    return
                }
            }
            let space = input.count - writeIndex
            let start = writeIndex
            let count = input.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress.map { $0 + start }, space)
            }
            if count > 0 {
                writeIndex += count
                // After a FIN, read on to the 0 that reports it; else the connection would sit half-closed
                // until a timeout (the FIN's edge has already been consumed with this data).
                if count < space && !hangupSeen {
                    wantRead = false
                    return
                }
                if case .lingering = phase {
                    readIndex = 0
                    writeIndex = 0
                }
                continue
            }
            if count == 0 {
                peerClosed = true
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

    /// Moves the unread bytes to the front of the input buffer.
    private func compactInput() {
        let unread = writeIndex - readIndex
        if unread > 0 {
            input.withUnsafeMutableBytes { buffer in
                guard let base = buffer.baseAddress else { return }
                memmove(base, base + readIndex, unread)
            }
        }
        readIndex = 0
        writeIndex = unread
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
        defer { sendBlocked = !isClosed && outputSent < output.count }
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
            if output.capacity > 256 * 1024 { output = [] } else { output.removeAll(keepingCapacity: true) }
            outputSent = 0
        } else if outputSent > 64 * 1024 && outputSent * 2 > output.count {
            output.removeFirst(outputSent)
            outputSent = 0
        }
        if let writer { writer.setUnsent(unsentBytes) }
        guard outputSent == output.count else { return }
        if case .streaming = phase {
            if streamFinished { beginLinger() }
        } else if closeAfterWrite {
            beginLinger()
        }
    }

    /// Half-closes and drains input so the client reads the last response before the close
    /// (closing with unread input would send RST and could destroy that response).
    func beginLinger() {
        if case .lingering = phase { return }
        phase = .lingering
        closeAfterWrite = false
        if let writer {
            loop.streams[id] = nil
            writer.markClosed()
        }
        shutdown(fd, Int32(SHUT_WR))
        readIndex = 0
        writeIndex = 0
        if peerClosed {
            close()
            return
        }
        deadline = loop.now + (loop.stopping ? min(loop.lingerTimeout, 100_000_000) : loop.lingerTimeout)
    }

    /// The client closed its side: answer what was complete, then close.
    private func handleEndOfInput() {
        switch phase {
        case .lingering, .streaming:
            close()
        case .awaitingResponse:
            // The answer is still to come; the end of input is handled after it is queued.
            break
        default:
            if unsentBytes > 0 { closeAfterWrite = true } else { close() }
        }
    }

    /// Closes the socket and forgets the connection; notifies a stream's writer.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = Glibc.close(fd)
        loop.remove(self)
        if counted { loop.counters.openConnections.subtract(1, ordering: .relaxed) }
        writer?.markClosed()
        input = []
        output = []
        body = []
    }
}
