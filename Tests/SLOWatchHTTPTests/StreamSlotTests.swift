import Dispatch
import Glibc
import SLOWatchHTTP
import TestRawClient
import Testing

/// `maxStreams`: streams take at most that many of the `maxConnections` slots, so a stream request
/// beyond it gets 503 `too_many_streams` while plain requests are still served.
@Suite struct StreamSlotTests {
    /// A server with a `/events` route that streams one line and then stays open.
    private static func server(maxConnections: Int, maxStreams: Int?) throws -> TestServer {
        try TestServer(
            configure: {
                $0.maxConnections = maxConnections
                $0.maxStreams = maxStreams
            },
            routes: { router in
                TestServer.standardRoutes(&router)
                router.addStream(
                    .get, "/events", head: { _ in HTTPResponse(status: 200) },
                    { _, writer in writer.write(Array("open\n".utf8)) })
            })
    }

    /// Opens a stream and waits for its head and first chunk.
    private static func openStream(_ server: TestServer) throws -> RawClient {
        let client = try server.rawClient()
        try client.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
        var received: [UInt8] = []
        while !String(decoding: received, as: UTF8.self).contains("open\n") {
            guard let bytes = try client.readSome(limit: 4096) else { break }
            received += bytes
        }
        #expect(String(decoding: received, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        return client
    }

    @Test func streamBeyondMaxStreamsGets503WhilePlainRequestsAreServed() throws {
        let server = try Self.server(maxConnections: 4, maxStreams: 2)
        defer { server.stop() }
        let streams = try (0..<2).map { _ in try Self.openStream(server) }
        #expect(server.server.openStreams == 2)

        let third = try server.rawClient()
        try third.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
        let refused = try third.readResponse()
        #expect(refused.status == 503)
        #expect(refused.errorCode == "too_many_streams")
        #expect(refused.header("Retry-After") == "2")
        #expect(refused.bodyText.contains("2 open streams"))
        #expect(third.closesWithoutMoreBytes())

        // The two remaining connection slots still serve plain requests.
        let plain = try server.rawClient()
        try plain.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try plain.readResponse().status == 200)

        // A closed stream gives its slot back (the server notices asynchronously; poll about 2 s).
        streams[0].close()
        var status = 0
        for _ in 0..<40 where status != 200 {
            if server.server.openStreams < 2 {
                let again = try server.rawClient()
                try again.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
                let bytes = try again.readSome(limit: 64) ?? []
                status = String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.1 200") ? 200 : 0
            } else {
                usleep(50_000)
            }
        }
        #expect(status == 200)
        streams[1].close()
    }

    @Test func asManyStreamAttemptsAsConnectionsLeaveRoomForPlainRequests() throws {
        // The default: half of maxConnections. Ten stream attempts against ten connections: five get
        // streams, five get 503 and are closed, and a plain request then finds a slot.
        let server = try Self.server(maxConnections: 10, maxStreams: nil)
        defer { server.stop() }
        var clients: [RawClient] = []
        for _ in 0..<10 {
            let client = try server.rawClient()
            try client.send("GET /events HTTP/1.1\r\nHost: t\r\n\r\n")
            clients.append(client)
        }
        var statuses: [String] = []
        for client in clients {
            let bytes = try client.readSome(limit: 4096) ?? []
            statuses.append(String(String(decoding: bytes, as: UTF8.self).prefix(12)))
        }
        #expect(statuses.filter { $0 == "HTTP/1.1 200" }.count == 5)
        #expect(statuses.filter { $0 == "HTTP/1.1 503" }.count == 5)
        var status = 0
        for _ in 0..<40 where status != 200 {
            if let response = try? server.exchange("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").response {
                status = response.status
            }
            if status != 200 { usleep(50_000) }
        }
        #expect(status == 200)
        for client in clients { client.close() }
    }

    @Test func effectiveLimitIsHalfOfTheConnectionsAndNeverAbove() {
        var configuration = HTTPServerConfiguration()
        configuration.maxConnections = 100
        #expect(configuration.effectiveMaxStreams == 50)
        configuration.maxConnections = 1
        #expect(configuration.effectiveMaxStreams == 1)
        configuration.maxConnections = 10
        configuration.maxStreams = 50
        #expect(configuration.effectiveMaxStreams == 10)
        configuration.maxStreams = 3
        #expect(configuration.effectiveMaxStreams == 3)
    }
}
