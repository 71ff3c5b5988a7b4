import Testing

@testable import SLOWatchHTTP

@Suite struct ResponseEncoderTests {
    private let date = Array("Sun, 06 Nov 1994 08:49:37 GMT".utf8)

    private func encode(
        _ response: HTTPResponse, omitBody: Bool = false,
        persistence: ResponseEncoder.Persistence = .keepAlive
    ) -> String {
        var out: [UInt8] = []
        ResponseEncoder.encode(response, omitBody: omitBody, persistence: persistence, date: date, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func responseHasStatusLineDateServerLengthAndBody() {
        let text = encode(
            HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: Array("hi".utf8)))
        #expect(
            text
                == "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nServer: slowatch\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi")
    }

    @Test func noContentHasNoLengthAndHeadKeepsTheLengthWithoutTheBody() {
        #expect(encode(HTTPResponse(status: 204)).hasSuffix("Server: slowatch\r\n\r\n"))
        let head = encode(HTTPResponse(status: 200, body: Array("12345".utf8)), omitBody: true)
        #expect(head.hasSuffix("Content-Length: 5\r\n\r\n"))
    }

    @Test func connectionHeaderFollowsThePersistence() {
        #expect(encode(HTTPResponse(status: 200), persistence: .close).contains("\r\nConnection: close\r\n"))
        #expect(
            encode(HTTPResponse(status: 200), persistence: .keepAliveExplicit).contains(
                "\r\nConnection: keep-alive\r\n"))
        #expect(!encode(HTTPResponse(status: 200), persistence: .keepAlive).contains("Connection:"))
    }

    @Test func handlerCopiesOfServerControlledFieldsAreDroppedAndCRLFCannotSplitTheHead() {
        let response = HTTPResponse(
            status: 200,
            headers: [
                "content-length": "99", "Connection": "close", "Server": "x", "X-A": "a\r\nInjected: 1",
            ])
        let text = encode(response)
        #expect(!text.contains("Content-Length: 99") && text.contains("Content-Length: 0\r\n"))
        #expect(!text.contains("\r\nInjected"))
        #expect(text.contains("X-A: a  Injected: 1\r\n"))
        #expect(text.contains("Server: slowatch\r\n") && !text.contains("Server: x"))
    }

    @Test func defaultErrorIsPlainTextMessage() {
        let response = HTTPServerConfiguration().errorResponse(
            HTTPErrorAnswer(status: 400, code: "bad_request", message: "Quote \" and \n."))
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self) == "Quote \" and \n.\n")
        #expect(response.headers["content-type"] == "text/plain; charset=utf-8")
    }

    @Test func chunksAreFramedWithHexSizes() {
        #expect(
            String(decoding: ChunkFraming.frame(Array(repeating: 65, count: 26)), as: UTF8.self).hasPrefix(
                "1a\r\n"))
        #expect(ChunkFraming.frame([66]) == Array("1\r\nB\r\n".utf8))
    }
}
