import CEpoll
import SLOWatchPOSIX
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One epoll event-loop thread and the connections it owns.
///
/// `@unchecked Sendable`: every mutable property is confined to the loop's own thread (`run()`),
/// except before the thread starts and after it is joined, when only the server's thread (holding
/// the server's phase lock) touches it. Other threads reach a running loop only through `mailbox`.
final class EventLoop: @unchecked Sendable {
    static let listenerToken = UInt64.max
    static let mailboxToken = UInt64.max - 1

    let mailbox: LoopMailbox<LoopCommand>
    let epollFD: Int32
    let listenFD: Int32
    let configuration: HTTPServerConfiguration
    let router: HTTPRouter
    let counters: ServerCounters
    let limits: RequestParser.Limits
    let headTimeout: UInt64
    let bodyTimeout: UInt64
    /// The slowest average body rate allowed after the `minBodyRateGrace`, in bytes per second; 0 for none.
    let minBodyBytesPerSecond: Int
    /// How long a body may take before the minimum rate applies, in ns.
    let minBodyRateGrace: UInt64
    let idleTimeout: UInt64
    /// How long queued output may wait without the client taking `writeStallMinimumBytes` of it before
    /// the connection is reset, in ns.
    let writeStallTimeout: UInt64
    /// How long a closing connection keeps draining input before it is closed, in ns.
    let lingerTimeout: UInt64
    /// How often the timeouts are checked, in ns.
    let scanInterval: UInt64

    /// Connections by descriptor.
    var connections: [Connection?] = []
    /// Number of connections in `connections`.
    var connectionCount = 0
    /// Connections answered from other threads (streams, deferred responses) by connection id, for the
    /// writers' and responders' commands.
    var streams: [UInt64: Int32] = [:]
    /// Connections that still have input to process after an iteration's budget ran out.
    var deferred: [Connection] = []
    var dateCache = DateCache()
    /// The monotonic time of the current iteration, in ns.
    var now: UInt64 = 0
    var nextScan: UInt64 = 0
    var stopping = false
    /// True once this loop began stopping or `stop()` was called (from any thread): responses from
    /// then on say `Connection: close`, as the connection will not outlive the shutdown.
    var isStopping: Bool { stopping || counters.stopRequested.load(ordering: .relaxed) }
    var stopDeadline: UInt64 = 0
    var listening = false
    var acceptPausedUntil: UInt64 = 0
    /// Responses sent in this iteration, added to the shared counter once per iteration.
    var servedInIteration: UInt64 = 0
    /// Responses sent by this loop, by status; written only on this loop's thread.
    let statusCounts = ResponseStatusCounts()
    private var thread: LoopThread?

    init?(
        listenFD: Int32, configuration: HTTPServerConfiguration, router: HTTPRouter, counters: ServerCounters
    ) {
        guard let mailbox = LoopMailbox<LoopCommand>() else { return nil }
        let epollFD = cepoll_create()
        guard epollFD >= 0 else {
            mailbox.close()
            return nil
        }
        self.mailbox = mailbox
        self.epollFD = epollFD
        self.listenFD = listenFD
        self.configuration = configuration
        self.router = router
        self.counters = counters
        // Clamped so that sums of limits (the input buffer's size, scan offsets, body totals) cannot
        // overflow, whatever the configuration says: 1 GiB per head part, 256 TiB of body.
        limits = RequestParser.Limits(
            maxRequestLineBytes: min(max(configuration.maxRequestLineBytes, 1), 1 << 30),
            maxHeaderBytes: min(max(configuration.maxHeaderBytes, 1), 1 << 30),
            maxHeaderCount: min(max(configuration.maxHeaderCount, 1), 1 << 20),
            maxBodyBytes: min(max(configuration.maxBodyBytes, 0), 1 << 48))
        headTimeout = max(configuration.headTimeout.clampedNanoseconds, 1_000_000)
        bodyTimeout = max(configuration.bodyTimeout.clampedNanoseconds, 1_000_000)
        minBodyBytesPerSecond = max(configuration.minBodyBytesPerSecond, 0)
        minBodyRateGrace = configuration.minBodyRateGrace.clampedNanoseconds
        idleTimeout = max(configuration.idleTimeout.clampedNanoseconds, 1_000_000)
        writeStallTimeout = max(configuration.writeStallTimeout.clampedNanoseconds, 1_000_000)
        lingerTimeout = 1_000_000_000
        let shortest = min(headTimeout, bodyTimeout, idleTimeout, writeStallTimeout)
        scanInterval = min(max(shortest / 10, 5_000_000), 250_000_000)
        _ = cepoll_ctl(epollFD, 0, mailbox.eventFD, CEPOLL_IN, Self.mailboxToken)
        listening = cepoll_ctl(epollFD, 0, listenFD, CEPOLL_IN | CEPOLL_EXCLUSIVE, Self.listenerToken) == 0
    }

    /// Starts the loop's thread; false when the system refuses a thread.
    func startThread() -> Bool {
        guard let thread = LoopThread.start({ self.run() }) else { return false }
        self.thread = thread
        return true
    }

