extension HTTPLoop {
    /// The connections of this loop (a snapshot: closing one while iterating is safe).
    var connections: [Connection] {
        eventLoop.registeredHandlers.compactMap { entry in
            if case .connection(let connection) = entry.handler { return connection }
            return nil
        }
    }

    /// Checks the timeouts every `scanInterval`, from now on.
    func scheduleScan() {
        eventLoop.schedule(afterNanoseconds: scanInterval) { [unowned self] in
            scanTimers()
            scheduleScan()
        }
    }

    /// Applies the head, body, idle and linger timeouts that have passed, and resets clients that took
    /// less than `writeStallMinimumBytes` of their queued output (a response or a stream's events) within
    /// the write-stall timeout. An idle stream has nothing queued, so it is never dropped for its silence.
    func scanTimers() {
        for connection in connections where !connection.isClosed {
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
            eventLoop.unregister(listenFD)
            listening = false
        }
        for connection in connections { connection.serverStopping() }
    }

    /// Closes every connection (the grace ran out, or nothing is left).
    func closeAll() {
        for connection in connections { connection.close() }
    }
}
