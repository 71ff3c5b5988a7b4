import CEpoll

#if canImport(Glibc)
    import Glibc
#endif

/// Thin wrappers over the POSIX socket calls of the HTTP server and the StatsD listener.
package enum Socket {
    /// Creates a non-blocking, close-on-exec listening TCP socket bound to `host:port` with
    /// `SO_REUSEADDR`.
    /// - Parameters:
    ///   - host: an IPv4 or IPv6 literal.
    ///   - port: 0...65535; 0 picks a free port.
    ///   - backlog: the kernel's queue of accepted-but-not-taken connections.
    /// - Returns: the descriptor and the bound port (the ephemeral one when `port` is 0).
    /// - Throws: ``SocketError`` naming the call that failed.
    package static func listen(host: String, port: Int, backlog: Int32) throws(SocketError) -> (
        fd: Int32, port: Int
    ) {
        guard (0...65535).contains(port) else { throw .invalidAddress(host: host, port: port) }
        guard let (initial, length, family) = address(host: host, port: port) else {
            throw .invalidAddress(host: host, port: port)
        }
        var storage = initial
        let fd = socket(
            family,
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .socket("create a socket for", host: host, port: port, errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else {
            let code = errno
            _ = Glibc.close(fd)
            throw .socket("bind", host: host, port: port, errno: code)
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let code = errno
            _ = Glibc.close(fd)
            throw .socket("listen on", host: host, port: port, errno: code)
        }
        return (fd, boundPort(fd) ?? port)
    }

    /// `host:port` as a socket address: an IPv4 or IPv6 literal, with the port in network order; nil when
    /// `host` is neither.
    package static func address(host: String, port: Int) -> (
        storage: sockaddr_storage, length: socklen_t, family: Int32
    )? {
        var storage = sockaddr_storage()
        var address4 = in_addr()
        var address6 = in6_addr()
        let portBytes = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        if inet_pton(AF_INET, host, &address4) == 1 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = portBytes
            address.sin_addr = address4
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in.self) }
            return (storage, socklen_t(MemoryLayout<sockaddr_in>.size), AF_INET)
        }
        guard inet_pton(AF_INET6, host, &address6) == 1 else { return nil }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = portBytes
        address.sin6_addr = address6
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in6.self) }
        return (storage, socklen_t(MemoryLayout<sockaddr_in6>.size), AF_INET6)
    }

    /// The local port of a bound socket (IPv4 or IPv6), or nil when `getsockname` fails.
    package static func boundPort(_ fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
        return withUnsafeBytes(of: &storage) { raw -> Int in
            if raw.load(as: sa_family_t.self) == sa_family_t(AF_INET6) {
                return Int(UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port))
            }
            return Int(UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port))
        }
    }

    /// Accepts one connection as non-blocking with `TCP_NODELAY`; returns -1 with errno set.
    package static func accept(_ listener: Int32) -> Int32 {
        cepoll_accept(listener)
    }

    /// The monotonic clock, in nanoseconds.
    package static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
