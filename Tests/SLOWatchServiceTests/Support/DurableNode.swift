import Foundation
import TestCurlClient

/// A `slowatch` child process over a data directory, restarted at will, with JSON helpers, for the
/// durable-state tests.
struct DurableNode {
    /// The running child.
    let child: SlowatchProcess
    /// Its HTTP port.
    let port: Int

    /// Starts `slowatch --port 0 --data-dir directory arguments…` and waits for its startup line.
    /// - Throws: when it does not start within 20 s (the message holds its standard error).
    init(directory: String, _ arguments: [String] = []) throws {
        child = try SlowatchProcess(["--port", "0", "--data-dir", directory] + arguments)
        guard let port = child.boundPort() else {
            child.kill()
            throw DurableNodeError("slowatch did not start: \(child.standardError)")
        }
        self.port = port
    }

    /// A fresh empty directory under the temporary folder; the caller removes it.
    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("slowatch-durable-\(UUID().uuidString)")
            .path
    }

    /// `GET path`, its status and body.
    func get(_ path: String) throws -> CurlResponse {
        try CurlClient(timeoutMilliseconds: 10_000).get("http://127.0.0.1:\(port)\(path)")
    }

    /// `GET path` as a JSON object.
    func json(_ path: String) throws -> [String: Any] {
        let body = try get(path).body
        guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw DurableNodeError(
                "GET \(path) is not a JSON object: \(String(decoding: body, as: UTF8.self))")
        }
        return object
    }

    /// Sends `method path` with a JSON body; returns the status.
    @discardableResult
    func send(_ method: String, _ path: String, _ body: String? = nil, client: CurlClient? = nil) throws
        -> Int
    {
        let client = try client ?? CurlClient(timeoutMilliseconds: 10_000)
        return try client.request(
            method: method, url: "http://127.0.0.1:\(port)\(path)", body: body.map { Array($0.utf8) },
            headers: [("Content-Type", "application/json")]
        ).status
    }

    /// The retained events of `GET /slo/violations?limit=1000`, as JSON objects.
    func violations() throws -> [[String: Any]] {
        try json("/slo/violations?limit=1000")["violations"] as? [[String: Any]] ?? []
    }

    /// Waits up to `timeout` seconds until `GET /slo/violations` holds at least `count` events.
    func waitForViolations(_ count: Int, timeout: Double = 10) throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(timeout)
        var events = try violations()
        while events.count < count, Date() < deadline {
            usleep(50_000)
            events = try violations()
        }
        return events
    }

    /// SIGTERM, then waits (15 s at most) for exit status 0.
    func stopGracefully() -> Int32? {
        child.send(SIGTERM)
        return child.waitForExit(timeout: 15)
    }
}

/// A durable-state test step that failed.
struct DurableNodeError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
