import Dispatch
import Foundation
import SLOWatchSync
import TestCurlClient
import Testing

/// `--data-dir` with the real binary: what a graceful restart keeps, what `kill -9` cannot break, and how
/// damaged files are recovered.
@Suite("Durable state across restarts", .serialized)
struct DurableRestartTests {
    /// A batch body of `count` samples of `metric`, values `offset + 1 …`, with explicit timestamps.
    private func batch(_ metric: String, count: Int, offset: Double = 0) -> String {
        let samples = (0..<count).map { index in
            #"{"metric":"\#(metric)","value":\#(offset + Double(index % 97) * 1.5 + 1),"timestamp":\#(1_700_000_000_000 + index)}"#
        }
        return #"{"samples":[\#(samples.joined(separator: ","))]}"#
    }

    @Test("a graceful restart keeps every acknowledged sample (same percentiles) and every violation")
    func gracefulRestartKeepsSamplesAndViolations() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try DurableNode(directory: directory, ["--check-interval", "100ms"])
        defer { first.child.kill() }
        for id in ["lat-a", "lat-b", "lat-c"] {
            #expect(
                try first.send("PUT", "/slos/\(id)", #"{"metric":"lat","percentile":"p50","threshold":1}"#)
                    == 201)
        }
        #expect(try first.send("POST", "/samples", batch("lat", count: 2_000)) == 200)
        #expect(try first.send("POST", "/samples", batch("other", count: 300, offset: 1_000)) == 200)
        let before = try first.waitForViolations(3)
        #expect(before.count >= 3, "the three SLOs were violated")
        let paths = [
            "/metrics/lat/percentiles", "/metrics/other/percentiles?q=0.125,0.9999",
            "/metrics/lat/samples?limit=10000", "/metrics/other/samples?limit=10000",
        ]
        let answers = try paths.map { try first.get($0).body }
        let violationsBefore = try first.get("/slo/violations?limit=1000").body
        #expect(first.stopGracefully() == 0, "\(first.child.standardError)")
        #expect(first.child.standardError.contains("Wrote the shutdown snapshot: 2 metrics, 2300 samples"))
        // Only this user may read what is kept: the folder 0700, the files 0600.
        let manager = FileManager.default
        #expect(try manager.attributesOfItem(atPath: directory)[.posixPermissions] as? Int == 0o700)
        for name in try manager.contentsOfDirectory(atPath: directory) {
            let mode = try manager.attributesOfItem(atPath: "\(directory)/\(name)")[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name)")
        }

