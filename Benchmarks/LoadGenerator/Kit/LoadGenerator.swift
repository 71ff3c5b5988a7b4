import CEpoll
import CLoadTimer

#if canImport(Glibc)
    import Glibc
#endif

/// The open-loop load generator: one thread, one epoll set, a timerfd for the schedule.
///
/// Requests are due at the times `ArrivalSchedule` gives, whatever the responses do. A due request
/// goes out at once on an idle connection, or waits in a FIFO for the next connection to become free;
/// either way its latency runs from its intended time, so a stall cannot hide behind the closed loop
/// (no coordinated omission). A run ends when every scheduled request has been answered, or
/// `drainSeconds` after the last intended time, whichever comes first.
public final class LoadGenerator {
    static let timerTag = UInt64.max
    private let options: LoadOptions
    private let address: sockaddr_in
    private let pool: [[UInt8]]
    private let epoll: Int32
    private let timer: Int32
    private var connections: [LoadConnection] = []
    private var idle: [Int] = []
    private var pending: PendingQueue
    private var latency = LatencyHistogram()
    private var sendDelay = LatencyHistogram()
    private var nextRequest = 0
    private var inFlight = 0
    private var sent = 0
    private var completed = 0
    private var statusErrors = 0
    private var socketErrors = 0
    private var dropped = 0

    /// A generator for `options`, connected: throws when the address is invalid or a connection fails.
    public init(_ options: LoadOptions) throws(LoadError) {
        guard let address = LoadSocket.address(host: options.host, port: options.port) else {
            throw LoadError("--host must be an IPv4 address, not \(options.host).")
        }
        self.options = options
        self.address = address
        pool = options.scenario.requests(host: "\(options.host):\(options.port)", seed: options.seed)
        pending = PendingQueue(limit: options.pendingLimit)
        epoll = cepoll_create()
        timer = cloadtimer_create()
        guard epoll >= 0, timer >= 0, cepoll_ctl(epoll, 0, timer, CEPOLL_IN, Self.timerTag) == 0 else {
            throw .system("epoll/timerfd setup")
        }
        for index in 0..<options.connections {
            let fd = try LoadSocket.connect(to: address)
            connections.append(LoadConnection(fd: fd))
            guard cepoll_ctl(epoll, 0, fd, CEPOLL_IN | CEPOLL_RDHUP, UInt64(index)) == 0 else {
                throw .system("epoll_ctl")
            }
            idle.append(index)
        }
    }

    deinit {
        for connection in connections where connection.fd >= 0 { close(connection.fd) }
        close(timer)
        close(epoll)
    }

    /// Runs the schedule to its end and returns what was measured.
    public func run() -> LoadResult {
        let start = cloadtimer_now_ns() + 1_000_000
        let end = start + UInt64(options.durationSeconds * 1e9)
        let giveUp = end + UInt64(options.drainSeconds * 1e9)
        var schedule = ArrivalSchedule(
            rate: options.rate, start: start, arrival: options.arrival, seed: options.seed)
        var next = schedule.next()
        var armed: UInt64 = 0
        var events = [cepoll_event_t](repeating: cepoll_event_t(), count: 256)
        while true {
            let now = cloadtimer_now_ns()
            while next < end && next <= now {
                if !pending.append(next) { dropped += 1 }
                next = schedule.next()
            }
            dispatch()
            if next >= end && pending.isEmpty && inFlight == 0 { break }
            if now >= giveUp || (next >= end && liveConnections == 0) { break }
            var timeout: Int32 = -1
            if next < end {
                if armed != next {
                    cloadtimer_arm(timer, next)
                    armed = next
                }
            } else {
                timeout = Int32(clamping: (giveUp - now) / 1_000_000 + 1)
            }
            let count = events.withUnsafeMutableBufferPointer {
                cepoll_wait(epoll, $0.baseAddress, Int32($0.count), timeout)
            }
            guard count > 0 else { continue }
            for event in events[0..<Int(count)] {
                if event.data == Self.timerTag {
                    cloadtimer_clear(timer)
                } else {
                    handle(Int(event.data), events: event.events)
                }
            }
        }
        let finish = cloadtimer_now_ns()
        return LoadResult(
            options: options, latency: latency, sendDelay: sendDelay, sent: sent, completed: completed,
            statusErrors: statusErrors, socketErrors: socketErrors + inFlight,
            unsent: pending.count + dropped,
            elapsedNanoseconds: finish > start ? finish - start : 0)
    }

