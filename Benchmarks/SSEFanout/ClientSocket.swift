#if canImport(Glibc)
    import Glibc
#endif

/// The few TCP socket calls the load client needs, over Glibc.
enum ClientSocket {
    /// A socket-level failure, with the call and the errno text.
    struct Failure: Error, CustomStringConvertible {
        /// What went wrong, as a sentence.
        let description: String

        /// `call` failed with the current errno.
        init(_ call: String) {
            description = "\(call) failed: \(String(cString: strerror(errno)))."
        }
    }

    /// The IPv4 address `host:port`, or nil when `host` is not an IPv4 literal.
    static func address(host: String, port: Int) -> sockaddr_in? {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
        return address
    }

    /// A non-blocking socket whose connect to `address` has started (it completes when writable).
    ///
    /// `SO_LINGER` 0 makes `close` send a reset instead of leaving the client side in TIME_WAIT for a
    /// minute, so back-to-back runs of 10,000 connections do not run out of ephemeral ports.
    static func startConnect(to address: sockaddr_in) throws(Failure) -> Int32 {
        let fd = socket(
            AF_INET,
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket") }
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        var target = address
        let result = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 && errno != EINPROGRESS {
            let failure = Failure("connect")
            close(fd)
            throw failure
        }
        return fd
    }

    /// A blocking socket connected to `address`, with `TCP_NODELAY` and `timeoutMilliseconds` on reads.
    static func connectBlocking(to address: sockaddr_in, timeoutMilliseconds: Int) throws(Failure) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        var time = timeval(
            tv_sec: timeoutMilliseconds / 1_000, tv_usec: (timeoutMilliseconds % 1_000) * 1_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var target = address
        let result = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let failure = Failure("connect")
            close(fd)
            throw failure
        }
        return fd
    }

    /// The pending error of a non-blocking connect (0 once it succeeded).
    static func pendingError(_ fd: Int32) -> Int32 {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        return error
    }

    /// Sends all of `bytes` on a blocking socket, or on a non-blocking one whose buffer has room
    /// (requests here are a few hundred bytes).
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                let rest = UnsafeRawBufferPointer(rebasing: buffer[offset...])
                return send(fd, rest.baseAddress, rest.count, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                throw Failure("send")
            }
            offset += sent
        }
    }

    /// One `Connection: close` request on a fresh blocking connection; the whole response as text.
    static func exchange(_ request: String, with address: sockaddr_in) throws(Failure) -> String {
        let fd = try connectBlocking(to: address, timeoutMilliseconds: 5_000)
        defer { close(fd) }
        try sendAll(fd, Array(request.utf8))
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw Failure("recv") }
            if count == 0 { break }
            response.append(contentsOf: chunk[..<count])
        }
        return String(decoding: response, as: UTF8.self)
    }
}
