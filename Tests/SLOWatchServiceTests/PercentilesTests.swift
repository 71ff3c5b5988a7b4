import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import SeededRandom
import TestCurlClient
import Testing

@Suite("GET /metrics/{name}/percentiles")
struct PercentilesTests {
    /// The wall time of every test here, ms since the epoch.
    static let now = 1_764_393_600_000.0

    @Test("fields come in the documented order, with extra quantiles keyed by their shortest decimal")
    func fieldOrderAndKeys() throws {
        let service = try InProcessService(wallClock: ManualClock(startMilliseconds: Self.now))
        defer { service.stop() }
        let client = service.client
        let samples = (1...10).map { ("order", Double($0), Self.now - 1_000 + Double($0)) }
        #expect(try client.postJSON(service.url("/samples"), SampleJSON.batch(samples)).status == 200)
        let response = try client.get(
            service.url("/metrics/order/percentiles?q=0.750,1.0,0,0.25,0.75,0.00001"))
        #expect(response.status == 200)
        #expect(
            response.bodyText
                == #"{"metric":"order","unit":"ms","count":10,"min":1,"max":10,"mean":5.5,"p50":5,"p90":9,"#
                + #""p95":10,"p99":10,"p999":10,"from":1764393599001,"to":1764393599010,"exact":true,"#
                + #""quantiles":{"0.75":8,"1":10,"0":1,"0.25":3,"0.00001":1}}"#)
        let plain = try client.get(service.url("/metrics/order/percentiles"))
        #expect(!plain.bodyText.contains("quantiles"))
    }