    /// True when the caller runs on this loop's thread (set before `ServerRuntime` exists, never
    /// changed after).
    var isCurrentThread: Bool { thread?.isCurrent ?? false }

    /// Waits for the loop's thread to exit, then releases its descriptors.
    func join() {
        thread?.join()
        _ = Glibc.close(epollFD)
        mailbox.close()
    }

    private func run() {
        var events = [cepoll_event_t](repeating: cepoll_event_t(), count: 256)
        now = Socket.monotonicNanoseconds()
        nextScan = now + scanInterval
        dateCache.updateFromSystemClock()
        while true {
            let timeout: Int32 =
                deferred.isEmpty ? Int32(clamping: (nextScan > now ? nextScan - now : 0) / 1_000_000 + 1) : 0
            let count = events.withUnsafeMutableBufferPointer { buffer in
                cepoll_wait(epollFD, buffer.baseAddress, Int32(buffer.count), timeout)
            }
            now = Socket.monotonicNanoseconds()
            dateCache.updateFromSystemClock()
            if count > 0 {
                for index in 0..<Int(count) {
                    let event = events[index]
                    dispatch(token: event.data, flags: event.events)
                }
            }
            runDeferred()
            if servedInIteration > 0 {
                counters.requestsServed.add(servedInIteration, ordering: .relaxed)
                servedInIteration = 0
            }
            if now >= nextScan {
                scanTimers()
                nextScan = now + scanInterval
            }
            if stopping && (connectionCount == 0 || now >= stopDeadline) {
                closeAll()
                return
            }
        }
    }

    private func dispatch(token: UInt64, flags: UInt32) {
        switch token {
        case Self.listenerToken:
            acceptConnections()
        case Self.mailboxToken:
            for command in mailbox.drain() { handle(command) }
        default:
            let fd = Int(token)
            guard fd < connections.count, let connection = connections[fd] else { return }
            if flags & (CEPOLL_IN | CEPOLL_RDHUP | CEPOLL_HUP | CEPOLL_ERR) != 0 {
                connection.wantRead = true
            }
            if flags & (CEPOLL_RDHUP | CEPOLL_HUP) != 0 { connection.hangupSeen = true }
            connection.service()
        }
    }

    private func runDeferred() {
        guard !deferred.isEmpty else { return }
        let pending = deferred
        deferred.removeAll(keepingCapacity: true)
        for connection in pending where !connection.isClosed {
            connection.isDeferred = false
            connection.service()
        }
    }

    private func acceptConnections() {
        guard listening, now >= acceptPausedUntil else { return }
        for _ in 0..<64 {
            let fd = Socket.accept(listenFD)
            if fd < 0 {
                let code = errno
                if code == EINTR || code == ECONNABORTED { continue }
                if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM {
                    acceptPausedUntil = now + 100_000_000
                }
                return
            }
            let open = counters.openConnections.add(1, ordering: .relaxed).newValue
            let counted = open <= configuration.maxConnections
            if !counted { counters.openConnections.subtract(1, ordering: .relaxed) }
            let id = counters.nextConnectionID.add(1, ordering: .relaxed).newValue
            let connection = Connection(fd: fd, id: id, loop: self, counted: counted)
            if Int(fd) >= connections.count {
                connections.append(
                    contentsOf: repeatElement(nil, count: Int(fd) + 1 - connections.count + 64))
            }
            connections[Int(fd)] = connection
            connectionCount += 1
            let registered = cepoll_ctl(
                epollFD, 0, fd, CEPOLL_IN | CEPOLL_OUT | CEPOLL_RDHUP | CEPOLL_ET, UInt64(fd))
            if registered != 0 {
                connection.close()
                continue
            }
            if counted {
                connection.start()
            } else {
                connection.reject(openConnections: configuration.maxConnections)
            }
        }
    }

    private func handle(_ command: LoopCommand) {
        switch command {
        case .stop(let grace):
            beginStop(graceNanoseconds: grace)
        case .streamReady(let id):
            if let connection = streamConnection(id) { connection.pullStream() }
        case .streamDropped(let id):
            if let connection = streamConnection(id) { connection.close() }
        case .respond(let id, let response):
            if let connection = streamConnection(id) { connection.completeDeferred(response) }
        }
    }

    private func streamConnection(_ id: UInt64) -> Connection? {
        guard let fd = streams[id], Int(fd) < connections.count, let connection = connections[Int(fd)],
            connection.id == id
        else { return nil }
        return connection
    }

    /// Forgets a closed connection (called by `Connection.close()`).
    func remove(_ connection: Connection) {
        let fd = Int(connection.fd)
        if fd < connections.count, connections[fd] === connection {
            connections[fd] = nil
            connectionCount -= 1
        }
        streams[connection.id] = nil
    }

    /// Counts one final response written by a connection of this loop (an error the server made itself
    /// included): towards `requestsServed` and towards its status.
    @inline(__always)
    func countResponse(status: Int) {
        servedInIteration += 1
        statusCounts.count(status)
    }

    /// Queues a connection to be serviced again at the end of this iteration.
    func deferService(_ connection: Connection) {
        guard !connection.isDeferred else { return }
        connection.isDeferred = true
        deferred.append(connection)
    }
}
