import CEpoll

#if canImport(Glibc)
    import Glibc
#endif

/// The load client: holds the subscribers on one epoll set, on this one thread, and drives the phases
/// of the benchmark (connect, wait for a heartbeat, idle window, fan-out).
///
/// One thread is enough: after the connects, each subscriber costs one `recv` per frame, and the
/// client's own CPU time is reported so a reader can check that it was not the bottleneck.
final class FanoutClient {
    /// A failure that ends the run, as a sentence.
    struct Failure: Error, CustomStringConvertible {
        /// The sentence.
        let description: String
    }

    /// The epoll `data` of the POST connection; subscribers use their index.
    private static let postToken = UInt64.max

    /// The options.
    let options: FanoutOptions
    /// The server's address.
    let address: sockaddr_in
    /// The subscribers, by index.
    private(set) var subscribers: [Subscriber] = []
    /// Subscribers whose head arrived and that are still open.
    private(set) var streamingCount = 0
    /// Subscribers that failed (connect error, bad head, or the server closed the stream).
    private(set) var failedCount = 0
    /// The first failure's reason, for the report.
    private(set) var firstFailure: String?
    /// The POST connection, while it is open.
    private var postFD: Int32 = -1
    /// The POST response received so far.
    private(set) var postResponse: [UInt8] = []
    /// When the POST response's first bytes arrived (ns).
    private(set) var postAnsweredAt: UInt64?
    /// The epoll set.
    private let epoll: Int32
    /// The ready events of one wait.
    private var events = [cepoll_event_t](repeating: cepoll_event_t(), count: 1_024)
    /// One read's bytes.
    private var readBuffer = [UInt8](repeating: 0, count: 65_536)

    /// Creates the client and its epoll set.
    /// - Throws: ``Failure`` when the host is not an IPv4 literal or epoll cannot be created.
    init(options: FanoutOptions) throws(Failure) {
        guard let address = ClientSocket.address(host: options.host, port: options.port) else {
            throw Failure(description: "The host \"\(options.host)\" is not an IPv4 address literal.")
        }
        self.options = options
        self.address = address
        epoll = cepoll_create()
        guard epoll >= 0 else { throw Failure(description: "epoll_create1 failed.") }
    }

    /// Closes every socket (with a reset: see ``ClientSocket/startConnect(to:)``) and the epoll set.
    func closeAll() {
        for subscriber in subscribers where !subscriber.isClosed { close(subscriber.fd) }
        if postFD >= 0 { close(postFD) }
        close(epoll)
    }

    /// Connects every subscriber, at most `inFlight` connects and heads pending at once, and waits until
    /// each has its `200 text/event-stream` head (or failed).
    /// - Throws: ``Failure`` when a socket cannot be created, or the connects take over 120 s.
    func connectAll() throws(Failure) {
        subscribers.reserveCapacity(options.subscribers)
        let deadline = FanoutClock.nanoseconds() + 120_000_000_000
        while streamingCount + failedCount < options.subscribers {
            while subscribers.count < options.subscribers,
                subscribers.count - streamingCount - failedCount < options.inFlight
            {
                let fd: Int32
                do {
                    fd = try ClientSocket.startConnect(to: address)
                } catch {
                    throw Failure(description: "Subscriber \(subscribers.count + 1): \(error.description)")
                }
                let index = subscribers.count
                subscribers.append(Subscriber(fd: fd, index: index, startedAt: FanoutClock.nanoseconds()))
                let flags = CEPOLL_OUT | CEPOLL_IN | CEPOLL_RDHUP
                guard cepoll_ctl(epoll, 0, fd, flags, UInt64(index)) == 0 else {
                    throw Failure(description: "epoll_ctl could not add subscriber \(index + 1).")
                }
            }
            guard FanoutClock.nanoseconds() < deadline else {
                throw Failure(
                    description: "Only \(streamingCount) of \(options.subscribers) subscribers had their "
                        + "stream head after 120 s.")
            }
            pump(timeoutMilliseconds: 50)
        }
    }

    /// Handles ready sockets until `condition` holds or `seconds` pass.
    /// - Returns: whether `condition` held.
    @discardableResult
    func pump(forSeconds seconds: Double, until condition: () -> Bool = { false }) -> Bool {
        let deadline = FanoutClock.nanoseconds() + UInt64(seconds * 1e9)
        while true {
            if condition() { return true }
            let now = FanoutClock.nanoseconds()
            guard now < deadline else { return false }
            pump(timeoutMilliseconds: Int32(min(50, max(1, (deadline - now) / 1_000_000))))
        }
    }

