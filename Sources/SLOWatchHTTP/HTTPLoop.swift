import SLOWatchPOSIX
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The HTTP side of one event loop: accepts connections from the shared listener, drives them, and
/// applies their timeouts. The socket layer's ``EventLoop`` runs it on a thread of its own.
///
/// `@unchecked Sendable`: every mutable property is confined to the loop's own thread (the driver
/// callbacks), except before the thread starts and after it is joined, when only the server's thread
/// (holding the server's phase lock) touches it. Other threads reach a running loop only through
/// `mailbox`.
final class HTTPLoop: EventLoopDriver, @unchecked Sendable {
    /// What a registered descriptor is.
    enum Handler {
        /// The listening socket, shared by every loop (`EPOLLEXCLUSIVE`).
        case listener
        /// A client connection owned by this loop.
        case connection(Connection)
    }

    typealias Command = LoopCommand

    /// The socket layer's loop; set once by `init`, dropped by ``join()`` to break the cycle.
    private(set) var eventLoop: EventLoop<HTTPLoop>!
    /// How other threads reach this loop.
    private(set) var mailbox: HTTPLoopMailbox!
    let listenFD: Int32
    /// This loop's place among the server's loops (0-based), given to deferred routes' responders.
    let index: Int
    /// True once a deferred route ran in the current iteration (then ``HTTPRouter/afterDeferredRequests``
    /// is called at its end).
    var calledDeferredRoute = false
    let configuration: HTTPServerConfiguration
    let router: HTTPRouter
    let counters: ServerCounters
    /// The stream slots and byte budget shared with the server's other loops.
    let streamBudget: StreamBudget
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

    /// Number of connections registered with this loop.
    var connectionCount = 0
    /// Connections answered from other threads (streams, deferred responses) by connection id, for the
    /// writers' and responders' commands.
    var streams: [UInt64: Int32] = [:]
    /// Connections that still have input to process after an iteration's budget ran out.
    var deferred: [Connection] = []
    /// The connections the timeout scan visits: those with a deadline or unsent output (see
    /// ``watchTimers(_:)``); idle streams are not among them. `timerScratch` is the list being scanned.
    var timerWatched: [Connection] = []
    var timerScratch: [Connection] = []
    var dateCache = DateCache()
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

    /// The monotonic time of the current iteration, in ns: the event loop's, copied at each wake-up so
    /// that the connections' many reads of it stay in this module (no call into the generic loop).
    private(set) var now: UInt64 = 0
    /// The reported events that mean "read" (input, a hang-up or an error to read out), as raw bits,
    /// computed once so the per-event check is one AND.
    private let readReadiness = EpollEvents([.readable, .readHangup, .hangup, .error]).rawValue
    /// The reported events that mean the peer hung up, as raw bits.
    private let hangupReadiness = EpollEvents([.readHangup, .hangup]).rawValue

    /// Creates the loop (its epoll set and mailbox) and registers the listener; no thread runs yet.
    /// - Returns: nil when the kernel refuses an epoll set or an eventfd (`errno` says why).
    init?(
        index: Int, listenFD: Int32, configuration: HTTPServerConfiguration, router: HTTPRouter,
        counters: ServerCounters,
        streamBudget: StreamBudget
    ) {
        self.listenFD = listenFD
        self.index = index
        self.streamBudget = streamBudget
        self.configuration = configuration
        self.router = router
        self.counters = counters
        headTimeout = max(configuration.headTimeout.clampedNanoseconds, 1_000_000)
        bodyTimeout = max(configuration.bodyTimeout.clampedNanoseconds, 1_000_000)
        minBodyBytesPerSecond = max(configuration.minBodyBytesPerSecond, 0)
        minBodyRateGrace = configuration.minBodyRateGrace.clampedNanoseconds
        idleTimeout = max(configuration.idleTimeout.clampedNanoseconds, 1_000_000)
        writeStallTimeout = max(configuration.writeStallTimeout.clampedNanoseconds, 1_000_000)
        lingerTimeout = 1_000_000_000
        let shortest = min(headTimeout, bodyTimeout, idleTimeout, writeStallTimeout)
        scanInterval = min(max(shortest / 10, 5_000_000), 250_000_000)
        guard let eventLoop = EventLoop(driver: self) else { return nil }
        self.eventLoop = eventLoop
        mailbox = HTTPLoopMailbox(mailbox: eventLoop.mailbox)
        listening = eventLoop.register(listenFD, for: [.readable, .exclusive], handler: .listener)
        scheduleScan()
    }

