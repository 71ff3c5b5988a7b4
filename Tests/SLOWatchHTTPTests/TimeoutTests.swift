import Glibc
import SLOWatchHTTP
import Testing

/// Head, body, and idle timeouts, each configured short (300 ms) while the others stay long, so that only
/// the timeout under test can fire.
@Suite struct TimeoutTests {
    private static func server(
        head: Duration = .seconds(10), body: Duration = .seconds(10), idle: Duration = .seconds(10)
    )
        throws -> TestServer
    {
        try TestServer(configure: {
            $0.headTimeout = head
            $0.bodyTimeout = body
            $0.idleTimeout = idle
        })
    }

    @Test func partialHeadGets408AfterTheHeadTimeoutAndIsClosed() throws {
        let server = try Self.server(head: .milliseconds(300))
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 3000)
        let start = ContinuousClock.now
        try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n")
        let response = try client.readResponse()
        let elapsed = ContinuousClock.now - start
        #expect(response.status == 408)
        #expect(response.errorCode == "request_timeout")
        #expect(response.tokens("Connection").map { $0.lowercased() } == ["close"])
        #expect(elapsed >= .milliseconds(250))
        #expect(client.closesWithoutMoreBytes())
    }

    @Test func headTrickledSlowerThanTheHeadTimeoutGets408() throws {
        let server = try Self.server(head: .milliseconds(300))
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 3000)
        // Each byte comes well within 300 ms of the last, but the head as a whole takes ~1 s: the timeout
        // bounds the whole head, not the gap between reads. Sending stops once the server has closed.
        let bytes = Array("GET /hello HTTP/1.1\r\nHost: t\r\nX-Slow: ".utf8)
        for byte in bytes.prefix(20) {
            do { try client.send([byte]) } catch { break }
            usleep(50_000)
        }
        let response = try client.readResponse()
        #expect(response.status == 408)
    }

    @Test func idleKeepAliveConnectionIsClosedWithout408() throws {
        let server = try Self.server(idle: .milliseconds(300))
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 3000)
        try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.readResponse().status == 200)
        let start = ContinuousClock.now
        let rest = try client.readUntilClosed()
        #expect(rest.isEmpty, "an idle close sends nothing, got \(String(decoding: rest, as: UTF8.self))")
        #expect(ContinuousClock.now - start >= .milliseconds(250))
    }

    @Test func stalledBodyGets408AfterTheBodyTimeoutAndIsClosed() throws {
        let server = try Self.server(body: .milliseconds(300))
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 3000)
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n0123456789")
        let response = try client.readResponse()
        #expect(response.status == 408)
        #expect(response.errorCode == "request_timeout")
        #expect(client.closesWithoutMoreBytes())
    }

    @Test func bodyThatKeepsMovingIsNotCutOffByTheBodyTimeout() throws {
        let server = try Self.server(body: .milliseconds(500))
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 3000)
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n")
        // Five pieces 150 ms apart: ~750 ms in total, but never a 500 ms stall.
        try client.sendInPieces(Array("0123456789".utf8), pieceSize: 2, pauseMicroseconds: 150_000)
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "0123456789")
    }
}
