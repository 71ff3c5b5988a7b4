import Foundation
import Glibc

/// A blocking HTTP/1.1 client on a raw TCP socket to 127.0.0.1, for sending exact (and broken) bytes.
///
/// Every read has a timeout (`SO_RCVTIMEO`) and every call an overall deadline, so a test never hangs.
/// Not `Sendable`: a client is confined to the test task that created it.
public final class RawClient {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var closed = false

    /// The read timeout for each wait, in ms (at most 30,000: generous for a loaded machine or a
    /// sanitizer build, and still a bound).
    public let timeoutMilliseconds: Int

    /// Connects to 127.0.0.1:`port` with `TCP_NODELAY`; `receiveBufferBytes` shrinks `SO_RCVBUF` (set before
    /// connecting, so the advertised window stays small).
    public init(port: Int, timeoutMilliseconds: Int = 3000, receiveBufferBytes: Int? = nil)
        throws(RawClientError)
    {
        self.timeoutMilliseconds = min(timeoutMilliseconds, 30_000)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else {
            closed = true
            throw .system("socket", errno: Glibc.errno)
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if let receiveBufferBytes {
            var size = Int32(receiveBufferBytes)
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var time = timeval(
            tv_sec: self.timeoutMilliseconds / 1000, tv_usec: (self.timeoutMilliseconds % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            let error = Glibc.errno
            // Through close(), so that deinit (which runs for a fully initialized object whose init
            // throws) does not close the descriptor number a second time, possibly someone else's by then.
            close()
            throw .system("connect", errno: error)
        }
    }

    deinit {
        close()
    }

    /// True when a TCP connection to 127.0.0.1:`port` is accepted by the kernel.
    public static func canConnect(port: Int) -> Bool {
        (try? RawClient(port: port, timeoutMilliseconds: 500)) != nil
    }

    /// Closes the socket (idempotent).
    public func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    /// Shuts down the sending side (the server reads the end of input); the socket stays open for reading.
    public func shutdownWrite() {
        guard !closed else { return }
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// Closes at once with a reset (`SO_LINGER` 0), as a client that crashes or is killed does.
    public func abort() {
        guard !closed else { return }
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        close()
    }

    /// True when a read would not block: the server sent bytes, closed, or reset the connection.
    public func isReadable() -> Bool {
        guard !closed else { return false }
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) == 1 && entry.revents != 0
    }

    /// Reads at most `limit` bytes with one `recv`, for a client that reads slowly: the bytes, or nil when
    /// the server closed (orderly or by reset); throws `timeout` when nothing came.
    public func readSome(limit: Int) throws(RawClientError) -> [UInt8]? {
        try receive(waitingFor: "\(limit) bytes", limit: limit)
    }

    /// Sends `text` as UTF-8.
    public func send(_ text: String) throws(RawClientError) {
        try send(Array(text.utf8))
    }

    /// Sends all of `bytes`.
    public func send(_ bytes: [UInt8]) throws(RawClientError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if Glibc.errno == EINTR { continue }
                throw .system("send", errno: Glibc.errno)
            }
            offset += sent
        }
    }

    /// Sends `bytes` in pieces of `pieceSize` bytes, pausing `pauseMicroseconds` between pieces so that each
    /// piece tends to reach the server in its own read.
    public func sendInPieces(_ bytes: [UInt8], pieceSize: Int = 1, pauseMicroseconds: UInt32 = 0)
        throws(RawClientError)
    {
        var start = 0
        while start < bytes.count {
            let end = min(start + max(pieceSize, 1), bytes.count)
            try send(Array(bytes[start..<end]))
            if pauseMicroseconds > 0 && end < bytes.count { usleep(pauseMicroseconds) }
            start = end
        }
    }

    /// Waits for the server to close the connection. Returns the bytes that arrived before the close (the
    /// peer closing with a reset counts as a close); throws `timeout` if it stays open.
    public func readUntilClosed() throws(RawClientError) -> [UInt8] {
        var received = buffer
        buffer = []
        while true {
            switch try receive(waitingFor: "connection close") {
            case .some(let bytes): received += bytes
            case .none: return received
            }
        }
    }

    /// True when the server closes the connection within the timeout without sending anything more.
    public func closesWithoutMoreBytes() -> Bool {
        guard let rest = try? readUntilClosed() else { return false }
        return rest.isEmpty
    }

    /// Reads one response. `isHead` means the request was HEAD, so the response has no body.
    public func readResponse(isHead: Bool = false) throws(RawClientError) -> RawResponse {
        let headEnd = try fill(untilFound: [13, 10, 13, 10], waitingFor: "response head")
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var response = try RawClient.parseHead(head)
        let noBody =
            isHead || (100..<200).contains(response.status) || response.status == 204
            || response.status == 304
        if noBody { return response }
        if response.tokens("Transfer-Encoding").last?.lowercased() == "chunked" {
            try readChunkedBody(into: &response)
        } else if let length = response.header("Content-Length") {
            guard let count = Int(length), count >= 0 else { throw .malformed("Content-Length \(length)") }
            try fill(count: count, waitingFor: "body of \(count) bytes")
            response.body = Array(buffer[..<count])
            buffer.removeFirst(count)
        } else {
            response.body = try readUntilClosed()
        }
        return response
    }

    private func readChunkedBody(into response: inout RawResponse) throws(RawClientError) {
        while true {
            let lineEnd = try fill(untilFound: [13, 10], waitingFor: "chunk size")
            let line = String(decoding: buffer[..<lineEnd], as: UTF8.self)
            buffer.removeFirst(lineEnd + 2)
            let sizeText = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw .malformed("chunk size line \"\(line)\"")
            }
            if size == 0 { break }
            try fill(count: size + 2, waitingFor: "chunk of \(size) bytes")
            response.body += buffer[..<size]
            buffer.removeFirst(size + 2)
        }
        while true {
            let lineEnd = try fill(untilFound: [13, 10], waitingFor: "trailer")
            let line = String(decoding: buffer[..<lineEnd], as: UTF8.self)
            buffer.removeFirst(lineEnd + 2)
            if line.isEmpty { return }
            if let field = RawClient.parseField(line) { response.trailers.append(field) }
        }
    }

