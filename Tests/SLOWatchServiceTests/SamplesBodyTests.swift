import SLOWatchService
import Testing

/// The public `POST /samples` body decoders (what the fuzz target drives): the route's rules, bytes in,
/// samples or the route's 400 out.
@Suite struct SamplesBodyTests {
    @Test func aJSONBatchDecodesInBodyOrder() throws {
        let body =
            #"{"samples":[{"metric":"a","value":1.5,"timestamp":1764393600007},{"metric":"b","value":-2}]}"#
        let samples = try SamplesBody.decode(Array(body.utf8), as: .json)
        #expect(
            samples == [
                .init(metric: "a", value: 1.5, timestamp: 1_764_393_600_007),
                .init(metric: "b", value: -2, timestamp: nil),
            ])
    }

    @Test func statsDLinesDecodeEveryValue() throws {
        let samples = try SamplesBody.decode(Array("a:1:2|ms\r\n\nfps:60|g\n".utf8), as: .statsd)
        #expect(samples.map(\.metric) == ["a", "a", "fps"])
        #expect(samples.map(\.value) == [1, 2, 60])
        #expect(samples.allSatisfy { $0.timestamp == nil })
    }

    @Test(arguments: [
        (#"{"metric":"a","value":1,}"#, "invalid_json"), (#"{"metric":"a"}"#, "invalid_request"),
        (#"{"metric":"a b","value":1}"#, "invalid_request"),
    ])
    func aRefusedJSONBodyGivesTheRoutesCode(body: String, code: String) {
        do {
            _ = try SamplesBody.decode(Array(body.utf8), as: .json)
            Issue.record("accepted \(body)")
        } catch {
            #expect(error.status == 400)
            #expect(error.code == code)
            #expect(error.description.hasPrefix(code + ": "))
        }
    }

    /// Fuzz/regressions/samples-body/raw-nul-in-string-foundation-stops-at-nul: Foundation reads this
    /// body (it stops at a raw NUL), slowatch refuses it, as its JSON rules say.
    @Test func aRawNULInAStringIsInvalidJSON() {
        do {
            _ = try SamplesBody.decode([0x22, 0x00, 0x22, 0x00, 0x5B], as: .json)
            Issue.record("accepted a raw NUL")
        } catch {
            #expect(error.code == "invalid_json")
            #expect(error.message.contains("must not contain NUL"))
        }
    }

    @Test func aRefusedStatsDBodyNamesTheLine() {
        do {
            _ = try SamplesBody.decode(Array("a:1|ms\nb:x|ms\n".utf8), as: .statsd)
            Issue.record("accepted a bad line")
        } catch {
            #expect(error.code == "invalid_request")
            #expect(error.message.hasPrefix("line 2 "))
        }
    }
}
