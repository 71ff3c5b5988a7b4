import Foundation
import Logging
import SLOWatchCore
import SLOWatchService
import TestCurlClient

/// A live `SLOWatchService` on an ephemeral 127.0.0.1 port, for end-to-end tests through libcurl.
///
/// The defaults suit tests: no SLOs, a long check interval (tests call `service.monitor.checkAll()`
/// themselves unless they set a short interval), 2 I/O threads and a 3 s shutdown grace.
/// Call `stop()` when done (`defer { service.stop() }`).
final class TestService: Sendable {
    /// The service under test.
    let service: SLOWatchService
    /// The bound port.
    let port: Int

    /// Applies `configure` on top of the test defaults, builds the service and starts it.
    /// - Parameter logger: where the service logs; nil for a logger that writes nothing.
    /// - Parameter budgetCountSource: the error-budget counts (a fake), or nil for the service's default.
    init(
        wallClock: any WallClock = SystemWallClock(), logger: Logger? = nil,
        budgetCountSource: (any BudgetCountSource)? = nil,
        configure: (inout ServiceConfiguration) -> Void = { _ in }
    ) throws {
        _ = TestProcessSignals.brokenPipeIgnored
        service = try Self.makeService(
            wallClock: wallClock, logger: logger, budgetCountSource: budgetCountSource, configure: configure)
        port = try service.start()
    }

    /// The test defaults (127.0.0.1, port 0, 2 I/O threads, no SLOs, a 1 h check interval, a 3 s
    /// shutdown grace), with `configure` applied on top.
    static func configuration(configure: (inout ServiceConfiguration) -> Void) -> ServiceConfiguration {
        var configuration = ServiceConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.ioThreads = 2
        configuration.slos = []
        configuration.checkIntervalMilliseconds = 3_600_000
        configuration.shutdownGraceMilliseconds = 3_000
        configure(&configuration)
        return configuration
    }

    /// A service with the test defaults, not started; it logs to `logger`, or nowhere when nil.
    static func makeService(
        wallClock: any WallClock, logger: Logger?, budgetCountSource: (any BudgetCountSource)? = nil,
        configure: (inout ServiceConfiguration) -> Void
    ) throws -> SLOWatchService {
        var silent = Logger(label: "slowatch-test")
        silent.logLevel = .critical
        return try SLOWatchService(
            configuration: configuration(configure: configure), logger: logger ?? silent,
            wallClock: wallClock,
            budgetCountSource: budgetCountSource)
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Stops the service gracefully.
    func stop() { service.stop() }
}

extension CurlClient {
    /// `POST url` with a JSON body given as text, sent as `application/json`.
    func postJSON(_ url: String, _ json: String) throws -> CurlResponse {
        try post(url, body: Array(json.utf8), headers: [("Content-Type", "application/json")])
    }

    /// `PUT url` with a JSON body given as text, sent as `application/json`.
    func putJSON(_ url: String, _ json: String) throws -> CurlResponse {
        try request(
            method: "PUT", url: url, body: Array(json.utf8), headers: [("Content-Type", "application/json")])
    }
}

extension CurlResponse {
    /// The body decoded with `JSONSerialization` (a reader independent of the service's own parser).
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw TestServiceError("the body is not a JSON object: \(bodyText)")
        }
        return object
    }

    /// The `error.code` of a JSON error body, or nil.
    var errorCode: String? {
        ((try? json())?["error"] as? [String: Any])?["code"] as? String
    }

    /// The `error.message` of a JSON error body, or nil.
    var errorMessage: String? {
        ((try? json())?["error"] as? [String: Any])?["message"] as? String
    }
}

/// A test-support failure with a sentence saying what was wrong.
struct TestServiceError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