    /// Sends the breaking sample on a fresh connection (connected before the clock starts).
    /// - Returns: the send time (ns), just before the request's bytes are handed to the kernel.
    /// - Throws: ``Failure`` when the connection or the send fails.
    func postBreakingSample() throws(Failure) -> UInt64 {
        let body = "{\"metric\":\"\(options.metric)\",\"value\":\(options.value)}"
        let request =
            "POST /samples HTTP/1.1\r\nHost: \(options.host)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        do {
            postFD = try ClientSocket.connectBlocking(to: address, timeoutMilliseconds: 5_000)
        } catch {
            throw Failure(description: "The POST connection: \(error.description)")
        }
        guard cepoll_ctl(epoll, 0, postFD, CEPOLL_IN | CEPOLL_RDHUP, Self.postToken) == 0 else {
            throw Failure(description: "epoll_ctl could not add the POST connection.")
        }
        let bytes = Array(request.utf8)
        let sentAt = FanoutClock.nanoseconds()
        do {
            try ClientSocket.sendAll(postFD, bytes)
        } catch {
            throw Failure(description: "The POST: \(error.description)")
        }
        return sentAt
    }

    /// One `epoll_wait` and the handling of what it returned.
    private func pump(timeoutMilliseconds: Int32) {
        let count = events.withUnsafeMutableBufferPointer { buffer in
            cepoll_wait(epoll, buffer.baseAddress, Int32(buffer.count), timeoutMilliseconds)
        }
        guard count > 0 else { return }
        for event in events[..<Int(count)] {
            if event.data == Self.postToken {
                readPost()
            } else {
                handle(subscribers[Int(event.data)], flags: event.events)
            }
        }
    }

    /// Completes a connect (sending the request), then reads whatever arrived.
    private func handle(_ subscriber: Subscriber, flags: UInt32) {
        if subscriber.phase == .connecting {
            let error = ClientSocket.pendingError(subscriber.fd)
            if error != 0 {
                fail(subscriber, "the connect failed: \(String(cString: strerror(error)))")
                return
            }
            guard flags & CEPOLL_OUT != 0 else { return }
            let request =
                "GET /slo/violations HTTP/1.1\r\nHost: \(options.host)\r\nAccept: text/event-stream\r\n\r\n"
            do {
                try ClientSocket.sendAll(subscriber.fd, Array(request.utf8))
            } catch {
                fail(subscriber, error.description)
                return
            }
            subscriber.phase = .awaitingHead
            _ = cepoll_ctl(epoll, 1, subscriber.fd, CEPOLL_IN | CEPOLL_RDHUP, UInt64(subscriber.index))
        }
        guard flags & (CEPOLL_IN | CEPOLL_RDHUP | CEPOLL_HUP | CEPOLL_ERR) != 0 else { return }
        while true {
            let count = readBuffer.withUnsafeMutableBytes { recv(subscriber.fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                let now = FanoutClock.nanoseconds()
                readBuffer.withUnsafeBytes {
                    subscriber.receive(UnsafeRawBufferPointer(rebasing: $0[..<count]), at: now)
                }
                if subscriber.phase == .streaming && !subscriber.countedAsStreaming {
                    subscriber.countedAsStreaming = true
                    streamingCount += 1
                }
                if case .failed(let reason) = subscriber.phase {
                    fail(subscriber, reason)
                    return
                }
                continue
            }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            let reason =
                count == 0
                ? "the server closed the stream" : "recv failed: \(String(cString: strerror(errno)))"
            fail(subscriber, reason)
            return
        }
    }

    /// Reads the POST response until the server closes it.
    private func readPost() {
        while postFD >= 0 {
            let count = readBuffer.withUnsafeMutableBytes { recv(postFD, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                if postAnsweredAt == nil { postAnsweredAt = FanoutClock.nanoseconds() }
                postResponse.append(contentsOf: readBuffer[..<count])
                continue
            }
            if count < 0 && (errno == EINTR) { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            _ = cepoll_ctl(epoll, 2, postFD, 0, 0)
            close(postFD)
            postFD = -1
        }
    }

    /// Marks `subscriber` failed (once), closes its socket, and keeps the first reason.
    private func fail(_ subscriber: Subscriber, _ reason: String) {
        subscriber.phase = .failed(reason)
        guard !subscriber.isClosed else { return }
        subscriber.isClosed = true
        if subscriber.countedAsStreaming { streamingCount -= 1 }
        failedCount += 1
        _ = cepoll_ctl(epoll, 2, subscriber.fd, 0, 0)
        close(subscriber.fd)
        if firstFailure == nil { firstFailure = "Subscriber \(subscriber.index + 1): \(reason)." }
    }
}
