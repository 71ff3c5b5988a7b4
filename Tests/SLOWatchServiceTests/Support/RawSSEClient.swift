import Foundation
import Glibc

/// A stream client on a raw TCP socket that sends its request and then reads nothing, to play a
/// subscriber that fell behind. Its receive buffer is shrunk before connecting, so the server's
/// unsent bytes pile up quickly.
///
/// Not `Sendable`: confined to the test that created it. The socket is closed on deinit.
final class RawSSEClient {
    /// The socket.
    private let fd: Int32
    /// Whether ``fd`` was closed already.
    private var closed = false

    /// Connects to 127.0.0.1:`port` with `SO_RCVBUF` of `receiveBufferBytes` (the kernel may round it
    /// up) and sends `GET path` with `Accept: text/event-stream`.
    init(port: Int, path: String, receiveBufferBytes: Int = 4096) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else {
            closed = true
            throw TestServiceError("socket() failed with errno \(errno)")
        }
        var size = Int32(receiveBufferBytes)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        // Every later read waits at most 2 s, so draining can never hang a test.
        var time = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let error = errno
            close()
            throw TestServiceError("connect() to port \(port) failed with errno \(error)")
        }
        let request = Array(
            "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n\r\n".utf8)
        let sent = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == request.count else {
            close()
            throw TestServiceError("sending the stream request sent \(sent) of \(request.count) bytes")
        }
    }

    deinit { close() }

    /// Closes the socket (idempotent).
    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    /// Reads and discards everything until the server closes the connection (FIN or reset).
    /// - Returns: the bytes read, or nil when the connection stayed open for 2 s without data.
    func drainUntilClosed() -> Int? {
        var total = 0
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                total += count
                continue
            }
            if count == 0 { return total }
            switch errno {
            case EINTR: continue
            case ECONNRESET: return total
            default: return nil
            }
        }
    }
}
