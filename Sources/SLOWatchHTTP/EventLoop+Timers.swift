import CEpoll

extension EventLoop {
    /// Applies the head, body, idle and linger timeouts that have passed, and resets clients that took
    /// less than `writeStallMinimumBytes` of their queued output (a response or a stream's events) within
    /// the write-stall timeout. An idle stream has nothing queued, so it is never dropped for its silence.
    func scanTimers() {
        for case let connection? in connections where !connection.isClosed {
            if connection.deadline <= now {
                connection.timeout()
            } else if connection.unsentBytes > 0,
                now - min(connection.lastWriteProgress, now) > writeStallTimeout
            {
                connection.abort()
            }
        }
    }

    /// Stops accepting and winds the connections down within the grace (ns).
    func beginStop(graceNanoseconds: UInt64) {
        guard !stopping else { return }
        stopping = true
        stopDeadline = now &+ graceNanoseconds
        if stopDeadline < now { stopDeadline = .max }
        if listening {
            _ = cepoll_ctl(epollFD, 2, listenFD, 0, 0)
            listening = false
        }
        for case let connection? in connections { connection.serverStopping() }
    }

    /// Closes every connection (the grace ran out, or nothing is left).
    func closeAll() {
        for case let connection? in connections { connection.close() }
    }
}
