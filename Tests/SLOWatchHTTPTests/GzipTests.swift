import SLOWatchHTTP
import SeededRandom
import Testing

/// The CZlib shim through ``Gzip``: round trips, the inflate limit (a gzip bomb stops there), and
/// refusals of damaged input.
@Suite("gzip deflate and bounded inflate over the system zlib")
struct GzipTests {
    /// Text that compresses well, `count` bytes long.
    static func text(_ count: Int) -> [UInt8] {
        let line = Array("slowatch_sample_value{metric=\"checkout.latency\",quantile=\"0.99\"} 217.8\n".utf8)
        return (0..<count).map { line[$0 % line.count] }
    }

    @Test("deflate then inflate gives the bytes back, for empty, small, large and random input")
    func roundTrip() throws {
        var random = SplitMix64(seed: 17)
        let noise = (0..<70_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        for input in [[], Array("a".utf8), Self.text(1_000), Self.text(300_000), noise] {
            let coded = try #require(Gzip.deflate(input))
            #expect(coded.starts(with: [0x1f, 0x8b]), "a gzip member starts with its magic bytes")
            #expect(try Gzip.inflate(coded, limit: input.count) == input)
            #expect(try Gzip.inflate(Gzip.deflate(input, level: 9) ?? [], limit: 1 << 20) == input)
        }
        #expect(try #require(Gzip.deflate(Self.text(300_000))).count < 30_000)
    }

    @Test("a gzip bomb stops at the limit: 64 MiB of zeros is refused at 1 MiB")
    func bombStopsAtTheLimit() throws {
        let bomb = try #require(Gzip.deflate([UInt8](repeating: 0, count: 64 << 20), level: 9))
        #expect(bomb.count < 100_000)
        #expect(throws: Gzip.InflateError.tooLarge(limit: 1 << 20)) { try Gzip.inflate(bomb, limit: 1 << 20) }
        // One byte more than the limit is refused; exactly the limit is not.
        let coded = try #require(Gzip.deflate(Self.text(5_000)))
        #expect(throws: Gzip.InflateError.tooLarge(limit: 4_999)) { try Gzip.inflate(coded, limit: 4_999) }
        #expect(try Gzip.inflate(coded, limit: 5_000).count == 5_000)
    }

    @Test("damaged, truncated and non-gzip input is refused as corrupt; members are concatenated")
    func refusals() throws {
        let coded = try #require(Gzip.deflate(Self.text(10_000)))
        #expect(throws: Gzip.InflateError.corrupt) {
            try Gzip.inflate(Array(coded.dropLast(9)), limit: 1 << 20)
        }
        var flipped = coded
        flipped[flipped.count - 6] ^= 0xff  // inside the CRC-32 trailer
        #expect(throws: Gzip.InflateError.corrupt) { try Gzip.inflate(flipped, limit: 1 << 20) }
        #expect(throws: Gzip.InflateError.corrupt) { try Gzip.inflate(Array("plain text".utf8), limit: 100) }
        #expect(throws: Gzip.InflateError.corrupt) { try Gzip.inflate([], limit: 100) }
        let two =
            try #require(Gzip.deflate(Array("one ".utf8))) + (try #require(Gzip.deflate(Array("two".utf8))))
        #expect(try Gzip.inflate(two, limit: 100) == Array("one two".utf8))
    }
}

/// `Accept-Encoding` (RFC 9110, 12.5.3) and ``HTTPResponse/compressed(for:minimumBytes:)``.
@Suite("Accept-Encoding negotiation and compressed responses")
struct AcceptEncodingTests {
    private func accepts(_ values: String...) -> Bool {
        var headers = HTTPHeaders()
        for value in values { headers.add(name: "Accept-Encoding", value: value) }
        return AcceptEncoding.acceptsGzip(headers)
    }

    @Test("gzip is used when listed above 0, through *, and not when refused or outweighed by identity")
    func negotiation() {
        #expect(accepts("gzip"))
        #expect(accepts("gzip, deflate, br"))  // curl --compressed, browsers
        #expect(accepts("GZIP;q=0.5"))
        #expect(accepts("x-gzip"))
        #expect(accepts("*"))
        #expect(accepts("br", "gzip;q=0.1"))
        #expect(!accepts())
        #expect(!accepts(""))
        #expect(!accepts("identity"))
        #expect(!accepts("gzip;q=0"))
        #expect(!accepts("gzip;q=0, *"))  // gzip named: its own weight counts, not *'s
        #expect(!accepts("*;q=0"))
        #expect(!accepts("br, deflate"))
        #expect(!accepts("identity;q=1, gzip;q=0.5"))
        #expect(accepts("identity;q=0.5, gzip"))
        #expect(!accepts("gzip;q=2"))  // malformed weight: the element is ignored
        #expect(!accepts("gzip;q=abc"))
    }

    private func request(_ encoding: String?) -> HTTPRequest {
        var headers = HTTPHeaders()
        if let encoding { headers.add(name: "Accept-Encoding", value: encoding) }
        return HTTPRequest(method: .get, target: "/x", headers: headers)
    }

    @Test("a large 200 is coded with Content-Encoding and Vary merged; tiny, refused and errors are not")
    func compressedResponses() throws {
        let body = GzipTests.text(4_000)
        let response = HTTPResponse(status: 200, headers: ["Vary": "Accept", "ETag": "\"abc\""], body: body)
        let coded = response.compressed(for: request("gzip"))
        #expect(coded.headers["Content-Encoding"] == "gzip")
        #expect(coded.headers.values("Vary") == ["Accept, Accept-Encoding"])
        #expect(coded.headers["ETag"] == "W/\"abc\"")
        #expect(try Gzip.inflate(coded.body, limit: body.count) == body)

        let refused = response.compressed(for: request("gzip;q=0"))
        #expect(refused.headers["Content-Encoding"] == nil)
        #expect(refused.body == body)
        #expect(refused.headers.values("Vary") == ["Accept, Accept-Encoding"])
        #expect(refused.headers["ETag"] == "\"abc\"")
        #expect(response.compressed(for: request(nil)).body == body)

        let tiny = HTTPResponse(status: 200, body: Array(body.prefix(1_023)))
        let tinyAnswer = tiny.compressed(for: request("gzip"))
        #expect(tinyAnswer.headers["Content-Encoding"] == nil)
        #expect(tinyAnswer.headers["Vary"] == "Accept-Encoding")
        #expect(
            HTTPResponse(status: 200, body: Array(body.prefix(1_024))).compressed(for: request("gzip"))
                .headers["Content-Encoding"] == "gzip")
        let error = HTTPResponse(status: 404, body: body).compressed(for: request("gzip"))
        #expect(error.headers["Content-Encoding"] == nil && error.body == body)
    }
}
