/// An error the server answers by itself, before or instead of a route: a malformed or oversized
/// request (400, 413, 414, 431), an unknown path or method (404, 405, 501), a timeout (408), a full
/// server (503), an unsupported version (505), or a handler's non-final status (500).
///
/// The server decides the status and its own header fields (`Allow`, `Retry-After`, the framing);
/// ``HTTPServerConfiguration/errorResponse`` decides how the error reads, so the transport holds no
/// API format of its own.
public struct HTTPErrorAnswer: Sendable, Equatable {
    /// The status, 4xx or 5xx.
    public var status: Int
    /// A stable snake_case name of the status, e.g. `not_found` or `payload_too_large`.
    public var code: String
    /// A sentence that names the input and the rule it broke.
    public var message: String

    /// Creates an answer.
    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// The answer for `status`, with the server's code for it (`error` for a status it has no name for).
    init(status: Int, message: String) {
        self.init(status: status, code: HTTPStatus.errorCode(status), message: message)
    }
}
