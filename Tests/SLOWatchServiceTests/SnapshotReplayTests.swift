import Dispatch
import Foundation
import SLOWatchCore
import SLOWatchSync
import TestCurlClient
import Testing

@testable import SLOWatchService

/// A snapshot taken while ingest runs, followed by the journal's replay, rebuilds exactly the live
/// state: every ring, counter and definition, with no sample lost or doubled.
@Suite("Snapshot and journal replay")
struct SnapshotReplayTests {
    @Test("snapshots taken during concurrent ingest and edits, then replay, equal the live registry")
    func snapshotDuringIngestReplaysExactly() throws {
        let directory = DurableNode.temporaryDirectory()
        let copy = DurableNode.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: copy)
        }
        let test = try TestService {
            $0.dataDirectory = directory
            $0.snapshotIntervalMilliseconds = 3_600_000
            $0.capacity = 500
        }
        defer { test.stop() }
        let url = test.url("/samples")
        let clients = 4
        let requests = 120
        let finished = DispatchGroup()
        let failures = PThreadLock(0)
        for client in 0..<clients {
            DispatchQueue.global().async(group: finished) {
                guard let curl = try? CurlClient() else { return failures.withLock { $0 += 1 } }
                for request in 0..<requests {
                    // Three metrics per batch, one shared by every client; rings overflow (capacity 500).
                    let samples = (0..<30).map { index in
                        let metric = ["shared", "own\(client)", "m\(request % 3)"][index % 3]
                        return
                            #"{"metric":"\#(metric)","value":\#(client * 100_000 + request * 100 + index)}"#
                    }
                    let body = Array(#"{"samples":[\#(samples.joined(separator: ","))]}"#.utf8)
                    let status =
                        (try? curl.post(url, body: body, headers: [("Content-Type", "application/json")]))?
                        .status
                    if status != 200 { failures.withLock { $0 += 1 } }
                    if client == 0, request % 40 == 20 {
                        // Edits in the same order: a resize, an SLO, a delete that samples re-create.
                        let capacity = #"{"capacity":\#(300 + request)}"#
                        _ = try? curl.putJSON(test.url("/metrics/m1"), capacity)
                        _ = try? curl.putJSON(
                            test.url("/slos/s\(request)"),
                            #"{"metric":"shared","percentile":"p95","threshold":9}"#)
                        _ = try? curl.request(method: "DELETE", url: test.url("/metrics/m2"))
                    }
                }
            }
        }
        // Snapshots while the load runs, each on the durable lane as the timer's are.
        var snapshots = 0
        while finished.wait(timeout: .now() + .milliseconds(30)) == .timedOut {
            let written = DispatchSemaphore(value: 0)
            #expect(
                test.service.durable?.lane.submit {
                    test.service.writeSnapshot(reason: "test")
                    written.signal()
                } == true)
            written.wait()
            snapshots += 1
        }
        #expect(failures.withLock { $0 } == 0)
        #expect(snapshots >= 2, "snapshots were taken while ingest ran")

        // What kill -9 would leave: the files as they are now (the journal's writes are in the kernel).
        try FileManager.default.copyItem(atPath: directory, toPath: copy)
        try? FileManager.default.removeItem(atPath: copy + "/lock")
        let restored = try TestService.makeService(wallClock: SystemWallClock(), logger: nil) {
            $0.dataDirectory = copy
            $0.capacity = 500
        }
        let live = test.service.registry
        #expect(restored.registry.list() == live.list())
        for summary in live.list() {
            let name = summary.definition.name
            #expect(
                try restored.registry.recentSamples(for: name, limit: .max)
                    == live.recentSamples(for: name, limit: .max),
                "\(name)")
            #expect(
                restored.registry.appliedSequence(for: name) == live.appliedSequence(for: name), "\(name)")
        }
        #expect(restored.monitor.slos == test.service.monitor.slos)
        #expect(live.list().reduce(0) { $0 + $1.count } > 0)
    }
}