    /// The loop's thread, once started: set before `ServerRuntime` exists, never changed after, so any
    /// thread may read it (unlike `eventLoop`, which `join()` clears).
    private var thread: LoopThread?

    /// Starts the loop's thread; false when the system refuses a thread.
    func startThread() -> Bool {
        dateCache.updateFromSystemClock()
        guard eventLoop.start() else { return false }
        thread = eventLoop.loopThread
        return true
    }

    /// True when the caller runs on this loop's thread.
    var isCurrentThread: Bool { thread?.isCurrent ?? false }

    /// Queues `command` for the loop; never blocks.
    func post(_ command: LoopCommand) {
        mailbox.post(command)
    }

    /// Waits for the loop's thread to exit, then releases its descriptors and the event loop (which
    /// holds this driver: clearing it breaks the cycle). Call once, from the thread that owns the server.
    func join() {
        eventLoop?.join()
        eventLoop = nil
    }

    // MARK: Driver

    var hasImmediateWork: Bool { !deferred.isEmpty }

    func loopDidWake(_ loop: EventLoop<HTTPLoop>) {
        now = loop.now
        dateCache.updateFromSystemClock()
    }

    func loop(_ loop: EventLoop<HTTPLoop>, ready handler: Handler, fd: Int32, events: EpollEvents) {
        switch handler {
        case .listener:
            acceptConnections()
        case .connection(let connection):
            if events.rawValue & readReadiness != 0 { connection.wantRead = true }
            if events.rawValue & hangupReadiness != 0 { connection.hangupSeen = true }
            connection.service()
        }
    }

    func loop(_ loop: EventLoop<HTTPLoop>, received command: LoopCommand) {
        switch command {
        case .stop(let grace):
            beginStop(graceNanoseconds: grace)
        case .streamReady(let id):
            if let connection = streamConnection(id) { connection.pullStream() }
        case .streamDropped(let id):
            if let connection = streamConnection(id) { connection.close() }
        case .respond(let id, let response):
            if let connection = streamConnection(id) { connection.completeDeferred(response) }
        case .run(let body):
            body()
        case .respondAll(let answers):
            for answer in answers {
                if let connection = streamConnection(answer.connectionID) {
                    connection.completeDeferred(answer.response)
                }
            }
        }
    }

    func loopIterationEnded(_ loop: EventLoop<HTTPLoop>) -> Bool {
        runDeferred()
        if calledDeferredRoute {
            calledDeferredRoute = false
            router.afterDeferredRequests?(index)
        }
        if servedInIteration > 0 {
            counters.requestsServed.add(servedInIteration, ordering: .relaxed)
            servedInIteration = 0
        }
        if stopping && (connectionCount == 0 || now >= stopDeadline) {
            closeAll()
            return false
        }
        return true
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
            let registered = eventLoop.register(
                fd, for: [.readable, .writable, .readHangup, .edgeTriggered], handler: .connection(connection)
            )
            guard registered else {
                // Never registered: close the socket and undo the count without `remove`.
                connection.machine.closed()
                _ = Glibc.close(fd)
                if counted { counters.openConnections.subtract(1, ordering: .relaxed) }
                continue
            }
            connectionCount += 1
            if counted {
                connection.start()
            } else {
                connection.reject(openConnections: configuration.maxConnections)
            }
        }
    }

    private func streamConnection(_ id: UInt64) -> Connection? {
        guard let fd = streams[id], case .connection(let connection)? = eventLoop.handler(for: fd),
            connection.id == id
        else { return nil }
        return connection
    }

    /// Forgets a closed connection (called by `Connection.close()`).
    func remove(_ connection: Connection) {
        if case .connection(let registered)? = eventLoop.handler(for: connection.fd),
            registered === connection
        {
            eventLoop.forget(connection.fd)
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
