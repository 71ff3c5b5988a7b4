import Foundation
import SLOWatchCoreTesting
import TestCurlClient
import Testing

@testable import SLOWatchService

/// `POST /samples` refuses a sample timestamped more than five minutes ahead of the server clock, with
/// 400 naming the sample and the skew, and keeps a batch all or nothing.
@Suite("Samples: future timestamps")
struct FutureTimestampSamplesTests {
    @Test("a single sample 41 days ahead gets 400 naming the skew; five minutes ahead is accepted")
    func singleSample() throws {
        let clock = ManualClock()
        let test = try InProcessService(wallClock: clock)
        let now = Int64(clock.nowMilliseconds())
        let ahead = now + 41 * 86_400_000
        let response = try test.client.postJSON(
            "/samples", #"{"metric":"lat","value":1,"timestamp":\#(ahead)}"#)
        expectAPIError(
            response, status: 400, code: "invalid_request",
            message: "timestamp: \(ahead) is 41 days ahead of the server clock; at most 5 minutes ahead is "
                + "accepted.")
        #expect(test.service.registry.summary(for: "lat") == nil, "nothing recorded, nothing registered")
        let edge = try test.client.postJSON(
            "/samples", #"{"metric":"lat","value":1,"timestamp":\#(now + 300_000)}"#)
        #expect(edge.status == 200)
    }

    @Test("a batch whose sample 3 is stamped 1e300 is refused whole, naming samples[2]")
    func batchWithOneFutureSample() throws {
        let clock = ManualClock()
        let test = try InProcessService(wallClock: clock)
        let now = Int64(clock.nowMilliseconds())
        let body =
            #"{"samples":[{"metric":"a","value":1,"timestamp":\#(now)},{"metric":"b","value":2},"#
            + #"{"metric":"a","value":3,"timestamp":1e300},{"metric":"a","value":4}]}"#
        let response = try test.client.postJSON("/samples", body)
        expectAPIError(
            response, status: 400, code: "invalid_request", message: "samples[2].timestamp: 1e+300 is ")
        #expect(response.errorMessage?.hasSuffix("at most 5 minutes ahead is accepted.") == true)
        #expect(
            test.service.registry.summary(for: "a") == nil && test.service.registry.summary(for: "b") == nil)
    }

    @Test("over a real socket too, and the text (StatsD lines) body, which has no timestamps, is unaffected")
    func overSocket() throws {
        let test = try TestService()
        defer { test.stop() }
        let client = try CurlClient()
        let response = try client.postJSON(
            test.url("/samples"), #"{"metric":"a","value":1,"timestamp":1e300}"#)
        expectAPIError(response, status: 400, code: "invalid_request", message: "timestamp: 1e+300 is ")
        let text = try client.post(
            test.url("/samples"), body: Array("a:1|ms\n".utf8), headers: [("Content-Type", "text/plain")])
        #expect(text.status == 200)
    }
}
