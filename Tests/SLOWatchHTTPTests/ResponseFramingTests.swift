import SLOWatchHTTP
import Testing

/// Response framing (RFC 9112 §6.3, RFC 9110 §15): which responses carry `Content-Length` and a body.
@Suite struct ResponseFramingTests {
    private static func routes(_ router: inout HTTPRouter) {
        router.add(.get, "/no-content") { _ in HTTPResponse(status: 204, body: Array("ignored".utf8)) }
        router.add(.get, "/not-modified") { _ in HTTPResponse(status: 304, body: Array("ignored".utf8)) }
        router.add(.get, "/sized") { _ in HTTPResponse(status: 200, body: Array("twelve bytes".utf8)) }
        router.add(.get, "/interim") { _ in HTTPResponse(status: 101) }
        router.add(.get, "/continue") { _ in HTTPResponse(status: 100, body: Array("x".utf8)) }
        router.add(.get, "/nonsense") { _ in HTTPResponse(status: 1000) }
        router.add(.get, "/negative") { _ in HTTPResponse(status: -3) }
        router.addStream(
            .get, "/stream", head: { _ in HTTPResponse(status: 200) },
            { _, writer in
                writer.write(Array("data".utf8))
                writer.finish()
            })
    }

    @Test(arguments: ["/no-content", "/not-modified"])
    func bodilessStatusCarriesNeitherContentLengthNorBody(path: String) throws {
        let server = try TestServer(routes: Self.routes)
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 2000)
        try client.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\nGET /sized HTTP/1.1\r\nHost: t\r\n\r\n")
        let first = try client.readResponse()
        #expect(first.header("Content-Length") == nil)
        #expect(first.header("Transfer-Encoding") == nil)
        // The next response starts right after the head: no stray body bytes in between.
        let second = try client.readResponse()
        #expect(second.status == 200)
        #expect(second.bodyText == "twelve bytes")
    }

    @Test func headResponseCarriesTheContentLengthOfGetAndNoBody() throws {
        let server = try TestServer(routes: Self.routes)
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 2000)
        try client.send("HEAD /sized HTTP/1.1\r\nHost: t\r\n\r\nGET /sized HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try client.readResponse(isHead: true)
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "12")
        let get = try client.readResponse()
        #expect(get.bodyText == "twelve bytes")
    }

    @Test(
        "a HEAD refused before routing (bad %, bad query, body over the limit) gets its error head and no body",
        arguments: [
            "HEAD /sized%zz HTTP/1.1\r\nHost: t\r\n\r\n",
            "HEAD /sized?a=%zz HTTP/1.1\r\nHost: t\r\n\r\n",
            "HEAD /sized HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999\r\n\r\n",
        ])
    func headErrorsCarryNoBody(request: String) throws {
        let server = try TestServer(routes: Self.routes)
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 2000)
        try client.send(request)
        let head = try client.readResponse(isHead: true)
        #expect([400, 413].contains(head.status))
        #expect(head.header("Content-Type") == "application/json; charset=utf-8")
        #expect(head.header("Connection") == "close")
        // A body sent after a HEAD's head would read as garbage before the close.
        #expect(client.closesWithoutMoreBytes())
    }

    @Test func headOfAStreamRouteClaimsNoContentLength() throws {
        let server = try TestServer(routes: Self.routes)
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 2000)
        try client.send("HEAD /stream HTTP/1.1\r\nHost: t\r\n\r\nGET /sized HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try client.readResponse(isHead: true)
        #expect(head.status == 200)
        // The GET's length is unknown (it streams): a HEAD must not claim it is 0.
        #expect(head.header("Content-Length") == nil)
        #expect(try client.readResponse().bodyText == "twelve bytes")
    }

    @Test(arguments: ["/interim", "/continue", "/nonsense", "/negative"])
    func handlerStatusOutside200To599Becomes500(path: String) throws {
        let server = try TestServer(routes: Self.routes)
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 2000)
        try client.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\nGET /sized HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 500)
        #expect(response.errorCode == "internal_server_error")
        #expect(try client.readResponse().bodyText == "twelve bytes")
    }
}
