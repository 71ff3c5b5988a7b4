import Dispatch
import Foundation
import SLOWatchCoreTesting
import SLOWatchSync
import TestCurlClient
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kill -9` at random moments of a mixed load loses nothing acknowledged: the journal holds every
/// answered change before it is answered.
///
/// Each round runs for `SLOWATCH_KILL_LOAD_SECONDS` (default 12 s: five rounds make the issue's 60 s
/// of load, killed at a random moment of each) with interval snapshots every second, so the kill lands
/// before, during or after a snapshot.
@Suite("Journal: kill -9 under mixed load", .serialized)
struct JournalKillTests {
    /// How long each round's load runs, in seconds: 4 s under ThreadSanitizer (still four interval
    /// snapshots a round for the kill to land around), where five 12 s rounds took most of the load part.
    static let loadSeconds =
        Double(ProcessInfo.processInfo.environment["SLOWATCH_KILL_LOAD_SECONDS"] ?? "")
        ?? (ThreadSanitizerRun.isActive ? 4 : 12)

    /// What the clients had acknowledged (or seen applied) before the kill.
    final class Ledger: Sendable {
        /// metric → values answered 200, and values sent but not answered.
        let samples = PThreadLock([String: (acked: Set<Int>, pending: Set<Int>)]())
        /// SLO id → acknowledged threshold (version), and the version in flight.
        let slos = PThreadLock([String: (acked: Int?, pending: Int?)]())
        /// Metric → acknowledged capacity, and the capacity in flight.
        let definitions = PThreadLock([String: (acked: Int?, pending: Int?)]())
        /// The StatsD metric's count seen through the API (applied, so journaled).
        let statsdSeen = PThreadLock(0)
        let statsdSent = PThreadLock(0)

        /// Marks `values` of `metric` as sent, runs `send`, and moves them to acknowledged if it
        /// returns `true` (answered 200); otherwise they stay pending (may or may not be journaled).
        /// - Returns: what `send` returned.
        func send(_ values: [Int], of metric: String, _ send: () -> Bool) -> Bool {
            samples.withLock { $0[metric, default: ([], [])].pending.formUnion(values) }
            guard send() else { return false }
            samples.withLock {
                $0[metric]?.acked.formUnion(values)
                $0[metric]?.pending.subtract(values)
            }
            return true
        }
    }

    @Test("5 rounds of kill -9 during batches, single samples, StatsD over TCP, SLO and metric PUTs")
    func killDuringMixedLoad() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ledger = Ledger()
        let arguments = [
            "--check-interval", "1h", "--snapshot-interval", "1s", "--statsd", "127.0.0.1:0", "--capacity",
            "20000",
        ]
        for round in 0..<5 {
            let node = try DurableNode(directory: directory, arguments)
            defer { node.child.kill() }
            #expect(
                !node.child.standardError.contains("damaged"), "round \(round): \(node.child.standardError)")
            try Self.verify(ledger, node: node, round: round)
            let statsd = try #require(Self.statsdPort(node.child), "\(node.child.standardError)")
            let stop = PThreadLock(false)
            let workers = DispatchGroup()
            Self.postBatches(node, ledger, round: round, stop: stop, group: workers)
            Self.postSingles(node, ledger, round: round, stop: stop, group: workers)
            Self.putDefinitions(node, ledger, round: round, stop: stop, group: workers)
            Self.sendStatsD(node, statsd: statsd, ledger, stop: stop, group: workers)
            // A random moment in the second half of the load.
            usleep(UInt32((Self.loadSeconds * (0.5 + Double.random(in: 0..<0.5))) * 1e6))
            node.child.send(SIGKILL)
            _ = node.child.waitForExit(timeout: 10)
            stop.withLock { $0 = true }
            #expect(workers.wait(timeout: .now() + 30) == .success)
        }
        let last = try DurableNode(directory: directory, arguments)
        defer { last.child.kill() }
        try Self.verify(ledger, node: last, round: 5)
        let samples = ledger.samples.withLock { $0.values.reduce(0) { $0 + $1.acked.count } }
        #expect(samples > 1_000, "a load, not a few samples: \(samples)")
        #expect(last.stopGracefully() == 0)
    }

    /// Checks that everything the ledger holds as acknowledged is back, and nothing else.
    static func verify(_ ledger: Ledger, node: DurableNode, round: Int) throws {
        for (metric, entry) in ledger.samples.withLock({ $0 }) {
            let answer = try node.json("/metrics/\(metric)/samples?limit=10000")
            let values = Set(
                ((answer["samples"] as? [[String: Any]]) ?? []).compactMap {
                    ($0["value"] as? Double).map(Int.init)
                })
            #expect(
                entry.acked.isSubset(of: values),
                "round \(round), \(metric): \(entry.acked.subtracting(values).count) acknowledged samples lost"
            )
            #expect(
                values.isSubset(of: entry.acked.union(entry.pending)),
                "round \(round), \(metric): samples never sent")
            // What was in flight is now settled: kept or not, it counts as acknowledged from here on.
            ledger.samples.withLock { $0[metric] = (values, []) }
        }
        for (id, entry) in ledger.slos.withLock({ $0 }) {
            let threshold = (try? node.json("/slos/\(id)"))?["threshold"] as? Double
            let allowed = [entry.acked, entry.pending].compactMap { $0 }
            #expect(
                threshold.map { allowed.contains(Int($0)) } ?? (entry.acked == nil),
                "round \(round), SLO \(id): \(String(describing: threshold)), acked \(String(describing: entry.acked))"
            )
            ledger.slos.withLock { $0[id] = (threshold.map(Int.init), nil) }
        }
        for (metric, entry) in ledger.definitions.withLock({ $0 }) {
            let capacity = (try? node.json("/metrics/\(metric)"))?["capacity"] as? Double
            let allowed = [entry.acked, entry.pending].compactMap { $0 }
            #expect(
                capacity.map { allowed.contains(Int($0)) } ?? (entry.acked == nil),
                "round \(round), metric \(metric)")
            ledger.definitions.withLock { $0[metric] = (capacity.map(Int.init), nil) }
        }
        let seen = ledger.statsdSeen.withLock { $0 }
        let count = (try? node.json("/metrics/statsd-tcp"))?["count"] as? Double ?? 0
        #expect(Int(count) >= seen, "round \(round): StatsD samples seen before the kill are kept")
        #expect(Int(count) <= ledger.statsdSent.withLock { $0 })
        ledger.statsdSeen.withLock { $0 = Int(count) }
    }

    /// Batches of 20 samples, a new metric every 100 requests (so each holds < 10,000).
    static func postBatches(
        _ node: DurableNode, _ ledger: Ledger, round: Int, stop: PThreadLock<Bool>, group: DispatchGroup
    ) {
        DispatchQueue.global().async(group: group) {
            guard let client = try? CurlClient(timeoutMilliseconds: 5_000) else { return }
            var next = round * 10_000_000
            for request in 0..<1_000_000 where !stop.withLock({ $0 }) {
                let metric = "batch-\(round)-\(request / 100)"
                let values = Array(next..<(next + 20))
                next += 20
                let body =
                    #"{"samples":[\#(values.map { #"{"metric":"\#(metric)","value":\#($0)}"# }.joined(separator: ","))]}"#
                let sent = ledger.send(values, of: metric) {
                    (try? node.send("POST", "/samples", body, client: client)) == 200
                }
                guard sent else { return }
            }
        }
    }

    /// One sample per request, as StatsD text (`text/plain`) to exercise the text decoder too.
    static func postSingles(
        _ node: DurableNode, _ ledger: Ledger, round: Int, stop: PThreadLock<Bool>, group: DispatchGroup
    ) {
        DispatchQueue.global().async(group: group) {
            guard let client = try? CurlClient(timeoutMilliseconds: 5_000) else { return }
            let metric = "single-\(round)"
            for value in 0..<9_000 where !stop.withLock({ $0 }) {
                let sent = ledger.send([value], of: metric) {
                    let response = try? client.post(
                        "http://127.0.0.1:\(node.port)/samples", body: Array("\(metric):\(value)|ms".utf8),
                        headers: [("Content-Type", "text/plain")])
                    return response?.status == 200
                }
                guard sent else { return }
            }
        }
    }

    /// SLO PUTs (threshold = version) and metric PUTs (capacity = version) over 8 ids each.
    static func putDefinitions(
        _ node: DurableNode, _ ledger: Ledger, round: Int, stop: PThreadLock<Bool>, group: DispatchGroup
    ) {
        DispatchQueue.global().async(group: group) {
            guard let client = try? CurlClient(timeoutMilliseconds: 5_000) else { return }
            for step in 1..<1_000_000 where !stop.withLock({ $0 }) {
                let version = round * 1_000_000 + step
                let id = "slo-\(step % 8)"
                ledger.slos.withLock { $0[id, default: (nil, nil)].pending = version }
                let slo = #"{"metric":"m","percentile":"p99","threshold":\#(version)}"#
                guard
                    (try? node.send("PUT", "/slos/\(id)", slo, client: client)).map({ $0 / 100 == 2 }) == true
                else { return }
                ledger.slos.withLock { $0[id] = (version, nil) }
                let metric = "def-\(step % 8)"
                ledger.definitions.withLock {
                    $0[metric, default: (nil, nil)].pending = version % 100_000 + 1
                }
                let definition = #"{"capacity":\#(version % 100_000 + 1)}"#
                guard
                    (try? node.send("PUT", "/metrics/\(metric)", definition, client: client)).map({
                        $0 / 100 == 2
                    }) == true
                else { return }
                ledger.definitions.withLock { $0[metric] = (version % 100_000 + 1, nil) }
            }
        }
    }

    /// StatsD lines over one TCP connection; what `GET /metrics/statsd-tcp` shows was applied.
    static func sendStatsD(
        _ node: DurableNode, statsd: Int, _ ledger: Ledger, stop: PThreadLock<Bool>, group: DispatchGroup
    ) {
        DispatchQueue.global().async(group: group) {
            guard let socket = try? StatsDSocketClient.connectTCP(port: statsd) else { return }
            defer { close(socket) }
            while !stop.withLock({ $0 }) {
                ledger.statsdSent.withLock { $0 += 10 }
                guard
                    (try? StatsDSocketClient.write(socket, String(repeating: "statsd-tcp:1|ms\n", count: 10)))
                        != nil
                else { return }
                if let count = (try? node.json("/metrics/statsd-tcp"))?["count"] as? Double {
                    ledger.statsdSeen.withLock { $0 = max($0, Int(count)) }
                }
                usleep(5_000)
            }
        }
    }

    /// The StatsD port from `Taking StatsD lines over UDP and TCP on 127.0.0.1:PORT.`.
    static func statsdPort(_ child: SlowatchProcess) -> Int? {
        let marker = "Taking StatsD lines over UDP and TCP on 127.0.0.1:"
        guard child.waitForStandardError(containing: marker),
            let range = child.standardError.range(of: marker)
        else { return nil }
        return Int(child.standardError[range.upperBound...].prefix { $0.isNumber })
    }
}
