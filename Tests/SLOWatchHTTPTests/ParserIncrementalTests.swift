import Testing

@testable import SLOWatchHTTP

@Suite struct ParserIncrementalTests {
    static let contentLengthRequest =
        "POST /samples?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nX-Rep: 1\r\nx-rep: 2\r\n\r\nhello world"
    static let chunkedRequest =
        "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nTrailer-A: 1\r\nTrailer-B: two\r\n\r\n"

    @Test(arguments: [contentLengthRequest, chunkedRequest, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"])
    func splittingAtEveryByteBoundaryGivesTheSameRequest(text: String) throws {
        let whole = parseWhole(text)
        #expect(whole.count == 1)
        guard case .request = try #require(whole.first) else { throw ParserTestFailure.notParsed }
        #expect(parseBytewise(text) == whole)
        let bytes = Array(text.utf8)
        for split in 1..<bytes.count {
            #expect(
                parseStream([Array(bytes[..<split]), Array(bytes[split...])]) == whole, "split at \(split)")
        }
    }

    @Test func contentLengthBodyAndRepeatedFieldsAreKept() throws {
        guard case .request(let request) = try #require(parseWhole(Self.contentLengthRequest).first) else {
            throw ParserTestFailure.notParsed
        }
        #expect(request.body == Array("hello world".utf8))
        #expect(request.headers == ["Host: a", "Content-Length: 11", "X-Rep: 1", "x-rep: 2"])
    }

    @Test func chunkedBodyIsDecodedAndExtensionsAndTrailersAreDropped() throws {
        guard case .request(let request) = try #require(parseWhole(Self.chunkedRequest).first) else {
            throw ParserTestFailure.notParsed
        }
        #expect(String(decoding: request.body, as: UTF8.self) == "hello 0123456789")
    }

    @Test func threePipelinedRequestsInOneBufferComeOutInOrder() {
        let text =
            "GET /a HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi"
            + "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nyo\r\n0\r\n\r\n"
        let outcomes = parseWhole(text)
        let summary = outcomes.map { outcome -> String in
            guard case .request(let request) = outcome else { return "error" }
            return request.target + ":" + String(decoding: request.body, as: UTF8.self)
        }
        #expect(summary == ["/a:", "/b:hi", "/c:yo"])
        #expect(parseBytewise(text) == outcomes)
    }

    static let badChunked: [(String, Int)] = [
        ("5\nhello\r\n0\r\n\r\n", 400),
        ("5\r\nhello\n0\r\n\r\n", 400),
        ("5\r\nhello\r\n0\r\n\n", 400),
        ("5\r\nhelloXX0\r\n\r\n", 400),
        ("zz\r\nhello\r\n0\r\n\r\n", 400),
        ("\r\nhello\r\n0\r\n\r\n", 400),
        ("-5\r\nhello\r\n0\r\n\r\n", 400),
        ("fffffffffffffffff\r\n", 400),
        ("5\rhello\r\n0\r\n\r\n", 400),
        ("0\r\nBad Trailer: x\r\n\r\n", 400),
        ("0\r\nT: x\r\n folded\r\n\r\n", 400),
        ("5;ext=\u{1}\r\nhello\r\n0\r\n\r\n", 400),
        ("400\r\n", 413),
    ]

    @Test(arguments: badChunked)
    func malformedChunkedFramingIsRefused(body: String, status: Int) {
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        let limits = RequestParser.Limits(maxBodyBytes: 1000)
        #expect(parseWhole(head + body, limits: limits) == [.error(status)], "\(body.debugDescription)")
    }

    @Test func chunkedEdgeCasesAreAccepted() throws {
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        for (body, expected) in [
            ("0\r\n\r\n", ""), ("00000\r\n\r\n", ""), ("A \t;x\r\n0123456789\r\n0\r\n\r\n", "0123456789"),
            ("3;a=\"q s\";b\r\nabc\r\n0;last\r\n\r\n", "abc"), ("1\r\n\r\r\n0\r\n\r\n", "\r"),
        ] {
            let outcomes = parseWhole(head + body)
            guard case .request(let request) = try #require(outcomes.first) else {
                Issue.record("refused \(body.debugDescription): \(outcomes)")
                continue
            }
            #expect(String(decoding: request.body, as: UTF8.self) == expected)
        }
    }

    @Test func chunkedBodyPassingTheLimitIs413AsSoonAsTheTotalPassesIt() {
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        let limits = RequestParser.Limits(maxBodyBytes: 10)
        let atLimit = head + "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n"
        #expect(parseWhole(atLimit, limits: limits).first != .error(413))
        #expect(parseWhole(head + "5\r\nhello\r\n6\r\n", limits: limits) == [.error(413)])
    }
}
