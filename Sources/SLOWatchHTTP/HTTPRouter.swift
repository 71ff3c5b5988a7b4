/// Routes requests by method and path pattern (`/metrics/:name/percentiles`) to plain functions.
///
/// Patterns are matched on the raw (still percent-encoded) path segments and parameters are
/// decoded afterwards, so `%2F` stays inside one parameter. HEAD is served wherever GET is.
public struct HTTPRouter: Sendable {
    /// What a route runs.
    enum Handler: Sendable {
        /// A handler that returns the whole response.
        case plain(@Sendable (HTTPRequest) -> HTTPResponse)
        /// A streaming handler: `decide` gives the head (or a complete answer), `start` then writes chunks.
        case stream(
            decide: @Sendable (HTTPRequest) -> HTTPStreamDecision,
            start: @Sendable (HTTPRequest, HTTPStreamWriter) -> Void)
        /// A handler that answers later, from any thread, through the responder.
        case deferred(@Sendable (HTTPRequest, HTTPResponder) -> Void)
    }

    /// One segment of a pattern.
    enum Segment: Sendable {
        case literal([UInt8])
        case parameter(String)
    }

    /// A pattern and the methods it serves.
    struct Route: Sendable {
        var segments: [Segment]
        var handlers: [(method: HTTPMethod, handler: Handler)]
    }

    /// The outcome of matching a request against the routes.
    enum Match {
        /// A route serves the method; parameters are decoded.
        case found(Handler, parameters: [String: String])
        /// Some route matches the path but none serves the method; `allow` lists those that do.
        case methodNotAllowed(allow: String)
        /// No route matches the path.
        case notFound
    }

    private(set) var routes: [Route] = []

    /// Called on an event loop's thread at the end of each loop iteration in which that loop called a
    /// deferred route, with the loop's index (the responders' ``HTTPResponder/loopIndex``); nil for
    /// none. A deferred route can gather the requests of one iteration and hand them to its worker
    /// together (one wake-up instead of one per request). It must not block.
    public var afterDeferredRequests: (@Sendable (Int) -> Void)?

    /// Creates a router with no routes.
    public init() {}

    /// Serves `method` on `pattern` (segments starting with ':' are parameters) with `handler`.
    public mutating func add(
        _ method: HTTPMethod, _ pattern: String, _ handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) {
        insert(method, pattern, .plain(handler))
    }

    /// Serves `method` on `pattern` with a handler that answers later: it gets the request and an
    /// ``HTTPResponder``, hands its blocking work elsewhere (a pool) and returns at once; the response
    /// given to the responder is then written by the event loop, exactly as a plain route's would be.
    public mutating func addDeferred(
        _ method: HTTPMethod, _ pattern: String,
        _ handler: @escaping @Sendable (HTTPRequest, HTTPResponder) -> Void
    ) {
        insert(method, pattern, .deferred(handler))
    }

    /// Serves `method` on `pattern` with a streaming (chunked) response: `head` gives the status and
    /// headers (e.g. `Content-Type: text/event-stream`), then `start` writes the body through the writer.
    public mutating func addStream(
        _ method: HTTPMethod, _ pattern: String, head: @escaping @Sendable (HTTPRequest) -> HTTPResponse,
        _ start: @escaping @Sendable (HTTPRequest, HTTPStreamWriter) -> Void
    ) {
        addStream(
            method, pattern,
            decide: { request in
                let response = head(request)
                return (200..<300).contains(response.status) ? .stream(response) : .respond(response)
            }, start)
    }

    /// Serves `method` on `pattern` with a route that decides per request: `decide` returns either a
    /// complete response (sent as usual) or the head of a stream, after which `start` writes the body.
    public mutating func addStream(
        _ method: HTTPMethod, _ pattern: String,
        decide: @escaping @Sendable (HTTPRequest) -> HTTPStreamDecision,
        _ start: @escaping @Sendable (HTTPRequest, HTTPStreamWriter) -> Void
    ) {
        insert(method, pattern, .stream(decide: decide, start: start))
    }

    /// Every route as (method, pattern), in the order added, with parameters written `:name`; HEAD is
    /// not listed separately.
    public var routeTable: [(method: HTTPMethod, pattern: String)] {
        routes.flatMap { route in
            let pattern =
                "/"
                + route.segments.map { segment in
                    switch segment {
                    case .literal(let bytes): String(decoding: bytes, as: UTF8.self)
                    case .parameter(let name): ":" + name
                    }
                }.joined(separator: "/")
            return route.handlers.map { (method: $0.method, pattern: pattern) }
        }
    }

    private mutating func insert(_ method: HTTPMethod, _ pattern: String, _ handler: Handler) {
        let segments = Self.segments(of: pattern)
        if let index = routes.firstIndex(where: { Self.samePattern($0.segments, segments) }) {
            routes[index].handlers.removeAll { $0.method == method }
            routes[index].handlers.append((method, handler))
        } else {
            routes.append(Route(segments: segments, handlers: [(method, handler)]))
        }
    }

    private static func segments(of pattern: String) -> [Segment] {
        var trimmed = Substring(pattern)
        if trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        return trimmed.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix(":") ? .parameter(String(part.dropFirst())) : .literal(Array(part.utf8))
        }
    }

    private static func samePattern(_ lhs: [Segment], _ rhs: [Segment]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (left, right) in zip(lhs, rhs) {
            switch (left, right) {
            case (.literal(let a), .literal(let b)) where a == b: continue
            case (.parameter(let a), .parameter(let b)) where a == b: continue
            default: return false
            }
        }
        return true
    }
}
