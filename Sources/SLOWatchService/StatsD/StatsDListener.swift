import Logging
import SLOWatchCore
import SLOWatchPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// Takes StatsD lines over UDP and TCP on one host and port, on an event loop of the socket layer
/// (``StatsDLoopDriver`` on a thread of its own), and records them through a ``StatsDIngest``.
///
/// Each datagram, and each read of a TCP connection, is recorded as one batch. Nothing a client sends
/// stops the loop: bad lines are counted and skipped, and every bound (line length, connections,
/// idle time) is in ``StatsDLimits``.
///
/// Sendable: immutable; the loop is reached only through its mailbox until ``stop()`` joins it.
final class StatsDListener: Sendable {
    /// The bound port (the one picked when the address asked for port 0).
    let port: Int
    private let udp: Int32
    private let tcp: Int32
    private let loop: EventLoop<StatsDLoopDriver>

    /// Binds `address` over UDP and TCP and starts the listener's loop.
    /// - Parameters:
    ///   - address: where to listen; port 0 picks a free port, the same for both.
    ///   - limits: the listener's bounds.
    ///   - ingest: records and counts what arrives.
    /// - Throws: ``ServiceError`` naming the address when it cannot bind, or when no event loop or
    ///   thread can be made.
    init(address: ListenAddress, limits: StatsDLimits, ingest: StatsDIngest) throws(ServiceError) {
        let sockets = try StatsDSocket.bind(address)
        let driver = StatsDLoopDriver(udp: sockets.udp, limits: limits, ingest: ingest)
        guard let loop = EventLoop(driver: driver) else {
            let code = errno
            Self.close(sockets.udp, sockets.tcp)
            throw ServiceError(
                "Could not start the StatsD listener: no event loop (\(String(cString: strerror(code))), "
                    + "errno \(code)).",
                setting: .statsd)
        }
        guard loop.register(sockets.udp, for: .readable, handler: .datagrams),
            loop.register(sockets.tcp, for: .readable, handler: .listener)
        else {
            let code = errno
            loop.join()
            Self.close(sockets.udp, sockets.tcp)
            throw ServiceError(
                "Could not start the StatsD listener: epoll refused its sockets "
                    + "(\(String(cString: strerror(code))), errno \(code)).",
                setting: .statsd)
        }
        driver.scheduleIdleCheck(on: loop)
        guard loop.start() else {
            let code = errno
            loop.join()
            Self.close(sockets.udp, sockets.tcp)
            throw ServiceError(
                "Could not start the StatsD listener's thread: \(String(cString: strerror(code))).",
                setting: .statsd)
        }
        udp = sockets.udp
        tcp = sockets.tcp
        port = sockets.port
        self.loop = loop
    }

    /// Stops: the loop records the datagrams already queued, closes every connection and exits, and
    /// then the sockets are closed, so the port is free when this returns. Call once.
    func stop() {
        loop.post(.stop)
        loop.join()
        Self.close(udp, tcp)
    }

    private static func close(_ descriptors: Int32...) {
        for fd in descriptors { _ = Glibc.close(fd) }
    }
}
