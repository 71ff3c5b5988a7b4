import SLOWatchHTTP
import Testing

/// Method and route checks: 404, 405 with `Allow`, 501 for unknown methods, automatic HEAD, and the rule
/// that the route is checked before the body is read.
@Suite struct StrictnessRoutingTests {
    @Test func unknownMethodTokenIs501() throws {
        let server = try TestServer()
        defer { server.stop() }
        let response = try server.exchange("FOO /hello HTTP/1.1\r\nHost: t\r\n\r\n").response
        #expect(response.status == 501)
        #expect(response.errorCode == "not_implemented")
        #expect(response.errorMessage?.contains("FOO") == true)
    }

    @Test(arguments: ["DELETE", "PUT", "PATCH", "OPTIONS", "TRACE", "QUERY"])
    func knownMethodThePathDoesNotServeIs405WithSortedAllow(method: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let response = try server.exchange("\(method) /items HTTP/1.1\r\nHost: t\r\n\r\n").response
        #expect(response.status == 405)
        #expect(response.errorCode == "method_not_allowed")
        #expect(response.tokens("Allow") == ["GET", "HEAD", "POST"])
    }

    @Test func postToAGetOnlyPathIs405AllowingGetAndHead() throws {
        let server = try TestServer()
        defer { server.stop() }
        let response = try server.exchange("POST /hello HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
            .response
        #expect(response.status == 405)
        #expect(response.tokens("Allow") == ["GET", "HEAD"])
    }

    @Test func unknownPathIs404WithAJSONError() throws {
        let server = try TestServer()
        defer { server.stop() }
        let response = try server.exchange("GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n").response
        #expect(response.status == 404)
        #expect(response.errorCode == "not_found")
        #expect(response.errorMessage?.isEmpty == false)
        #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
    }

    @Test func unknownPathWithAnAnnouncedBodyIs404WithoutWaitingForTheBody() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 2000)
        try client.send("POST /nowhere HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 404)
    }

    @Test func headOnAGetRouteSendsGetHeadersWithoutABody() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.rawClient()
        try client.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try client.readResponse(isHead: true)
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "5")
        #expect(head.header("Content-Type") == "text/plain")
        // Were a body sent after the HEAD response, this next response would not parse.
        try client.send("GET /id/next HTTP/1.1\r\nHost: t\r\n\r\n")
        let next = try client.readResponse()
        #expect(next.status == 200)
        #expect(next.bodyText == "next")
    }

    @Test func responsesCarryDateAndServerHeaders() throws {
        let server = try TestServer()
        defer { server.stop() }
        let response = try server.exchange("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").response
        #expect(response.version == "HTTP/1.1")
        #expect(response.header("Date")?.hasSuffix(" GMT") == true)
        #expect(response.header("Server") != nil)
    }
}
