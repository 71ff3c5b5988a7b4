extension Connection {
    /// Answers 503 with `Retry-After: 1` and closes: the server is at `maxConnections`.
    func reject(openConnections limit: Int) {
        respondError(
            503, "The server is at its limit of \(limit) open connections; retry in a second.", close: true,
            extraHeaders: ["Retry-After": "1"])
        flush()
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
        case .streaming:
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
        case .head, .body:
            break
        }
    }
}
