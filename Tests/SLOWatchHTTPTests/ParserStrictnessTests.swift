import Testing

@testable import SLOWatchHTTP

@Suite struct ParserStrictnessTests {
    static let refused: [(String, Int)] = [
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: foo\r\n\r\n", 501),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400),
        (
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            400
        ),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400),
        ("GET / HTTP/1.1\nHost: a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n two\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n\ttwo\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\rX\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u{0}b\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u{7F}b\r\n\r\n", 400),
        ("GET /\u{1}x HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nX-A\t: b\r\n\r\n", 400),
        ("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nFoo@: b\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
        ("GET / HTTP/3.0\r\nHost: a\r\n\r\n", 505),
        ("GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400),
        ("GET / HTTPS/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET / http/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET / HTTP/0.9\r\nHost: a\r\n\r\n", 400),
        ("GET /\r\nHost: a\r\n\r\n", 400),
        ("GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET example.com/x HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("CONNECT example.com:443 HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    ]

    @Test(arguments: refused)
    func invalidHeadGetsItsStatus(request: String, status: Int) {
        #expect(parseWhole(request) == [.error(status)], "\(request.debugDescription)")
        #expect(parseBytewise(request) == [.error(status)], "split: \(request.debugDescription)")
    }

    static let accepted: [String] = [
        "GET / HTTP/1.2\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET http://example.com/x?y=1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX-A: tab\there \u{80}\u{FF} obs-text\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\ncontent-length: 3\r\n\r\nabc",
        "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    ]

    @Test(arguments: accepted)
    func validHeadIsAccepted(request: String) throws {
        let outcomes = parseStream([Array(request.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })]
        )
        #expect(outcomes.count == 1)
        guard case .request = try #require(outcomes.first) else {
            Issue.record("refused: \(outcomes) for \(request.debugDescription)")
            return
        }
    }

    @Test func http12IsTreatedAsHTTP11AndAbsoluteFormYieldsItsPath() throws {
        guard case .request(let request) = try #require(parseWhole("GET / HTTP/1.2\r\nHost: a\r\n\r\n").first)
        else { throw ParserTestFailure.notParsed }
        #expect(request.version == .http1_1)
        var parser = RequestParser(limits: .init())
        let text = Array("GET http://h.example/a/b?q=1 HTTP/1.1\r\nHost: h.example\r\n\r\n".utf8)
        let result = text.withUnsafeBytes { parser.parseHead($0) }
        guard case .complete(let head, _) = result else { throw ParserTestFailure.notParsed }
        let utf8 = Array(head.target.utf8)
        #expect(String(decoding: utf8[head.pathRange], as: UTF8.self) == "/a/b")
        #expect(head.queryStart.map { String(decoding: utf8[$0...], as: UTF8.self) } == "q=1")
    }

    @Test func requestLineOverTheLimitIs414AndJustUnderIsAccepted() {
        let limits = RequestParser.Limits(maxRequestLineBytes: 64)
        let atLimit = "GET /" + String(repeating: "a", count: 64 - 14) + " HTTP/1.1"
        #expect(atLimit.utf8.count == 64)
        #expect(parseWhole(atLimit + "\r\nHost: a\r\n\r\n", limits: limits).count == 1)
        #expect(parseWhole(atLimit + "\r\nHost: a\r\n\r\n", limits: limits).first != .error(414))
        let over = "GET /" + String(repeating: "a", count: 65 - 14) + " HTTP/1.1\r\nHost: a\r\n\r\n"
        #expect(parseWhole(over, limits: limits) == [.error(414)])
        #expect(parseWhole(String(repeating: "a", count: 200), limits: limits) == [.error(414)])
    }

    @Test func headerSectionOverTheLimitOrOverTheFieldCountIs431() {
        let limits = RequestParser.Limits(maxHeaderBytes: 100, maxHeaderCount: 3)
        let big = "GET / HTTP/1.1\r\nHost: a\r\nX-A: " + String(repeating: "b", count: 100) + "\r\n\r\n"
        #expect(parseWhole(big, limits: limits) == [.error(431)])
        let endless = "GET / HTTP/1.1\r\nHost: a\r\nX-A: " + String(repeating: "b", count: 300)
        #expect(parseWhole(endless, limits: limits) == [.error(431)])
        let three = "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n"
        #expect(
            parseWhole(three, limits: limits).count == 1 && parseWhole(three, limits: limits) != [.error(431)]
        )
        let four = "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"
        #expect(parseWhole(four, limits: limits) == [.error(431)])
    }
}

/// A parse that a test needed did not happen.
enum ParserTestFailure: Error {
    case notParsed
}
