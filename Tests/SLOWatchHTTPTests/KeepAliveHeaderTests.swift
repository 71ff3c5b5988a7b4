import SLOWatchHTTP
import Testing

/// The `Connection` header tells the truth: a response on a connection the server keeps open to an HTTP/1.0
/// keep-alive client says `Connection: keep-alive` (error responses included), and every response after which
/// the server closes says `Connection: close`.
@Suite struct KeepAliveHeaderTests {
    /// A request, and whether the server keeps the connection open after answering it.
    struct Case: Sendable, CustomTestStringConvertible {
        var request: String
        var status: Int
        var staysOpen: Bool
        var isHead = false
        var testDescription: String { "\(status) for \(request.prefix { $0 != "\r" })" }
    }

    static let http10KeepAlive = "Connection: keep-alive\r\n\r\n"

    @Test(arguments: [
        Case(request: "GET /hello HTTP/1.0\r\n" + http10KeepAlive, status: 200, staysOpen: true),
        Case(request: "GET /nowhere HTTP/1.0\r\n" + http10KeepAlive, status: 404, staysOpen: true),
        Case(
            request: "HEAD /nowhere HTTP/1.0\r\n" + http10KeepAlive, status: 404, staysOpen: true,
            isHead: true),
        Case(request: "DELETE /items HTTP/1.0\r\n" + http10KeepAlive, status: 405, staysOpen: true),
        Case(request: "FOO /hello HTTP/1.0\r\n" + http10KeepAlive, status: 501, staysOpen: true),
        Case(request: "OPTIONS * HTTP/1.0\r\n" + http10KeepAlive, status: 204, staysOpen: true),
        Case(
            request: "POST /nowhere HTTP/1.0\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\nhello",
            status: 404, staysOpen: false),
        Case(request: "GET /a%zz HTTP/1.0\r\n" + http10KeepAlive, status: 400, staysOpen: false),
        Case(request: "GET /hello?q=%zz HTTP/1.0\r\n" + http10KeepAlive, status: 400, staysOpen: false),
        Case(request: "GET /nowhere HTTP/1.0\r\n\r\n", status: 404, staysOpen: false),
        Case(request: "GET /hello HTTP/1.0\r\n\r\n", status: 200, staysOpen: false),
    ])
    func http10KeepAliveResponsesSayKeepAliveExactlyWhenTheConnectionStaysOpen(_ test: Case) throws {
        try Self.check(
            test, openToken: ["keep-alive"], followUp: "GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
        )
    }

    @Test(arguments: [
        Case(request: "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n", status: 404, staysOpen: true),
        Case(request: "DELETE /items HTTP/1.1\r\nHost: t\r\n\r\n", status: 405, staysOpen: true),
        Case(request: "FOO /hello HTTP/1.1\r\nHost: t\r\n\r\n", status: 501, staysOpen: true),
        Case(
            request: "GET /nowhere HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", status: 404,
            staysOpen: false),
        Case(request: "GET /hello HTTP/1.1\r\n\r\n", status: 400, staysOpen: false),
        Case(
            request: "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999\r\n\r\n", status: 413,
            staysOpen: false),
    ])
    func http11ResponsesSayCloseExactlyWhenTheServerCloses(_ test: Case) throws {
        try Self.check(test, openToken: [], followUp: "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
    }

    /// Sends `test.request` and checks the status and the `Connection` header; when the connection should
    /// stay open, it must carry `openToken` and serve `followUp`, otherwise say `close` and be closed.
    private static func check(_ test: Case, openToken: [String], followUp: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 2000)
        try client.send(test.request)
        let response = try client.readResponse(isHead: test.isHead)
        #expect(response.status == test.status)
        let connection = response.tokens("Connection").map { $0.lowercased() }
        if test.staysOpen {
            #expect(connection == openToken)
            try client.send(followUp)
            let next = try client.readResponse()
            #expect(next.status == 200)
            #expect(next.bodyText == "hello")
        } else {
            #expect(connection == ["close"])
            #expect(client.closesWithoutMoreBytes())
        }
    }
}