    private var liveConnections: Int { connections.count(where: { $0.fd >= 0 }) }

    /// Sends waiting requests, oldest first, while a connection is idle.
    private func dispatch() {
        while !pending.isEmpty, let index = idle.popLast(), let intended = pending.popFirst() {
            connections[index].inFlight = true
            connections[index].intended = intended
            connections[index].request = nextRequest
            connections[index].written = 0
            nextRequest = (nextRequest + 1) % pool.count
            inFlight += 1
            sent += 1
            let now = cloadtimer_now_ns()
            sendDelay.record(now > intended ? now - intended : 0)
            write(index)
        }
    }

    /// Writes as much of connection `index`'s request as the socket takes; watches for writability
    /// when some is left.
    private func write(_ index: Int) {
        let fd = connections[index].fd
        let request = connections[index].request
        while connections[index].written < pool[request].count {
            let offset = connections[index].written
            let count = pool[request].withUnsafeBytes {
                send(fd, $0.baseAddress.map { $0 + offset }, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if count > 0 {
                connections[index].written += count
            } else if count < 0 && errno == EINTR {
                continue
            } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                watchWrites(index, true)
                return
            } else {
                fail(index)
                return
            }
        }
        watchWrites(index, false)
    }

    private func watchWrites(_ index: Int, _ on: Bool) {
        guard connections[index].watchingWrites != on else { return }
        connections[index].watchingWrites = on
        let events = CEPOLL_IN | CEPOLL_RDHUP | (on ? CEPOLL_OUT : 0)
        _ = cepoll_ctl(epoll, 1, connections[index].fd, events, UInt64(index))
    }

    /// Handles readiness `events` on connection `index`.
    private func handle(_ index: Int, events: UInt32) {
        guard connections[index].fd >= 0 else { return }
        if events & CEPOLL_OUT != 0 && connections[index].inFlight { write(index) }
        guard connections[index].fd >= 0, events & (CEPOLL_IN | CEPOLL_ERR | CEPOLL_HUP | CEPOLL_RDHUP) != 0
        else {
            return
        }
        read(index)
    }

    /// Reads what connection `index` has, and completes its request when the response has ended.
    private func read(_ index: Int) {
        let fd = connections[index].fd
        var closed = false
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 65_536) { chunk in
            while true {
                let count = recv(fd, chunk.baseAddress, chunk.count, 0)
                if count > 0 {
                    connections[index].buffer.append(contentsOf: chunk[0..<count])
                    // A short read emptied the socket: skip the recv that would only say EAGAIN (epoll is
                    // level-triggered, so anything later, a close included, wakes the loop again).
                    if count < chunk.count { return }
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    closed = count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
                    return
                }
            }
        }
        if !connections[index].buffer.isEmpty {
            guard connections[index].inFlight else { return fail(index) }
            switch ResponseParser.parse(connections[index].buffer) {
            case .incomplete: break
            case .invalid: return fail(index)
            case .complete(let status, let length):
                guard length == connections[index].buffer.count else { return fail(index) }
                let now = cloadtimer_now_ns()
                let intended = connections[index].intended
                latency.record(now > intended ? now - intended : 0)
                completed += 1
                if !(200..<300).contains(status) { statusErrors += 1 }
                connections[index].buffer.removeAll(keepingCapacity: true)
                connections[index].inFlight = false
                inFlight -= 1
                if closed {
                    replace(index)
                } else {
                    idle.append(index)
                }
                return
            }
        }
        if closed { fail(index) }
    }

    /// Counts the request in flight on connection `index` (if any) as a socket error and replaces the
    /// connection.
    private func fail(_ index: Int) {
        if connections[index].inFlight {
            connections[index].inFlight = false
            inFlight -= 1
            socketErrors += 1
        }
        replace(index)
    }

    /// Closes connection `index` and opens a new one in its place (idle), or marks it dead.
    private func replace(_ index: Int) {
        close(connections[index].fd)
        idle.removeAll { $0 == index }
        do throws(LoadError) {
            let fd = try LoadSocket.connect(to: address)
            connections[index] = LoadConnection(fd: fd)
            guard cepoll_ctl(epoll, 0, fd, CEPOLL_IN | CEPOLL_RDHUP, UInt64(index)) == 0 else {
                close(fd)
                connections[index].fd = -1
                return
            }
            idle.append(index)
        } catch {
            connections[index].fd = -1
        }
    }
}
