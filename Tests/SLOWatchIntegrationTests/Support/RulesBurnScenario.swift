import Foundation
import SLOWatchCore
import SLOWatchCoreTesting

/// One traffic plan run through slowatch's own evaluation (a real ``MetricsRegistry`` counting the
/// error-budget SLO `api` at ingest and a real ``SLOMonitor`` checking it once a simulated minute on a
/// ``ManualClock``), remembering which tiers fire after each check, so that the same traffic can be
/// given to Prometheus as `slowatch_slo_events_total` series and the two compared minute by minute.
///
/// Minute `j` (from 0, prefill included) gets ``volume`` samples in its middle, the first `bad` of them
/// at 1,000 ms and the rest at 100 ms (threshold 250 ms, objective 99 %, so k bad samples a minute burn
/// at k); the check ending minute `j` runs at `(j + 1)` minutes. Prometheus sees the counters a scrape
/// at that moment would read: the sum of minutes `0..<j + 1`, split over two nodes.
final class RulesBurnScenario {
    /// Samples per simulated minute.
    static let volume = 100
    /// Of each minute's samples, how many the first node takes (the bad ones first); the second takes
    /// the rest, so the sum over both nodes is the traffic slowatch judged.
    static let firstNodeShare = 60
    /// The SLO the scenario runs, as a configuration file gives it.
    static let configuration = """
        slos:
          - {id: api, metric: m, percentile: p99, threshold: 250, objective: 99}
        """

    private let clock = ManualClock(startMilliseconds: 1_764_392_400_000)
    private let registry: MetricsRegistry
    private let monitor: SLOMonitor
    private let handle: MetricHandle
    /// Minutes without checks before the traffic under test (3 days, the longest window).
    let prefillMinutes: Int
    /// Bad samples of each minute, prefill included.
    private(set) var badPerMinute: [Int] = []
    /// The firing tiers after each check, by minute from the end of the prefill (index `m` is the
    /// check ending minute `prefill + m`), in the SLO's tier order.
    private(set) var firing: [[String]] = []

    /// Builds the registry and monitor and records the good prefill.
    init(prefillMinutes: Int = 4_320) throws {
        registry = MetricsRegistry(
            configuration: .init(defaultCapacity: 200), wallClock: clock, monotonicClock: clock)
        let slo = try SLODefinition(
            id: "api", metric: "m", percentile: "p99", threshold: 250,
            budget: SLOBudget(slo: "api", objective: 99))
        monitor = try SLOMonitor(
            registry: registry, slos: [slo], monotonicClock: clock, budgetSource: registry)
        handle = try registry.handle(for: "m")
        self.prefillMinutes = prefillMinutes
        for _ in 0..<prefillMinutes { try step(bad: 0, checking: false) }
    }

    /// Runs `minutes` checked minutes, minute `k` of them with `bad(k)` bad samples.
    func run(minutes: Int, bad: (Int) -> Int) throws {
        for k in 0..<minutes { try step(bad: bad(k), checking: true) }
    }

    private func step(bad: Int, checking: Bool) throws {
        clock.advance(by: .seconds(30))
        let now = clock.nowMilliseconds()
        let samples = (0..<Self.volume).map { RecentSample(value: $0 < bad ? 1_000 : 100, timestamp: now) }
        try samples.withUnsafeBufferPointer { buffer throws(MetricsError) in
            try registry.record(handle, samples: buffer)
        }
        clock.advance(by: .seconds(30))
        badPerMinute.append(bad)
        guard checking else { return }
        _ = monitor.checkAll()
        let states = monitor.status(id: "api")?.budget?.alerts ?? []
        firing.append(states.filter(\.firing).map(\.tier.name))
    }

    /// `minute: alert|resolved tier` for each change of a tier's firing state, minutes from the end of
    /// the prefill (the check ending minute `prefill + m` is minute `m`).
    var transitions: [String] {
        var previous: [String] = []
        var out: [String] = []
        for (minute, now) in firing.enumerated() {
            out += now.filter { !previous.contains($0) }.map { "\(minute): alert \($0)" }
            out += previous.filter { !now.contains($0) }.map { "\(minute): resolved \($0)" }
            previous = now
        }
        return out
    }

    /// `slowatch_slo_events_total{result}` of node `node` (0 or 1) at each minute from 0 to the last
    /// check: the value at index `i` counts minutes `0..<i`.
    func counter(node: Int, bad isBad: Bool) -> [Int] {
        var values = [0]
        for bad in badPerMinute {
            let firstBad = min(bad, Self.firstNodeShare)
            let count: Int
            switch (node, isBad) {
            case (0, true): count = firstBad
            case (0, false): count = Self.firstNodeShare - firstBad
            case (_, true): count = bad - firstBad
            case (_, false): count = Self.volume - Self.firstNodeShare - (bad - firstBad)
            }
            values.append(values[values.count - 1] + count)
        }
        return values
    }

    /// `values` in promtool's expanding notation: runs with a constant step as `a+bxn` (n + 1 values).
    static func seriesNotation(_ values: [Int]) -> String {
        var tokens: [String] = []
        var start = 0
        while start < values.count {
            var end = start
            if start + 1 < values.count {
                let step = values[start + 1] - values[start]
                end = start + 1
                while end + 1 < values.count, values[end + 1] - values[end] == step { end += 1 }
                if step < 0 { end = start }
            }
            tokens.append(
                end == start
                    ? "\(values[start])"
                    : "\(values[start])+\(values[start + 1] - values[start])x\(end - start)")
            start = end + 1
        }
        return tokens.joined(separator: " ")
    }
}
