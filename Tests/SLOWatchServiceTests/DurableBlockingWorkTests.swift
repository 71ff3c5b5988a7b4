import Dispatch
import Foundation
import SLOWatchPOSIX
import SLOWatchSync
import TestCurlClient
import Testing

/// Durable writes run on the durable lane, not on an event loop: a slow disk delays the edit, never the
/// other requests of the loop that read it.
@Suite("Durable writes off the event loop") struct DurableBlockingWorkTests {
    @Test(
        "a PUT /slos waiting on a 2 s journal fsync (--fsync always) does not delay GET /healthz on the same event loop"
    )
    func slowFsyncDoesNotDelayHealthz() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fsyncStarted = DispatchSemaphore(value: 0)
        let storage = InjectedStorage(fsyncDelayMicroseconds: 2_000_000, fsyncStarted: fsyncStarted)
        let test = try TestService { configuration in
            configuration.ioThreads = 1
            configuration.dataDirectory = directory
            configuration.storage = storage
            configuration.fsync = .always
        }
        defer { test.stop() }

        let put = PThreadLock<(status: Int, seconds: Double)?>(nil)
        let putDone = DispatchSemaphore(value: 0)
        let putURL = test.url("/slos/slow-disk")
        let putStart = DispatchTime.now()
        DispatchQueue.global().async {
            let client = try? CurlClient(timeoutMilliseconds: 20_000)
            let response = try? client?.putJSON(
                putURL, #"{"metric":"lat","percentile":"p50","threshold":1}"#)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - putStart.uptimeNanoseconds) / 1e9
            put.withLock { $0 = (response?.status ?? -1, seconds) }
            putDone.signal()
        }
        // The PUT is in flight once its first fsync began.
        #expect(fsyncStarted.wait(timeout: .now() + 10) == .success)

        let healthStart = DispatchTime.now()
        let health = try CurlClient().get(test.url("/healthz"))
        let healthSeconds = Double(DispatchTime.now().uptimeNanoseconds - healthStart.uptimeNanoseconds) / 1e9
        #expect(health.status == 200)
        #expect(healthSeconds < 1, "GET /healthz took \(healthSeconds) s behind the PUT's fsync")
        #expect(put.withLock { $0 } == nil, "the PUT was still waiting on the disk when /healthz answered")

        #expect(putDone.wait(timeout: .now() + 20) == .success)
        let answered = try #require(put.withLock { $0 })
        #expect(answered.status == 201)
        #expect(answered.seconds >= 2, "the PUT waited for its fsync before answering")
        let journal = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix("journal-") }
            .map {
                try String(
                    decoding: Data(contentsOf: URL(fileURLWithPath: directory + "/" + $0)), as: UTF8.self)
            }
            .joined()
        #expect(journal.contains("slow-disk"), "the SLO is in the journal")
    }
}
