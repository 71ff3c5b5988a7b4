import Foundation
import Testing

@testable import SLOWatchService

/// `--data-dir` with the real binary: metric definitions, the snapshot timer and log compaction.
@Suite("Durable state: metrics, snapshots and compaction", .serialized)
struct DurableMetricTests {
    @Test("metric definitions survive kill -9; a deleted metric does not come back from an older snapshot")
    func metricDefinitionsSurviveKill() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try DurableNode(directory: directory, ["--check-interval", "1h"])
        defer { first.child.kill() }
        #expect(try first.send("PUT", "/metrics/kept", #"{"type":"gauge","unit":"s","capacity":7}"#) == 201)
        #expect(try first.send("POST", "/samples", #"{"metric":"gone","value":1}"#) == 200)
        #expect(first.stopGracefully() == 0, "the snapshot now holds 'gone'")

        let second = try DurableNode(directory: directory, ["--check-interval", "1h"])
        defer { second.child.kill() }
        #expect(try second.get("/metrics/gone").status == 200, "restored from the snapshot")
        #expect(try second.send("DELETE", "/metrics/gone") == 204)
        second.child.kill()  // SIGKILL: no new snapshot

        let third = try DurableNode(directory: directory, ["--check-interval", "1h"])
        defer { third.child.kill() }
        #expect(try third.get("/metrics/gone").status == 404, "the acknowledged DELETE is kept")
        let kept = try third.json("/metrics/kept")
        #expect(kept["type"] as? String == "gauge" && kept["unit"] as? String == "s")
        #expect(kept["capacity"] as? Int == 7)
        #expect(third.stopGracefully() == 0)
    }

    @Test("a snapshot is written every --snapshot-interval, so kill -9 keeps the samples it holds")
    func intervalSnapshotSurvivesKill() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try DurableNode(
            directory: directory, ["--check-interval", "1h", "--snapshot-interval", "1s"])
        defer { first.child.kill() }
        #expect(
            try first.send("POST", "/samples", #"{"metric":"lat","value":42,"timestamp":1700000000000}"#)
                == 200)
        let snapshot = "\(directory)/snapshot"
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: snapshot), Date() < deadline { usleep(50_000) }
        #expect(FileManager.default.fileExists(atPath: snapshot), "written by the timer")
        first.child.kill()

        let second = try DurableNode(directory: directory, ["--check-interval", "1h"])
        defer { second.child.kill() }
        let samples = try second.json("/metrics/lat/samples")["samples"] as? [[String: Any]]
        #expect(samples?.count == 1 && samples?.first?["value"] as? Double == 42)
        #expect(second.stopGracefully() == 0)
    }

    /// The newest event's sequence once it is at least `sequence`, or the last seen after 10 s.
    private func lastSequence(_ node: DurableNode, atLeast sequence: Int) throws -> Int {
        let deadline = Date().addingTimeInterval(10)
        var last = 0
        repeat {
            last = try node.violations().last?["sequence"] as? Int ?? 0
            if last >= sequence { return last }
            usleep(50_000)
        } while Date() < deadline
        return last
    }

    @Test("the log is compacted to the history size, and sequences go on after a restart")
    func logCompaction() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try DurableNode(directory: directory, ["--check-interval", "100ms", "--history", "5"])
        defer { first.child.kill() }
        for index in 1...12 {
            let body = #"{"metric":"lat","percentile":"p50","threshold":\#(index)}"#
            #expect(try first.send("PUT", "/slos/s\(index)", body) == 201)
        }
        #expect(try first.send("POST", "/samples", #"{"metric":"lat","value":100}"#) == 200)
        #expect(try lastSequence(first, atLeast: 12) == 12, "one violation per SLO")
        #expect(first.stopGracefully() == 0)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(directory)/violations.log")))
        let records = ChecksummedRecord.scan(bytes)
        #expect(!records.isDamaged)
        #expect(records.payloads.count <= 10, "rewritten once it held more than twice the history")
        let sequences = try records.payloads.map { try EventRecord.decode($0).sequence }
        #expect(sequences.last == 12)

        // A check interval of an hour: no new event can join the history before it is read.
        let second = try DurableNode(directory: directory, ["--check-interval", "1h", "--history", "5"])
        defer { second.child.kill() }
        let kept = try second.violations().compactMap { $0["sequence"] as? Int }
        #expect(kept == [8, 9, 10, 11, 12], "the newest five")
        #expect(second.stopGracefully() == 0)
        // A process that re-judges the SLOs publishes violations of its own, after every kept one.
        let third = try DurableNode(directory: directory, ["--check-interval", "100ms", "--history", "5"])
        defer { third.child.kill() }
        #expect(try lastSequence(third, atLeast: 13) > 12, "new events continue the sequence")
        #expect(third.stopGracefully() == 0)
    }
}
