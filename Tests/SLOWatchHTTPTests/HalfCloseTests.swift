import Foundation
import SLOWatchHTTP
import Testing

/// A client's FIN that arrives together with its last bytes is one epoll edge: the server must still see
/// the end of input at once, not when a timeout fires. (Found by the hostile-input catalogue: about one
/// half-closed connection in four sat open until the 10 s head timeout.)
@Suite struct HalfCloseTests {
    /// Attempts per test: the race depends on scheduling, so one attempt proves little.
    private static let attempts = 40

    @Test(arguments: [
        "GET /hello HTTP/1.1\r\nHost: t\r\n",  // a head without its final empty line
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nhello",  // half a body
        // No last chunk:
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
    ])
    func incompleteRequestThenFINClosesAtOnceWithoutAResponse(request: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        for attempt in 0..<Self.attempts {
            let client = try server.rawClient(timeoutMilliseconds: 1000)
            defer { client.close() }
            try client.send(request)
            client.shutdownWrite()
            let start = ContinuousClock.now
            let rest = try client.readUntilClosed()
            #expect(rest.isEmpty, "attempt \(attempt): \(String(decoding: rest, as: UTF8.self))")
            #expect(ContinuousClock.now - start < .milliseconds(500), "attempt \(attempt)")
        }
    }

    @Test func completeRequestThenFINIsAnsweredThenClosed() throws {
        let server = try TestServer()
        defer { server.stop() }
        for attempt in 0..<Self.attempts {
            let client = try server.rawClient(timeoutMilliseconds: 1000)
            defer { client.close() }
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            client.shutdownWrite()
            #expect(try client.readResponse().bodyText == "hello", "attempt \(attempt)")
            #expect(client.closesWithoutMoreBytes(), "attempt \(attempt)")
        }
    }
}
