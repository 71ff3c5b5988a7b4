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
    /// How long the head of a request may take to arrive, counted from its first byte (slowloris); then
    /// 408 and close. A new connection that sends nothing also gets 408 after this, counted from accept.
    public var headTimeout: Duration = .seconds(10)
    /// How long a request body may stall without a byte arriving; then 408 and close.
    public var bodyTimeout: Duration = .seconds(10)
    /// The slowest a request body may arrive on average, in bytes per second, counted from the end of
    /// its head once `minBodyRateGrace` has passed; a slower body (the RUDY attack: a byte now and then,
    /// each within `bodyTimeout`) gets 408 and is closed. 0 turns the rule off. Default 240 (Kestrel's).
    public var minBodyBytesPerSecond: Int = 240
    /// How long a request body may take before `minBodyBytesPerSecond` applies. Default 5 s (Kestrel's).
    public var minBodyRateGrace: Duration = .seconds(5)
    /// How long a keep-alive connection may sit idle between requests before it is closed silently.
    public var idleTimeout: Duration = .seconds(60)
    /// How long queued response bytes may wait without the client taking at least
    /// `writeStallMinimumBytes` of them (a stalled or very slow reader) before the connection is closed,
    /// without an answer; applies to plain responses and to streams alike. A stream that merely has
    /// nothing to send is never closed by it. Default 30 s.
    public var writeStallTimeout: Duration = .seconds(30)
    /// The bytes a client must take within each `writeStallTimeout` while output waits for it, in bytes,
    /// so that reading a few bytes now and then (the slow-read attack) does not count as progress.
    /// Default 4,096 (about 137 bytes a second with the default timeout).
    public var writeStallMinimumBytes: Int = 4096
    /// How long `stop()` waits for in-flight requests before it closes every connection.
    public var shutdownGrace: Duration = .seconds(10)
    /// The most bytes queued for sending on one connection; a stream client over it is disconnected.
    public var maxOutboundBytes: Int = 1 << 20
    /// The most streaming responses open at once, out of `maxConnections`; nil (the default) means half
    /// of `maxConnections` (at least 1). A stream request beyond it gets 503 `too_many_streams` with
    /// `Retry-After`, and its connection is closed. Streams never take more than this many connection
    /// slots, so at least `maxConnections - maxStreams` connections are always left for plain requests.
    public var maxStreams: Int?
    /// The most bytes all streams together may hold queued for their clients (default 64 MiB). Past it,
    /// the streams furthest behind (most bytes queued) are disconnected first, until the total is back
    /// under it. Frames shared between streams count once per stream, so this bounds their memory.
    public var streamBufferLimitBytes: Int = 64 << 20
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
    /// Renders the errors the server answers by itself, without a route (see ``HTTPErrorAnswer``: 400,
    /// 404, 405, 408, 413, 414, 431, 500, 501, 503, 505): the returned headers and body are sent, under
    /// the answer's status whatever the returned one, and the server adds its own fields (`Allow`,
    /// `Retry-After`, framing, `Connection`). Called on the I/O thread; keep it short and non-blocking.
    /// The default is ``HTTPResponse/plainTextError(_:)``: the message as `text/plain`, so the transport
    /// holds no API format; a service supplies its own error document here.
    public var errorResponse: @Sendable (HTTPErrorAnswer) -> HTTPResponse = HTTPResponse.plainTextError

    /// Creates the default configuration (127.0.0.1:8080).
    public init() {}

    /// The stream limit in effect: ``maxStreams``, or half of ``maxConnections`` (at least 1), never
    /// more than ``maxConnections``.
    public var effectiveMaxStreams: Int {
        min(max(1, maxStreams ?? maxConnections / 2), max(1, maxConnections))
    }
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
