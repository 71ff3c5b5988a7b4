import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for the generator's tests: a thread per connection answers
/// each request head (no bodies: GET only) with `200` and a 2-byte body, and sleeps `stallSeconds`
/// before answering the request numbered `stallAt` (1-based, counted over all connections).
final class StallingServer: Sendable {
    /// The port it listens on.
    let port: Int
    private let listener: Int32
    private let served = Mutex(0)
    private let stallAt: Int
    private let stallSeconds: UInt32

    /// Requests answered so far.
    var requests: Int { served.withLock { $0 } }

    /// A server listening on an ephemeral port, accepting on a thread of its own.
    init(stallAt: Int, stallSeconds: UInt32) throws {
        self.stallAt = stallAt
        self.stallSeconds = stallSeconds
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 64) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        guard listener >= 0, bound else { throw POSIXError(.EADDRNOTAVAIL) }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in
            while true {
                let fd = accept(listener, nil, nil)
                if fd < 0 { return }
                Thread.detachNewThread { self.serve(fd) }
            }
        }
    }

    /// Stops accepting (open connections end when the client closes them).
    func stop() { shutdown(listener, Int32(SHUT_RDWR)) }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        let response = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".utf8)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return }
            buffer.append(contentsOf: chunk[0..<count])
            while let end = headEnd(buffer) {
                buffer.removeFirst(end)
                let number = served.withLock { count in
                    count += 1
                    return count
                }
                if number == stallAt { sleep(stallSeconds) }
                let sent = response.withUnsafeBytes {
                    send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                if sent != response.count { return }
            }
        }
    }

    private func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for offset in 3..<bytes.count
        where bytes[offset] == 10 && bytes[offset - 1] == 13 && bytes[offset - 2] == 10
            && bytes[offset - 3] == 13
        {
            return offset + 1
        }
        return nil
    }
}
