/// The one request-parsing loop: an input buffer, the clamped limits, and head → body → chunked
/// decoding → next head (pipelining) over it.
///
/// `Connection`, ``HTTPRequestStreamParser`` (and so the fuzz target) and the parser tests all drive
/// requests through this type, so what is fuzzed and tested is the code the server runs, limits
/// included. The caller supplies bytes (`receive(_:)` from a socket, `append(_:)` from memory) and calls
/// `next()` until it returns `.incomplete`. A head comes out before its body is read, so a caller that
/// routes can refuse a request before reading its body; otherwise it calls `startBody()` (or `next()`,
/// which starts it) and the body comes out as `.body`.
///
/// Invariants: `0 <= readIndex <= writeIndex <= input.count`; the bytes before `readIndex` are
/// consumed and never looked at again; after `.failed` every `next()` returns the same error until
/// `reset()`.
struct RequestReader {
    /// What `next()` found.
    enum Step {
        /// Nothing complete: more bytes are needed. `consumed` body bytes were decoded (0 for a head).
        case incomplete(consumed: Int)
        /// A complete head, its bytes consumed. When `hasBody`, its body is read by `startBody()` and
        /// the next calls of `next()`; without a body the request is complete.
        case head(RequestHead)
        /// The body of the last head is complete (decoded: chunk framing and trailers removed).
        case body([UInt8])
        /// The bytes break the grammar or a limit: answer `status` and close.
        case failed(HTTPParseError)
    }

    private enum State {
        /// Between requests, or inside a head.
        case head
        /// A head with a body came out; its body has not been started.
        case bodyPending
        /// Reading the body of the last head.
        case body
        /// A request failed; the same error comes back until `reset()`.
        case failed(HTTPParseError)
    }

    /// The limits enforced, clamped by `RequestParser.Limits.clamped()`.
    let limits: RequestParser.Limits
    /// The most bytes `receive(_:)` buffers: a maximal head plus room for the next read.
    let maxInputBytes: Int
    private var parser: RequestParser
    private var state = State.head
    private var input: [UInt8]
    /// Offset of the first unconsumed byte.
    private var readIndex = 0
    /// Offset just past the last received byte.
    private var writeIndex = 0
    private var body: [UInt8] = []
    /// Bytes consumed since the reader was made: heads, bodies and their framing.
    private(set) var consumedByteCount = 0

    /// Creates a reader enforcing `limits` (clamped first) with an input buffer of `initialBytes`.
    init(limits: RequestParser.Limits, initialBytes: Int = 4096) {
        let clamped = limits.clamped()
        self.limits = clamped
        maxInputBytes = clamped.maxRequestLineBytes + clamped.maxHeaderBytes + 8192
        parser = RequestParser(limits: clamped)
        input = [UInt8](repeating: 0, count: max(initialBytes, 1))
    }

    /// Creates a reader with the byte and count limits of `configuration` (clamped).
    init(configuration: HTTPServerConfiguration) {
        self.init(limits: RequestParser.Limits(configuration: configuration))
    }

    /// Received bytes not yet consumed (bytes).
    var unreadByteCount: Int { writeIndex - readIndex }

    /// True when received bytes are waiting to be parsed.
    var hasUnreadInput: Bool { readIndex < writeIndex }

    /// True while a body is being read (after `startBody()`, until `.body` or `.failed`).
    var isReadingBody: Bool {
        if case .body = state { return true }
        return false
    }

    /// The body bytes decoded so far for the request being read (bytes).
    var bodyByteCount: Int { body.count }

    /// The next step of the loop over the unread bytes.
    mutating func next() -> Step {
        switch state {
        case .failed(let error):
            return .failed(error)
        case .bodyPending:
            if let error = startBody() { return .failed(error) }
            return readBody()
        case .body:
            return readBody()
        case .head:
            guard readIndex < writeIndex else { return .incomplete(consumed: 0) }
            let (start, end) = (readIndex, writeIndex)
            let result = input.withUnsafeBytes { buffer in
                parser.parseHead(UnsafeRawBufferPointer(rebasing: buffer[start..<end]))
            }
            switch result {
            case .incomplete:
                return .incomplete(consumed: 0)
            case .failed(let error):
                return fail(error)
            case .complete(let head, let count):
                advance(count)
                if head.hasBody { state = .bodyPending }
                return .head(head)
            }
        }
    }

