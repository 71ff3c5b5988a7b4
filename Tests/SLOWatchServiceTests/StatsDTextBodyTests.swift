import Testing

@testable import SLOWatchService

/// Decoding a `text/plain` body of StatsD lines: all lines or a 400 naming the first bad one.
@Suite("StatsD text body")
struct StatsDTextBodyTests {
    private func decode(_ text: String) throws(APIError) -> SampleBatch {
        try StatsDTextBody.decode(Array(text.utf8))
    }

    @Test("lines become one batch naming each metric once, in body order; blank lines and \\r\\n are fine")
    func batch() throws {
        let batch = try decode("a:1|ms\r\n\nb:2|g\na:3:4|d|#k:v\r\n\n")
        #expect(batch.metrics == ["a", "b"])
        #expect(batch.samples.map(\.metric) == [0, 1, 0, 0])
        #expect(batch.samples.map(\.value) == [1, 2, 3, 4])
        #expect(batch.samples.allSatisfy { $0.timestamp == nil })
        #expect(try decode("a:5|ms").count == 1, "a last line without \\n counts")
        #expect(try decode("").count == 0)
    }

    @Test("the first bad line is a 400 naming its number, the line quoted and the rule")
    func firstBadLine() {
        #expect(
            throws: APIError.invalidRequest(
                #"line 3 ("c:x|ms"): the value "x" is not a finite decimal number."#)
        ) {
            try decode("a:1|ms\n\nc:x|ms\nd:|ms\n")
        }
        #expect(
            throws: APIError.invalidRequest(
                #"line 2 ("hits:1|c"): the type 'c' is a counter, not a latency sample: slowatch keeps ms, h, d and g."#
            )
        ) {
            try decode("a:1|ms\nhits:1|c\n")
        }
    }

    @Test("a long bad line is quoted cut to 60 characters")
    func longLine() {
        do {
            _ = try decode(String(repeating: "z", count: 5_000) + "|ms")
            Issue.record("a line without ':' was accepted")
        } catch {
            #expect(
                error.message.hasPrefix(
                    #"line 1 (""# + String(repeating: "z", count: 60) + #"…"): it has no ':'"#))
            #expect(error.message.count < 250)
        }
    }

    @Test("10,000 samples are accepted, one more is a 400 naming the line that passed the limit")
    func sampleLimit() throws {
        let full = String(repeating: "a:1|ms\n", count: 9_999) + "a:1|ms"
        #expect(try decode(full).count == 10_000)
        #expect(throws: APIError.self) { try decode(full + "\na:1|ms") }
        do {
            _ = try decode(String(repeating: "a:1|ms\n", count: 9_999) + "a:1:2|d")
            Issue.record("10,001 samples were accepted")
        } catch {
            #expect(error.message.hasPrefix("line 10000 "))
            #expect(error.message.contains("more than 10000 samples"))
        }
    }
}
