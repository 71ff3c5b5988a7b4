import Glibc
import SLOWatchHTTP
import Testing

/// `maxConnections`: connections beyond the cap get 503 with `Retry-After: 1` and are closed, while the
/// connections within it keep working.
@Suite struct ConnectionCapTests {
    @Test func connectionBeyondTheCapGets503AndIsClosedWhileOthersStillWork() throws {
        let server = try TestServer(configure: { $0.maxConnections = 2 })
        defer { server.stop() }
        let first = try server.rawClient()
        let second = try server.rawClient()
        for (client, id) in [(first, "a"), (second, "b")] {
            try client.send("GET /id/\(id) HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().bodyText == id)
        }

        let third = try server.rawClient()
        try third.send("GET /id/c HTTP/1.1\r\nHost: t\r\n\r\n")
        let refused = try third.readResponse()
        #expect(refused.status == 503)
        #expect(refused.errorCode == "service_unavailable")
        #expect(refused.header("Retry-After") == "1")
        #expect(third.closesWithoutMoreBytes())

        for (client, id) in [(first, "a2"), (second, "b2")] {
            try client.send("GET /id/\(id) HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse().bodyText == id)
        }
        #expect(server.server.openConnections == 2)
    }

    @Test func slotFreedByAClosedConnectionIsReused() throws {
        let server = try TestServer(configure: { $0.maxConnections = 1 })
        defer { server.stop() }
        let first = try server.rawClient()
        try first.send("GET /id/1 HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try first.readResponse().status == 200)
        first.close()
        // The server notices the close asynchronously; poll, bounded to about 2 s.
        var status = 0
        for _ in 0..<40 {
            let next = try server.rawClient()
            try next.send("GET /id/2 HTTP/1.1\r\nHost: t\r\n\r\n")
            status = (try? next.readResponse().status) ?? 0
            if status == 200 { break }
            usleep(50_000)
        }
        #expect(status == 200)
    }
}
