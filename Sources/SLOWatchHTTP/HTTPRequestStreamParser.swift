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
    private var parser: RequestParser
    private var buffer: [UInt8] = []
    /// Offset in `buffer` of the first byte not yet consumed.
    private var readIndex = 0
    /// The head whose body is being read, or nil between requests.
    private var head: RequestHead?
    private var body: [UInt8] = []
    private var failure: HTTPParseError?

    /// The bytes consumed by the requests returned so far and by the body being read (bytes).
    public private(set) var consumedByteCount = 0

    /// The bytes appended but not yet consumed (bytes).
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Creates a parser with the limits of `configuration` (only the byte and count limits are used).
    public init(configuration: HTTPServerConfiguration = .init()) {
        parser = RequestParser(
            limits: RequestParser.Limits(
                maxRequestLineBytes: configuration.maxRequestLineBytes,
                maxHeaderBytes: configuration.maxHeaderBytes,
                maxHeaderCount: configuration.maxHeaderCount, maxBodyBytes: configuration.maxBodyBytes))
    }

    /// Appends the next bytes of the stream, as one read from a socket would.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete request, or nil when more bytes are needed for it.
    /// - Throws: the ``HTTPParseError`` (status and message) the server would answer before closing;
    ///   every later call throws it again.
    public mutating func nextRequest() throws(HTTPParseError) -> HTTPRequest? {
        if let failure { throw failure }
        if head == nil {
            guard readIndex < buffer.count, let parsed = try parseHead() else { return nil }
            guard parsed.hasBody else { return Self.request(parsed, body: []) }
            head = parsed
            body = []
        }
        guard let current = head, try parseBody() else { return nil }
        head = nil
        var complete: [UInt8] = []
        swap(&complete, &body)
        return Self.request(current, body: complete)
    }

    /// Parses a head from the unread bytes; nil when it is not complete yet.
    private mutating func parseHead() throws(HTTPParseError) -> RequestHead? {
        let start = readIndex
        let result = buffer.withUnsafeBytes { bytes in
            parser.parseHead(UnsafeRawBufferPointer(rebasing: bytes[start...]))
        }
        switch result {
        case .incomplete:
            return nil
        case .failed(let error):
            throw fail(error)
        case .complete(let parsed, let count):
            advance(count)
            // The connection refuses a declared length over the limit before reading the body.
            if case .contentLength(let length) = parsed.framing, length > parser.limits.maxBodyBytes {
                throw fail(.payloadTooLarge(limit: parser.limits.maxBodyBytes))
            }
            return parsed
        }
    }

    /// Reads body bytes of the current request; true when the body is complete.
    private mutating func parseBody() throws(HTTPParseError) -> Bool {
        let start = readIndex
        let result = buffer.withUnsafeBytes { bytes in
            parser.parseBody(UnsafeRawBufferPointer(rebasing: bytes[start...]), into: &body)
        }
        switch result {
        case .incomplete(let count):
            advance(count)
            return false
        case .complete(let count):
            advance(count)
            return true
        case .failed(let error):
            throw fail(error)
        }
    }

    private mutating func advance(_ count: Int) {
        readIndex += count
        consumedByteCount += count
    }

    private mutating func fail(_ error: HTTPParseError) -> HTTPParseError {
        parser.reset()
        head = nil
        body = []
        failure = error
        return error
    }

    private static func request(_ head: RequestHead, body: [UInt8]) -> HTTPRequest {
        HTTPRequest(
            method: head.method, target: head.target, version: head.version, headers: head.headers, body: body
        )
    }
}
