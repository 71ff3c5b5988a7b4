import TestRawClient

/// The outcome of sending one request on a fresh raw connection.
struct RawExchange {
    /// The first response.
    var response: RawResponse
    /// True when the server closed the connection after the response without sending anything more.
    var closed: Bool
}

extension TestServer {
    /// Sends `request` (UTF-8) on a new connection, reads one response, and, when `checkClose` is true,
    /// waits (bounded by the client timeout) to see whether the server closes the connection.
    func exchange(_ request: String, isHead: Bool = false, checkClose: Bool = false) throws -> RawExchange {
        try exchange(Array(request.utf8), isHead: isHead, checkClose: checkClose)
    }

    /// Sends `bytes` on a new connection, reads one response, and, when `checkClose` is true, waits (bounded
    /// by the client timeout) to see whether the server closes the connection.
    func exchange(_ bytes: [UInt8], isHead: Bool = false, checkClose: Bool = false) throws -> RawExchange {
        let client = try rawClient(timeoutMilliseconds: 2000)
        defer { client.close() }
        try client.send(bytes)
        let response = try client.readResponse(isHead: isHead)
        let closed = checkClose ? client.closesWithoutMoreBytes() : false
        return RawExchange(response: response, closed: closed)
    }
}
