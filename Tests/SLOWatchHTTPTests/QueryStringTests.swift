import SLOWatchHTTP
import Testing

/// Query strings: decoded in order with '+' as a space, and an invalid percent-escape is a 400 that names the
/// parameter, like an invalid escape in the path.
@Suite struct QueryStringTests {
    /// `GET /query` answers one `name=value` line per query parameter, in order, as the handler sees them.
    private static func makeServer() throws -> TestServer {
        try TestServer(routes: { router in
            router.add(.get, "/query") { request in
                let lines = request.query.map { "[\($0.name)]=[\($0.value)]\n" }.joined()
                return HTTPResponse(status: 200, body: Array(lines.utf8))
            }
        })
    }

    @Test(arguments: [
        ("/query?q=a+b%2Bc", "[q]=[a b+c]\n"),
        ("/query?", ""),
        ("/query", ""),
        ("/query?a=1&b=2&a=3", "[a]=[1]\n[b]=[2]\n[a]=[3]\n"),
        ("/query?flag&x=&=y", "[flag]=[]\n[x]=[]\n[]=[y]\n"),
        ("/query?na%20me=v%C3%A9", "[na me]=[vé]\n"),
        ("/query?a=1&&b=2", "[a]=[1]\n[b]=[2]\n"),
    ])
    func queryParametersAreDecodedInOrder(target: String, expected: String) throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let response = try server.exchange("GET \(target) HTTP/1.1\r\nHost: t\r\n\r\n").response
        #expect(response.status == 200)
        #expect(response.bodyText == expected)
    }

    @Test(arguments: [
        ("/query?q=%zz", "\"q\""),
        ("/query?q=%4", "\"q\""),
        ("/query?ok=1&q=abc%", "\"q\""),
        ("/query?q%zz=1", "\"q%zz\""),
        ("/nowhere?q=%G1", "\"q\""),
    ])
    func invalidPercentEscapeInTheQueryIs400NamingTheParameter(target: String, named: String) throws {
        let server = try Self.makeServer()
        defer { server.stop() }
        let result = try server.exchange("GET \(target) HTTP/1.1\r\nHost: t\r\n\r\n", checkClose: true)
        #expect(result.response.status == 400)
        #expect(result.response.errorCode == "bad_request")
        let message = result.response.errorMessage ?? ""
        #expect(message.contains(named))
        #expect(message.contains("two hex digits"))
        #expect(result.closed)
    }
}
