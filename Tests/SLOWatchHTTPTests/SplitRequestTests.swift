import Glibc
import SLOWatchHTTP
import TestRawClient
import Testing

/// The parser's answer must not depend on how the request bytes are split across reads.
@Suite struct SplitRequestTests {
    private static let sized = Array(
        "POST /echo?x=1 HTTP/1.1\r\nHost: t\r\nX-Note: split\r\nContent-Length: 11\r\n\r\nhello world".utf8)
    private static let chunked = Array(
        ("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n").utf8)
    private static let short = Array("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc".utf8)

    @Test func requestsSentOneBytePerWriteGetTheSameResponsesAsUnsplit() throws {
        let server = try TestServer()
        defer { server.stop() }
        let whole = try [Self.sized, Self.chunked].map { try server.exchange($0).response }
        #expect(whole.map(\.status) == [200, 200])
        #expect(whole.map(\.bodyText) == ["hello world", "hello world"])

        // Both requests on ONE connection, one byte per send (TCP_NODELAY), paced so most bytes arrive in
        // separate reads.
        let client = try server.rawClient()
        for (request, expected) in zip([Self.sized, Self.chunked], whole) {
            try client.sendInPieces(request, pieceSize: 1, pauseMicroseconds: 200)
            let response = try client.readResponse()
            #expect(response.comparable == expected.comparable)
        }
    }

    @Test func shortRequestSplitIntoTwoWritesAtEveryBoundaryGetsTheSameResponse() throws {
        let server = try TestServer()
        defer { server.stop() }
        let expected = try server.exchange(Self.short).response
        #expect(expected.status == 200 && expected.bodyText == "abc")
        for split in 1..<Self.short.count {
            let client = try server.rawClient()
            defer { client.close() }
            try client.send(Array(Self.short[..<split]))
            // A short pause so that the two writes usually reach the server in separate reads.
            usleep(500)
            try client.send(Array(Self.short[split...]))
            let response = try client.readResponse()
            #expect(response.comparable == expected.comparable, "split at byte \(split)")
        }
    }
}
