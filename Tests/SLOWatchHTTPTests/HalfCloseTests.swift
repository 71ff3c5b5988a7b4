import Foundation
import SLOWatchHTTP
import Testing

/// A client's FIN that arrives together with its last bytes is one epoll edge: the server must still see
/// the end of input at once, not when a timeout fires. (Found by the hostile-input catalogue: about one
/// half-closed connection in four sat open until the 10 s head timeout.) And every complete request sent
/// before the FIN is answered, in order, however many there are and however slowly the client reads.
@Suite struct HalfCloseTests {
    /// Attempts per test: the race depends on scheduling, so one attempt proves little.
    private static let attempts = 40

    /// A server whose head, body and idle timeouts (60 s) are far beyond anything a test waits for, so a
    /// close that comes within ``closeBound`` was caused by the FIN, not by a timer.
    private static func server(configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws
        -> TestServer
    {
        try TestServer(configure: { configuration in
            configuration.headTimeout = .seconds(60)
            configuration.bodyTimeout = .seconds(60)
            configuration.idleTimeout = .seconds(60)
            configure(&configuration)
        })
    }

    /// The client's read timeout, in ms: generous, since a loaded 2-core machine (or a sanitizer build)
    /// can stall a thread for a long time; it bounds a test that would otherwise hang.
    private static let clientTimeout = 10_000

    /// How soon after the FIN the close must come: well before the server's 60 s timeouts, yet far from
    /// what a loaded machine needs.
    private static let closeBound = Duration.seconds(5)

    @Test(arguments: [
        "GET /hello HTTP/1.1\r\nHost: t\r\n",  // a head without its final empty line
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nhello",  // half a body
        // No last chunk:
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
    ])
    func incompleteRequestThenFINClosesAtOnceWithoutAResponse(request: String) throws {
        let server = try Self.server()
        defer { server.stop() }
        for attempt in 0..<Self.attempts {
            let client = try server.rawClient(timeoutMilliseconds: Self.clientTimeout)
            defer { client.close() }
            try client.send(request)
            client.shutdownWrite()
            let start = ContinuousClock.now
            let rest = try client.readUntilClosed()
            #expect(rest.isEmpty, "attempt \(attempt): \(String(decoding: rest, as: UTF8.self))")
            #expect(ContinuousClock.now - start < Self.closeBound, "attempt \(attempt)")
        }
    }

    @Test func completeRequestThenFINIsAnsweredThenClosed() throws {
        let server = try Self.server()
        defer { server.stop() }
        for attempt in 0..<Self.attempts {
            let client = try server.rawClient(timeoutMilliseconds: Self.clientTimeout)
            defer { client.close() }
            try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            client.shutdownWrite()
            #expect(try client.readResponse().bodyText == "hello", "attempt \(attempt)")
            #expect(client.closesWithoutMoreBytes(), "attempt \(attempt)")
        }
    }

    /// `printf 'GET /a …GET /b …' | nc -N`: the FIN often comes in the same edge as the pipeline, so the
    /// server knows of it before answering the first request; it must still answer every one.
    @Test(arguments: [2, 3])
    func pipelinedRequestsThenFINAreAllAnsweredInOrderThenClosed(count: Int) throws {
        let server = try Self.server()
        defer { server.stop() }
        let pipeline = (0..<count).map { "GET /id/\($0) HTTP/1.1\r\nHost: t\r\n\r\n" }.joined()
        for attempt in 0..<Self.attempts {
            let client = try server.rawClient(timeoutMilliseconds: Self.clientTimeout)
            defer { client.close() }
            try client.send(pipeline)
            client.shutdownWrite()
            for index in 0..<count {
                let response = try client.readResponse()
                #expect(response.status == 200, "attempt \(attempt), response \(index)")
                #expect(response.bodyText == "\(index)", "attempt \(attempt), response \(index)")
                // Only the last response may announce the close: the earlier ones have requests after them.
                if index < count - 1 {
                    #expect(response.header("Connection") != "close", "attempt \(attempt), response \(index)")
                }
            }
            #expect(client.closesWithoutMoreBytes(), "attempt \(attempt)")
        }
    }

    /// The FIN arrives while most of the pipeline waits behind a full outbound backlog: the server must
    /// resume the buffered requests as the client drains its answers, not drop them at the end of input.
    @Test func pipelineHeldBackByTheBacklogThenFINIsFullyAnsweredToASlowReader() throws {
        let body = [UInt8](repeating: 0x62, count: 8 * 1024)
        let server = try TestServer(
            configure: { configuration in
                configuration.maxOutboundBytes = 32 * 1024
                configuration.headTimeout = .seconds(60)
                configuration.bodyTimeout = .seconds(60)
                configuration.idleTimeout = .seconds(60)
            },
            routes: { router in
                router.add(.get, "/big/:index") { request in
                    var headers = HTTPHeaders()
                    headers.add(name: "X-Index", value: request.pathParameters["index"] ?? "?")
                    return HTTPResponse(status: 200, headers: headers, body: body)
                }
            })
        defer { server.stop() }
        // 300 requests of about 40 bytes fit in the server's input buffer, so it reads the FIN at once;
        // their 2.4 MB of answers do not fit in the 32 KiB backlog plus the small socket buffers.
        let count = 300
        let pipeline = (0..<count).map { "GET /big/\($0) HTTP/1.1\r\nHost: t\r\n\r\n" }.joined()
        let client = try server.rawClient(
            timeoutMilliseconds: Self.clientTimeout, receiveBufferBytes: 16 * 1024)
        defer { client.close() }
        try client.send(pipeline)
        client.shutdownWrite()
        usleep(200_000)  // the server reads the pipeline and the FIN, and fills its backlog
        for index in 0..<count {
            let response = try client.readResponse()
            try #require(response.status == 200, "response \(index)")
            try #require(response.header("X-Index") == "\(index)", "response \(index)")
            try #require(response.body.count == body.count, "response \(index)")
            if index < count - 1 {
                #expect(response.header("Connection") != "close", "response \(index)")
            }
            if index % 50 == 49 { usleep(20_000) }  // a slow reader: the backlog fills again meanwhile
        }
        #expect(client.closesWithoutMoreBytes())
    }
}
