/// A parsed request, as a handler sees it.
public struct HTTPRequest: Sendable {
    /// The method.
    public var method: HTTPMethod
    /// The raw request-target, e.g. "/metrics/a%2Eb/percentiles?q=0.5".
    public var target: String
    /// The percent-decoded path, without the query.
    public var path: String
    /// The version (`HTTP/1.2` and up are reported as `.http1_1`).
    public var version: HTTPVersion
    /// The header fields, in order.
    public var headers: HTTPHeaders
    /// The body, de-chunked, in bytes.
    public var body: [UInt8]
    /// The route's `:name` parameters, percent-decoded.
    public var pathParameters: [String: String]
    /// The query parameters in order, percent-decoded, with '+' read as a space.
    public var query: [(name: String, value: String)]

    /// Creates a request; the server fills `pathParameters` from the matched route.
    public init(
        method: HTTPMethod, target: String, path: String? = nil, version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = .init(), body: [UInt8] = [], pathParameters: [String: String] = [:],
        query: [(name: String, value: String)]? = nil
    ) {
        self.method = method
        self.target = target
        let split = PercentDecoding.splitTarget(target)
        self.path = path ?? PercentDecoding.decode(split.path) ?? split.path
        self.version = version
        self.headers = headers
        self.body = body
        self.pathParameters = pathParameters
        self.query = query ?? PercentDecoding.parseQuery(split.query)
    }

    /// The first query value named `name`, or nil.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }
}

extension HTTPRequest {
    /// Creates a request from parsed parts without re-deriving the path or query.
    init(
        parsed method: HTTPMethod, target: String, path: String, version: HTTPVersion, headers: HTTPHeaders,
        body: [UInt8], pathParameters: [String: String], query: [(name: String, value: String)]
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.version = version
        self.headers = headers
        self.body = body
        self.pathParameters = pathParameters
        self.query = query
    }
}
