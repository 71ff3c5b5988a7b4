import Dispatch
import SLOWatchHTTP
import SLOWatchHTTPTesting
import TestRawClient
import Testing

/// The in-process harness (`HTTPTestClient`) answers byte for byte as a live server does, `Date` aside:
/// each request goes once over a raw socket (with `Connection: close`, so the whole answer is read) and
/// once through the harness, and the two answers must be equal.
@Suite("HTTPTestClient answers as the connection does")
struct InProcessHarnessTests {
    /// Routes that reach every branch of the harness: parameters, query, body, empty, non-final, stream.
    static func routes(_ router: inout HTTPRouter) {
        router.add(.get, "/hello/:name") { request in
            .json(
                status: 200,
                Array(
                    #"{"name":"\#(request.pathParameters["name"] ?? "")","q":"\#(request.queryValue("q") ?? "")"}"#
                        .utf8))
        }
        router.add(.post, "/echo") { request in
            HTTPResponse(
                status: 200, headers: ["Content-Type": "text/plain", "X-Length": "\(request.body.count)"],
                body: request.body)
        }
        router.add(.put, "/echo") { _ in HTTPResponse(status: 201) }
        router.add(.get, "/empty") { _ in HTTPResponse(status: 204, headers: ["X-Empty": "yes"]) }
        router.add(.get, "/interim") { _ in HTTPResponse(status: 101) }
        router.addDeferred(.post, "/later") { request, responder in
            DispatchQueue.global().async {
                responder.respond(HTTPResponse(status: 202, headers: ["X-Later": "yes"], body: request.body))
            }
        }
        router.addStream(
            .get, "/events",
            decide: { request in
                request.queryValue("refuse") != nil
                    ? .respond(.json(status: 406, Array(#"{"refused":true}"#.utf8)))
                    : .stream(HTTPResponse(status: 200, headers: ["Content-Type": "text/event-stream"]))
            },
            { _, writer in writer.finish() })
    }

    /// A request's text for the socket: `Host` and `Connection: close`, then `headers`, then the body.
    static func wire(_ method: String, _ target: String, headers: [(String, String)], body: [UInt8])
        -> [UInt8]
    {
        var text = "\(method) \(target) HTTP/1.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty { text += "Content-Length: \(body.count)\r\n" }
        return Array((text + "\r\n").utf8) + body
    }

    /// `bytes` with the value of its `Date` field replaced by the harness's fixed date.
    static func fixingDate(_ bytes: [UInt8]) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let start = text.range(of: "\r\nDate: "), let end = text[start.upperBound...].range(of: "\r\n")
        else {
            return bytes
        }
        return Array((text[..<start.upperBound] + HTTPTestClient.date + text[end.lowerBound...]).utf8)
    }

    /// Sends one request both ways and expects the same bytes (for a stream, the socket's bytes start
    /// with the harness's head).
    static func expectSame(
        _ method: String, _ target: String, headers extra: [(String, String)] = [], body: [UInt8] = [],
        configure: @escaping (inout HTTPServerConfiguration) -> Void = { _ in },
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let server = try TestServer(configure: configure, routes: routes)
        defer { server.stop() }
        let headers = [("Host", "127.0.0.1"), ("Connection", "close")] + extra
        let client = try server.rawClient()
        defer { client.close() }
        try client.send(wire(method, target, headers: headers, body: body))
        let overSocket = fixingDate(try client.readUntilClosed())

        var configuration = HTTPServerConfiguration()
        configuration.errorResponse = TestErrorDocument.response  // as TestServer sets it
        configure(&configuration)
        var router = HTTPRouter()
        routes(&router)
        let inProcess = HTTPTestClient(router: router, configuration: configuration)
            .execute(HTTPMethod(rawValue: method), target, headers: headers, body: body)
        if inProcess.isStream {
            #expect(
                overSocket.starts(with: inProcess.bytes), "\(String(decoding: overSocket, as: UTF8.self))",
                sourceLocation: sourceLocation)
        } else {
            #expect(
                String(decoding: inProcess.bytes, as: UTF8.self)
                    == String(decoding: overSocket, as: UTF8.self),
                sourceLocation: sourceLocation)
        }
    }

    @Test("a route with a decoded parameter and a query, and its HEAD")
    func plainRoute() throws {
        try Self.expectSame("GET", "/hello/w%C3%B6rld?q=a%20b")
        try Self.expectSame("HEAD", "/hello/x")
        try Self.expectSame("GET", "/hello/x?")
    }

    @Test("a body reaches the handler, and a 201 and a 204 are framed as the server frames them")
    func bodiesAndEmptyAnswers() throws {
        try Self.expectSame(
            "POST", "/echo", headers: [("Content-Type", "text/plain")], body: Array("hello".utf8))
        try Self.expectSame("PUT", "/echo", body: Array("x".utf8))
        try Self.expectSame("GET", "/empty")
    }

    @Test("a deferred route's answer, given later on another thread")
    func deferredRoute() throws {
        try Self.expectSame("POST", "/later", body: Array("queued".utf8))
    }

    @Test("404, 405 with Allow, 501 for an unknown method, 400 for a bad escape, 500 for a 1xx answer")
    func errors() throws {
        try Self.expectSame("GET", "/nowhere")
        try Self.expectSame("DELETE", "/echo")
        try Self.expectSame("BREW", "/echo")
        try Self.expectSame("GET", "/hello/%zz")
        try Self.expectSame("GET", "/hello/x?q=%zz")
        try Self.expectSame("GET", "/interim")
    }

    @Test("the admission hook refuses before the body, and a body over the limit gets 413")
    func admissionAndLimit() throws {
        try Self.expectSame(
            "POST", "/echo", headers: [("X-Deny", "1")], body: Array("abc".utf8),
            configure: { configuration in
                configuration.admit = { request in
                    request.headers["X-Deny"] == nil
                        ? nil : .json(status: 403, Array(#"{"denied":true}"#.utf8))
                }
            })
        try Self.expectSame(
            "POST", "/echo", body: Array(repeating: UInt8(ascii: "a"), count: 64),
            configure: { $0.maxBodyBytes = 16 })
    }

    @Test("a stream's head, a stream route that answers in full, and HEAD on a stream route")
    func streams() throws {
        try Self.expectSame("GET", "/events")
        try Self.expectSame("GET", "/events?refuse=1")
        try Self.expectSame("HEAD", "/events")
    }

    @Test("the DocC overview's example answers as the overview says")
    func overviewExample() {
        var router = HTTPRouter()
        router.add(.get, "/hello/:name") { request in
            .json(status: 200, Array(#"{"hello":"\#(request.pathParameters["name"] ?? "")"}"#.utf8))
        }
        let response = HTTPTestClient(router: router).get("/hello/world")
        // response.status == 200, response.bodyText == #"{"hello":"world"}"#
        #expect(response.status == 200)
        #expect(response.bodyText == #"{"hello":"world"}"#)
        #expect(response.header("Content-Length") == "17")
        #expect(response.header("Date") == HTTPTestClient.date)
        #expect(!response.isStream)
    }
}
