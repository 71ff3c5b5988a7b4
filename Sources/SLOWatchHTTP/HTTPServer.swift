import Synchronization

/// An HTTP/1.1 server on POSIX sockets and epoll.
///
/// `start()` binds and listens, then runs a small fixed number of event-loop threads; each owns
/// its connections. Handlers run on the loop thread that read the request.
public final class HTTPServer: Sendable {
    private enum Phase {
        case idle
        case running(ServerRuntime)
        case stopped
    }

    private let configuration: HTTPServerConfiguration
    private let router: HTTPRouter
    private let phase = Mutex<Phase>(.idle)
    private let boundPort = Atomic<Int>(-1)
    let counters = ServerCounters()

    /// Creates a server; nothing is bound until `start()`.
    public init(configuration: HTTPServerConfiguration, router: HTTPRouter) {
        self.configuration = configuration
        self.router = router
    }

    /// Binds, listens and starts the I/O threads. Returns the bound port (the ephemeral one for port 0).
    @discardableResult public func start() throws(HTTPServerError) -> Int {
        try phase.withLock { phase throws(HTTPServerError) -> Int in
            guard case .idle = phase else { throw HTTPServerError.alreadyStarted }
            let runtime = try ServerRuntime.start(
                configuration: configuration, router: router, counters: counters)
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
    /// threads. Returns when done. Calling it again, or before `start()`, does nothing.
    public func stop() {
        let runtime: ServerRuntime? = phase.withLock { phase in
            guard case .running(let runtime) = phase else {
                if case .idle = phase { phase = .stopped }
                return nil
            }
            phase = .stopped
            return runtime
        }
        runtime?.stop(graceNanoseconds: configuration.shutdownGrace.clampedNanoseconds)
    }

    /// The number of client connections open now (connections refused with 503 are not counted).
    public var openConnections: Int { counters.openConnections.load(ordering: .relaxed) }

    /// The number of responses sent so far (streams count when their head is sent).
    public var requestsServed: UInt64 { counters.requestsServed.load(ordering: .relaxed) }
}

/// Counters shared by the loops. Sendable: atomics only.
final class ServerCounters: Sendable {
    /// Open, counted connections (against `maxConnections`).
    let openConnections = Atomic<Int>(0)
    /// Responses sent.
    let requestsServed = Atomic<UInt64>(0)
    /// Source of unique connection ids.
    let nextConnectionID = Atomic<UInt64>(1)
}
