/// One header field as received: the name as the server spelled it, and the value without surrounding
/// whitespace.
public struct CurlHeaderField: Sendable, Equatable {
    /// A field named `name` with `value`.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// The field name.
    public var name: String
    /// The field value.
    public var value: String
}

/// A completed response as libcurl saw it.
public struct CurlResponse: Sendable {
    /// The final status code (e.g. 200).
    public var status: Int
    /// Statuses of interim (1xx) responses seen before the final one, in order (e.g. `[100]`).
    public var interimStatuses: [Int]
    /// The final response's header fields, in order.
    public var headers: [CurlHeaderField]
    /// The body bytes (decoded from chunked framing when the server used it).
    public var body: [UInt8]
    /// `CURLINFO_NUM_CONNECTS`: new connections made for this transfer; 0 when a connection was reused.
    public var numConnects: Int
    /// True when the transfer was stopped early because `onChunk` returned false (streams only).
    public var stoppedByClient: Bool

    /// A response with the given parts; for a client that answers without libcurl (the in-process harness)
    /// and hands its suites the same type.
    public init(
        status: Int, interimStatuses: [Int] = [], headers: [CurlHeaderField], body: [UInt8],
        numConnects: Int = 0,
        stoppedByClient: Bool = false
    ) {
        self.status = status
        self.interimStatuses = interimStatuses
        self.headers = headers
        self.body = body
        self.numConnects = numConnects
        self.stoppedByClient = stoppedByClient
    }

    /// The first value of the header `name` (case-insensitive), if present.
    public func header(_ name: String) -> String? {
        values(name).first
    }

    /// All values of the header `name` (case-insensitive), in order.
    public func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// The body decoded as UTF-8 (invalid sequences repaired).
    public var bodyText: String {
        String(decoding: body, as: UTF8.self)
    }
}
