import SLOWatchHTTP
import Testing

/// The errors the server answers by itself are rendered by `HTTPServerConfiguration.errorResponse`: plain
/// text by default, the embedding service's document when it supplies one, always under the server's
/// status and with the server's own fields.
@Suite("Error rendering hook")
struct ErrorHookTests {
    @Test("by default a transport error is its message as text/plain, and no JSON")
    func defaultIsPlainText() throws {
        let server = try TestServer { $0.errorResponse = HTTPServerConfiguration().errorResponse }
        defer { server.stop() }
        let response = try server.exchange("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n").response
        #expect(response.status == 404)
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(response.bodyText == "No route serves the path /nope.\n")
    }

    @Test("a supplied renderer gets status, code and message; the server keeps its status and Allow")
    func suppliedRenderer() throws {
        let server = try TestServer {
            $0.errorResponse = { error in
                HTTPResponse(
                    status: 200, headers: ["X-Code": error.code], body: Array("<\(error.message)>".utf8))
            }
        }
        defer { server.stop() }
        let response = try server.exchange("DELETE /hello HTTP/1.1\r\nHost: x\r\n\r\n").response
        #expect(response.status == 405)
        #expect(response.header("X-Code") == "method_not_allowed")
        #expect(response.header("Allow") == "GET, HEAD")
        #expect(response.bodyText == "<The path /hello does not serve DELETE; it serves GET, HEAD.>")
    }
}
