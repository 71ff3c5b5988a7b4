/// Parses HTTP/1.1 requests from bytes that arrive in pieces, with the server's own parser and limits
/// but no socket: for tools that check captured or generated traffic, and for the fuzz targets.
///
/// It applies the rules a connection applies before routing: the request-line and header syntax, the
/// limits (414, 431, 413 in ``HTTPServerConfiguration``), `Content-Length` and chunked framing, 501 for
/// other transfer codings and 505 for other major versions. It does not route, so a method the server
/// does not know, an `Expect` it cannot meet, or a path with a bad `%` escape comes back as a request.
/// After a failure it stays failed, as the connection closes then. Requests are returned in order
/// (pipelining); how the bytes are split across ``append(_:)`` calls never changes the outcome.
public struct HTTPRequestStreamParser: Sendable {
    /// The loop the server's connections run, limits clamped the same way.
    private var reader: RequestReader
    /// The head whose body is being read, or nil between requests.
    private var head: RequestHead?

    /// The bytes consumed by the requests returned so far and by the body being read (bytes).
    public var consumedByteCount: Int { reader.consumedByteCount }

    /// The bytes appended but not yet consumed (bytes).
    public var bufferedByteCount: Int { reader.unreadByteCount }

    /// Creates a parser with the limits of `configuration` (only the byte and count limits are used),
    /// clamped as the server clamps them.
    public init(configuration: HTTPServerConfiguration = .init()) {
        reader = RequestReader(configuration: configuration)
    }

    /// Creates a parser enforcing `limits` (clamped), for tests.
    init(limits: RequestParser.Limits) {
        reader = RequestReader(limits: limits)
    }

    /// Appends the next bytes of the stream, as one read from a socket would.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        reader.append(bytes)
    }

    /// The next complete request, or nil when more bytes are needed for it.
    /// - Throws: the ``HTTPParseError`` (status and message) the server would answer before closing;
    ///   every later call throws it again.
    public mutating func nextRequest() throws(HTTPParseError) -> HTTPRequest? {
        while true {
            switch reader.next() {
            case .incomplete:
                return nil
            case .failed(let error):
                head = nil
                throw error
            case .head(let parsed):
                guard parsed.hasBody else { return Self.request(parsed, body: []) }
                // As a connection does for a routed request: a declared length over the limit is
                // refused before the body is read.
                if let error = reader.startBody() { throw error }
                head = parsed
            case .body(let body):
                guard let current = head else { continue }
                head = nil
                return Self.request(current, body: body)
            }
        }
    }

    private static func request(_ head: RequestHead, body: [UInt8]) -> HTTPRequest {
        HTTPRequest(
            method: head.method, target: head.target, version: head.version, headers: head.headers, body: body
        )
    }
}
