import SLOWatchPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// The POSIX socket calls of the StatsD listener: a UDP and a TCP socket bound on one host and port.
enum StatsDSocket {
    /// A socket call that failed, with its errno.
    struct Failure: Error {
        /// The call, for the message: `bind`, `listen on`, `create a socket for`.
        var call: String
        /// The errno it left.
        var code: Int32
    }

    /// How many times a free port (port 0) is picked again when TCP cannot have the port UDP got.
    private static let freePortAttempts = 16

    /// The UDP receive buffer asked for, in bytes (the kernel caps it at `net.core.rmem_max`): room for
    /// bursts while the listener is busy recording.
    private static let receiveBufferBytes: Int32 = 4 << 20

    /// Binds a UDP socket and a listening TCP socket, both non-blocking and close-on-exec, on `address`;
    /// with port 0 both get the same free port.
    /// - Returns: the two descriptors and the bound port.
    /// - Throws: ``ServiceError`` naming the protocol, the address and the reason.
    static func bind(_ address: ListenAddress) throws(ServiceError) -> (udp: Int32, tcp: Int32, port: Int) {
        var attempt = 0
        while true {
            attempt += 1
            let udp: (fd: Int32, port: Int)
            do {
                udp = try open(SOCK_DGRAM, host: address.host, port: address.port)
            } catch {
                throw failure(error, protocol: "UDP", host: address.host, port: address.port)
            }
            do {
                let tcp = try open(SOCK_STREAM, host: address.host, port: udp.port)
                return (udp.fd, tcp.fd, udp.port)
            } catch {
                _ = Glibc.close(udp.fd)
                // With port 0 the port UDP got may be taken for TCP: pick another.
                guard address.port == 0, error.code == EADDRINUSE, attempt < freePortAttempts else {
                    throw failure(error, protocol: "TCP", host: address.host, port: udp.port)
                }
            }
        }
    }

    /// `Could not bind the StatsD UDP listener to 127.0.0.1:8125: Address already in use (errno 98).`
    private static func failure(_ failure: Failure, protocol name: String, host: String, port: Int)
        -> ServiceError
    {
        ServiceError(
            "Could not \(failure.call) the StatsD \(name) listener to \(ListenAddress(host: host, port: port)): "
                + "\(String(cString: strerror(failure.code))) (errno \(failure.code)).",
            setting: .statsd)
    }

    /// Creates a socket of `type`, binds it and (for TCP) listens; on failure closes what it opened.
    private static func open(_ type: __socket_type, host: String, port: Int) throws(Failure) -> (
        fd: Int32, port: Int
    ) {
        guard let (initial, length, family) = Socket.address(host: host, port: port) else {
            throw Failure(call: "parse the address of", code: EINVAL)
        }
        var storage = initial
        let fd = socket(
            family, Int32(type.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(call: "create a socket for", code: errno) }
        if type == SOCK_STREAM {
            // So a restart can bind while old connections sit in TIME_WAIT. Not on UDP, where it would
            // let a second process share the port and silently take half the datagrams.
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        } else {
            var size = receiveBufferBytes
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        let bound = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) }
        }
        guard bound == 0 else { throw closing(fd, Failure(call: "bind", code: errno)) }
        if type == SOCK_STREAM, Glibc.listen(fd, 128) != 0 {
            throw closing(fd, Failure(call: "listen on", code: errno))
        }
        guard let boundPort = Socket.boundPort(fd) else {
            throw closing(fd, Failure(call: "read the port of", code: errno))
        }
        return (fd, boundPort)
    }

    /// Closes `fd` and returns `failure`, keeping the errno read before closing.
    private static func closing(_ fd: Int32, _ failure: Failure) -> Failure {
        _ = Glibc.close(fd)
        return failure
    }
}
