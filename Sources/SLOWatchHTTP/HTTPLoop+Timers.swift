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

    /// Puts `connection` on the list the timeout scan visits (once), because it now has a deadline or
    /// unsent output. The scan takes it off again when it has neither, so the scan's cost follows the
    /// connections that can time out (requests in progress, keep-alive connections, stalled writes),
    /// not the open ones: thousands of idle event streams (no deadline; their keepalives come from
    /// one shared timer) cost it nothing.
    func watchTimers(_ connection: Connection) {
        guard !connection.isTimerWatched, !connection.isClosed else { return }
        connection.isTimerWatched = true
        timerWatched.append(connection)
    }

    /// Applies the head, body, idle and linger timeouts that have passed, and resets clients that took
    /// less than `writeStallMinimumBytes` of their queued output (a response or a stream's events) within
    /// the write-stall timeout. An idle stream has nothing queued, so it is never dropped for its silence,
    /// and is not even visited (``watchTimers(_:)``).
    func scanTimers() {
        // Scanned from a second array, so connections watched during the scan join the fresh list.
        swap(&timerWatched, &timerScratch)
        for connection in timerScratch { connection.isTimerWatched = false }
        for connection in timerScratch where !connection.isClosed {
            if connection.deadline <= now {
                connection.timeout()
            } else if connection.unsentBytes > 0,
                now - min(connection.lastWriteProgress, now) > writeStallTimeout
            {
                connection.abort()
            }
            if connection.deadline != .max || connection.unsentBytes > 0 { watchTimers(connection) }
        }
        timerScratch.removeAll(keepingCapacity: true)
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
