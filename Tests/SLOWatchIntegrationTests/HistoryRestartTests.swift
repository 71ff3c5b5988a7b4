import Foundation
import TestCurlClient
import Testing

/// The history and the exact budget counts survive a restart through the binary (issue 16): after a
/// SIGTERM (the shutdown snapshot), after `kill -9` (the journal alone) and after `kill -9` with an
/// interval snapshot in between (snapshot plus journal). The ring holds 100 samples, so only a
/// restored history can answer for the other 10,600.
@Suite("History and budget counts across restarts", .serialized)
struct HistoryRestartTests {
    /// The samples, in time order, all older than the longest burn-rate window (3 days), so that no
    /// answer compared depends on the seconds between the two reads: 200 over 48 hours from 6 days ago
    /// (rolled up into the 1-hour tier), 8,000 over 4 hours from 3.98 days ago (the 1-minute tier), then
    /// 2,500 over 42 minutes from 3.8 days ago (the 10-second tier). Few slices each, since every new
    /// slice costs far more than a sample in a debug build.
    static func phases(now: Double) -> [[(value: Double, time: Double)]] {
        let day = 86_400_000.0
        func phase(_ count: Int, from start: Double, every step: Double, prime: Int, modulo: Int)
            -> [(value: Double, time: Double)]
        {
            (0..<count).map { index in
                (
                    value: Double((index * prime) % modulo) + 0.5,
                    time: now - start * day + Double(index) * step
                )
            }
        }
        return [
            phase(200, from: 6, every: 864_000, prime: 7_919, modulo: 300)
                + phase(8_000, from: 3.98, every: 1_800, prime: 104_729, modulo: 260),
            phase(2_500, from: 3.8, every: 1_000, prime: 15_485_863, modulo: 240),
        ]
    }

    /// The answers compared across the restart.
    static let paths = [
        "/metrics/lat", "/metrics/lat/history?range=7d&step=1d&q=0.5,0.9,0.99",
        "/metrics/lat/history?range=7d&step=1h&q=0.99&slo=occurrences",
        "/metrics/lat/history?range=7d&step=6h&q=0.5&slo=slices", "/slos/occurrences", "/slos/slices",
        "/metrics/lat/percentiles",
    ]

    @Test(
        "the history and the budget counts read the same after the restart",
        arguments: [(SIGTERM, false), (SIGKILL, false), (SIGKILL, true)])
    func restartKeepsHistoryAndCounts(signal: Int32, snapshotBetween: Bool) throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let arguments = [
            "--capacity", "100", "--check-interval", "200ms", "--snapshot-interval",
            snapshotBetween ? "1s" : "1h",
        ]
        let first = try DurableNode(directory: directory, arguments)
        defer { first.child.kill() }
        #expect(
            try first.send(
                "PUT", "/slos/occurrences",
                #"{"metric":"lat","percentile":"p99","threshold":100,"objective":99}"#) == 201)
        #expect(
            try first.send(
                "PUT", "/slos/slices",
                #"{"metric":"lat","percentile":"p95","threshold":200,"minSamples":1,"objective":99,"budgetingMethod":"Timeslices","period":"7d","slice":"1m"}"#
            ) == 201)
        let phases = Self.phases(now: (Date().timeIntervalSince1970 * 1000).rounded(.down))
        for (position, phase) in phases.enumerated() {
            for start in stride(from: 0, to: phase.count, by: 2_500) {
                let samples = phase[start..<min(start + 2_500, phase.count)].map {
                    #"{"metric":"lat","value":\#($0.value),"timestamp":\#(Int64($0.time))}"#
                }
                #expect(
                    try first.send("POST", "/samples", #"{"samples":[\#(samples.joined(separator: ","))]}"#)
                        == 200)
            }
            if position == 0, snapshotBetween { try Self.waitForSnapshot(in: directory) }
        }
        // The occurrences SLO's counts, against the test's own: good is at most 100 ms.
        let all = phases.joined()
        let good = all.filter { $0.value <= 100 }.count
        let budget = try Self.waitForBudget(first, total: all.count)
        #expect(budget?["good"] as? Int == good)
        #expect(budget?["bad"] as? Int == all.count - good)
        Self.waitUntilClearOfHourBoundary(seconds: 150)
        let before = try Self.paths.map { try Self.canonical(first.get($0).body) }

        first.child.send(signal)
        #expect(first.child.waitForExit(timeout: 30) != nil)
        let second = try DurableNode(directory: directory, arguments)
        defer { second.child.kill() }
        _ = try Self.waitForBudget(second, total: all.count)
        for (path, answer) in zip(Self.paths, before) {
            let after = try Self.canonical(second.get(path).body)
            #expect(after == answer, "\(path)\nbefore: \(answer)\nafter:  \(after)")
        }
        #expect(second.stopGracefully() == 0)
    }

    /// Waits (10 s at most) until the SLO `occurrences` has been checked with `total` events.
    static func waitForBudget(_ node: DurableNode, total: Int) throws -> [String: Any]? {
        let deadline = Date().addingTimeInterval(10)
        while true {
            let status = try node.json("/slos/occurrences")["status"] as? [String: Any]
            let budget = status?["budget"] as? [String: Any]
            if budget?["total"] as? Int == total || Date() > deadline { return budget }
            usleep(50_000)
        }
    }

    /// Waits (10 s at most) until the interval snapshot has been written.
    static func waitForSnapshot(in directory: String) throws {
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: "\(directory)/snapshot"), Date() < deadline {
            usleep(50_000)
        }
        #expect(FileManager.default.fileExists(atPath: "\(directory)/snapshot"))
    }

    /// `body` as JSON with sorted keys, without the members that say when it was read (`checkedAt`)
    /// or how the history's arrays grew (`bytes`, the memory its slices take), not what they hold.
    /// Waits, when the next whole UTC hour is less than `seconds` away, until just past it. The history
    /// answers are series of points aligned to their step (1 h, 6 h, 1 d) and ending at the current
    /// step: one read before the restart and one after, with an hour boundary between them, differ by a
    /// point though nothing was lost (a CI run under ThreadSanitizer once read them 16:00 apart). The
    /// reads before and after a restart take far less than `seconds`, even under ThreadSanitizer.
    static func waitUntilClearOfHourBoundary(seconds: Double) {
        let now = Date().timeIntervalSince1970
        let toNextHour = 3_600 - now.truncatingRemainder(dividingBy: 3_600)
        if toNextHour < seconds { Thread.sleep(forTimeInterval: toNextHour + 1) }
    }

    static func canonical(_ body: [UInt8]) throws -> String {
        func strip(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                return object.filter { $0.key != "checkedAt" && $0.key != "bytes" }.mapValues(strip)
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        let value = try JSONSerialization.jsonObject(with: Data(body))
        let data = try JSONSerialization.data(withJSONObject: strip(value), options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