    private static func parseHead(_ head: String) throws(RawClientError) -> RawResponse {
        let lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.first ?? ""
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw .malformed("status line \"\(statusLine)\"")
        }
        var fields: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let field = parseField(line) else { throw .malformed("header line \"\(line)\"") }
            fields.append(field)
        }
        let reason = parts.count > 2 ? String(parts[2]) : ""
        return RawResponse(
            version: String(parts[0]), status: status, reason: reason, headers: fields, body: [])
    }

    private static func parseField(_ line: String) -> (name: String, value: String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        return (String(line[..<colon]), value)
    }

    /// Reads until `buffer` holds `pattern`; returns the index where it starts.
    private func fill(untilFound pattern: [UInt8], waitingFor what: String) throws(RawClientError) -> Int {
        var searchFrom = 0
        while true {
            if buffer.count >= pattern.count {
                for index in searchFrom...(buffer.count - pattern.count)
                where buffer[index..<index + pattern.count].elementsEqual(pattern) {
                    return index
                }
                searchFrom = buffer.count - pattern.count + 1
            }
            guard let bytes = try receive(waitingFor: what) else { throw .closed(waitingFor: what) }
            buffer += bytes
        }
    }

    private func fill(count: Int, waitingFor what: String) throws(RawClientError) {
        while buffer.count < count {
            guard let bytes = try receive(waitingFor: what) else { throw .closed(waitingFor: what) }
            buffer += bytes
        }
    }

    /// One `recv` of at most `limit` bytes: the bytes read, or nil when the peer closed (orderly or by reset).
    private func receive(waitingFor what: String, limit: Int = 64 * 1024) throws(RawClientError) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: max(limit, 1))
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { return Array(chunk[..<count]) }
            if count == 0 { return nil }
            switch Glibc.errno {
            case EINTR: continue
            case ECONNRESET: return nil
            case EAGAIN, EWOULDBLOCK: throw .timeout(after: timeoutMilliseconds, waitingFor: what)
            case let error: throw .system("recv", errno: error)
            }
        }
    }
}
