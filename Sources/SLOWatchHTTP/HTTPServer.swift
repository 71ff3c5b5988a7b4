import SLOWatchSync
import Synchronization

/// An HTTP/1.1 server on POSIX sockets and epoll.
///
/// `start()` binds and listens, then runs a small fixed number of event-loop threads; each owns
/// its connections. Handlers run on the loop thread that read the request.
public final class HTTPServer: Sendable {
    private enum Phase {
        case idle
        case running(ServerRuntime)
        /// `stop()` was called; the runtime (nil when never started) lets a later call wait for it.
        case stopped(ServerRuntime?)
    }

    private let configuration: HTTPServerConfiguration
    private let router: HTTPRouter
    private let phase = PThreadLock<Phase>(.idle)
    private let boundPort = Atomic<Int>(-1)
    let counters = ServerCounters()
    /// The stream slots and byte budget every loop's streams share.
    let streamBudget: StreamBudget

    /// Creates a server; nothing is bound until `start()`.
    public init(configuration: HTTPServerConfiguration, router: HTTPRouter) {
        self.configuration = configuration
        self.router = router
        streamBudget = StreamBudget(
            maxStreams: configuration.effectiveMaxStreams, limitBytes: configuration.streamBufferLimitBytes)
    }

    /// Binds, listens and starts the I/O threads. Returns the bound port (the ephemeral one for port 0).
    @discardableResult public func start() throws(HTTPServerError) -> Int {
        try phase.withLock { phase throws(HTTPServerError) -> Int in
            guard case .idle = phase else { throw HTTPServerError.alreadyStarted }
            let runtime = try ServerRuntime.start(
                configuration: configuration, router: router, counters: counters,
                streamBudget: streamBudget)
            phase = .running(runtime)
            boundPort.store(runtime.port, ordering: .releasing)
            return runtime.port
        }
    }

    /// The bound port once started, else nil.
    public var port: Int? {
        let value = boundPort.load(ordering: .acquiring)
        return value >= 0 ? value : nil
    }

    /// Stops gracefully: stops accepting, lets in-flight requests finish (at most `shutdownGrace`),
    /// closes idle keep-alive connections, ends streams with a final chunk, and joins the loop
    /// threads. Responses sent from then on say `Connection: close`.
    ///
    /// - Called from any other thread, it returns when the shutdown is complete (the threads are
    ///   joined and the port is closed). Calling it again waits for the same shutdown; calling it
    ///   before `start()` only prevents a later start.
    /// - Called from a handler (on one of the server's own event-loop threads), it cannot wait for
    ///   that thread, so it only begins the shutdown and returns at once; the response of that
    ///   handler is still sent (with `Connection: close`), and the threads are joined and the port
    ///   closed asynchronously, within `shutdownGrace` after the handler returns. A later `stop()`
    ///   from another thread waits for that completion.
    public func stop() {
        let runtime: ServerRuntime? = phase.withLock { phase in
            switch phase {
            case .idle:
                phase = .stopped(nil)
                return nil
            case .running(let runtime):
                phase = .stopped(runtime)
                return runtime
            case .stopped(let runtime):
                return runtime
            }
        }
        counters.stopRequested.store(true, ordering: .relaxed)
        runtime?.stop(graceNanoseconds: configuration.shutdownGrace.clampedNanoseconds)
    }

    /// The number of client connections open now (connections refused with 503 are not counted).
    public var openConnections: Int { counters.openConnections.load(ordering: .relaxed) }

    /// The number of streaming responses open now (each holds one of ``HTTPServerConfiguration/maxStreams``).
    public var openStreams: Int { streamBudget.openStreams.load(ordering: .relaxed) }

    /// The bytes all open streams hold queued for their clients, in total (an upper bound of their
    /// memory: a frame shared by many streams counts once per stream).
    public var streamQueuedBytes: Int { streamBudget.queuedBytes.load(ordering: .relaxed) }

    /// The number of responses sent so far (streams count when their head is sent).
    public var requestsServed: UInt64 { counters.requestsServed.load(ordering: .relaxed) }

    /// How many final responses the server has written, by status code: handlers' answers, the head of
    /// each stream, and the errors the server writes itself (400, 404, 405, 408, 413, 431, 501, 503 …).
    /// The interim `100 Continue` is not counted. Only statuses with a count appear; empty before
    /// `start()`. The counts stay readable after `stop()`.
    ///
    /// Each event loop keeps its own table, so counting costs its loop one plain increment per response;
    /// this sums the tables (500 relaxed loads per loop), meant for a scrape, not for a hot path.
    public func responsesByStatus() -> [Int: UInt64] {
        let runtime: ServerRuntime? = phase.withLock { phase in
            switch phase {
            case .idle: return nil
            case .running(let runtime): return runtime
            case .stopped(let runtime): return runtime
            }
        }
        return runtime?.responsesByStatus() ?? [:]
    }
}

/// Counters shared by the loops. Sendable: atomics only.
final class ServerCounters: Sendable {
    /// Open, counted connections (against `maxConnections`).
    let openConnections = Atomic<Int>(0)
    /// Responses sent.
    let requestsServed = Atomic<UInt64>(0)
    /// Source of unique connection ids.
    let nextConnectionID = Atomic<UInt64>(1)
    /// `stop()` was called; read by the loops before they receive the stop command.
    let stopRequested = Atomic<Bool>(false)
}