    /// Starts reading the body of the head just returned: refuses a declared length over
    /// `maxBodyBytes` (413) before any of it is read. Returns the error, or nil when reading began.
    mutating func startBody() -> HTTPParseError? {
        guard case .bodyPending = state else { return nil }
        body = []
        // parseHead left the parser holding the head's framing; the declared length is checked here,
        // a chunked total by the decoder as it grows.
        if let length = parser.declaredBodyLength {
            if length > limits.maxBodyBytes {
                if case .failed(let error) = fail(.payloadTooLarge(limit: limits.maxBodyBytes)) {
                    return error
                }
            }
            body.reserveCapacity(length)
        }
        state = .body
        return nil
    }

    private mutating func readBody() -> Step {
        let (start, end) = (readIndex, writeIndex)
        let result = input.withUnsafeBytes { buffer in
            parser.parseBody(UnsafeRawBufferPointer(rebasing: buffer[start..<end]), into: &body)
        }
        switch result {
        case .incomplete(let count):
            advance(count)
            return .incomplete(consumed: count)
        case .complete(let count):
            advance(count)
            state = .head
            var complete: [UInt8] = []
            swap(&complete, &body)
            return .body(complete)
        case .failed(let error):
            return fail(error)
        }
    }

    /// Forgets any partial request and a failure (the connection is closing or starts afresh).
    mutating func reset() {
        parser.reset()
        state = .head
        body = []
    }

    /// Drops the unread input (a closing or streaming connection reads no more requests).
    mutating func discardInput() {
        readIndex = 0
        writeIndex = 0
    }

    /// The input buffer of a streaming connection, in bytes: it reads no more requests, only the
    /// client's FIN (or bytes it discards), so a small buffer does; with thousands of event streams the
    /// default 4 KiB each would be most of the server's memory.
    static let streamingInputBytes = 256

    /// Shrinks the input buffer to ``streamingInputBytes`` (the connection now streams a response and
    /// discards its input; call after `discardInput()`). It grows again only for a client that keeps
    /// sending.
    mutating func shrinkForStreaming() {
        reset()
        discardInput()
        if input.count > Self.streamingInputBytes {
            input = [UInt8](repeating: 0, count: Self.streamingInputBytes)
        }
    }

    /// Frees the buffers of a closed connection.
    mutating func release() {
        reset()
        discardInput()
        input = []
    }

    /// Makes room for a read at the end of the buffer: starts at the front again when everything was
    /// consumed, moves the unread bytes to the front, or grows the buffer up to `maxInputBytes`.
    /// Returns the free bytes after `writeIndex`; 0 when the buffer is full of unread bytes.
    mutating func makeSpace() -> Int {
        if readIndex == writeIndex {
            // A short tail read would cost a second read per edge: take the whole buffer instead.
            readIndex = 0
            writeIndex = 0
        }
        if writeIndex == input.count {
            if readIndex > 0 {
                let (from, unread) = (readIndex, writeIndex - readIndex)
                input.withUnsafeMutableBytes { buffer in
                    // copyMemory is a memmove: the regions may overlap.
                    guard let base = buffer.baseAddress, unread > 0 else { return }
                    base.copyMemory(from: base + from, byteCount: unread)
                }
                readIndex = 0
                writeIndex = unread
            } else if input.count < maxInputBytes {
                input.append(
                    contentsOf: repeatElement(0, count: min(input.count, maxInputBytes - input.count)))
            }
        }
        return input.count - writeIndex
    }

    /// Lets `read` fill the free space after `writeIndex` (call `makeSpace()` first) and keeps the
    /// bytes it reports. Returns what `read` returned: a byte count, 0 for end of input, or a
    /// negative error indication, which keeps nothing.
    mutating func receive(_ read: (UnsafeMutableRawBufferPointer) -> Int) -> Int {
        let start = writeIndex
        let count = input.withUnsafeMutableBytes { buffer in
            read(UnsafeMutableRawBufferPointer(rebasing: buffer[start...]))
        }
        if count > 0 { writeIndex += min(count, input.count - start) }
        return count
    }

    /// Appends `bytes` as one read would, without the `maxInputBytes` bound (for callers that hold
    /// their whole input in memory); the consumed bytes are dropped once they are half the buffer.
    mutating func append(_ bytes: some Sequence<UInt8>) {
        if readIndex > 0 && readIndex >= writeIndex / 2 {
            input.removeSubrange(0..<readIndex)
            writeIndex -= readIndex
            readIndex = 0
        }
        input.removeSubrange(writeIndex...)
        input.append(contentsOf: bytes)
        writeIndex = input.count
    }

    private mutating func advance(_ count: Int) {
        readIndex += count
        consumedByteCount += count
    }

    private mutating func fail(_ error: HTTPParseError) -> Step {
        parser.reset()
        body = []
        state = .failed(error)
        return .failed(error)
    }
}
