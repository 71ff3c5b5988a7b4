import Foundation
import Logging
import SLOWatchCore
import SLOWatchHTTP
import SLOWatchHTTPTesting
import TestCurlClient

@testable import SLOWatchService

/// A `SLOWatchService` whose routes are called in process, through ``HTTPTestClient``: no socket, no
/// event loop, no libcurl. It is never started, so its monitor checks only when a test calls
/// `service.monitor.checkAll()`, and it has no streams to serve.
///
/// It mirrors ``TestService``'s surface (`service`, `url(_:)`, `stop()`) and its ``client`` answers with
/// the libcurl client's `CurlResponse`, so a routing suite moves between the two by its setup lines
/// only. The test defaults are ``TestService``'s.
final class InProcessService: Sendable {
    /// The service under test.
    let service: SLOWatchService
    /// The client that calls the service's router.
    let client: InProcessClient

    /// Applies `configure` on top of the test defaults and builds the service (without starting it).
    /// - Parameter logger: where the service logs; nil for a logger that writes nothing.
    /// - Parameter budgetCountSource: the error-budget counts (a fake), or nil for the service's default.
    init(
        wallClock: any WallClock = SystemWallClock(), logger: Logger? = nil,
        budgetCountSource: (any BudgetCountSource)? = nil,
        configure: (inout ServiceConfiguration) -> Void = { _ in }
    ) throws {
        service = try TestService.makeService(
            wallClock: wallClock, logger: logger, budgetCountSource: budgetCountSource, configure: configure)
        // The HTTP settings the started service would run with: its error document, access policy and
        // body limit.
        let http = service.configuration.httpServer
        client = InProcessClient(HTTPTestClient(router: service.router, configuration: http))
    }

    /// The request target for `path`; the client also accepts `http://host:port/path` URLs.
    func url(_ path: String) -> String { path }

    /// Nothing to stop (the service was never started); kept so suites read as they do with TestService.
    func stop() {}
}

/// ``HTTPTestClient`` with the libcurl client's call shapes (`get`, `post`, `request`, `postJSON`,
/// `putJSON`, `delete`) and its response type.
struct InProcessClient: Sendable {
    /// The harness underneath.
    let harness: HTTPTestClient

    init(_ harness: HTTPTestClient) { self.harness = harness }

    /// `GET url`.
    func get(_ url: String, headers: [(String, String)] = []) throws -> CurlResponse {
        try request(method: "GET", url: url, headers: headers)
    }

    /// `POST url` with `body`.
    func post(_ url: String, body: [UInt8], headers: [(String, String)] = []) throws -> CurlResponse {
        try request(method: "POST", url: url, body: body, headers: headers)
    }

    /// `POST url` with a JSON body given as text, sent as `application/json`.
    func postJSON(_ url: String, _ json: String) throws -> CurlResponse {
        try post(url, body: Array(json.utf8), headers: [("Content-Type", "application/json")])
    }

    /// `PUT url` with a JSON body given as text, sent as `application/json`.
    func putJSON(_ url: String, _ json: String) throws -> CurlResponse {
        try request(
            method: "PUT", url: url, body: Array(json.utf8), headers: [("Content-Type", "application/json")])
    }

    /// `DELETE url`.
    func delete(_ url: String) throws -> CurlResponse { try request(method: "DELETE", url: url) }

    /// Any method on `url` (a target such as `/slos/x?q=1`, or an `http://` URL whose target is used).
    /// - Throws: ``TestServiceError`` when `url` is neither; and when the route streams, which needs a
    ///   socket (use ``TestService``).
    func request(
        method: String, url: String, body: [UInt8]? = nil, headers: [(String, String)] = []
    ) throws -> CurlResponse {
        let answer = harness.execute(
            HTTPMethod(rawValue: method), try Self.target(of: url), headers: headers, body: body ?? [])
        guard !answer.isStream else {
            throw TestServiceError("\(method) \(url) streams; streams need a socket (TestService)")
        }
        return CurlResponse(
            status: answer.status,
            headers: answer.headers.map { CurlHeaderField(name: $0.name, value: $0.value) }, body: answer.body
        )
    }

    /// The request target of `url`: the text from the first `/` after `http://host:port`, or `url` itself.
    private static func target(of url: String) throws -> String {
        if url.hasPrefix("/") { return url }
        guard url.hasPrefix("http://"), let slash = url.dropFirst(7).firstIndex(of: "/") else {
            throw TestServiceError("'\(url)' is neither a request target nor an http:// URL")
        }
        return String(url[slash...])
    }
}
