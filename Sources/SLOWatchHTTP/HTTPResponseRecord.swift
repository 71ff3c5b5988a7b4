/// What ``HTTPServerConfiguration/onResponse`` learns about one answered request.
public struct HTTPResponseRecord: Sendable {
    /// The request's method, or nil when the request line could not be parsed.
    public var method: HTTPMethod?
    /// The raw request-target, or nil when the request line could not be parsed.
    public var target: String?
    /// The status sent (for a stream, the status of its head).
    public var status: Int

    /// Creates a record.
    public init(method: HTTPMethod?, target: String?, status: Int) {
        self.method = method
        self.target = target
        self.status = status
    }
}
