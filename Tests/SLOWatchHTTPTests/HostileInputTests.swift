import SLOWatchHTTP
import Testing

/// Sizes that come from the client are never trusted: numbers too large for any limit are refused with a
/// status (no integer overflow trap), and the server keeps serving afterwards.
@Suite struct HostileInputTests {
    private static let head = "POST /echo HTTP/1.1\r\nHost: t\r\n"

    @Test(arguments: [
        ("Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nx\r\n0\r\n\r\n", 400),
        ("Transfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\nx\r\n0\r\n\r\n", 400),
        ("Transfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\nx\r\n0\r\n\r\n", 413),
        ("Transfer-Encoding: chunked\r\n\r\n1\r\nx\r\nfffffffffffffff\r\nx\r\n0\r\n\r\n", 413),
        ("Content-Length: 99999999999999999999\r\n\r\nx", 400),
        ("Content-Length: 9223372036854775807\r\n\r\nx", 400),
        ("Content-Length: 9223372036854775808\r\n\r\nx", 400),
        ("Content-Length: 999999999999999999\r\n\r\nx", 413),
        ("Content-Length: 18446744073709551616, 18446744073709551616\r\n\r\nx", 400),
    ])
    func hugeSizesAreRefusedAndTheServerKeepsServing(rest: String, status: Int) throws {
        let server = try TestServer()
        defer { server.stop() }
        let result = try server.exchange(Self.head + rest, checkClose: true)
        #expect(result.response.status == status)
        #expect(result.closed)
        #expect(try server.exchange("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").response.bodyText == "hello")
    }

    @Test func hugeContentLengthOnAnUnknownPathIs404AndCloses() throws {
        let server = try TestServer()
        defer { server.stop() }
        let result = try server.exchange(
            "POST /nowhere HTTP/1.1\r\nHost: t\r\nContent-Length: 999999999999999999\r\n\r\n",
            checkClose: true)
        #expect(result.response.status == 404)
        #expect(result.closed)
    }

    @Test func limitsConfiguredAsIntMaxDoNotOverflowWhenTheInputBufferGrows() throws {
        let server = try TestServer(configure: { configuration in
            configuration.maxRequestLineBytes = .max
            configuration.maxHeaderBytes = .max
            configuration.maxHeaderCount = .max
            configuration.maxBodyBytes = .max
        })
        defer { server.stop() }
        // Larger than the initial 4 KiB input buffer, sent in pieces, so the buffer has to grow while the
        // head is incomplete: the sizes derived from the limits must not overflow.
        let request = Array(
            ("GET /hello HTTP/1.1\r\nHost: t\r\nX-Pad: " + String(repeating: "p", count: 12_000) + "\r\n\r\n")
                .utf8)
        let client = try server.rawClient()
        try client.sendInPieces(request, pieceSize: 3000, pauseMicroseconds: 2000)
        #expect(try client.readResponse().bodyText == "hello")
    }
}
