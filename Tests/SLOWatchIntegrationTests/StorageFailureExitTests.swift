import Foundation
import TestCurlClient
import Testing

/// Storage that fails for real, through the binary: a data directory on a small tmpfs that fills up
/// (SIGTERM then exits 75 and says what was not saved), and an immutable one (`chattr +i`: exit 78 at
/// start, naming the path and the system's reason).
@Suite("Storage failures through the binary", .serialized)
struct StorageFailureExitTests {
    /// A batch of `count` samples of `metric` (no timestamps: the server's clock stamps them).
    private func batch(_ metric: String, count: Int) -> String {
        let samples = (0..<count).map { #"{"metric":"\#(metric)","value":\#(Double($0 % 89) + 0.5)}"# }
        return #"{"samples":[\#(samples.joined(separator: ","))]}"#
    }

    @Test(
        "on a full tmpfs: healthz 503 with the reason, one error line, and SIGTERM exits 75 saying what was lost",
        .enabled(if: FolderFaults.canMountTmpfs, FolderFaults.mountSkipReason))
    func fullDiskExitsTemporaryFailure() throws {
        // Batches of 2,500 samples (about 40 KB in the journal each) fill 512 KiB within 20 of them.
        let mount = try #require(FolderFaults.mountTmpfs(kibibytes: 512))
        defer { FolderFaults.unmount(mount) }
        let directory = mount + "/data"
        let node = try DurableNode(directory: directory, ["--snapshot-interval", "1h"])
        defer { node.child.kill() }
        var statuses: [Int] = []
        for metric in 0..<40 where !statuses.contains(503) {
            statuses.append(try node.send("POST", "/samples", batch("fill-\(metric % 5)", count: 2_500)))
        }
        // A full disk never acknowledges: the journal write fails, so the batch is answered 503.
        #expect(statuses.first == 200 && statuses.last == 503 && Set(statuses) == [200, 503], "\(statuses)")
        #expect(try node.send("POST", "/samples", batch("fill-0", count: 2_500)) == 503)
        let health = try node.get("/healthz")
        #expect(health.status == 503, "\(health.bodyText)")
        let body = try node.json("/healthz")
        #expect(body["status"] as? String == "failing" && body["storage"] as? String == "failing")
        let reason = body["reason"] as? String ?? ""
        #expect(reason.contains("journal") && reason.contains("No space left on device"), "\(reason)")
        // A second failed write is counted but not logged again.
        let metrics = try CurlClient(timeoutMilliseconds: 10_000).get(
            "http://127.0.0.1:\(node.port)/metrics", headers: [("Accept", PrometheusScrapeAccept.value)]
        ).bodyText
        let counter = metrics.split(separator: "\n").first {
            $0.hasPrefix("slowatch_storage_failures_total ")
        }
        let failures = counter.flatMap { Double($0.split(separator: " ")[1]) } ?? 0
        #expect(failures >= 2, "\(String(describing: counter))")

        #expect(node.stopGracefully() == 75, "\(node.child.standardError)")
        let log = node.child.standardError
        #expect(log.components(separatedBy: "Storage is failing (journal)").count == 2, "\(log)")
        #expect(log.contains("The shutdown snapshot was not written: "), "\(log)")
        #expect(log.contains("were not saved to \(directory)/snapshot."), "\(log)")
        #expect(log.contains("No space left on device"))
        #expect(log.contains("exiting with status 75"))
        #expect(!log.contains("\nStopped."))
    }

    @Test(
        "a data directory where no file can be created (chattr +i) exits 78 naming the probe file and errno",
        .enabled(if: FolderFaults.canMakeImmutable, FolderFaults.chattrSkipReason))
    func immutableDirectoryExitsConfiguration() throws {
        let directory = try #require(FolderFaults.scratchFolder())
        defer {
            FolderFaults.run("chattr", ["-i", directory])
            try? FileManager.default.removeItem(atPath: directory)
        }
        // A directory used before: its lock file exists, so only the probe can find the folder unwritable.
        let first = try DurableNode(directory: directory)
        #expect(first.stopGracefully() == 0, "\(first.child.standardError)")
        #expect(FolderFaults.run("chattr", ["+i", directory]))

        let run = try SlowatchProcess.run(["--port", "0", "--data-dir", directory], timeout: 20)
        #expect(run.status == 78, "\(run.standardError)")
        #expect(
            run.standardError.contains(
                "Cannot create a file in the data directory \(directory) (\(directory)/probe.tmp): "
                    + "Operation not permitted."), "\(run.standardError)")
        #expect(!run.standardError.contains("listening on"))
    }
}
