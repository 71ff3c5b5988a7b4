import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import SeededRandom
import TestCurlClient
import Testing

@testable import SLOWatchService

/// `GET /metrics/{name}/percentiles` with `q=` or `window=` answers from the metric's bounded cache of
/// recent queries, byte for byte as a fresh computation would, across writes, edits, resizes,
/// deletions and clock moves.
@Suite("Percentiles: the cache of q= and window= answers")
struct PercentileQueryCacheTests {
    /// The wall time the tests start at, ms since the epoch.
    static let now = 1_764_393_600_000.0

    /// The queries asked: repeats, orders, windows in different spellings, and both together.
    static let queries = [
        "q=0.75", "q=0.9,0.5", "q=0.5,0.9", "q=0.5&q=0.9,0.5", "q=0.25,0.001,1,0", "window=1s",
        "window=1000ms", "window=2500ms", "window=10s", "window=1ms", "q=0.75&window=1s",
        "q=0.99,0.25&window=2500ms", "q=0.5&window=1s", "window=1h",
    ]

    /// What a fresh computation answers to `query` on `metric`: the registry's percentiles computed
    /// without the cache, written as the route writes them; nil when the metric is unknown.
    static func freshBody(_ service: SLOWatchService, metric: String, query: String) throws -> [UInt8]? {
        guard let unit = service.registry.summary(for: metric)?.definition.unit else { return nil }
        var asked: [QueryText.Quantile] = []
        var window: Double?
        for item in query.split(separator: "&") {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            if parts[0] == "q" {
                for quantile in try QueryText.quantiles(parts[1]) where !asked.contains(quantile) {
                    asked.append(quantile)
                }
            } else {
                window = try QueryText.window(parts[1])
            }
        }
        let summary = try service.registry.freshPercentiles(
            for: metric, quantiles: asked.map(\.value), windowMilliseconds: window)
        var json = JSONWriter(capacity: 512)
        summary.writeJSON(metric: metric, unit: unit, asked: asked, to: &json)
        return json.bytes
    }

