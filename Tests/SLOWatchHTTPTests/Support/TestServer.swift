import SLOWatchHTTP
import TestRawClient

/// A live `HTTPServer` on an ephemeral 127.0.0.1 port with short timeouts, for end-to-end tests.
///
/// Call `stop()` when done (tests use `defer { server.stop() }`).
final class TestServer: Sendable {
    /// The server under test.
    let server: HTTPServer
    /// The bound port.
    let port: Int
    private let stopped = Locked(false)

    /// Builds a router with `routes`, applies `configure` on top of the test defaults (errors rendered as
    /// ``TestErrorDocument`` JSON), and starts the server.
    init(
        configure: (inout HTTPServerConfiguration) -> Void = { _ in },
        routes: (inout HTTPRouter) -> Void = TestServer.standardRoutes
    ) throws(HTTPServerError) {
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.ioThreads = 2
        configuration.headTimeout = .seconds(3)
        configuration.bodyTimeout = .seconds(3)
        configuration.idleTimeout = .seconds(5)
        configuration.shutdownGrace = .seconds(3)
        configuration.errorResponse = TestErrorDocument.response
        configure(&configuration)
        var router = HTTPRouter()
        routes(&router)
        server = HTTPServer(configuration: configuration, router: router)
        port = try server.start()
    }

    /// `http://127.0.0.1:<port><path>`.
    func url(_ path: String) -> String {
        "http://127.0.0.1:\(port)\(path)"
    }

    /// A raw-socket client connected to this server.
    func rawClient(timeoutMilliseconds: Int = 3000, receiveBufferBytes: Int? = nil) throws(RawClientError)
        -> RawClient
    {
        try RawClient(
            port: port, timeoutMilliseconds: timeoutMilliseconds, receiveBufferBytes: receiveBufferBytes)
    }

    /// Stops the server gracefully and waits until it has; later calls do nothing.
    func stop() {
        let alreadyStopped = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        if !alreadyStopped { server.stop() }
    }

    /// The routes most tests use:
    /// - `GET /hello` → 200 `hello`, `Content-Type: text/plain`;
    /// - `POST /echo` → 200 with the request body, `X-Body-Length` (bytes) and `X-Transfer-Encoding` (the
    ///   request's `Transfer-Encoding`, or `none`);
    /// - `GET /id/:id` → 200 with the `id` path parameter as the body;
    /// - `GET /items` and `POST /items` → 200 `items` / 201 (for 405 tests).
    static func standardRoutes(_ router: inout HTTPRouter) {
        router.add(.get, "/hello") { _ in
            HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: Array("hello".utf8))
        }
        router.add(.post, "/echo") { request in
            var headers = HTTPHeaders()
            headers.add(name: "X-Body-Length", value: String(request.body.count))
            headers.add(name: "X-Transfer-Encoding", value: request.headers["Transfer-Encoding"] ?? "none")
            return HTTPResponse(status: 200, headers: headers, body: request.body)
        }
        router.add(.get, "/id/:id") { request in
            HTTPResponse(status: 200, body: Array((request.pathParameters["id"] ?? "?").utf8))
        }
        router.add(.get, "/items") { _ in HTTPResponse(status: 200, body: Array("items".utf8)) }
        router.add(.post, "/items") { _ in HTTPResponse(status: 201) }
    }
}
