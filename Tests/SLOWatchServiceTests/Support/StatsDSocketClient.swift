import Foundation

/// Raw StatsD clients for tests: UDP datagrams and TCP streams to 127.0.0.1, written byte for byte.
enum StatsDSocketClient {
    /// Sends each of `datagrams` as one UDP datagram to `127.0.0.1:port`.
    static func sendUDP(_ datagrams: [[UInt8]], port: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw TestServiceError("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(port: port)
        for datagram in datagrams {
            let sent = datagram.withUnsafeBytes { bytes in
                withUnsafePointer(to: &address) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(
                            fd, bytes.baseAddress, bytes.count, 0, $0,
                            socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
            guard sent == datagram.count else { throw TestServiceError("sendto() failed: errno \(errno)") }
        }
    }

    /// Sends `text` as one UDP datagram.
    static func sendUDP(_ text: String, port: Int) throws { try sendUDP([Array(text.utf8)], port: port) }

    /// A connected TCP socket to `127.0.0.1:port`.
    static func connectTCP(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestServiceError("socket() failed: errno \(errno)") }
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw TestServiceError("connect() to port \(port) failed: errno \(errno)")
        }
        return fd
    }

    /// Writes all of `text` to a connected socket.
    static func write(_ fd: Int32, _ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { throw TestServiceError("send() failed: errno \(errno)") }
            offset += written
        }
    }

    /// Whether the peer closed `fd` within `timeout` seconds (a read returns 0 or an error).
    static func waitForClose(_ fd: Int32, timeout: Double = 5) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(timeout * 1_000)) == 1 else { return false }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) <= 0
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

/// Polls `condition` every 10 ms until it holds or `timeout` seconds pass.
/// - Returns: whether it held.
func waitUntil(timeout: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}
