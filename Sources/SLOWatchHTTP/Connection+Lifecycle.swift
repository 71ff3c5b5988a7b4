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

    /// The current phase's deadline passed.
    func timeout() {
        switch phase {
        case .idle(let fresh):
            if fresh && unsentBytes == 0 {
                sendTimeout("The request head did not arrive within \(loop.headTimeout / 1_000_000) ms.")
            } else {
                close()
            }
        case .head:
            sendTimeout("The request head did not arrive within \(loop.headTimeout / 1_000_000) ms.")
        case .body:
            var message = "The request body stalled for more than \(loop.bodyTimeout / 1_000_000) ms"
            if loop.minBodyBytesPerSecond > 0 {
                message += ", or arrived slower than \(loop.minBodyBytesPerSecond) bytes a second"
            }
            sendTimeout(message + ".")
        case .lingering:
            close()
        case .streaming, .awaitingResponse:
            deadline = .max
        }
    }

    private func sendTimeout(_ message: String) {
        guard unsentBytes == 0 else {
            close()
            return
        }
        respondError(408, message, close: true)
        flush()
    }

    /// The server is stopping: close when idle, end a stream, let a request in progress finish.
    func serverStopping() {
        switch phase {
        case .idle:
            if unsentBytes > 0 { closeAfterWrite = true } else { close() }
        case .lingering:
            close()
        case .streaming:
            writer?.serverStopping()
        case .head, .body, .awaitingResponse:
            break
        }
    }
}
