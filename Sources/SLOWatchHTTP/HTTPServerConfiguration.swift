/// Settings of an `HTTPServer`: where it listens, its limits and its timeouts.
///
/// Every limit is configurable so tests can set them small and short.
public struct HTTPServerConfiguration: Sendable {
    /// The address to bind: an IPv4 or IPv6 literal ("127.0.0.1", "::1", "0.0.0.0", "::").
    public var host: String = "127.0.0.1"
    /// The TCP port to bind; 0 binds an ephemeral port, reported by `HTTPServer.start()`.
    public var port: Int = 8080
    /// The listen backlog, in pending connections.
    public var backlog: Int32 = 1024
    /// The number of event-loop threads; 0 means one per online core.
    public var ioThreads: Int = 0
    /// The most connections open at once; a connection beyond it gets 503 with `Retry-After: 1`, then is closed.
    public var maxConnections: Int = 10_000
    /// The largest request body accepted, in bytes; a larger one gets 413.
    public var maxBodyBytes: Int = 1 << 20
    /// The longest request line accepted, in bytes (without its CRLF); a longer one gets 414.
    public var maxRequestLineBytes: Int = 8 * 1024
    /// The largest header section accepted, in bytes (after the request line); a larger one gets 431.
    public var maxHeaderBytes: Int = 16 * 1024
    /// The most header fields accepted in one request; more get 431.
    public var maxHeaderCount: Int = 100
    /// How long the head of a request may take to arrive once it started (slowloris); then 408 and close.
    public var headTimeout: Duration = .seconds(10)
    /// How long a request body may stall without a byte arriving; then 408 and close.
    public var bodyTimeout: Duration = .seconds(10)
    /// How long a keep-alive connection may sit idle between requests before it is closed silently.
    public var idleTimeout: Duration = .seconds(60)
    /// How long `stop()` waits for in-flight requests before it closes every connection.
    public var shutdownGrace: Duration = .seconds(10)
    /// The most bytes queued for sending on one connection; a stream client over it is disconnected.
    public var maxOutboundBytes: Int = 1 << 20
    /// Called on the I/O thread after each response is queued (handler answers, router and parser
    /// errors, and the head of each stream), for request logs and status counters. Keep it short and
    /// non-blocking; nil (the default) costs one branch per request.
    public var onResponse: (@Sendable (HTTPResponseRecord) -> Void)?
    /// Called on the I/O thread for a request whose route and method were found, as soon as its head
    /// has arrived and before any of its body is read (the request's ``HTTPRequest/body`` is empty): an
    /// answer it returns is sent instead of running the route, and a request with a body then closes the
    /// connection, its body unread. For access control, so a refused client cannot make the server read,
    /// buffer or parse anything. Unknown paths and methods get their 404 and 405 before it is asked.
    /// nil (the default) admits every request at the cost of one branch.
    public var admit: (@Sendable (HTTPRequest) -> HTTPResponse?)?

    /// Creates the default configuration (127.0.0.1:8080).
    public init() {}
}

extension Duration {
    /// The duration in whole nanoseconds, clamped to `0...UInt64.max / 2`.
    var clampedNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        if seconds > 1_000_000_000 { return UInt64.max / 2 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
