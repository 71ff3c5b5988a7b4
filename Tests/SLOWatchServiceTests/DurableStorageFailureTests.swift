import Foundation
import SLOWatchPOSIX
import SLOWatchSync
import TestCurlClient
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// With `--data-dir`, a change is acknowledged only once it is in the journal.
@Suite("Durable state: failed writes")
struct DurableStorageFailureTests {
    @Test("a change that cannot be journaled gets 503 storage_failed with the reason, and changes nothing")
    func failedJournalWriteChangesNothing() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let storage = InjectedStorage()
        let test = try TestService {
            $0.dataDirectory = directory
            $0.storage = storage
        }
        defer { test.stop() }
        let client = try CurlClient()
        let slo = #"{"metric":"lat","percentile":"p95","threshold":60}"#
        #expect(try client.putJSON(test.url("/slos/a"), slo).status == 201)
        #expect(try client.postJSON(test.url("/samples"), #"{"metric":"lat","value":1}"#).status == 200)

        storage.full.withLock { $0 = true }
        let refused = try client.putJSON(
            test.url("/slos/a"), #"{"metric":"lat","percentile":"p95","threshold":99}"#)
        #expect(refused.status == 503)
        let error = try refused.json()["error"] as? [String: Any]
        #expect(error?["code"] as? String == "storage_failed")
        let message = error?["message"] as? String ?? ""
        #expect(message.contains("No space left on device") && message.contains(directory), "\(message)")
        #expect(try client.request(method: "DELETE", url: test.url("/slos/a")).status == 503)
        #expect(try client.putJSON(test.url("/metrics/new"), "{}").status == 503)
        #expect(try client.postJSON(test.url("/samples"), #"{"metric":"lat","value":2}"#).status == 503)
        #expect(try client.get(test.url("/slos/a")).json()["threshold"] as? Double == 60, "unchanged")
        #expect(try client.get(test.url("/metrics/new")).status == 404, "not registered")
        #expect(try client.get(test.url("/metrics/lat")).json()["count"] as? Int == 1, "no sample recorded")
        // Until a journal write succeeds again, /healthz says the storage is failing, and why.
        let failing = try client.get(test.url("/healthz"))
        #expect(failing.status == 503)
        let reason = try failing.json()["reason"] as? String
        #expect(
            reason?.hasPrefix("journal: ") == true && reason?.contains("No space left") == true, "\(failing)")

        storage.full.withLock { $0 = false }
        #expect(
            try client.putJSON(test.url("/slos/a"), #"{"metric":"lat","percentile":"p95","threshold":99}"#)
                .status == 200)
        #expect(try client.postJSON(test.url("/samples"), #"{"metric":"lat","value":3}"#).status == 200)
        #expect(try client.get(test.url("/metrics/lat")).json()["count"] as? Int == 2)
        #expect(try client.get(test.url("/healthz")).json()["storage"] as? String == "ok")
    }

    @Test("with --data-dir, bad samples are answered as without one (400) and nothing reaches the journal")
    func invalidSamplesAreNotJournaled() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let test = try TestService { $0.dataDirectory = directory }
        defer { test.stop() }
        let client = try CurlClient()
        let future = Date().timeIntervalSince1970 * 1000 + 3_600_000
        let refused = try client.postJSON(
            test.url("/samples"), #"{"metric":"lat","value":1,"timestamp":\#(future)}"#)
        #expect(refused.status == 400)
        #expect(try client.postJSON(test.url("/samples"), #"{"metric":"lat","value":"x"}"#).status == 400)
        let segments = try FileManager.default.contentsOfDirectory(atPath: directory).filter {
            $0.hasPrefix("journal-")
        }
        let bytes = try segments.reduce(0) {
            $0
                + ((try FileManager.default.attributesOfItem(atPath: directory + "/" + $1)[.size] as? Int)
                    ?? 0)
        }
        #expect(!segments.isEmpty && bytes == 0, "\(segments): \(bytes) bytes")
        #expect(try client.postJSON(test.url("/samples"), #"{"metric":"lat","value":1}"#).status == 200)
    }
}
