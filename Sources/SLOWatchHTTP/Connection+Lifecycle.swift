#if canImport(Glibc)
    import Glibc
#endif

extension Connection {
    /// Answers 503 with `Retry-After: 1` and closes: the server is at `maxConnections`.
    func reject(openConnections limit: Int) {
        respondError(
            503, "The server is at its limit of \(limit) open connections; retry in a second.", close: true,
            extraHeaders: ["Retry-After": "1"])
        flush()
    }

    /// Closes with a reset (`SO_LINGER` 0) instead of a FIN: the kernel then discards what it still
    /// holds unsent, which for a client that stopped reading could be megabytes kept for minutes after
    /// the close (nginx's `reset_timedout_connection`), and the client learns of the close at once.
    func abort() {
        guard !isClosed else { return }
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close()
    }

    /// The current state's deadline passed.
    func timeout() {
        perform(machine.timedOut(outputPending: unsentBytes > 0))
    }

    /// The server is stopping: close when idle, end a stream, let a request in progress finish.
    func serverStopping() {
        perform(machine.serverStopping(outputPending: unsentBytes > 0))
    }

    /// Carries out what the state machine asked for.
    func perform(_ action: ConnectionStateMachine.Action) {
        switch action {
        case .none:
            break
        case .arm(let kind):
            deadline = deadline(kind)
        case .respondTimeout(let kind):
            var message = "The request head did not arrive within \(loop.headTimeout / 1_000_000) ms."
            if kind == .body {
                message = "The request body stalled for more than \(loop.bodyTimeout / 1_000_000) ms"
                if loop.minBodyBytesPerSecond > 0 {
                    message += ", or arrived slower than \(loop.minBodyBytesPerSecond) bytes a second"
                }
                message += "."
            }
            respondError(408, message, close: true)
            flush()
        case .linger, .lingerThenClose:
            // Half-close and drain input, so the client reads the last response before the close
            // (closing with unread input would send RST and could destroy that response).
            if let writer {
                loop.streams[id] = nil
                writer.markClosed()
            }
            shutdown(fd, Int32(SHUT_WR))
            reader.discardInput()
            if action == .lingerThenClose {
                close()
            } else {
                deadline = deadline(.linger)
            }
        case .close:
            close()
        case .stopStream:
            writer?.serverStopping()
        }
    }

    /// When a deadline of the given kind falls, from now (monotonic ns); `UInt64.max` for never.
    private func deadline(_ kind: ConnectionStateMachine.Deadline) -> UInt64 {
        switch kind {
        case .head: return loop.now + loop.headTimeout
        case .body: return bodyDeadline()
        case .idle: return loop.now + loop.idleTimeout
        case .linger:
            return loop.now + (loop.stopping ? min(loop.lingerTimeout, 100_000_000) : loop.lingerTimeout)
        case .never: return .max
        }
    }
}