    @Test("the cached default answer follows every write and every redefinition")
    func cachedAnswerFollowsWrites() throws {
        let service = try InProcessService(wallClock: ManualClock(startMilliseconds: Self.now))
        defer { service.stop() }
        let client = service.client
        let url = service.url("/metrics/fresh/percentiles")
        for round in 1...5 {
            #expect(
                try client.postJSON(
                    service.url("/samples"), SampleJSON.batch([("fresh", Double(round), Self.now)])
                ).status == 200)
            let first = try client.get(url).json()
            let again = try client.get(url).json()
            #expect(first["count"] as? Int == round)
            #expect(first["max"] as? Double == Double(round))
            #expect(again["count"] as? Int == round)
        }
        #expect(try client.putJSON(service.url("/metrics/fresh"), #"{"unit":"s"}"#).status == 200)
        #expect(try client.get(url).json()["unit"] as? String == "s")
        #expect(try client.delete(service.url("/metrics/fresh")).status == 204)
        #expect(try client.get(url).status == 404)
    }

    @Test("with no sample in the window, count is 0 and every statistic is null")
    func emptyWindow() throws {
        let service = try InProcessService(wallClock: ManualClock(startMilliseconds: Self.now))
        defer { service.stop() }
        let client = service.client
        let old = SampleJSON.batch([("idle", 5, Self.now - 120_000)])
        #expect(try client.postJSON(service.url("/samples"), old).status == 200)
        let response = try client.get(service.url("/metrics/idle/percentiles?window=1m&q=0.5,0.8"))
        #expect(response.status == 200)
        #expect(
            response.bodyText
                == #"{"metric":"idle","unit":"ms","count":0,"min":null,"max":null,"mean":null,"p50":null,"#
                + #""p90":null,"p95":null,"p99":null,"p999":null,"from":null,"to":null,"exact":true,"#
                + #""quantiles":{"0.5":null,"0.8":null}}"#)
        #expect(try client.putJSON(service.url("/metrics/never"), #"{"unit":"fps"}"#).status == 201)
        let never = try client.get(service.url("/metrics/never/percentiles")).json()
        #expect(never["count"] as? Int == 0)
        #expect(never["unit"] as? String == "fps")
        #expect(never["p50"] is NSNull)
    }

    @Test("an unknown metric is 404 metric_not_found")
    func unknownMetric() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let response = try service.client.get(service.url("/metrics/ghost/percentiles?q=0.5"))
        expectAPIError(response, status: 404, code: "metric_not_found", message: "'ghost'")
    }

    @Test(
        "a bad q or window is a 400 naming the parameter, the value and the rule",
        arguments: [
            ("q=1.5", #"q: "1.5" is not a quantile: write decimals between 0 and 1"#),
            ("q=-0.1", #"q: "-0.1" is not a quantile"#),
            ("q=abc", #"q: "abc" is not a quantile"#),
            ("q=0.5,,0.9", #"q: "" is not a quantile"#),
            ("q=", #"q: "" is not a quantile"#),
            ("q=1e-3", #"q: "1e-3" is not a quantile"#),
            ("q=.5", #"q: ".5" is not a quantile"#),
            ("q=nan", #"q: "nan" is not a quantile"#),
            ("q=0.5%200.9", #"q: "0.5 0.9" is not a quantile"#),
            // 41 characters: one over the length of a quantile item.
            (
                "q=0.000000000000000000000000000000000000001",
                #"q: "0.000000000000000000000000000000000000001" is not a quantile"#
            ),
            (
                "q=" + Array(repeating: "0.5", count: 101).joined(separator: ","),
                "q: asks for 101 quantiles, more than the limit of 100."
            ),
            (
                "window=5x",
                #"window: "5x" is not a duration: write a positive number followed by ms, s, m, h or d"#
            ),
            ("window=0s", #"window: "0s" is not a duration"#),
            ("window=-5m", #"window: "-5m" is not a duration"#),
            ("window=", #"window: "" is not a duration"#),
            ("window=5", #"window: "5" is not a duration"#),
        ])
    func badQuery(query: String, message: String) throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        #expect(try client.postJSON(service.url("/samples"), #"{"metric":"m","value":1}"#).status == 200)
        let response = try client.get(service.url("/metrics/m/percentiles?\(query)"))
        expectAPIError(response, status: 400, code: "invalid_request", message: message)
    }

    @Test("percentiles equal a sort-based nearest-rank reference for seeded data, windows and q")
    func matchesReference() throws {
        let service = try InProcessService(wallClock: ManualClock(startMilliseconds: Self.now))
        defer { service.stop() }
        let client = service.client
        var random = SplitMix64(seed: 0x9E2C_E4_7173)
        // Under ThreadSanitizer 8 trials (every value shape) keep the requests over the socket.
        for trial in 0..<(ThreadSanitizerRun.isActive ? 8 : 24) {
            let metric = "ref.t\(trial)"
            let count = Int.random(in: 1...1_500, using: &random)
            let samples = (0..<count).map { _ in Self.randomSample(trial: trial, using: &random) }
            let body = SampleJSON.batch(samples.map { (metric, $0.value, $0.timestamp) })
            #expect(try client.postJSON(service.url("/samples"), body).status == 200)
            for _ in 0..<4 {
                let window = Self.randomWindow(using: &random)
                let thousandths = (0..<Int.random(in: 0...4, using: &random)).map { _ in
                    Int.random(in: 0...1_000, using: &random)
                }
                var query = window.map { ["window=\($0.text)"] } ?? []
                if !thousandths.isEmpty {
                    query.append("q=" + thousandths.map(Self.threeDecimals).joined(separator: ","))
                }
                let path =
                    "/metrics/\(metric)/percentiles"
                    + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
                let response = try client.get(service.url(path))
                #expect(response.status == 200, "\(path): \(response.bodyText)")
                let used = samples.filter { sample in
                    window.map { sample.timestamp >= Self.now - $0.milliseconds } ?? true
                }
                try Self.check(response.body, against: used, thousandths: thousandths, context: path)
            }
        }
    }

    /// A sample of trial `trial`: continuous values, heavy duplicates or negative values, by trial.
    private static func randomSample(trial: Int, using random: inout SplitMix64) -> (
        value: Double, timestamp: Double
    ) {
        let value: Double
        switch trial % 3 {
        case 0: value = Double(Int.random(in: 0...5_000_000, using: &random)) / 1_000
        case 1: value = Double(Int.random(in: 0...7, using: &random) * 10)
        default: value = Double(Int.random(in: -1_000_000...1_000_000, using: &random)) / 7
        }
        return (value, now - Double(Int.random(in: 0...600_000, using: &random)))
    }

    /// No window (a quarter of the time) or a random one, written in ms, s or m.
    private static func randomWindow(using random: inout SplitMix64) -> (text: String, milliseconds: Double)?
    {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return nil
        case 1:
            let ms = Int.random(in: 1...700_000, using: &random)
            return ("\(ms)ms", Double(ms))
        case 2:
            let seconds = Int.random(in: 1...700, using: &random)
            return ("\(seconds)s", Double(seconds) * 1_000)
        default:
            let minutes = Int.random(in: 1...11, using: &random)
            return ("\(minutes)m", Double(minutes) * 60_000)
        }
    }

    /// `k/1000` written with three decimals, as a client might: `0.250`, `1.000`.
    private static func threeDecimals(_ thousandths: Int) -> String {
        let fraction = String(thousandths % 1_000)
        return "\(thousandths / 1_000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// The canonical key of `k/1000`: trailing zeros and a bare point removed (`0.25`, `1`, `0`).
    private static func key(_ thousandths: Int) -> String {
        var text = threeDecimals(thousandths)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// The ⌈k·n/1000⌉-th smallest of `sorted` (the minimum for k = 0), in exact integer arithmetic.
    private static func nearestRank(_ thousandths: Int, _ sorted: [Double]) -> Double {
        let rank = max(1, (thousandths * sorted.count + 999) / 1_000)
        return sorted[rank - 1]
    }

    /// An answer, decoded with `JSONDecoder` (whose number parsing is correctly rounded; Linux
    /// `JSONSerialization` can be one ulp off).
    private struct Answer: Decodable {
        var count: Int
        var min, max, mean, p50, p90, p95, p99, p999, from, to: Double?
        var quantiles: [String: Double?]?
    }

    /// Compares an answer with the reference computed by sorting `used`.
    private static func check(
        _ body: [UInt8], against used: [(value: Double, timestamp: Double)], thousandths: [Int],
        context: String
    ) throws {
        let answer = try JSONDecoder().decode(Answer.self, from: Data(body))
        let sorted = used.map(\.value).sorted()
        #expect(answer.count == sorted.count, "\(context)")
        let rank = { (k: Int) in sorted.isEmpty ? nil : nearestRank(k, sorted) }
        let expected: [(String, Double?, Double?)] = [
            ("min", answer.min, sorted.first), ("max", answer.max, sorted.last),
            ("p50", answer.p50, rank(500)), ("p90", answer.p90, rank(900)), ("p95", answer.p95, rank(950)),
            ("p99", answer.p99, rank(990)), ("p999", answer.p999, rank(999)),
            ("from", answer.from, used.map(\.timestamp).min()),
            ("to", answer.to, used.map(\.timestamp).max()),
        ]
        for (key, answered, reference) in expected {
            #expect(answered == reference, "\(context): \(key)")
        }
        if sorted.isEmpty {
            #expect(answer.mean == nil, "\(context): mean")
        } else {
            let mean = sorted.reduce(0, +) / Double(sorted.count)
            let answered = answer.mean ?? .nan
            #expect(
                abs(answered - mean) <= 1e-9 * Swift.max(1, abs(mean)),
                "\(context): mean \(answered) vs \(mean)")
        }
        guard !thousandths.isEmpty else {
            #expect(answer.quantiles == nil, "\(context)")
            return
        }
        let quantiles = answer.quantiles ?? [:]
        #expect(quantiles.count == Set(thousandths).count, "\(context): \(quantiles)")
        for k in thousandths {
            #expect(quantiles[key(k)] == .some(rank(k)), "\(context): q \(key(k))")
        }
    }
}
