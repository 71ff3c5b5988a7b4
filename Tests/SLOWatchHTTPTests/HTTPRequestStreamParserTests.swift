import SLOWatchHTTP
import Testing

/// The public stream parser (what the fuzz target drives): the connection's parser and limits over
/// appended bytes, without a socket.
@Suite struct HTTPRequestStreamParserTests {
    static let pipelined =
        "GET /a HTTP/1.1\r\nHost: a\r\n\r\n"
        + "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi"
        + "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nyo\r\n0\r\n\r\n"

    /// Appends `bytes` in reads of `size` and takes every request after each read.
    private static func parse(_ bytes: [UInt8], readSize size: Int) throws -> [String] {
        var parser = HTTPRequestStreamParser()
        var seen: [String] = []
        for start in stride(from: 0, to: bytes.count, by: size) {
            parser.append(bytes[start..<min(start + size, bytes.count)])
            while let request = try parser.nextRequest() {
                seen.append(request.target + ":" + String(decoding: request.body, as: UTF8.self))
            }
        }
        #expect(parser.consumedByteCount == bytes.count)
        #expect(parser.bufferedByteCount == 0)
        return seen
    }

    @Test(arguments: [1, 2, 7, 1_000])
    func pipelinedRequestsComeOutInOrderWhateverTheReadSize(readSize: Int) throws {
        #expect(try Self.parse(Array(Self.pipelined.utf8), readSize: readSize) == ["/a:", "/b:hi", "/c:yo"])
    }

    @Test func anIncompleteRequestIsNilAndItsBytesStayBuffered() throws {
        var parser = HTTPRequestStreamParser()
        parser.append(Array("POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhel".utf8))
        #expect(try parser.nextRequest() == nil)
        parser.append(Array("lo".utf8))
        let request = try #require(try parser.nextRequest())
        #expect(request.method == .post)
        #expect(request.headers["content-length"] == "5")
        #expect(String(decoding: request.body, as: UTF8.self) == "hello")
    }

    @Test func aFailureIsThrownAgainOnEveryLaterCall() {
        var parser = HTTPRequestStreamParser()
        parser.append(Array("GET / HTTP/1.1\nHost: a\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try parser.nextRequest() }
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        do {
            _ = try parser.nextRequest()
            Issue.record("a parser that failed returned a request")
        } catch {
            #expect(error.status == 400)
            #expect(error.message.contains("bare LF"))
        }
    }

    @Test func aDeclaredLengthOverTheLimitIs413BeforeTheBodyArrives() {
        var configuration = HTTPServerConfiguration()
        configuration.maxBodyBytes = 10
        var parser = HTTPRequestStreamParser(configuration: configuration)
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n".utf8))
        do {
            _ = try parser.nextRequest()
            Issue.record("a body over the limit was accepted")
        } catch {
            #expect(error.status == 413)
            #expect(error.description.hasPrefix("413: "))
        }
    }
}
