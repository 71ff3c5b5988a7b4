import SLOWatchHTTP
import Testing

/// Message framing (RFC 9112 §6): Transfer-Encoding, Content-Length, chunked syntax, and body limits.
/// Framing errors leave the body length unknown, so the server must answer and then close.
@Suite struct StrictnessFramingTests {
    private static let head = "POST /echo HTTP/1.1\r\nHost: t\r\n"

    @Test func transferEncodingTogetherWithContentLengthIs400AndCloses() throws {
        let server = try TestServer()
        defer { server.stop() }
        let request =
            Self.head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        let result = try server.exchange(request, checkClose: true)
        #expect(result.response.status == 400)
        #expect(result.response.errorCode == "bad_request")
        #expect(result.closed)
    }

    @Test func unsupportedTransferCodingIs501AndCloses() throws {
        let server = try TestServer()
        defer { server.stop() }
        let result = try server.exchange(Self.head + "Transfer-Encoding: gzip\r\n\r\nhello", checkClose: true)
        #expect(result.response.status == 501)
        #expect(result.response.errorCode == "not_implemented")
        #expect(result.response.errorMessage?.contains("\"gzip\"") == true)
        #expect(result.closed)
    }

    @Test(arguments: [
        "Transfer-Encoding: chunked, chunked\r\n",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: chunked, gzip\r\n",
    ])
    func chunkedThatIsNotTheFinalCodingOnceIs400AndCloses(field: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let result = try server.exchange(Self.head + field + "\r\n5\r\nhello\r\n0\r\n\r\n", checkClose: true)
        #expect(result.response.status == 400)
        #expect(result.closed)
    }

    @Test(arguments: ["+5", "-1", "0x5", "1 2", "abc", "5.0", ""])
    func contentLengthThatIsNotPlainDecimalIs400AndCloses(value: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let result = try server.exchange(
            Self.head + "Content-Length: \(value)\r\n\r\nhello", checkClose: true)
        #expect(result.response.status == 400)
        #expect(result.response.errorCode == "bad_request")
        #expect(result.closed)
    }

    @Test(arguments: ["Content-Length: 5\r\nContent-Length: 6\r\n", "Content-Length: 5, 6\r\n"])
    func differingContentLengthsAre400AndClose(fields: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let result = try server.exchange(Self.head + fields + "\r\nhello!", checkClose: true)
        #expect(result.response.status == 400)
        #expect(result.closed)
    }

    @Test func identicalDuplicateContentLengthsAreAccepted() throws {
        let server = try TestServer()
        defer { server.stop() }
        let result = try server.exchange(Self.head + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello")
        #expect(result.response.status == 200)
        #expect(result.response.bodyText == "hello")
    }

    @Test(arguments: [
        "5\nhello\r\n0\r\n\r\n",  // chunk-size line ended by a bare LF
        "5\r\nhello\n0\r\n\r\n",  // chunk data ended by a bare LF
        "5\r\nhello\r\n0\n\r\n",  // last-chunk line ended by a bare LF
    ])
    func bareLineFeedInChunkedFramingIs400AndCloses(body: String) throws {
        let server = try TestServer()
        defer { server.stop() }
        let result = try server.exchange(
            Self.head + "Transfer-Encoding: chunked\r\n\r\n" + body, checkClose: true)
        #expect(result.response.status == 400)
        #expect(result.closed)
    }

    @Test func announcedBodyOverTheLimitIs413BeforeTheBodyIsSent() throws {
        let server = try TestServer(configure: { $0.maxBodyBytes = 1024 })
        defer { server.stop() }
        let client = try server.rawClient(timeoutMilliseconds: 2000)
        // Only the head: the 413 must not wait for 10 MB that never comes.
        try client.send(Self.head + "Content-Length: 10000000\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.errorCode == "payload_too_large")
    }

    @Test func chunkedBodyOverTheLimitIs413() throws {
        let server = try TestServer(configure: { $0.maxBodyBytes = 1024 })
        defer { server.stop() }
        let chunk = String(repeating: "x", count: 800)
        let body = "320\r\n\(chunk)\r\n320\r\n\(chunk)\r\n0\r\n\r\n"
        let result = try server.exchange(Self.head + "Transfer-Encoding: chunked\r\n\r\n" + body)
        #expect(result.response.status == 413)
        #expect(result.response.errorCode == "payload_too_large")
    }

    @Test func bodyAtExactlyTheLimitIsAccepted() throws {
        let server = try TestServer(configure: { $0.maxBodyBytes = 1024 })
        defer { server.stop() }
        let body = String(repeating: "y", count: 1024)
        let result = try server.exchange(Self.head + "Content-Length: 1024\r\n\r\n" + body)
        #expect(result.response.status == 200)
        #expect(result.response.header("X-Body-Length") == "1024")
    }
}
