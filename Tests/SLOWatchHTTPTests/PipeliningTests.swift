import SLOWatchHTTP
import Testing

/// Several requests sent in one packet are answered in order, each framed correctly.
@Suite struct PipeliningTests {
    @Test func threePipelinedRequestsInOnePacketGetThreeResponsesInOrder() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.rawClient()
        try client.send(
            "GET /id/1 HTTP/1.1\r\nHost: t\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\n2"
                + "GET /id/3 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let responses = try (0..<3).map { _ in try client.readResponse() }
        #expect(responses.map(\.status) == [200, 200, 200])
        #expect(responses.map(\.bodyText) == ["1", "2", "3"])
        #expect(responses[2].tokens("Connection").map { $0.lowercased() } == ["close"])
        #expect(client.closesWithoutMoreBytes())
    }

    @Test func pipelinedRequestAfterAnErrorIsNotServed() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try server.rawClient()
        // The first request's framing is invalid, so the bytes after it cannot be trusted as a request.
        try client.send(
            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n"
                + "GET /id/2 HTTP/1.1\r\nHost: t\r\n\r\n")
        let first = try client.readResponse()
        #expect(first.status == 400)
        #expect(client.closesWithoutMoreBytes())
    }
}
