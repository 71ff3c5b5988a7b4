import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import Testing

@testable import SLOWatchService

/// `GET /metrics/{name}/history?slo=ID`: each point carries that error-budget SLO's exact good and bad
/// counts in its step (what the dashboard's burn-down is drawn from), and a bad `slo` is a 400 naming it.
@Suite("History points with an SLO's budget counts")
struct HistoryBudgetPointsTests {
    /// The points of a history answer as (t, good, bad), or nil when a point lacks the counts.
    static func counts(_ body: String) throws -> [(t: Int, good: Int, bad: Int)]? {
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        let points = try #require(object?["points"] as? [[String: Any]])
        var result: [(t: Int, good: Int, bad: Int)] = []
        for point in points {
            guard let t = point["t"] as? Int, let good = point["good"] as? Int, let bad = point["bad"] as? Int
            else { return nil }
            result.append((t, good, bad))
        }
        return result
    }

    @Test("each step has the SLO's exact good and bad counts, in the step of each sample's timestamp")
    func stepsCarryExactCounts() throws {
        let clock = ManualClock()
        let test = try InProcessService(wallClock: clock)
        let now = Int(clock.nowMilliseconds())
        let slo = #"{"metric":"lat","percentile":"p99","threshold":100,"objective":90,"period":"1h"}"#
        #expect(try test.client.putJSON("/slos/budget", slo).status == 201)
        let old = now - 30 * 60_000
        // At now − 30 min: 8 good (one on the threshold: good) and 2 bad; now: 3 bad.
        let samples =
            [50, 60, 70, 80, 90, 95, 99, 100].map { (value: $0, at: old) } + [(value: 101, at: old)]
            + [(value: 500, at: old)] + [(value: 200, at: now), (value: 300, at: now), (value: 400, at: now)]
        let batch = samples.map { #"{"metric":"lat","value":\#($0.value),"timestamp":\#($0.at)}"# }
        #expect(
            try test.client.postJSON("/samples", #"{"samples":[\#(batch.joined(separator: ","))]}"#).status
                == 200)

        let answer = try test.client.get("/metrics/lat/history?range=1h&step=10m&q=0.5&slo=budget")
        #expect(answer.status == 200, "\(answer.bodyText)")
        let points = try #require(try Self.counts(answer.bodyText), "\(answer.bodyText)")
        #expect(points.reduce(0) { $0 + $1.good } == 8)
        #expect(points.reduce(0) { $0 + $1.bad } == 5)
        let oldStep = try #require(points.first { $0.t <= old && old < $0.t + 600_000 })
        #expect(oldStep.good == 8 && oldStep.bad == 2)
        let newStep = try #require(points.last)
        #expect(newStep.good == 0 && newStep.bad == 3 && newStep.t <= now)
        // Without `slo`, the points are as before: no counts.
        let plain = try test.client.get("/metrics/lat/history?range=1h&step=10m&q=0.5")
        #expect(!plain.bodyText.contains(#""good""#))
    }

    @Test("an unknown SLO, one without objective and one on another metric are 400s naming slo")
    func badSLOIsRefused() throws {
        let test = try InProcessService(wallClock: ManualClock())
        #expect(try test.client.postJSON("/samples", #"{"metric":"lat","value":5}"#).status == 200)
        let plain = #"{"metric":"lat","percentile":"p99","threshold":100}"#
        #expect(try test.client.putJSON("/slos/plain", plain).status == 201)
        let other = #"{"metric":"other","percentile":"p99","threshold":100,"objective":99}"#
        #expect(try test.client.putJSON("/slos/other", other).status == 201)
        for (id, message) in [
            ("nope", #"slo: no SLO has the id "nope"."#),
            ("plain", #"slo: "plain" has no objective"#),
            ("other", #"slo: "other" watches "other", not "lat""#),
        ] {
            expectAPIError(
                try test.client.get("/metrics/lat/history?slo=\(id)"), status: 400, code: "invalid_request",
                message: message)
        }
    }
}
