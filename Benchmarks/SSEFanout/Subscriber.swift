/// One stream subscriber's connection: its progress through the response head, and what it has seen
/// of the body (keepalive comments, the first violation event).
///
/// The body is scanned as it arrives, without assembling frames: a frame may be split across reads, so
/// the last bytes of each read are kept and searched again with the next one.
final class Subscriber {
    /// Where the connection is.
    enum Phase: Equatable {
        /// The TCP connect is under way.
        case connecting
        /// The request is sent; the response head has not fully arrived.
        case awaitingHead
        /// `200` with `Content-Type: text/event-stream` arrived; the body is being read.
        case streaming
        /// The connection failed or the server ended it; the reason is a sentence.
        case failed(String)
    }

    /// The SSE event line the benchmark waits for (the bus topic of a violation).
    static let violationLine: [UInt8] = Array("\nevent: perf.slo_violation\n".utf8)
    /// A keepalive comment as the server writes it (its own SSE frame, after a blank line).
    static let keepaliveLine: [UInt8] = Array(": keepalive\n".utf8)
    /// The bytes kept between reads: one less than the longest pattern, so that no pattern can lie
    /// wholly inside them (and be counted twice).
    private static let tailLength = max(violationLine.count, keepaliveLine.count) - 1

    /// The socket.
    let fd: Int32
    /// The subscriber's place among the client's subscribers (its epoll token).
    let index: Int
    /// The client counted it among the streaming subscribers.
    var countedAsStreaming = false
    /// Its socket is closed (after a failure).
    var isClosed = false
    /// The connection's progress.
    var phase: Phase = .connecting
    /// When the connect started, on the client's monotonic clock (ns).
    let startedAt: UInt64
    /// When the response head arrived (ns), once it has.
    var streamingAt: UInt64?
    /// How many `: keepalive` comments arrived.
    var keepalives = 0
    /// When the latest keepalive comment arrived (ns), once one has.
    var lastKeepaliveAt: UInt64?
    /// When the first violation event arrived (ns), once it has.
    var violationAt: UInt64?
    /// The response head received so far, while ``phase`` is `awaitingHead`.
    private var head: [UInt8] = []
    /// The last bytes of the body read so far (at most ``tailLength``).
    private var tail: [UInt8] = []

    /// Subscriber `index` on `fd`, whose connect started at `startedAt` (ns).
    init(fd: Int32, index: Int, startedAt: UInt64) {
        self.fd = fd
        self.index = index
        self.startedAt = startedAt
    }

    /// Takes bytes read from the socket at `now` (ns).
    func receive(_ bytes: UnsafeRawBufferPointer, at now: UInt64) {
        switch phase {
        case .awaitingHead:
            head.append(contentsOf: bytes)
            guard let end = Self.find([13, 10, 13, 10], in: head, from: 0) else {
                if head.count > 16_384 { phase = .failed("the response head is over 16 KiB") }
                return
            }
            let headText = String(decoding: head[..<end], as: UTF8.self)
            if let problem = Self.problem(withHead: headText) {
                phase = .failed(problem)
                return
            }
            phase = .streaming
            streamingAt = now
            let body = Array(head[(end + 4)...])
            head = []
            body.withUnsafeBytes { scan($0, at: now) }
        case .streaming:
            scan(bytes, at: now)
        case .connecting, .failed:
            return
        }
    }

    /// Counts keepalives and notes the first violation in `bytes`, searching across the previous read.
    private func scan(_ bytes: UnsafeRawBufferPointer, at now: UInt64) {
        let window = tail + bytes
        var start = 0
        while let end = Self.find(Self.keepaliveLine, in: window, from: start) {
            if end + Self.keepaliveLine.count > tail.count {
                keepalives += 1
                lastKeepaliveAt = now
            }
            start = end + Self.keepaliveLine.count
        }
        if violationAt == nil, Self.find(Self.violationLine, in: window, from: 0) != nil {
            violationAt = now
        }
        tail = Array(window.suffix(Self.tailLength))
    }

    /// Why `head` is not the start of an event stream, or nil when it is (`200` and
    /// `Content-Type: text/event-stream`).
    private static func problem(withHead head: String) -> String? {
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard let status = lines.first, status.hasPrefix("HTTP/1.1 200") else {
            return "the response was \"\(lines.first ?? "")\", not 200"
        }
        let contentType = lines.dropFirst().first { $0.lowercased().hasPrefix("content-type:") }
        guard let contentType, contentType.lowercased().contains("text/event-stream") else {
            return "the response's content type is not text/event-stream"
        }
        return nil
    }

    /// The index of the first occurrence of `pattern` in `bytes` at or after `start`, or nil.
    private static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
        var index = start
        let last = bytes.count - pattern.count
        while index <= last {
            if bytes[index] == first {
                var matched = 1
                while matched < pattern.count && bytes[index + matched] == pattern[matched] { matched += 1 }
                if matched == pattern.count { return index }
            }
            index += 1
        }
        return nil
    }
}
