/// An incremental, strict HTTP/1.1 request parser (RFC 9112) over the connection's byte buffer.
///
/// The caller passes the unread bytes each time; the parser never copies them until a head is
/// complete. Scanning resumes where it stopped, so a request split at every byte costs the same
/// as one read. Several requests in one buffer are parsed one after the other (pipelining).
struct RequestParser {
    /// The limits the parser enforces (bytes and counts).
    struct Limits: Sendable {
        var maxRequestLineBytes = 8 * 1024
        var maxHeaderBytes = 16 * 1024
        var maxHeaderCount = 100
        var maxBodyBytes = 1 << 20
    }

    /// The outcome of `parseHead`.
    enum HeadResult {
        /// The head is not complete; call again with more bytes (nothing consumed).
        case incomplete
        /// A complete head; `consumed` bytes of the input belong to it.
        case complete(RequestHead, consumed: Int)
        /// The head is invalid; answer `error.status` and close.
        case failed(HTTPParseError)
    }

    /// The outcome of `parseBody`.
    enum BodyResult {
        /// More body bytes are needed; `consumed` bytes were used.
        case incomplete(consumed: Int)
        /// The body is complete; `consumed` bytes were used.
        case complete(consumed: Int)
        /// The body framing is invalid or too large.
        case failed(HTTPParseError)
    }

    private enum BodyState {
        case none
        case length(remaining: Int)
        case chunked(ChunkedDecoder)
    }

    let limits: Limits
    /// Bytes at the start of the input already scanned for line ends.
    private var scanned = 0
    /// Offset of the request line (after leading empty lines).
    private var requestStart = 0
    /// Offset of the CR that ends the request line, or -1 while unknown.
    private var requestLineEnd = -1
    /// Offset of the line being scanned.
    private var lineStart = 0
    /// Field lines seen so far.
    private var fieldLines = 0
    private var bodyState = BodyState.none

    /// Creates a parser with the given limits.
    init(limits: Limits) {
        self.limits = limits
    }

    /// Scans `bytes` (the unread input, from the start of a head) for a complete head and validates it.
    mutating func parseHead(_ bytes: UnsafeRawBufferPointer) -> HeadResult {
        let count = bytes.count
        var index = scanned
        var limit = scanLimit
        while index < count {
            // The limits are checked at the byte that crosses them, not at the end of the buffer, so
            // the outcome does not depend on how the bytes were split across reads.
            if index >= limit {
                if requestLineEnd < 0 { return fail(.uriTooLong(limit: limits.maxRequestLineBytes)) }
                return fail(
                    .headerFieldsTooLarge("The header section is larger than \(limits.maxHeaderBytes) bytes.")
                )
            }
            let byte = bytes[index]
            if byte == ASCII.lf {
                guard index > 0, bytes[index - 1] == ASCII.cr else {
                    return fail(.badRequest("The request head has a bare LF; lines must end with CRLF."))
                }
                let lineEnd = index - 1
                if requestLineEnd < 0 {
                    if lineEnd == lineStart {
                        guard lineStart < 8 else {
                            return fail(.badRequest("The request starts with too many empty lines."))
                        }
                        requestStart = index + 1
                    } else {
                        if lineEnd - requestStart > limits.maxRequestLineBytes {
                            return fail(.uriTooLong(limit: limits.maxRequestLineBytes))
                        }
                        requestLineEnd = lineEnd
                    }
                    limit = scanLimit
                } else if lineEnd == lineStart {
                    let head = parseHeadLines(bytes, end: index + 1)
                    reset()
                    switch head {
                    case .success(let head):
                        switch head.framing {
                        case .none: bodyState = .none
                        case .contentLength(let length):
                            bodyState = length > 0 ? .length(remaining: length) : .none
                        case .chunked: bodyState = .chunked(ChunkedDecoder())
                        }
                        return .complete(head, consumed: index + 1)
                    case .failure(let error):
                        return .failed(error)
                    }
                } else {
                    fieldLines += 1
                    if fieldLines > limits.maxHeaderCount {
                        return fail(
                            .headerFieldsTooLarge(
                                "The request has more than \(limits.maxHeaderCount) header fields."))
                    }
                }
                lineStart = index + 1
            } else if byte == ASCII.cr {
                if index + 1 == count { break }
                if bytes[index + 1] != ASCII.lf {
                    return fail(.badRequest("The request head has a bare CR; CR is only allowed before LF."))
                }
            }
            index += 1
        }
        scanned = index
        return .incomplete
    }

    /// The offset at which the head being scanned breaks a limit: a request line longer than
    /// `maxRequestLineBytes`, or a header section longer than `maxHeaderBytes` (bytes, CRLFs of the
    /// fields included, the final empty line's excluded). Saturates instead of overflowing.
    private var scanLimit: Int {
        let (base, limit) =
            requestLineEnd < 0
            ? (requestStart, limits.maxRequestLineBytes) : (requestLineEnd + 2, limits.maxHeaderBytes)
        let (sum, overflow) = base.addingReportingOverflow(max(limit, 0))
        return overflow || sum > Int.max - 2 ? Int.max : sum + 2
    }

    /// Decodes body bytes of the current request, appending them to `body`.
    mutating func parseBody(_ bytes: UnsafeRawBufferPointer, into body: inout [UInt8]) -> BodyResult {
        switch bodyState {
        case .none:
            return .complete(consumed: 0)
        case .length(let remaining):
            let take = min(remaining, bytes.count)
            body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<take]))
            if take == remaining {
                bodyState = .none
                return .complete(consumed: take)
            }
            bodyState = .length(remaining: remaining - take)
            return .incomplete(consumed: take)
        case .chunked(var decoder):
            bodyState = .none
            let result = decoder.decode(bytes, into: &body, limits: limits)
            if case .incomplete = result { bodyState = .chunked(decoder) }
            return result
        }
    }

    /// The `Content-Length` of the body about to be read, right after `parseHead` returned its head;
    /// nil for a chunked body or none.
    var declaredBodyLength: Int? {
        if case .length(let remaining) = bodyState { return remaining }
        return nil
    }

    /// Forgets any partial request (after an error, before the connection closes).
    mutating func reset() {
        scanned = 0
        requestStart = 0
        requestLineEnd = -1
        lineStart = 0
        fieldLines = 0
        bodyState = .none
    }

    private mutating func fail(_ error: HTTPParseError) -> HeadResult {
        reset()
        return .failed(error)
    }

    /// Parses the complete head `bytes[requestStart..<end]`.
    private func parseHeadLines(_ bytes: UnsafeRawBufferPointer, end: Int) -> Result<
        RequestHead, HTTPParseError
    > {
        var builder = HeadBuilder()
        if let error = builder.parseRequestLine(
            UnsafeRawBufferPointer(rebasing: bytes[requestStart..<requestLineEnd]))
        {
            return .failure(error)
        }
        let fieldsStart = requestLineEnd + 2
        let section = UnsafeRawBufferPointer(rebasing: bytes[fieldsStart..<(end - 2)])
        if section.count > limits.maxHeaderBytes {
            return .failure(
                .headerFieldsTooLarge("The header section is larger than \(limits.maxHeaderBytes) bytes."))
        }
        if let error = builder.parseFields(section, fieldCount: fieldLines) { return .failure(error) }
        return builder.finish()
    }
}
