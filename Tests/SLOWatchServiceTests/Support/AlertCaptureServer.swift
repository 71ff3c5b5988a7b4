import Foundation
import SLOWatchSync

/// A minimal HTTP/1.1 listener on 127.0.0.1 that records every request it gets and answers each with a
/// fixed status, then closes the connection: what the Alertmanager forwarder sent, byte for byte, for
/// the payload-shape tests (the integration tests use the real Alertmanager).
///
/// `@unchecked Sendable`: `listener` is set in `init` and closed once in `stop()`; the requests and the
/// stopped flag sit behind `state`'s lock.
final class AlertCaptureServer: @unchecked Sendable {
    /// One request as received.
    struct Request: Sendable {
        /// `POST /api/v2/alerts HTTP/1.1`.
        let requestLine: String
        /// The header fields, names lowercased.
        let headers: [String: String]
        /// The body (Content-Length bytes).
        let body: [UInt8]

        /// The body decoded as a JSON array of objects, or nil.
        var alerts: [[String: Any]]? {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [[String: Any]]
        }
    }

    /// The bound port.
    let port: Int
    private let listener: Int32
    private let state = PThreadLock((requests: [Request](), stopped: false, status: 200))

    /// Listens on `127.0.0.1:port` (0 picks a free port) and starts accepting on a thread of its own.
    /// - Parameter status: the status every request is answered with.
    init(port: Int = 0, status: Int = 200) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestServiceError("socket() failed: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            close(descriptor)
            throw TestServiceError("cannot listen on 127.0.0.1:\(port): errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = descriptor
        state.withLock { $0.status = status }
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// `http://127.0.0.1:<port>`.
    var url: String { "http://127.0.0.1:\(port)" }

    /// The requests received so far, oldest first.
    var requests: [Request] { state.withLock { $0.requests } }

    /// Stops accepting and closes the listener.
    func stop() {
        let first = state.withLock { state in
            defer { state.stopped = true }
            return !state.stopped
        }
        if first {
            shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
        }
    }

    /// Waits up to `timeout` seconds until `condition` holds for the requests received.
    func waitFor(timeout: Double = 10, _ condition: ([Request]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(requests) { return true }
            usleep(20_000)
        }
        return condition(requests)
    }

    /// Accepts connections one at a time until stopped.
    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            serve(connection)
        }
    }

    /// Reads one request (head and Content-Length body, at most 5 s), records it and answers it.
    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var request: Request?
        while request == nil {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return }
            bytes.append(contentsOf: buffer[..<count])
            request = Self.parse(bytes)
        }
        guard let request else { return }
        let status = state.withLock { state in
            state.requests.append(request)
            return state.status
        }
        let answer = "HTTP/1.1 \(status) Captured\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        _ = Array(answer.utf8).withUnsafeBytes {
            send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
        }
    }

    /// The request in `bytes` once its head and whole body have arrived, else nil.
    private static func parse(_ bytes: [UInt8]) -> Request? {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else {
            return nil
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = end + separator.count
        guard bytes.count >= bodyStart + length else { return nil }
        return Request(
            requestLine: lines.first ?? "", headers: headers,
            body: Array(bytes[bodyStart..<(bodyStart + length)]))
    }
}