    @Test("cached answers equal fresh ones across records, edits, resizes, deletions and clock moves")
    func cachedEqualsFresh() throws {
        var random = SplitMix64(seed: 0xCAC4E_2026)
        let clock = ManualClock(startMilliseconds: Self.now)
        let test = try InProcessService(wallClock: clock)
        let client = test.client
        var kept = 0
        for step in 0..<400 {
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<4:
                let count = Int.random(in: 1...12, using: &random)
                let samples = (0..<count).map { _ in
                    (
                        metric: "m", value: Double(Int.random(in: -50...500, using: &random)) / 4,
                        timestamp: Optional(
                            clock.nowMilliseconds() - Double(Int.random(in: 0..<12_000, using: &random)) / 4)
                    )
                }
                #expect(try client.postJSON("/samples", SampleJSON.batch(samples)).status == 200)
            case 4..<7:
                let microseconds = Int64.random(in: 0..<1_500_000, using: &random)
                clock.advance(by: .microseconds(microseconds))
            case 7:
                let unit = Bool.random(using: &random) ? "s" : "ms"
                _ = try client.putJSON("/metrics/m", #"{"unit":"\#(unit)"}"#)
            case 8:
                let capacity = Int.random(in: 3...40, using: &random)
                _ = try client.putJSON("/metrics/m", #"{"capacity":\#(capacity)}"#)
            default:
                if Int.random(in: 0..<4, using: &random) == 0 { _ = try client.delete("/metrics/m") }
            }
            for _ in 0..<3 {
                let query = Self.queries[Int.random(in: 0..<Self.queries.count, using: &random)]
                let first = try client.get("/metrics/m/percentiles?\(query)")
                let again = try client.get("/metrics/m/percentiles?\(query)")
                guard let fresh = try Self.freshBody(test.service, metric: "m", query: query) else {
                    #expect(first.status == 404)
                    continue
                }
                #expect(first.body == fresh, "step \(step), \(query): \(first.bodyText)")
                #expect(again.body == fresh, "step \(step), \(query), asked again: \(again.bodyText)")
                if (test.service.registry.keptQueryAnswers(for: "m") ?? 0) > 0 { kept += 1 }
            }
        }
        #expect(kept > 100, "the cache held answers after \(kept) of the queries")
    }

    @Test("one entry per canonical query: order, repeats and the window's spelling do not matter")
    func canonicalKeys() throws {
        let test = try InProcessService(wallClock: ManualClock(startMilliseconds: Self.now))
        let samples = (1...100).map {
            (metric: "k", value: Double($0), timestamp: Optional(Self.now - Double($0)))
        }
        #expect(try test.client.postJSON("/samples", SampleJSON.batch(samples)).status == 200)
        for query in ["q=0.8,0.25", "q=0.25,0.8", "q=0.25&q=0.8,0.250", "q=0.8,0.25,0.8"] {
            #expect(try test.client.get("/metrics/k/percentiles?\(query)").status == 200)
        }
        #expect(test.service.registry.keptQueryAnswers(for: "k") == 1)
        for query in ["window=1s", "window=1000ms", "window=1s&q=0.5,0.9", "window=1000ms&q=0.9,0.5"] {
            #expect(try test.client.get("/metrics/k/percentiles?\(query)").status == 200)
        }
        #expect(test.service.registry.keptQueryAnswers(for: "k") == 3)
        // The plain answer has its own cache and takes no entry.
        #expect(try test.client.get("/metrics/k/percentiles").status == 200)
        #expect(test.service.registry.keptQueryAnswers(for: "k") == 3)
    }

    @Test("at most 8 answers are kept per metric, and a write empties them")
    func boundedAndInvalidated() throws {
        let test = try InProcessService(wallClock: ManualClock(startMilliseconds: Self.now))
        let samples = (1...50).map {
            (metric: "b", value: Double($0), timestamp: Optional(Self.now - Double($0)))
        }
        #expect(try test.client.postJSON("/samples", SampleJSON.batch(samples)).status == 200)
        for index in 1...12 {
            #expect(try test.client.get("/metrics/b/percentiles?q=0.0\(index)1").status == 200)
            #expect(test.service.registry.keptQueryAnswers(for: "b") == min(index, 8))
        }
        let one = SampleJSON.batch([(metric: "b", value: 7, timestamp: Optional(Self.now))])
        #expect(try test.client.postJSON("/samples", one).status == 200)
        #expect(try test.client.get("/metrics/b/percentiles?q=0.3&window=1h").status == 200)
        #expect(test.service.registry.keptQueryAnswers(for: "b") == 1, "the stale answers went")
    }

    @Test("a windowed answer is reused while the window keeps the same samples, and not once one leaves")
    func windowFollowsTheClock() throws {
        let clock = ManualClock(startMilliseconds: Self.now)
        let test = try InProcessService(wallClock: clock)
        let samples = [
            (metric: "w", value: 1.0, timestamp: Optional(Self.now - 900)),
            (metric: "w", value: 2.0, timestamp: Optional(Self.now - 100)),
        ]
        #expect(try test.client.postJSON("/samples", SampleJSON.batch(samples)).status == 200)
        let url = "/metrics/w/percentiles?window=1s"
        #expect(try test.client.get(url).json()["count"] as? Int == 2)
        clock.advance(by: .milliseconds(99))
        #expect(try test.client.get(url).json()["count"] as? Int == 2)
        clock.advance(by: .milliseconds(2))
        #expect(try test.client.get(url).json()["count"] as? Int == 1, "the sample 900 ms old left")
        clock.advance(by: .milliseconds(798))
        #expect(try test.client.get(url).json()["count"] as? Int == 1)
        clock.advance(by: .milliseconds(2))
        #expect(try test.client.get(url).json()["count"] as? Int == 0)
    }
}
