import CEpoll
import Logging
import SLOWatchCore

#if canImport(Glibc)
    import Glibc
#endif

/// Takes StatsD lines over UDP and TCP on one host and port, on a thread of its own that waits with
/// `poll(2)`, and records them through a ``StatsDIngest``.
///
/// Each datagram, and each read of a TCP connection, is recorded as one batch. Nothing a client sends
/// stops the thread: bad lines are counted and skipped, and every bound (line length, connections,
/// idle time) is in ``StatsDLimits``.
///
/// `@unchecked Sendable`: `ingest`, `connections` and `buffer` are touched only by the listener's
/// thread, from `run()`'s start to its end; the thread that calls ``stop()`` waits for that end
/// (`pthread_join`) before closing anything. `thread` is written by ``start(…)`` before the thread can
/// be stopped, and read by ``stop()``, which the service calls at most once. The descriptors never change.
final class StatsDListener: @unchecked Sendable {
    /// The bound port (the one picked when the address asked for port 0).
    let port: Int
    private let udp: Int32
    private let tcp: Int32
    /// The eventfd that wakes the thread to stop: the thread polls it, ``stop()`` signals it.
    private let wake: Int32
    private let limits: StatsDLimits
    private let clock = SystemMonotonicClock()
    private var ingest: StatsDIngest
    private var connections: [StatsDConnection] = []
    /// One read's bytes: a whole datagram (at most 65,535 bytes) or a TCP chunk.
    private var buffer = [UInt8](repeating: 0, count: 65_536)
    private var thread: pthread_t?

    /// The most datagrams or connections handled per descriptor per wake-up, so that a UDP flood cannot
    /// starve TCP clients (or the stop request), and the reverse.
    private static let readsPerWake = 64

    /// Binds `address` over UDP and TCP and starts the listener's thread.
    /// - Parameters:
    ///   - address: where to listen; port 0 picks a free port, the same for both.
    ///   - limits: the listener's bounds.
    ///   - ingest: records and counts what arrives.
    /// - Throws: ``ServiceError`` naming the address when it cannot bind, or when no thread can be made.
    init(address: ListenAddress, limits: StatsDLimits, ingest: StatsDIngest) throws(ServiceError) {
        let sockets = try StatsDSocket.bind(address)
        let wake = cepoll_eventfd_create()
        guard wake >= 0 else {
            let code = errno
            _ = Glibc.close(sockets.udp)
            _ = Glibc.close(sockets.tcp)
            throw ServiceError(
                "Could not start the StatsD listener: no eventfd (\(String(cString: strerror(code))), "
                    + "errno \(code)).",
                setting: .statsd)
        }
        udp = sockets.udp
        tcp = sockets.tcp
        port = sockets.port
        self.wake = wake
        self.limits = limits
        self.ingest = ingest
        let retained = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let result = pthread_create(
            &handle, nil,
            { argument in
                guard let argument else { return nil }
                Unmanaged<StatsDListener>.fromOpaque(argument).takeRetainedValue().run()
                return nil
            }, retained.toOpaque())
        guard result == 0 else {
            retained.release()
            closeDescriptors()
            throw ServiceError(
                "Could not start the StatsD listener's thread: \(String(cString: strerror(result))).",
                setting: .statsd)
        }
        thread = handle
    }

    /// Stops: the thread records the datagrams already queued, closes every connection and exits, and
    /// then the sockets are closed, so the port is free when this returns. Call once.
    func stop() {
        cepoll_eventfd_signal(wake)
        if let thread { pthread_join(thread, nil) }
        thread = nil
        closeDescriptors()
    }

    private func closeDescriptors() {
        for fd in [udp, tcp, wake] { _ = Glibc.close(fd) }
    }

