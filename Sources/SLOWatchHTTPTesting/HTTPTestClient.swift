import SLOWatchHTTP

/// Calls an ``HTTPRouter`` in process, as a connection would after reading a request, without a socket,
/// an event loop or threads, in the spirit of Hummingbird's `app.test(.router)`.
///
/// Each call routes one HTTP/1.1 request (404, 405 with `Allow`, 501 for an unknown method, the admission
/// hook, the body limit), runs the handler on the caller's thread, and encodes the response exactly as
/// the connection does: status line, the server's `Date`, `Server`, `Content-Length` and `Connection`
/// fields, the handler's fields, and the body (none for HEAD). A streaming route answers with the head a
/// connection writes before its first chunk; its writer is not started, so test streams over a socket.
///
/// What a socket adds (parsing, pipelining, timeouts, backpressure, `Expect: 100-continue`) is not
/// exercised here; the transport's own suites cover it.
public struct HTTPTestClient: Sendable {
    /// The routes under test.
    public let router: HTTPRouter
    /// The admission hook, as in ``HTTPServerConfiguration/admit``; nil admits every request.
    public let admit: (@Sendable (HTTPRequest) -> HTTPResponse?)?
    /// The error renderer, as in ``HTTPServerConfiguration/errorResponse``.
    public let errorResponse: @Sendable (HTTPErrorAnswer) -> HTTPResponse
    /// The body limit (bytes), as in ``HTTPServerConfiguration/maxBodyBytes``; a longer body gets 413.
    public let maxBodyBytes: Int
    /// The `Date` field's value in every response: a fixed IMF-fixdate, so answers compare byte for byte.
    public static let date = "Sun, 06 Nov 1994 08:49:37 GMT"

    /// A client for `router`, with the server's admission hook, error renderer and body limit taken from
    /// `configuration`.
    public init(router: HTTPRouter, configuration: HTTPServerConfiguration = HTTPServerConfiguration()) {
        self.router = router
        self.admit = configuration.admit
        self.errorResponse = configuration.errorResponse
        self.maxBodyBytes = configuration.maxBodyBytes
    }

    /// Sends `method target` with `headers` and `body` through the router.
    /// - Parameter target: the request target as a client sends it, percent-encoded, with its query
    ///   (`/metrics/a%20b/percentiles?q=0.5`).
    public func execute(
        _ method: HTTPMethod, _ target: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) -> HTTPTestResponse {
        var fields = HTTPHeaders()
        for (name, value) in headers { fields.add(name: name, value: value) }
        if !body.isEmpty && !fields.contains("Content-Length") {
            fields.add(name: "Content-Length", value: String(body.count))
        }
        let answer = router.respondInProcess(
            method: method, target: target, headers: fields, body: body, admit: admit,
            errorResponse: errorResponse, maxBodyBytes: maxBodyBytes, date: Array(Self.date.utf8))
        return HTTPTestResponse(bytes: answer.bytes, isStream: answer.isStream)
    }

    /// `GET target`.
    public func get(_ target: String, headers: [(String, String)] = []) -> HTTPTestResponse {
        execute(.get, target, headers: headers)
    }

    /// `POST target` with `body`.
    public func post(_ target: String, body: [UInt8], headers: [(String, String)] = []) -> HTTPTestResponse {
        execute(.post, target, headers: headers, body: body)
    }
}
