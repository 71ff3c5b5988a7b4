/// A response a handler returns. The server adds `Date`, `Server`, `Content-Length` or
/// `Transfer-Encoding`, and `Connection`.
public struct HTTPResponse: Sendable {
    /// The status code, e.g. 200.
    public var status: Int
    /// The handler's header fields.
    public var headers: HTTPHeaders
    /// The body bytes (not sent for HEAD, 204 and 304).
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: HTTPHeaders = .init(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The fields of every JSON answer, built once: copying them costs a reference count, not two arrays.
    private static let jsonHeaders: HTTPHeaders = ["Content-Type": "application/json; charset=utf-8"]

    /// A JSON response with `Content-Type: application/json; charset=utf-8`.
    public static func json(status: Int, _ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, headers: jsonHeaders, body: body)
    }

    /// The fields of every plain-text answer, built once.
    private static let plainTextHeaders: HTTPHeaders = ["Content-Type": "text/plain; charset=utf-8"]

    /// The server's default rendering of the errors it answers by itself (see
    /// ``HTTPServerConfiguration/errorResponse``): `text/plain; charset=utf-8`, the message and a newline.
    /// The transport knows no API format; a service supplies its own through the configuration.
    @Sendable public static func plainTextError(_ error: HTTPErrorAnswer) -> HTTPResponse {
        var body: [UInt8] = []
        body.reserveCapacity(error.message.utf8.count + 1)
        body.append(contentsOf: error.message.utf8)
        body.append(UInt8(ascii: "\n"))
        return HTTPResponse(status: error.status, headers: plainTextHeaders, body: body)
    }
}
