import SLOWatchHTTP
import TestRawClient
import Testing

/// `HTTPServerConfiguration.admit`: a refusal decided from the request head alone, before the body.
@Suite("Admit hook")
struct AdmitHookTests {
    /// A server whose `admit` refuses every request without `X-Pass: yes` with 401, and counts the
    /// requests that reached a route.
    private static func server(reached: Locked<Int>) throws -> TestServer {
        try TestServer { configuration in
            configuration.admit = { request in
                request.headers["X-Pass"] == "yes" ? nil : HTTPResponse(status: 401, body: Array("no".utf8))
            }
        } routes: { router in
            TestServer.standardRoutes(&router)
            router.add(.post, "/count") { request in
                reached.withLock { $0 += 1 }
                return HTTPResponse(status: 200, body: request.body)
            }
        }
    }

    @Test("a refused request with a body is answered before the body arrives, and the connection closes")
    func refusedBeforeTheBody() throws {
        let reached = Locked(0)
        let server = try Self.server(reached: reached)
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 2_000)
        // The head promises 1,000 bytes that never come: only an answer from the head can arrive in time
        // (the body timeout is 3 s, longer than the client waits).
        try client.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 401)
        #expect(response.bodyText == "no")
        #expect(response.header("Connection") == "close")
        #expect(client.closesWithoutMoreBytes())
        #expect(reached.withLock { $0 } == 0)
    }

    @Test("a refused request without a body keeps the connection; an admitted one reaches its route")
    func keepAliveAndAdmitted() throws {
        let reached = Locked(0)
        let server = try Self.server(reached: reached)
        defer { server.stop() }
        let client = try server.rawClient()
        try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().status == 401)
        try client.send("POST /count HTTP/1.1\r\nHost: x\r\nX-Pass: yes\r\nContent-Length: 2\r\n\r\nok")
        let admitted = try client.readResponse()
        #expect(admitted.status == 200 && admitted.bodyText == "ok")
        #expect(reached.withLock { $0 } == 1)
    }

    @Test("unknown paths and unserved methods get 404 and 405 before admit is asked")
    func routingFirst() throws {
        let server = try Self.server(reached: Locked(0))
        defer { server.stop() }
        let client = try server.rawClient()
        try client.send("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().status == 404)
        try client.send("DELETE /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().status == 405)
    }
}