        // A check interval of an hour: no new event can join the history before it is compared.
        let second = try DurableNode(directory: directory, ["--check-interval", "1h"])
        defer { second.child.kill() }
        for (path, answer) in zip(paths, answers) {
            let now = try second.get(path)
            #expect(now.status == 200)
            #expect(now.body == answer, "\(path) after the restart")
        }
        #expect(try second.get("/slo/violations?limit=1000").body == violationsBefore)
        #expect(try second.json("/slos")["slos"].map { ($0 as? [Any])?.count } == 3 + 7)
        #expect(second.child.standardError.contains("with 10 SLOs from \(directory)/snapshot"))
        #expect(second.stopGracefully() == 0)
    }

    @Test("a client holding Last-Event-ID from before a restart resumes with no gap and no duplicate")
    func lastEventIDResumesAcrossRestart() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try DurableNode(directory: directory, ["--check-interval", "100ms"])
        defer { first.child.kill() }
        for id in ["s1", "s2", "s3", "s4"] {
            #expect(
                try first.send("PUT", "/slos/\(id)", #"{"metric":"lat","percentile":"p50","threshold":1}"#)
                    == 201)
        }
        #expect(try first.send("POST", "/samples", batch("lat", count: 100)) == 200)
        let before = try first.waitForViolations(4)
        let sequences = before.compactMap { $0["sequence"] as? Int }
        #expect(sequences == [1, 2, 3, 4])
        #expect(first.stopGracefully() == 0)

        // The new process re-judges the SLOs (their state is not kept), so it publishes #5… itself.
        let second = try DurableNode(
            directory: directory, ["--check-interval", "100ms", "--keepalive-interval", "100ms"])
        defer { second.child.kill() }
        let reader = SSEReader(
            url: "http://127.0.0.1:\(second.port)/slo/violations",
            headers: [("Accept", "text/event-stream"), ("Last-Event-ID", "2")], timeoutMilliseconds: 20_000)
        defer { reader.close() }
        #expect(reader.waitForEvents(6, upTo: 15_000), "replayed #3, #4 and live #1025…")
        let ids = reader.events.compactMap { $0.id.flatMap(Int.init) }
        // The first process had reserved ids up to #1024; the second goes on above them.
        #expect(Array(ids.prefix(6)) == [3, 4, 1025, 1026, 1027, 1028], "no gap, no duplicate: \(ids)")
        #expect(Set(ids).count == ids.count)
        #expect(!reader.messages.contains { $0.comments.contains { $0.contains("truncated") } })
        let replayed = reader.events.prefix(2).compactMap { $0.envelope?["id"] as? String }
        #expect(
            replayed == before.suffix(2).compactMap { $0["id"] as? String }, "the same events, not copies")
    }

    @Test("kill -9 during a burst of SLO writes keeps every acknowledged write, each SLO whole")
    func killDuringWriteBurst() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let node = try DurableNode(directory: directory, ["--check-interval", "1h"])
        defer { node.child.kill() }
        // id → the last version acknowledged, and the version in flight (sent, not yet answered).
        let acknowledged = PThreadLock([String: Int]())
        let writes = PThreadLock(0)
        let inFlight = PThreadLock<(String, Int)?>(nil)
        let stop = PThreadLock(false)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            defer { done.signal() }
            guard let client = try? CurlClient(timeoutMilliseconds: 5_000) else { return }
            for version in 1...100_000 {
                if stop.withLock({ $0 }) { return }
                let id = "slo-\(version % 16)"
                let body =
                    #"{"metric":"m\#(version)","percentile":"p99","threshold":\#(version),"minSamples":\#(version),"unit":"u\#(version)"}"#
                inFlight.withLock { $0 = (id, version) }
                guard let status = try? node.send("PUT", "/slos/\(id)", body, client: client),
                    status / 100 == 2
                else { return }
                acknowledged.withLock { $0[id] = version }
                writes.withLock { $0 += 1 }
            }
        }
        let started = Date()
        while acknowledged.withLock({ $0.count }) < 16 || Date().timeIntervalSince(started) < 1.5 {
            if Date().timeIntervalSince(started) > 20 { break }
            usleep(10_000)
        }
        node.child.send(SIGKILL)
        _ = node.child.waitForExit(timeout: 10)
        stop.withLock { $0 = true }
        #expect(done.wait(timeout: .now() + 15) == .success)
        let acked = acknowledged.withLock { $0 }
        let pending = inFlight.withLock { $0 }
        #expect(acked.count == 16, "the burst wrote every SLO before the kill")
        #expect(writes.withLock { $0 } > 32, "a burst, not a few writes")

        let restarted = try DurableNode(directory: directory, ["--check-interval", "1h"])
        defer { restarted.child.kill() }
        #expect(!restarted.child.standardError.contains("damaged"), "\(restarted.child.standardError)")
        for (id, version) in acked {
            let slo = try restarted.json("/slos/\(id)")
            let threshold = try #require(slo["threshold"] as? Double)
            // Old or new, never a mix: every field of one PUT together.
            #expect(slo["minSamples"] as? Double == threshold, "\(id): \(slo)")
            #expect(slo["unit"] as? String == "u\(Int(threshold))", "\(id): \(slo)")
            #expect(slo["metric"] as? String == "m\(Int(threshold))", "\(id): \(slo)")
            if let pending, pending.0 == id {
                #expect(
                    [version, pending.1].contains(Int(threshold)),
                    "\(id): acked \(version), in flight \(pending)")
            } else {
                #expect(Int(threshold) == version, "\(id): the acknowledged write is kept")
            }
        }
        #expect(restarted.stopGracefully() == 0)
    }

    @Test("a torn last record of the violation log is truncated on start with a warning")
    func tornLogTailIsTruncated() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try DurableNode(directory: directory, ["--check-interval", "100ms"])
        defer { first.child.kill() }
        #expect(
            try first.send("PUT", "/slos/t", #"{"metric":"lat","percentile":"p50","threshold":1}"#) == 201)
        #expect(try first.send("POST", "/samples", batch("lat", count: 10)) == 200)
        #expect(try first.waitForViolations(1).count == 1)
        let before = try first.get("/slo/violations").body
        #expect(first.stopGracefully() == 0)

        let log = URL(fileURLWithPath: directory).appendingPathComponent("violations.log")
        let whole = try Data(contentsOf: log)
        // A record header promising 200 bytes, then 5 of them: an append cut by a crash.
        let torn = Data([200, 0, 0, 0, 0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3, 4, 5])
        try (whole + torn).write(to: log)

        let second = try DurableNode(directory: directory, ["--check-interval", "1h"])
        defer { second.child.kill() }
        let log2 = second.child.standardError
        #expect(log2.contains("warning") && log2.contains("ends with a torn record"), "\(log2)")
        #expect(try Data(contentsOf: log) == whole, "cut back to the last whole record")
        #expect(try second.get("/slo/violations").body == before)
        #expect(second.stopGracefully() == 0)
    }

    @Test("a corrupt snapshot is moved aside with an error line, and the service starts empty")
    func corruptSnapshotIsMovedAside() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try DurableNode(directory: directory, ["--check-interval", "1h"])
        defer { first.child.kill() }
        #expect(try first.send("POST", "/samples", batch("lat", count: 50)) == 200)
        #expect(first.stopGracefully() == 0)

        let snapshot = URL(fileURLWithPath: directory).appendingPathComponent("snapshot")
        var bytes = [UInt8](try Data(contentsOf: snapshot))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: snapshot)

        let second = try DurableNode(directory: directory, ["--check-interval", "1h"])
        defer { second.child.kill() }
        let log = second.child.standardError
        #expect(log.contains("error") && log.contains("snapshot \(directory)/snapshot is damaged"), "\(log)")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        let aside = try #require(names.first { $0.hasPrefix("snapshot.corrupt-") }, "\(names)")
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(aside)) == Data(bytes)
        )
        #expect(try second.get("/healthz").status == 200)
        #expect(try second.get("/metrics/lat").status == 404, "started with no samples")
        #expect(second.stopGracefully() == 0)
        #expect(FileManager.default.fileExists(atPath: snapshot.path), "a fresh snapshot at shutdown")
    }

    @Test("a damaged definitions file is moved aside with an error line; the configured SLOs apply")
    func damagedDefinitionsAreMovedAside() throws {
        let directory = DurableNode.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let damaged = #"{"generation":3,"slos":[{"id":"a","metric":"m","percentile":"p101","threshold":1}]"#
        try Data(damaged.utf8).write(to: URL(fileURLWithPath: "\(directory)/definitions.json"))
        let node = try DurableNode(directory: directory, ["--check-interval", "1h"])
        defer { node.child.kill() }
        let log = node.child.standardError
        #expect(log.contains("The definitions file \(directory)/definitions.json is damaged"), "\(log)")
        #expect(log.contains("with 7 SLOs from embedded defaults"))
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(names.contains { $0.hasPrefix("definitions.json.corrupt-") }, "\(names)")
        #expect(node.stopGracefully() == 0)
    }

    @Test("damage before the end of the violation log keeps the records before it, snapshot or not")
    func damagedLogMiddle() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try DurableNode(directory: directory, ["--check-interval", "100ms"])
        defer { first.child.kill() }
        for id in ["a", "b", "c"] {
            #expect(
                try first.send("PUT", "/slos/\(id)", #"{"metric":"lat","percentile":"p50","threshold":1}"#)
                    == 201)
        }
        #expect(try first.send("POST", "/samples", #"{"metric":"lat","value":9}"#) == 200)
        let before = try first.waitForViolations(3)
        #expect(before.count == 3)
        #expect(first.stopGracefully() == 0)
        #expect(FileManager.default.fileExists(atPath: "\(directory)/snapshot"), "a snapshot is present")

        // Flip a byte inside the second record's payload; the third record stays whole after it.
        let path = "\(directory)/violations.log"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let firstLength = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
        bytes[8 + firstLength + 8 + 3] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let second = try DurableNode(directory: directory, ["--check-interval", "1h"])
        defer { second.child.kill() }
        let log = second.child.standardError
        let damage =
            "The violation log \(path) is damaged: the record at offset \(8 + firstLength) fails its checksum"
        #expect(log.contains(damage), "\(log)")
        #expect(log.contains("kept the 1 records before the damage"), "\(log)")
        #expect(try second.violations().map { $0["sequence"] as? Int } == [1], "the intact record is kept")
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes[..<(8 + firstLength)]),
            "rewritten as the intact prefix")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(names.contains { $0.hasPrefix("violations.log.corrupt-") }, "\(names)")

        // A client that saw #2 (now lost) resumes: it is told of the gap, and sees no id again.
        let reader = SSEReader(
            url: "http://127.0.0.1:\(second.port)/slo/violations", headers: [("Last-Event-ID", "2")])
        defer { reader.close() }
        #expect(
            reader.wait { $0.messages.contains { $0.comments.contains("history truncated") } },
            "\(reader.text)")
        let early = SSEReader(
            url: "http://127.0.0.1:\(second.port)/slo/violations", headers: [("Last-Event-ID", "0")])
        defer { early.close() }
        #expect(early.waitForEvents(1), "\(early.text)")
        #expect(early.messages.contains { $0.comments.contains("history truncated") }, "\(early.text)")
        #expect(early.events.map(\.id) == ["1"], "then what survived")
        #expect(second.stopGracefully() == 0)
    }

    @Test("a second process on the same data directory is refused, naming the directory")
    func secondProcessIsRefused() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try DurableNode(directory: directory, ["--check-interval", "1h"])
        defer { first.child.kill() }
        let second = try SlowatchProcess.run(["--port", "0", "--data-dir", directory], timeout: 20)
        #expect(second.status == 78)
        #expect(
            second.standardError.contains(
                "The data directory \(directory) is in use by another slowatch process"))
        #expect(try first.get("/healthz").status == 200, "the first one is untouched")
        #expect(first.stopGracefully() == 0)
    }

    @Test("a data directory that cannot be created is a start-up error naming the path and the flag")
    func unusableDirectory() throws {
        let file = DurableNode.temporaryDirectory()
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try SlowatchProcess.run(["--port", "0", "--data-dir", "\(file)/state"], timeout: 20)
        #expect(result.status == 78)
        #expect(result.standardError.contains("\(file)/state"), "\(result.standardError)")
        #expect(result.standardError.contains("--data-dir"))
    }
}
