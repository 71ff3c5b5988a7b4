import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import Testing

@testable import SLOWatchService

/// `POST /samples` refuses a timestamp below 10^11 ms (before 1973-03-03) with 400 naming the sample and
/// saying it looks like seconds (issue 19, item 2); the registry itself keeps accepting any finite time.
@Suite("Samples: timestamps that look like seconds")
struct SamplesTimestampTests {
    /// The wall time of these tests, ms since the epoch (2025-11-29T05:20:00Z).
    static let now = 1_764_393_600_000.0

    /// The whole message for `value` at `path`, as docs/api.md shows it.
    static func secondsMessage(_ path: String, _ value: String, milliseconds: String) -> String {
        "\(path): \(value) looks like seconds, not milliseconds (timestamps are milliseconds since the Unix "
            + "epoch, and values below 100000000000 (before 1973-03-03) are refused); if it is in seconds, "
            + "send \(milliseconds)."
    }

    @Test(
        "a single sample stamped in seconds gets 400 naming timestamp and the value in ms; nothing is registered"
    )
    func singleSampleInSeconds() throws {
        let test = try InProcessService(wallClock: ManualClock(startMilliseconds: Self.now))
        let response = try test.client.postJSON(
            "/samples", #"{"metric":"lat","value":1,"timestamp":1764393600}"#)
        expectAPIError(
            response, status: 400, code: "invalid_request",
            message: Self.secondsMessage("timestamp", "1764393600", milliseconds: "1764393600000"))
        #expect(
            response.errorMessage
                == Self.secondsMessage("timestamp", "1764393600", milliseconds: "1764393600000"))
        #expect(test.service.registry.summary(for: "lat") == nil, "nothing recorded, nothing registered")
    }

    @Test(
        "the batch of docs/api.md: samples[1] in seconds refuses the whole batch with the documented message")
    func readmeBatchExample() throws {
        let test = try InProcessService(wallClock: ManualClock(startMilliseconds: Self.now))
        let body =
            #"{"samples":[{"metric":"checkout.latency","value":12.5},{"metric":"checkout.latency","value":48,"#
            + #""timestamp":1764393600}]}"#
        let response = try test.client.postJSON("/samples", body)
        #expect(response.status == 400)
        #expect(
            response.bodyText
                == #"{"error":{"code":"invalid_request","message":""#
                + Self.secondsMessage("samples[1].timestamp", "1764393600", milliseconds: "1764393600000")
                + #""}}"#)
        #expect(test.service.registry.summary(for: "checkout.latency") == nil)
    }

    @Test("samples[3] of a batch, fractional seconds included, is named; the other three are not recorded")
    func fourthSampleOfBatch() throws {
        let test = try InProcessService(wallClock: ManualClock(startMilliseconds: Self.now))
        let good = #"{"metric":"a","value":1,"timestamp":1764393600000}"#
        let body =
            #"{"samples":["# + [good, good, good].joined(separator: ",")
            + #",{"metric":"a","value":2,"timestamp":1764393600.25}]}"#
        let response = try test.client.postJSON("/samples", body)
        expectAPIError(
            response, status: 400, code: "invalid_request",
            message: Self.secondsMessage(
                "samples[3].timestamp", "1764393600.25", milliseconds: "1764393600250"))
        #expect(test.service.registry.summary(for: "a") == nil)
    }

    @Test(
        "the bound is 10^11 ms: 99999999999 is refused, 100000000000 accepted; negative and 0 are refused",
        arguments: [
            ("99999999999", 400), ("100000000000", 200), ("0", 400), ("-1", 400), ("1e11", 200),
            ("5e10", 400),
        ])
    func bound(timestamp: String, status: Int) throws {
        let test = try InProcessService(wallClock: ManualClock(startMilliseconds: Self.now))
        let response = try test.client.postJSON(
            "/samples", #"{"metric":"edge","value":1,"timestamp":\#(timestamp)}"#)
        #expect(response.status == status, "\(timestamp): \(response.bodyText)")
        if timestamp == "-1" {
            #expect(
                response.errorMessage
                    == "timestamp: -1 is negative; timestamps are milliseconds since the Unix epoch, and values "
                    + "below 100000000000 (before 1973-03-03) are refused.")
        } else if status == 400 {
            #expect(response.errorMessage?.contains("looks like seconds") == true, "\(response.bodyText)")
        }
    }

    @Test("the public body decoder applies the same rule (it is the route's)")
    func publicDecoder() {
        #expect(throws: SamplesBody.Refusal.self) {
            try SamplesBody.decode(Array(#"{"metric":"a","value":1,"timestamp":1764393600}"#.utf8), as: .json)
        }
        let accepted = try? SamplesBody.decode(
            Array(#"{"metric":"a","value":1,"timestamp":1764393600000}"#.utf8), as: .json)
        #expect(accepted?.first?.timestamp == 1_764_393_600_000)
    }

    @Test("StatsD lines carry no timestamp: DogStatsD's |T<seconds> field is refused as an unknown field")
    func statsDTimestampField() throws {
        let test = try InProcessService(wallClock: ManualClock(startMilliseconds: Self.now))
        let refused = try test.client.post(
            "/samples", body: Array("lat:12|ms|T1764393600\n".utf8), headers: [("Content-Type", "text/plain")]
        )
        #expect(refused.status == 400)
        #expect(refused.errorMessage?.contains("T1764393600") == true, "\(refused.bodyText)")
        let plain = try test.client.post(
            "/samples", body: Array("lat:12|ms\n".utf8), headers: [("Content-Type", "text/plain")])
        #expect(plain.status == 200)
        #expect(try test.service.registry.recentSamples(for: "lat", limit: 1).first?.timestamp == Self.now)
    }

    @Test("an embedder's MetricsRegistry keeps accepting any finite time, 5 ms after the epoch included")
    func registryAcceptsAnyFiniteTime() throws {
        let registry = MetricsRegistry(wallClock: ManualClock(startMilliseconds: 0))
        try registry.record("sim", value: 1, timestamp: 5)
        #expect(try registry.recentSamples(for: "sim", limit: 1) == [RecentSample(value: 1, timestamp: 5)])
    }
}
