import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import SeededRandom
import Testing

@testable import SLOWatchService

/// Issue 16's oracle: percentiles over windows longer than the ring come from history, within the
/// stated error of an exact nearest rank over the same slice-aligned span; a window the ring covers
/// stays bit-exact. And `GET /metrics/{name}/history`.
@Suite("Percentiles over any window, from history")
struct HistoryPercentilesTests {
    static let day = 86_400_000.0

    /// 1,000,000 samples over 3 days before `now`, 250,000 for each of four metrics (log-normal,
    /// bimodal, Pareto tail, constant), recorded in batches of 10,000 through the registry; each metric
    /// keeps 100 samples in its ring, so windows of an hour and more reach past it.
    static func populate(_ service: SLOWatchService, now: Double) throws -> [String: [(Double, Double)]] {
        var random = SplitMix64(seed: 1_600)
        func normal() -> Double {
            let u = Double.random(in: Double.ulpOfOne..<1, using: &random)
            return sqrt(-2 * log(u)) * cos(2 * .pi * Double.random(in: 0..<1, using: &random))
        }
        var all: [String: [(Double, Double)]] = [:]
        let perMetric = 250_000
        for name in ["lognormal", "bimodal", "pareto", "constant"] {
            _ = try service.registry.upsert(MetricDefinition(name: name, capacity: 100))
            let handle = try service.registry.handle(for: name)
            var samples: [(Double, Double)] = []
            samples.reserveCapacity(perMetric)
            for index in 0..<perMetric {
                let time = (now - 3 * day + Double(index) * 3 * day / Double(perMetric)).rounded(.down)
                let value: Double =
                    switch name {
                    case "lognormal": exp(3 + 1.1 * normal())
                    case "bimodal":
                        Bool.random(using: &random) ? exp(1 + 0.2 * normal()) : exp(5 + 0.3 * normal())
                    case "pareto": 1 / pow(Double.random(in: Double.ulpOfOne..<1, using: &random), 1 / 1.5)
                    default: 42.125
                    }
                samples.append((time, value))
            }
            for start in stride(from: 0, to: perMetric, by: 10_000) {
                let batch = samples[start..<min(perMetric, start + 10_000)].map {
                    RecentSample(value: $0.1, timestamp: $0.0)
                }
                try batch.withUnsafeBufferPointer { try service.registry.record(handle, samples: $0) }
            }
            all[name] = samples
        }
        return all
    }

