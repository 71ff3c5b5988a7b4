import Dispatch
import SLOWatchHTTP
import SLOWatchHTTPTesting
import TestRawClient
import Testing

/// Runs the code of the DocC articles of SLOWatchHTTP (`Sources/SLOWatchHTTP/SLOWatchHTTP.docc/`), so
/// the documented API keeps compiling and answers as the articles say. `DocCSnippetTests` checks that
/// each article's block is this code, line for line.
@Suite("DocC articles of SLOWatchHTTP")
struct DocCArticleExampleTests {
    @Test("TheServer: a router on an ephemeral port answers a path parameter over a real socket")
    func server() throws {
        var router = HTTPRouter()
        router.add(.get, "/hello/:name") { request in
            .json(status: 200, Array("{\"hello\":\"\(request.pathParameters["name"] ?? "")\"}".utf8))
        }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0  // ephemeral
        let server = HTTPServer(configuration: configuration, router: router)
        let port = try server.start()  // the bound port
        let response = try Self.get("/hello/world", port: port)
        server.stop()  // drains in-flight requests, ends streams

        #expect(response.status == 200)
        #expect(response.bodyText == #"{"hello":"world"}"#)
    }

    /// One `GET target` on a fresh connection to `port`.
    private static func get(_ target: String, port: Int) throws -> RawResponse {
        let client = try RawClient(port: port)
        defer { client.close() }
        try client.send(Array("GET \(target) HTTP/1.1\r\nHost: t\r\n\r\n".utf8))
        return try client.readResponse()
    }

    @Test("Routing: a plain route, and a deferred one answered from another thread")
    func routing() {
        var router = HTTPRouter()
        router.add(.get, "/healthz") { _ in .json(status: 200, Array("{\"status\":\"ok\"}".utf8)) }
        router.addDeferred(.put, "/items/:id") { request, responder in
            // Hand the blocking work to another thread; answer from there.
            DispatchQueue.global().async {
                responder.respond(HTTPResponse(status: 204))
            }
        }

        let client = HTTPTestClient(router: router)
        #expect(client.get("/healthz").bodyText == #"{"status":"ok"}"#)
        #expect(client.execute(.put, "/items/7").status == 204)
    }
}
