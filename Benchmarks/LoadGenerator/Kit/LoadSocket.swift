#if canImport(Glibc)
    import Glibc
#endif

/// The TCP client calls the generator needs, over Glibc.
enum LoadSocket {
    /// The IPv4 address `host:port`, or nil when `host` is not an IPv4 literal or `port` is out of range.
    static func address(host: String, port: Int) -> sockaddr_in? {
        guard (1...65_535).contains(port) else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
        return address
    }

    /// A keep-alive connection to `address`: connected while blocking (loopback connects at once),
    /// then made non-blocking, with `TCP_NODELAY` so small requests leave at once and `SO_LINGER` 0 so
    /// closing never leaves a TIME_WAIT behind.
    static func connect(to address: sockaddr_in) throws(LoadError) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system("socket") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        var target = address
        let result = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let failure = LoadError.system("connect")
            close(fd)
            throw failure
        }
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
            let failure = LoadError.system("fcntl(O_NONBLOCK)")
            close(fd)
            throw failure
        }
        return fd
    }
}