    /// The thread's loop: waits for input, the stop signal or the next idle check.
    private func run() {
        var descriptors: [pollfd] = []
        while true {
            descriptors.removeAll(keepingCapacity: true)
            descriptors.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0))
            descriptors.append(pollfd(fd: udp, events: Int16(POLLIN), revents: 0))
            descriptors.append(pollfd(fd: tcp, events: Int16(POLLIN), revents: 0))
            for connection in connections {
                descriptors.append(pollfd(fd: connection.fd, events: Int16(POLLIN), revents: 0))
            }
            let ready = poll(&descriptors, nfds_t(descriptors.count), pollTimeoutMilliseconds)
            let now = clock.nowNanoseconds()
            if ready > 0 {
                if descriptors[0].revents != 0 { break }
                if descriptors[1].revents != 0 { receiveDatagrams(now: now, limit: Self.readsPerWake) }
                // The connections polled are the first ones; those accepted below join the next poll.
                for index in connections.indices where descriptors[3 + index].revents != 0 {
                    read(connection: index, now: now)
                }
                if descriptors[2].revents != 0 { acceptConnections(now: now) }
            }
            expireIdleConnections(now: now)
            connections.removeAll { connection in
                if connection.isClosed { _ = Glibc.close(connection.fd) }
                return connection.isClosed
            }
            ingest.log.flush(now: now)
        }
        // What the kernel already holds was sent before the stop: record it. TCP connections are
        // closed as they are; a line a client is still writing is lost, as with any server stopping.
        receiveDatagrams(now: clock.nowNanoseconds(), limit: 4_096)
        for connection in connections { _ = Glibc.close(connection.fd) }
        connections.removeAll()
    }

    /// How long `poll` may wait: a fraction of the idle timeout, so idle connections close about on
    /// time, between 10 ms and 1 s.
    private var pollTimeoutMilliseconds: Int32 {
        Int32(min(max(SLOWatchService.wholeMilliseconds(limits.idleTimeoutMilliseconds) / 4, 10), 1_000))
    }

    /// Reads queued datagrams, each recorded as one batch, until none is left or `limit` is reached.
    private func receiveDatagrams(now: UInt64, limit: Int) {
        for _ in 0..<limit {
            let count = buffer.withUnsafeMutableBytes { recv(udp, $0.baseAddress, $0.count, 0) }
            // EAGAIN: nothing left. Other errors (an ICMP error reported on the socket) are not about
            // any datagram; the next call reads on.
            guard count >= 0 else {
                if errno == EAGAIN || errno == EWOULDBLOCK { return }
                continue
            }
            buffer.withUnsafeBufferPointer { bytes in
                ingest.add(lines: UnsafeBufferPointer(rebasing: bytes[0..<count]), from: .udp, now: now)
            }
            ingest.commit(now: now)
        }
    }

    /// Accepts waiting connections; beyond the connection limit each is closed at once and logged.
    private func acceptConnections(now: UInt64) {
        for _ in 0..<Self.readsPerWake {
            // Non-blocking and close-on-exec from the start (accept4), so no child process inherits it.
            let fd = cepoll_accept(tcp)
            guard fd >= 0 else { return }
            guard connections.count < limits.maxConnections else {
                _ = Glibc.close(fd)
                let limit = limits.maxConnections
                ingest.log.log(.warning, now: now) {
                    "A StatsD TCP connection was closed at once: \(limit) are open, the most allowed."
                }
                continue
            }
            connections.append(StatsDConnection(fd: fd, now: now))
        }
    }

    /// Reads what one connection sent, records its complete lines as one batch, and marks it closed at
    /// the end of its stream or on an error.
    private func read(connection index: Int, now: UInt64) {
        let fd = connections[index].fd
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffer.withUnsafeBufferPointer { bytes in
                connections[index].receive(
                    UnsafeBufferPointer(rebasing: bytes[0..<count]), maxLineBytes: limits.maxLineBytes,
                    into: &ingest, now: now)
            }
        } else if count == 0 {
            connections[index].finish(into: &ingest, now: now)
        } else if errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR {
            connections[index].isClosed = true
        }
        ingest.commit(now: now)
    }

    /// Closes the connections that sent nothing for the idle timeout.
    private func expireIdleConnections(now: UInt64) {
        let timeout = UInt64(SLOWatchService.wholeMilliseconds(limits.idleTimeoutMilliseconds)) * 1_000_000
        for index in connections.indices where !connections[index].isClosed {
            if now &- connections[index].lastActivity >= timeout {
                connections[index].expire(into: &ingest, now: now)
            }
        }
    }
}
