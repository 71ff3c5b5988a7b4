import SLOWatchHTTP
import TestCurlClient
import Testing

@Suite("Responses counted by status")
struct ResponseStatusCountTests {
    @Test("handler answers and the server's own errors (400, 404, 405, 413, 501) are counted by status")
    func countsEveryFinalResponse() throws {
        let server = try TestServer { $0.maxBodyBytes = 16 }
        defer { server.stop() }
        #expect(server.server.responsesByStatus().isEmpty)
        let client = try CurlClient()
        #expect(try client.get(server.url("/hello")).status == 200)
        #expect(try client.get(server.url("/hello")).status == 200)
        #expect(try client.post(server.url("/items"), body: []).status == 201)
        #expect(try client.get(server.url("/nowhere")).status == 404)
        #expect(try client.request(method: "DELETE", url: server.url("/items")).status == 405)
        #expect(try client.request(method: "FOO", url: server.url("/items")).status == 501)
        #expect(try client.post(server.url("/echo"), body: Array(repeating: 65, count: 17)).status == 413)
        // Two Host fields: the parser's 400.
        #expect(
            try server.exchange("GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").response.status == 400)

        let counts = server.server.responsesByStatus()
        #expect(counts == [200: 2, 201: 1, 400: 1, 404: 1, 405: 1, 413: 1, 501: 1])
        server.stop()
        #expect(server.server.responsesByStatus() == counts, "the counts stay readable after stop()")
    }

    @Test("a connection refused at the connection limit counts its 503")
    func countsRefusals() throws {
        let server = try TestServer { $0.maxConnections = 0 }
        defer { server.stop() }
        #expect(try server.exchange("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n").response.status == 503)
        #expect(server.server.responsesByStatus() == [503: 1])
    }
}
