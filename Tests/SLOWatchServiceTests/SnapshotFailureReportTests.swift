import Foundation
import SLOWatchCoreTesting
import SLOWatchPOSIX
import SLOWatchSync
import Testing

@testable import SLOWatchService

/// A snapshot that cannot be written is reported once per change of state, counted in `/metrics`,
/// shown by `/healthz` (503 while failing), and returned by the shutdown so the CLI can exit 75.
@Suite("Durable state: snapshot failures are reported")
struct SnapshotFailureReportTests {
    /// A service over a fresh data directory whose storage is `storage`, logging into `capture`.
    static func service(_ directory: String, storage: InjectedStorage, capture: LogCapture) throws
        -> InProcessService
    {
        try InProcessService(logger: capture.logger) { configuration in
            configuration.dataDirectory = directory
            configuration.storage = storage
        }
    }

    /// Runs `body` with a service over a fresh data directory (removed afterwards) on an
    /// ``InjectedStorage``, logging into a ``LogCapture``; hands over all four.
    static func withService(
        _ body: (
            _ test: InProcessService, _ storage: InjectedStorage, _ capture: LogCapture, _ directory: String
        ) throws -> Void
    ) throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let storage = InjectedStorage()
        let capture = LogCapture()
        try body(try Self.service(directory, storage: storage, capture: capture), storage, capture, directory)
    }

    /// `GET /healthz` as a JSON object, with its status.
    static func health(_ service: InProcessService) throws -> (status: Int, body: [String: Any]) {
        let response = try service.client.get("/healthz")
        let body = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return (response.status, body ?? [:])
    }

    @Test("healthz says storage ok with a data directory, and keeps today's body without one")
    func healthyBodies() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let durable = try Self.service(directory, storage: InjectedStorage(), capture: LogCapture())
        let (status, body) = try Self.health(durable)
        #expect(status == 200)
        #expect(body["status"] as? String == "ok" && body["storage"] as? String == "ok")
        #expect(body["reason"] == nil)

        let plain = try InProcessService().client.get("/healthz")
        #expect(plain.status == 200)
        let keys = try (JSONSerialization.jsonObject(with: Data(plain.body)) as? [String: Any])?.keys.sorted()
        #expect(keys == ["metrics", "slos", "status", "subscribers", "uptimeSeconds"])
    }

    @Test("failing snapshots: healthz 503 with the reason, the counter counts each, one log line per change")
    func failingSnapshotsAreReported() throws {
        try Self.withService { test, storage, capture, directory in
            #expect(try test.client.postJSON("/samples", #"{"metric":"lat","value":5}"#).status == 200)

            storage.full.withLock { $0 = true }
            for _ in 0..<3 { #expect(test.service.writeSnapshot(reason: "interval") != nil) }
            let (status, body) = try Self.health(test)
            #expect(status == 503)
            #expect(body["status"] as? String == "failing" && body["storage"] as? String == "failing")
            let reason = body["reason"] as? String ?? ""
            #expect(reason.contains("snapshot") && reason.contains("\(directory)/snapshot.tmp"), "\(reason)")
            #expect(reason.contains("No space left on device"), "\(reason)")
            #expect(body["metrics"] as? Int == 1, "the other fields are kept")
            let scrape = try PrometheusExpositionTests.scrape(test, client: test.client)
            #expect(scrape.value("slowatch_storage_failures_total") == 3)
            #expect(scrape.types["slowatch_storage_failures_total"] == "counter")
            #expect(scrape.helped.contains("slowatch_storage_failures_total"))

            storage.full.withLock { $0 = false }
            #expect(test.service.writeSnapshot(reason: "interval") == nil)
            #expect(test.service.writeSnapshot(reason: "interval") == nil)
            #expect(try Self.health(test).status == 200)
            let storageLines = capture.lines.filter { $0.message.hasPrefix("Storage ") }
            #expect(storageLines.map(\.level) == [.error, .notice], "\(storageLines)")
            #expect(!capture.messages(atLeast: .error).contains { $0.contains("interval snapshot") })
        }
    }

    @Test("a shutdown that cannot save returns and logs what was not saved, where and why")
    func shutdownFailureSaysWhatWasNotSaved() throws {
        try Self.withService { test, storage, capture, directory in
            let batch = TestSamples.json("a", [1, 2, 3])
            #expect(try test.client.postJSON("/samples", batch).status == 200)
            #expect(try test.client.postJSON("/samples", #"{"metric":"b","value":4}"#).status == 200)

            storage.full.withLock { $0 = true }
            let failure = try #require(test.service.stopAndSave())
            #expect(failure.occasion == "shutdown" && failure.metrics == 2 && failure.samples == 4)
            #expect(failure.file == "\(directory)/snapshot")
            #expect(failure.cause.contains("No space left on device"))
            #expect(
                failure.message.hasPrefix(
                    "The shutdown snapshot was not written: 2 metrics with 4 samples were not saved to \(directory)/snapshot."
                ), "\(failure.message)")
            #expect(capture.messages(atLeast: .error).contains(failure.message))
        }
    }

    @Test("a shutdown that saves returns nil")
    func shutdownThatSavesReturnsNil() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let test = try Self.service(directory, storage: InjectedStorage(), capture: LogCapture())
        #expect(try test.client.postJSON("/samples", #"{"metric":"b","value":4}"#).status == 200)
        #expect(test.service.stopAndSave() == nil)
        #expect(FileManager.default.fileExists(atPath: "\(directory)/snapshot"))
    }
}
