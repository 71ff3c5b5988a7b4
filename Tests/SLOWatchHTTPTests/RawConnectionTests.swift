import SLOWatchHTTP
import Testing

/// Connection persistence (RFC 9112 §9.3) seen on a raw socket.
@Suite struct RawConnectionTests {
    @Test func http10WithoutKeepAliveIsClosedAfterTheResponse() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.rawClient()
        try client.send("GET /hello HTTP/1.0\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "hello")
        #expect(client.closesWithoutMoreBytes())
    }

    @Test func http10WithKeepAliveStaysOpen() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.rawClient()
        try client.send("GET /id/1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        let first = try client.readResponse()
        #expect(first.status == 200)
        #expect(first.tokens("Connection").map { $0.lowercased() } == ["keep-alive"])
        try client.send("GET /id/2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        let second = try client.readResponse()
        #expect(second.bodyText == "2")
    }

    @Test func http11StaysOpenByDefault() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.rawClient()
        for id in 1...3 {
            try client.send("GET /id/\(id) HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.bodyText == String(id))
            #expect(!response.tokens("Connection").map { $0.lowercased() }.contains("close"))
        }
    }

    @Test func clientConnectionCloseGetsConnectionCloseAndTheConnectionIsClosed() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.rawClient()
        try client.send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.tokens("Connection").map { $0.lowercased() } == ["close"])
        #expect(client.closesWithoutMoreBytes())
    }

    @Test func errorResponsesThatCloseSayConnectionClose() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.rawClient()
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")
        let response = try client.readResponse()
        #expect(response.status == 400)
        #expect(response.tokens("Connection").map { $0.lowercased() } == ["close"])
        #expect(client.closesWithoutMoreBytes())
    }
}