    /// The values of the samples at or after `from` (ms), ascending: the exact oracle's input. The
    /// samples are in time order, so the span is a suffix found by binary search, and it is sorted by
    /// the C library's `qsort` (optimised code, where a debug build's generic `sort` took seconds).
    static func sortedValues(_ samples: [(Double, Double)], from: Double) -> [Double] {
        let first = samples.partitionPoint { $0.0 >= from }
        var values = samples[first...].map(\.1)
        values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            qsort(UnsafeMutableRawPointer(base), buffer.count, MemoryLayout<Double>.stride) {
                (left: UnsafeRawPointer?, right: UnsafeRawPointer?) -> Int32 in
                guard let left, let right else { return 0 }
                let (a, b) = (left.load(as: Double.self), right.load(as: Double.self))
                return a < b ? -1 : (a > b ? 1 : 0)
            }
        }
        return values
    }

    @Test(
        "1h, 1d and 3d windows from history are within 0.55 % of the exact nearest rank; the ring stays exact",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer")
    )
    func oracle() throws {
        let clock = ManualClock()
        let test = try InProcessService(wallClock: clock)
        let now = clock.nowMilliseconds()
        let samples = try Self.populate(test.service, now: now)
        let qs = [0.5, 0.9, 0.99, 0.999]
        for (name, metricSamples) in samples.sorted(by: { $0.key < $1.key }) {
            for window in ["3600s", "86400s", "259200s"] {
                let response = try test.client.get(
                    "/metrics/\(name)/percentiles?q=0.5,0.9,0.99,0.999&window=\(window)")
                #expect(response.status == 200)
                let json = try response.json()
                #expect(json["exact"] as? Bool == false, "\(name) \(window)")
                #expect((json["relativeError"] as? Double ?? 1) < 0.0055, "\(name) \(window)")
                let from = json["from"] as? Double ?? .nan
                let sorted = Self.sortedValues(metricSamples, from: from)
                #expect(json["count"] as? Int == sorted.count, "\(name) \(window)")
                let quantiles = json["quantiles"] as? [String: Double] ?? [:]
                for q in qs {
                    let exact = sorted[QuantileSelection.rank(of: q, count: sorted.count) - 1]
                    let answer = quantiles[String(q)] ?? .nan
                    #expect(abs(answer - exact) <= 0.0055 * abs(exact), "\(name) \(window) q=\(q)")
                }
            }
            // 30 s holds about 29 samples, all still in the 100-sample ring: exact, bit for bit.
            let recentResponse = try test.client.get("/metrics/\(name)/percentiles?q=0.5,0.99&window=30s")
            let recent = try recentResponse.json()
            #expect(recent["exact"] as? Bool == true)
            #expect(recent["relativeError"] == nil)
            // The window holds exactly the samples from the oldest one used on.
            let oldestUsed = recent["from"] as? Double ?? .nan
            let inWindow = metricSamples.filter { $0.0 >= oldestUsed }.map(\.1).sorted()
            #expect(recent["count"] as? Int == inWindow.count)
            // Bit for bit: compared as the shortest decimals both sides write (Foundation's JSON parser
            // may round the last bit).
            for q in [0.5, 0.99] {
                let expected = inWindow[QuantileSelection.rank(of: q, count: inWindow.count) - 1]
                #expect(recentResponse.bodyText.contains(#""\#(q)":\#(expected)"#), "\(name) q=\(q)")
            }
        }

        // The history route: one point a minute over the last hour, counts adding up to the samples.
        let history = try test.client.get("/metrics/lognormal/history?range=1h&step=1m&q=0.5,0.99").json()
        #expect(history["step"] as? Int == 60_000)
        let points = history["points"] as? [[String: Any]] ?? []
        #expect(points.count == 61)
        let start = points.first?["t"] as? Double ?? .nan
        let total = points.reduce(0) { $0 + ($1["count"] as? Int ?? 0) }
        #expect(total == samples["lognormal"]?.filter { $0.0 >= start }.count)
        #expect(points.first?.keys.sorted() == ["count", "max", "mean", "min", "quantiles", "t"])
    }

    @Test("the history route rounds a step off the tier's slice up, widens one that asks too many points")
    func historyRouteSteps() throws {
        let clock = ManualClock()
        let test = try InProcessService(wallClock: clock)
        _ = try test.client.postJSON("/samples", #"{"metric":"lat","value":5}"#)
        // 7 s is not a multiple of the 10 s slice: 10 s is used, and said.
        let offSlice = try test.client.get("/metrics/lat/history?range=1h&step=7s&q=0.5")
        #expect(offSlice.status == 200)
        #expect(offSlice.bodyText.hasPrefix(#"{"metric":"lat","unit":"ms","step":10000,"#))
        // A range that starts in the hour tier: 1 min becomes 1 h.
        let coarse = try test.client.get("/metrics/lat/history?range=259200s&step=1m").json()
        #expect(coarse["step"] as? Int == 3_600_000)
        #expect((coarse["points"] as? [Any])?.count == 73)
        // 2,401 hourly points: the step doubles to 2 h, 1,201 points.
        let tooMany = try test.client.get("/metrics/lat/history?range=8640000s&step=1h").json()
        #expect(tooMany["step"] as? Int == 7_200_000)
        #expect(((tooMany["points"] as? [Any])?.count ?? 0) <= 2_000)
        // What cannot be a duration is still a 400 naming the parameter.
        let bad = try test.client.get("/metrics/lat/history?step=soon")
        #expect(bad.status == 400 && bad.errorMessage?.hasPrefix("step:") == true)
        let unknown = try test.client.get("/metrics/nope/history")
        #expect(unknown.status == 404)
        // The README's worked example, byte for byte.
        let empty = try test.client.get("/metrics/lat/history?range=2m&step=1m&q=0.5")
        #expect(
            empty.bodyText
                == #"{"metric":"lat","unit":"ms","step":60000,"points":["#
                + #"{"t":1764393480000,"count":0,"min":null,"max":null,"mean":null,"quantiles":{"0.5":null}},"#
                + #"{"t":1764393540000,"count":0,"min":null,"max":null,"mean":null,"quantiles":{"0.5":null}},"#
                + #"{"t":1764393600000,"count":1,"min":5,"max":5,"mean":5,"quantiles":{"0.5":5}}]}"#)
    }
}
