import SLOWatchHTTP
import Testing

/// Request-line and header syntax (RFC 9112 §3, §5; RFC 9110 §5): every violation is a 400, except the
/// ones with a dedicated status (505 for an unsupported major version, 414, 431).
@Suite struct StrictnessSyntaxTests {
    @Test(arguments: [
        "GET /hello HTTP/1.1\r\nHost: t\r\nX-A: one\r\n two\r\n\r\n",  // obs-fold with a space
        "GET /hello HTTP/1.1\r\nHost: t\r\nX-A: one\r\n\ttwo\r\n\r\n",  // obs-fold with a tab
        "GET /hello HTTP/1.1\r\n Host: t\r\n\r\n",  // first field line starting with whitespace
    ])
    func obsoleteLineFoldingIs400(request: String) throws {
        try expectStatus(400, code: "bad_request", for: request)
    }

    @Test(arguments: [
        "GET /hel\rlo HTTP/1.1\r\nHost: t\r\n\r\n",  // bare CR in the request line
        "GET /hello HTTP/1.1\r\nHost: t\r\nX-A: a\rb\r\n\r\n",  // bare CR in a header value
        "GET /he\u{0}llo HTTP/1.1\r\nHost: t\r\n\r\n",  // NUL in the request line
        "GET /hello HTTP/1.1\r\nHost: t\r\nX-A: a\u{0}b\r\n\r\n",  // NUL in a header value
        "GET /he\u{1}llo HTTP/1.1\r\nHost: t\r\n\r\n",  // 0x01 in the request line
        "GET /hello HTTP/1.1\r\nHost: t\r\nX-A: a\u{1}b\r\n\r\n",  // 0x01 in a header value
        "GET /hello HTTP/1.1\r\nHost: t\r\nX-\u{1}A: b\r\n\r\n",  // 0x01 in a header name
        "GET /hello HTTP/1.1\r\nHost: t\r\nX-A: a\u{7F}b\r\n\r\n",  // DEL in a header value
    ])
    func controlCharactersAre400(request: String) throws {
        try expectStatus(400, code: "bad_request", for: request)
    }

    @Test(arguments: ["Host : t\r\n", "Host: t\r\nX-A : b\r\n", "Host: t\r\nX-A\t: b\r\n"])
    func whitespaceBeforeTheColonIs400(fields: String) throws {
        try expectStatus(400, code: "bad_request", for: "GET /hello HTTP/1.1\r\n\(fields)\r\n")
    }

    @Test(arguments: [
        "GE(T /hello HTTP/1.1\r\nHost: t\r\n\r\n",
        "G\"ET /hello HTTP/1.1\r\nHost: t\r\n\r\n",
        "GET /hello HTTP/1.1\r\nHost: t\r\nFo o: x\r\n\r\n",
        "GET /hello HTTP/1.1\r\nHost: t\r\nFoo@: x\r\n\r\n",
        "GET /hello HTTP/1.1\r\nHost: t\r\n: x\r\n\r\n",
        "GET /hello HTTP/1.1\r\nHost: t\r\nNoColon\r\n\r\n",
    ])
    func invalidTokenInMethodOrFieldNameIs400(request: String) throws {
        try expectStatus(400, code: "bad_request", for: request)
    }

    @Test func http11WithoutHostIs400() throws {
        try expectStatus(400, code: "bad_request", for: "GET /hello HTTP/1.1\r\nAccept: */*\r\n\r\n")
    }

    @Test func http11WithTwoHostFieldsIs400() throws {
        try expectStatus(400, code: "bad_request", for: "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
    }

    @Test(arguments: [
        "a b", "a/b", "a\\b", "user@host", "host?x", "host#x", "a:b:c", "host:8o", "[::1", "[::1]x",
        "h\u{E9}",
        "",
    ])
    func invalidHostValueIs400(host: String) throws {
        try expectStatus(400, code: "bad_request", for: "GET /hello HTTP/1.1\r\nHost: \(host)\r\n\r\n")
    }

    @Test(arguments: [
        "example.com", "example.com:8080", "127.0.0.1:80", "[::1]:8080", "[::1]", "xn--bcher-kva.de", "a_b:",
    ])
    func validHostValueIsServed(host: String) throws {
        try expectStatus(200, code: nil, for: "GET /hello HTTP/1.1\r\nHost: \(host)\r\n\r\n")
    }

    @Test func http10WithoutHostIsServed() throws {
        let server = try TestServer()
        defer { server.stop() }
        let result = try server.exchange("GET /hello HTTP/1.0\r\n\r\n")
        #expect(result.response.status == 200)
        #expect(result.response.bodyText == "hello")
    }

    @Test(arguments: ["HTTP/2.0", "HTTP/3.0"])
    func unsupportedMajorVersionIs505(version: String) throws {
        try expectStatus(
            505, code: "http_version_not_supported", for: "GET /hello \(version)\r\nHost: t\r\n\r\n")
    }

    @Test(arguments: ["HTTP/0.9", "HTTPS/1.1", "HTTP/1.10", "HTTP/1", "http/1.1", "HTTP/1.1 ", "HTTP/ 1.1"])
    func malformedVersionIs400(version: String) throws {
        try expectStatus(400, code: "bad_request", for: "GET /hello \(version)\r\nHost: t\r\n\r\n")
    }

    @Test func requestLineOverTheLimitIs414() throws {
        let target = "/" + String(repeating: "a", count: 9 * 1024)
        try expectStatus(414, code: "uri_too_long", for: "GET \(target) HTTP/1.1\r\nHost: t\r\n\r\n")
    }

    @Test func requestLineJustUnderTheLimitIsRouted() throws {
        let target = "/" + String(repeating: "a", count: 7 * 1024)
        try expectStatus(404, code: "not_found", for: "GET \(target) HTTP/1.1\r\nHost: t\r\n\r\n")
    }

    @Test func headerSectionOverTheLimitIs431() throws {
        let value = String(repeating: "v", count: 17 * 1024)
        try expectStatus(
            431, code: "header_fields_too_large",
            for: "GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: \(value)\r\n\r\n")
    }

    @Test func headerSectionUnderTheLimitIsServed() throws {
        let fields = (0..<14).map { "X-F\($0): \(String(repeating: "v", count: 1000))\r\n" }.joined()
        try expectStatus(200, code: nil, for: "GET /hello HTTP/1.1\r\nHost: t\r\n\(fields)\r\n")
    }

    @Test func oneHundredFieldsAreServedAndOneHundredAndOneAre431() throws {
        let ninetyNine = (0..<99).map { "X-F\($0): v\r\n" }.joined()
        try expectStatus(200, code: nil, for: "GET /hello HTTP/1.1\r\nHost: t\r\n\(ninetyNine)\r\n")
        let oneHundred = (0..<100).map { "X-F\($0): v\r\n" }.joined()
        try expectStatus(
            431, code: "header_fields_too_large", for: "GET /hello HTTP/1.1\r\nHost: t\r\n\(oneHundred)\r\n")
    }

    private func expectStatus(
        _ status: Int, code: String?, for request: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let server = try TestServer()
        defer { server.stop() }
        let response = try server.exchange(request).response
        #expect(response.status == status, sourceLocation: sourceLocation)
        if let code {
            #expect(response.errorCode == code, sourceLocation: sourceLocation)
            #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
        }
    }
}
