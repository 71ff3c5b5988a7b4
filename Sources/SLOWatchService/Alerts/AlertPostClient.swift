#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Posts a JSON body to an Alertmanager over plain HTTP/1.1 on a POSIX socket, blocking the calling
/// thread (the forwarder's own delivery queue, never the monitor or an I/O thread).
///
/// One connection per post with `Connection: close`: posts are rare (a state change, or a re-send a
/// minute), so keeping connections alive would buy nothing but another state to get wrong. Connecting,
/// sending and reading the status line each get at most ``timeoutMilliseconds``; the name is resolved
/// with `getaddrinfo` at every post, and each of its addresses is tried in turn.
struct AlertPostClient: Sendable {
    /// The bound on each of connecting (per address), sending and waiting for the answer, in ms.
    let timeoutMilliseconds: Double

    /// The most bytes of an answer read: the status line and a short error body for the log.
    private static let maximumAnswerBytes = 4_096

    /// Posts `body` (a JSON array of alerts) to the endpoint's `…/api/v2/alerts`.
    func post(_ body: [UInt8], to endpoint: AlertmanagerEndpoint) -> AlertPostOutcome {
        let socket: Int32
        switch connect(endpoint) {
        case .success(let connected): socket = connected
        case .failure(let failure): return .failed(failure.reason)
        }
        defer { close(socket) }
        let head =
            "POST \(endpoint.alertsPath) HTTP/1.1\r\nHost: \(endpoint.authority)\r\n"
            + "User-Agent: slowatch/\(SLOWatchVersion.current)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        if let failure = send(Array(head.utf8) + body, on: socket) { return .failed(failure) }
        return readAnswer(on: socket)
    }

    /// A connected non-blocking socket to the first address of the endpoint's host that accepts.
    private func connect(_ endpoint: AlertmanagerEndpoint) -> Result<Int32, AlertPostFailure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(endpoint.host, String(endpoint.port), &hints, &list)
        guard resolved == 0, let first = list else {
            return .failure(
                AlertPostFailure(
                    "cannot resolve \(endpoint.host): \(String(cString: gai_strerror(resolved)))"))
        }
        defer { freeaddrinfo(list) }
        var lastFailure = AlertPostFailure("\(endpoint.host) has no address")
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let info = next {
            next = info.pointee.ai_next
            switch connect(to: info.pointee) {
            case .success(let socket): return .success(socket)
            case .failure(let failure): lastFailure = failure
            }
        }
        return .failure(lastFailure)
    }

    /// Connects to one resolved address within the timeout.
    private func connect(to info: addrinfo) -> Result<Int32, AlertPostFailure> {
        let socket = Glibc.socket(
            info.ai_family,
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
            0)
        guard socket >= 0 else { return .failure(AlertPostFailure("cannot create a socket", errno: errno)) }
        if Glibc.connect(socket, info.ai_addr, info.ai_addrlen) != 0 {
            guard errno == EINPROGRESS else {
                let code = errno
                close(socket)
                return .failure(AlertPostFailure("cannot connect", errno: code))
            }
            guard wait(for: Int16(POLLOUT), on: socket, milliseconds: timeoutMilliseconds) else {
                close(socket)
                return .failure(
                    AlertPostFailure("connecting timed out after \(Alert.number(timeoutMilliseconds)) ms"))
            }
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(socket, SOL_SOCKET, SO_ERROR, &code, &length)
            guard code == 0 else {
                close(socket)
                return .failure(AlertPostFailure("cannot connect", errno: code))
            }
        }
        return .success(socket)
    }

    /// Sends all of `bytes`, or says why it could not within the timeout.
    private func send(_ bytes: [UInt8], on socket: Int32) -> String? {
        let deadline = AlertPostClient.nowMilliseconds() + timeoutMilliseconds
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { rest in
                Glibc.send(socket, rest.baseAddress, rest.count, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
                continue
            }
            if sent < 0, errno == EINTR { continue }
            guard sent < 0, errno == EAGAIN || errno == EWOULDBLOCK else {
                return AlertPostFailure("sending failed", errno: errno).reason
            }
            let left = deadline - AlertPostClient.nowMilliseconds()
            guard left > 0, wait(for: Int16(POLLOUT), on: socket, milliseconds: left) else {
                return "sending timed out after \(Alert.number(timeoutMilliseconds)) ms"
            }
        }
        return nil
    }

    /// Reads the status line (and, for a refusal, the start of the body) within the timeout.
    private func readAnswer(on socket: Int32) -> AlertPostOutcome {
        let deadline = AlertPostClient.nowMilliseconds() + timeoutMilliseconds
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2_048)
        while answer.count < Self.maximumAnswerBytes {
            if let status = AlertAnswer.status(answer), (200..<300).contains(status) {
                return .accepted(status: status)
            }
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                answer.append(contentsOf: buffer[..<count])
                continue
            }
            if count == 0 { break }
            if errno == EINTR { continue }
            guard errno == EAGAIN || errno == EWOULDBLOCK else {
                return .failed(AlertPostFailure("reading the answer failed", errno: errno).reason)
            }
            let left = deadline - AlertPostClient.nowMilliseconds()
            guard left > 0, wait(for: Int16(POLLIN), on: socket, milliseconds: left) else {
                if AlertAnswer.status(answer) != nil { break }
                return .failed("no answer within \(Alert.number(timeoutMilliseconds)) ms")
            }
        }
        guard let status = AlertAnswer.status(answer) else {
            return .failed(
                answer.isEmpty ? "the connection closed without an answer" : "the answer is not HTTP/1.x")
        }
        if (200..<300).contains(status) { return .accepted(status: status) }
        return .refused(status: status, detail: AlertAnswer.bodyExcerpt(answer))
    }

    /// Waits until `socket` is ready for `events`, at most `milliseconds`; false on a timeout.
    private func wait(for events: Int16, on socket: Int32, milliseconds: Double) -> Bool {
        var entry = pollfd(fd: socket, events: events, revents: 0)
        let deadline = AlertPostClient.nowMilliseconds() + milliseconds
        while true {
            let left = Int32(
                clamping: Int64(max(0, (deadline - AlertPostClient.nowMilliseconds()).rounded(.up))))
            let ready = poll(&entry, 1, left)
            if ready > 0 { return true }
            if ready == 0 || errno != EINTR { return false }
        }
    }

    /// The monotonic clock in ms, for deadlines.
    private static func nowMilliseconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) * 1_000 + Double(now.tv_nsec) / 1e6
    }
}

/// Why a post got no answer, as a phrase for the log: `cannot connect: Connection refused`.
private struct AlertPostFailure: Error {
    let reason: String

    init(_ reason: String) { self.reason = reason }

    init(_ what: String, errno code: Int32) { reason = "\(what): \(String(cString: strerror(code)))" }
}
