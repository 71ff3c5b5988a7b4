import SLOWatchPOSIX
import SLOWatchSync

/// A streaming (chunked) response in progress.
///
/// `write` may be called from any thread: it only enqueues the chunk and wakes the connection's
/// event loop through its eventfd, so it never blocks. When the client stops reading and the
/// queued bytes pass `maxOutboundBytes`, the client is disconnected and `write` returns false.
public final class HTTPStreamWriter: Sendable {
    private struct State: Sendable {
        /// Framed bytes not yet handed to the loop.
        var pending: [UInt8] = []
        /// Bytes the loop holds but has not sent yet (updated by the loop after each send).
        var unsent = 0
        /// The client went away, was dropped, or the server closed the connection.
        var closed = false
        /// `finish()` (or the server's stop) queued the final chunk.
        var finished = false
        /// A `streamReady` command is already queued.
        var wakePosted = false
        var handlers: [@Sendable () -> Void] = []
    }

    private let state = PThreadLock(State())
    /// The connection this stream belongs to (unique per server).
    let connectionID: UInt64
    private let mailbox: HTTPLoopMailbox?
    /// False for HTTP/1.0 clients: the body is then sent unframed and ended by closing.
    private let chunked: Bool
    private let maxOutboundBytes: Int

    init(connectionID: UInt64, mailbox: HTTPLoopMailbox?, chunked: Bool, maxOutboundBytes: Int) {
        self.connectionID = connectionID
        self.mailbox = mailbox
        self.chunked = chunked
        self.maxOutboundBytes = maxOutboundBytes
    }

    /// Queues `bytes` as one chunk. Returns false once the client is gone, was dropped, or the
    /// stream was finished. Never blocks. An empty write sends nothing and returns true.
    @discardableResult public func write(_ bytes: [UInt8]) -> Bool {
        let framed = chunked ? ChunkFraming.frame(bytes) : bytes
        enum Outcome {
            case queued(wake: Bool)
            case rejected
            case dropped([@Sendable () -> Void])
        }
        let outcome: Outcome = state.withLock { state in
            if state.closed || state.finished { return .rejected }
            if bytes.isEmpty { return .queued(wake: false) }
            if state.pending.count + state.unsent + framed.count > maxOutboundBytes {
                state.closed = true
                state.pending = []
                let handlers = state.handlers
                state.handlers = []
                return .dropped(handlers)
            }
            state.pending.append(contentsOf: framed)
            let wake = !state.wakePosted
            state.wakePosted = true
            return .queued(wake: wake)
        }
        switch outcome {
        case .queued(let wake):
            if wake { mailbox?.post(.streamReady(connectionID: connectionID)) }
            return true
        case .rejected:
            return false
        case .dropped(let handlers):
            mailbox?.post(.streamDropped(connectionID: connectionID))
            for handler in handlers { handler() }
            return false
        }
    }

    /// Ends the stream with the final zero-length chunk; the connection closes once it is sent.
    public func finish() {
        let wake: Bool = state.withLock { state in
            if state.closed || state.finished { return false }
            state.finished = true
            if chunked { state.pending.append(contentsOf: ChunkFraming.last) }
            let wake = !state.wakePosted
            state.wakePosted = true
            return wake
        }
        if wake { mailbox?.post(.streamReady(connectionID: connectionID)) }
    }

    /// True once the client is gone, was dropped, or the stream was finished.
    public var isClosed: Bool { state.withLock { $0.closed || $0.finished } }

    /// Registers `handler`, called once when the client goes away, is dropped, the server stops,
    /// or the connection closes after `finish()`. Called at once when that already happened.
    public func onClose(_ handler: @escaping @Sendable () -> Void) {
        let callNow = state.withLock { state in
            if state.closed { return true }
            state.handlers.append(handler)
            return false
        }
        if callNow { handler() }
    }

    // MARK: Event-loop side

    /// Takes the queued bytes (appending them to `buffer`); returns true when the stream is finished.
    func takePending(into buffer: inout [UInt8]) -> Bool {
        state.withLock { state in
            buffer.append(contentsOf: state.pending)
            state.unsent += state.pending.count
            state.pending.removeAll(keepingCapacity: true)
            state.wakePosted = false
            return state.finished
        }
    }

    /// Records how many bytes the loop still holds unsent for this stream.
    func setUnsent(_ count: Int) {
        state.withLock { $0.unsent = count }
    }

    /// The server is stopping: queue the final chunk (when not yet finished) and notify handlers.
    func serverStopping() {
        finish()
        markClosed()
    }

    /// The connection closed: notify the handlers once.
    func markClosed() {
        let handlers: [@Sendable () -> Void] = state.withLock { state in
            state.closed = true
            let handlers = state.handlers
            state.handlers = []
            return handlers
        }
        for handler in handlers { handler() }
    }
}

/// Chunked transfer-coding framing.
enum ChunkFraming {
    /// The last chunk with no trailers.
    static let last: [UInt8] = Array("0\r\n\r\n".utf8)

    /// `bytes` as one chunk: hex size, CRLF, data, CRLF.
    static func frame(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 12)
        appendHex(bytes.count, to: &out)
        out.append(contentsOf: [ASCII.cr, ASCII.lf])
        out.append(contentsOf: bytes)
        out.append(contentsOf: [ASCII.cr, ASCII.lf])
        return out
    }

    static func appendHex(_ value: Int, to out: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        var shift = (Int.bitWidth - value.leadingZeroBitCount + 3) / 4 * 4 - 4
        if shift < 0 { shift = 0 }
        while shift >= 0 {
            out.append(digits[(value >> shift) & 15])
            shift -= 4
        }
    }
}
