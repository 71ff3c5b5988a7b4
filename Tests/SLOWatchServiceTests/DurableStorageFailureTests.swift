import Foundation
import TestCurlClient
import Testing

/// With `--data-dir`, an edit is acknowledged only once it is on disk.
@Suite("Durable state: failed writes")
struct DurableStorageFailureTests {
    @Test("an edit that cannot be saved gets 503 storage_failed naming the file, and changes nothing")
    func failedSaveChangesNothing() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let test = try TestService { $0.dataDirectory = directory }
        defer { test.stop() }
        let client = try CurlClient()
        let slo = #"{"metric":"lat","percentile":"p95","threshold":60}"#
        #expect(try client.putJSON(test.url("/slos/a"), slo).status == 201)

        // A folder in the way of the temporary file: its creation fails, even for root.
        let blocker = "\(directory)/definitions.json.tmp"
        try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: false)
        let refused = try client.putJSON(
            test.url("/slos/a"), #"{"metric":"lat","percentile":"p95","threshold":99}"#)
        #expect(refused.status == 503)
        let error = try refused.json()["error"] as? [String: Any]
        #expect(error?["code"] as? String == "storage_failed")
        #expect((error?["message"] as? String)?.contains(blocker) == true, "\(String(describing: error))")
        #expect(try client.request(method: "DELETE", url: test.url("/slos/a")).status == 503)
        #expect(try client.putJSON(test.url("/metrics/new"), "{}").status == 503)
        #expect(try client.get(test.url("/slos/a")).json()["threshold"] as? Double == 60, "unchanged")
        #expect(try client.get(test.url("/metrics/new")).status == 404, "not registered")
        let saved = try String(contentsOfFile: "\(directory)/definitions.json", encoding: .utf8)
        #expect(saved.contains(#""threshold":60"#) && !saved.contains(#""threshold":99"#))
        // Until a definitions write succeeds again, /healthz says the storage is failing, and why.
        let failing = try client.get(test.url("/healthz"))
        #expect(failing.status == 503)
        let reason = try failing.json()["reason"] as? String
        #expect(reason?.hasPrefix("definitions: ") == true && reason?.contains(blocker) == true, "\(failing)")

        try FileManager.default.removeItem(atPath: blocker)
        #expect(
            try client.putJSON(test.url("/slos/a"), #"{"metric":"lat","percentile":"p95","threshold":99}"#)
                .status == 200)
        #expect(try client.get(test.url("/healthz")).json()["storage"] as? String == "ok")
        #expect(
            try String(contentsOfFile: "\(directory)/definitions.json", encoding: .utf8).contains(
                #""threshold":99"#))
    }
}
