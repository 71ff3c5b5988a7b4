import Dispatch
import Foundation
import SLOWatchPOSIX
import SLOWatchSync
import TestCurlClient
import Testing

/// Durable writes run on the durable lane, not on an event loop: a slow disk delays the edit, never the
/// other requests of the loop that read it.
@Suite("Durable writes off the event loop") struct DurableBlockingWorkTests {
    /// The real file system, with every fsync made slow; signals `fsyncStarted` as one begins.
    struct SlowFsyncStorage: FileStorage {
        let base = POSIXFileStorage()
        let delayMicroseconds: UInt32
        let fsyncStarted: DispatchSemaphore

        func createFile(atPath path: String, mode: mode_t) throws(StorageError) -> Int32 {
            try base.createFile(atPath: path, mode: mode)
        }
        func openDirectory(atPath path: String) throws(StorageError) -> Int32 {
            try base.openDirectory(atPath: path)
        }
        func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(StorageError) {
            try base.writeAll(bytes, to: descriptor)
        }
        func synchronize(_ descriptor: Int32) throws(StorageError) {
            fsyncStarted.signal()
            usleep(delayMicroseconds)
            try base.synchronize(descriptor)
        }
        func close(_ descriptor: Int32) { base.close(descriptor) }
        func rename(_ source: String, to destination: String) throws(StorageError) {
            try base.rename(source, to: destination)
        }
        func remove(_ path: String) { base.remove(path) }
    }

    @Test(
        "a PUT /slos waiting on a 2 s journal fsync (--fsync always) does not delay GET /healthz on the same event loop"
    )
    func slowFsyncDoesNotDelayHealthz() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fsyncStarted = DispatchSemaphore(value: 0)
        let storage = SlowFsyncStorage(delayMicroseconds: 2_000_000, fsyncStarted: fsyncStarted)
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
