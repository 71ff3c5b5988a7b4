/// How the body of a request is delimited.
enum BodyFraming: Sendable, Equatable {
    /// No body (no Content-Length and no Transfer-Encoding).
    case none
    /// A body of exactly this many bytes.
    case contentLength(Int)
    /// A chunked body.
    case chunked
}

/// The validated head of a request: what the router and the connection need before the body.
struct RequestHead: Sendable {
    var method: HTTPMethod
    /// The raw request-target.
    var target: String
    /// UTF-8 offsets of the path (still percent-encoded) inside `target`; empty means "/".
    var pathRange: Range<Int>
    /// UTF-8 offset where the query starts inside `target` (after '?'), or nil.
    var queryStart: Int?
    var version: HTTPVersion
    var headers: HTTPHeaders
    var framing: BodyFraming
    /// The client allows the connection to stay open after this request.
    var keepAlive: Bool
    /// The client sent `Expect: 100-continue` (HTTP/1.1 only).
    var expectContinue: Bool
    /// The client sent an `Expect` value other than `100-continue`: answered with 417.
    var expectationFailed = false

    /// True when a body follows the head.
    var hasBody: Bool {
        switch framing {
        case .none, .contentLength(0): false
        default: true
        }
    }
}
