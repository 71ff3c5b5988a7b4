import SLOWatchPOSIX

#if canImport(Glibc)
    import Glibc
#endif

/// The StatsD protocol on an ``EventLoop``: reads datagrams, accepts TCP connections, splits their
/// streams into lines and closes idle ones.
///
/// Not thread-safe: confined to its loop's thread from the loop's start to its end (the owner
/// touches it only before the start).
final class StatsDLoopDriver: EventLoopDriver {
    /// What a registered descriptor is.
    enum Handler {
        /// The UDP socket.
        case datagrams
        /// The listening TCP socket.
        case listener
        /// An accepted TCP connection.
        case connection
    }

    /// A message from the owner.
    enum Command: Sendable {
        /// Record the datagrams already queued, close every connection, and end the loop.
        case stop
    }

    /// The most datagrams or connections handled per descriptor per wake-up, so that a UDP flood cannot
    /// starve TCP clients (or the stop request), and the reverse.
    private static let readsPerWake = 64

    private let udp: Int32
    private let limits: StatsDLimits
    private var ingest: StatsDIngest
    /// The open TCP connections, by descriptor.
    private var connections: [Int32: StatsDConnection] = [:]
    /// One read's bytes: a whole datagram (at most 65,535 bytes) or a TCP chunk.
    private var buffer = [UInt8](repeating: 0, count: 65_536)
    private var stopped = false

    /// A driver reading `udp`, with the listener's bounds, recording through `ingest`.
    init(udp: Int32, limits: StatsDLimits, ingest: StatsDIngest) {
        self.udp = udp
        self.limits = limits
        self.ingest = ingest
    }

    func loop(_ loop: EventLoop<StatsDLoopDriver>, ready handler: Handler, fd: Int32, events: EpollEvents) {
        switch handler {
        case .datagrams: receiveDatagrams(now: loop.now, limit: Self.readsPerWake)
        case .listener: acceptConnections(fd, on: loop)
        case .connection: read(connection: fd, on: loop)
        }
    }

    func loop(_ loop: EventLoop<StatsDLoopDriver>, received command: Command) {
        switch command {
        case .stop:
            // What the kernel already holds was sent before the stop: record it. TCP connections are
            // closed as they are; a line a client is still writing is lost, as with any server stopping.
            receiveDatagrams(now: loop.now, limit: 4_096)
            for fd in connections.keys {
                loop.forget(fd)
                _ = Glibc.close(fd)
            }
            connections.removeAll()
            stopped = true
            loop.exit()
        }
    }

    func loopIterationEnded(_ loop: EventLoop<StatsDLoopDriver>) -> Bool {
        ingest.log.flush(now: loop.now)
        return !stopped
    }

    /// How often idle connections are looked for: a fraction of the idle timeout, so they close about
    /// on time, between 10 ms and 1 s, in ns.
    private var idleCheckNanoseconds: UInt64 {
        UInt64(min(max(SLOWatchService.wholeMilliseconds(limits.idleTimeoutMilliseconds) / 4, 10), 1_000))
            * 1_000_000
    }

    /// Closes idle connections every ``idleCheckNanoseconds``, from now on. Call on the loop's thread or
    /// before it starts.
    func scheduleIdleCheck(on loop: EventLoop<StatsDLoopDriver>) {
        loop.schedule(afterNanoseconds: idleCheckNanoseconds) { [unowned self, unowned loop] in
            expireIdleConnections(on: loop)
            scheduleIdleCheck(on: loop)
        }
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
    private func acceptConnections(_ listener: Int32, on loop: EventLoop<StatsDLoopDriver>) {
        let now = loop.now
        for _ in 0..<Self.readsPerWake {
            // Non-blocking and close-on-exec from the start (accept4), so no child process inherits it.
            let fd = Socket.accept(listener)
            guard fd >= 0 else { return }
            guard connections.count < limits.maxConnections else {
                _ = Glibc.close(fd)
                let limit = limits.maxConnections
                ingest.log.log(.warning, now: now) {
                    "A StatsD TCP connection was closed at once: \(limit) are open, the most allowed."
                }
                continue
            }
            guard loop.register(fd, for: .readable, handler: .connection) else {
                _ = Glibc.close(fd)
                continue
            }
            connections[fd] = StatsDConnection(fd: fd, now: now)
        }
    }

    /// Reads what one connection sent, records its complete lines as one batch, and closes it at the
    /// end of its stream or on an error.
    private func read(connection fd: Int32, on loop: EventLoop<StatsDLoopDriver>) {
        let now = loop.now
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffer.withUnsafeBufferPointer { bytes in
                connections[fd]?.receive(
                    UnsafeBufferPointer(rebasing: bytes[0..<count]), maxLineBytes: limits.maxLineBytes,
                    into: &ingest, now: now)
            }
        } else if count == 0 {
            connections[fd]?.finish(into: &ingest, now: now)
        } else if errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR {
            connections[fd]?.isClosed = true
        }
        ingest.commit(now: now)
        if connections[fd]?.isClosed == true { close(fd, on: loop) }
    }

    /// Closes the connections that sent nothing for the idle timeout.
    private func expireIdleConnections(on loop: EventLoop<StatsDLoopDriver>) {
        let now = loop.now
        let timeout = UInt64(SLOWatchService.wholeMilliseconds(limits.idleTimeoutMilliseconds)) * 1_000_000
        let idle = connections.values.filter { now &- $0.lastActivity >= timeout }.map(\.fd)
        for fd in idle {
            connections[fd]?.expire(into: &ingest, now: now)
            close(fd, on: loop)
        }
    }

    /// Forgets and closes connection `fd`.
    private func close(_ fd: Int32, on loop: EventLoop<StatsDLoopDriver>) {
        connections[fd] = nil
        loop.forget(fd)
        _ = Glibc.close(fd)
    }
}
