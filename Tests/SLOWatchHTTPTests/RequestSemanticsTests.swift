import SLOWatchHTTP
import Testing

/// Request semantics from RFC 9110/9112 that a strict server must get right beyond the strictness table:
/// expectations, framing of HTTP/1.0 messages, case-insensitive tokens, and field-value trimming.
@Suite struct RequestSemanticsTests {
    @Test(arguments: ["Expect: something-else\r\n", "Expect: 100-continue, foo\r\n"])
    func expectationOtherThan100ContinueIs417(field: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 2000)
        try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n" + field + "\r\n")
        let response = try client.readResponse()
        #expect(response.status == 417)
        #expect(response.errorCode == "expectation_failed")
        // A request without a body leaves the framing intact: the connection stays usable.
        try client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.readResponse().bodyText == "hello")
    }

    @Test func expectationOtherThan100ContinueWithABodyIs417AndCloses() throws {
        let server = try TestServer()
        defer { server.stop() }
        let result = try server.exchange(
            "POST /echo HTTP/1.1\r\nHost: t\r\nExpect: x\r\nContent-Length: 5\r\n\r\n", checkClose: true)
        #expect(result.response.status == 417)
        #expect(result.closed)
    }

    @Test func caseInsensitive100ContinueIsHonoured() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 2000)
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n")
        #expect(try client.readResponse().status == 100)
        try client.send("hi")
        #expect(try client.readResponse().bodyText == "hi")
    }

    @Test func http10RequestWithTransferEncodingIs400AndCloses() throws {
        let server = try TestServer()
        defer { server.stop() }
        let result = try server.exchange(
            "POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n",
            checkClose: true)
        #expect(result.response.status == 400)
        #expect(result.closed)
    }

    @Test(arguments: ["Chunked", "CHUNKED", "chunked "])
    func transferCodingNameIsCaseInsensitive(coding: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let result = try server.exchange(
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: \(coding)\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
        #expect(result.response.status == 200)
        #expect(result.response.bodyText == "hello")
    }

    @Test func contentLengthWithLeadingZerosIsItsDecimalValue() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 2000)
        try client.send(
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 005\r\n\r\nhello"
                + "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.readResponse().bodyText == "hello")
        #expect(try client.readResponse().bodyText == "hello")
    }

    @Test(arguments: ["keep-alive, Upgrade", "Upgrade, Keep-Alive", "KEEP-ALIVE"])
    func connectionTokenListKeepsAnHttp10ConnectionOpen(value: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 2000)
        try client.send("GET /hello HTTP/1.0\r\nConnection: \(value)\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.tokens("Connection").map { $0.lowercased() } == ["keep-alive"])
        try client.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try client.readResponse().bodyText == "hello")
    }

    @Test(arguments: ["Upgrade, Close", "close,keep-alive", "foo , CLOSE"])
    func closeTokenAnywhereInTheListClosesAnHttp11Connection(value: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let result = try server.exchange(
            "GET /hello HTTP/1.1\r\nHost: t\r\nConnection: \(value)\r\n\r\n", checkClose: true)
        #expect(result.response.tokens("Connection").map { $0.lowercased() } == ["close"])
        #expect(result.closed)
    }

    @Test func emptyValueAndTrailingWhitespaceAreTrimmedFromFieldValues() throws {
        let server = try TestServer(routes: { router in
            router.add(.get, "/fields") { request in
                let text = "[\(request.headers["X-Empty"] ?? "nil")][\(request.headers["X-Padded"] ?? "nil")]"
                return HTTPResponse(status: 200, body: Array(text.utf8))
            }
        })
        defer { server.stop() }
        let result = try server.exchange(
            "GET /fields HTTP/1.1\r\nHost: t\r\nX-Empty:\r\nX-Padded: \t a b \t \r\n\r\n")
        #expect(result.response.bodyText == "[][a b]")
    }

    @Test func veryLongSingleHeaderLineIs431AndCloses() throws {
        let server = try TestServer()
        defer { server.stop() }
        let line = "X-Long: " + String(repeating: "a", count: 20_000) + "\r\n"
        let result = try server.exchange(
            "GET /hello HTTP/1.1\r\nHost: t\r\n" + line + "\r\n", checkClose: true)
        #expect(result.response.status == 431)
        #expect(result.closed)
    }
}
