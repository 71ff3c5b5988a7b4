extension Connection {
    /// Parses and answers the buffered requests in order; returns the input bytes consumed.
    func process() -> Int {
        let before = reader.consumedByteCount
        while machine.acceptsRequests {
            if unsentBytes > loop.configuration.maxOutboundBytes { break }
            switch reader.next() {
            case .incomplete(let count):
                if reader.isReadingBody {
                    if count > 0 { deadline = bodyDeadline() }
                } else if reader.hasUnreadInput {
                    perform(machine.headStarted())
                }
                return reader.consumedByteCount - before
            case .failed(let error):
                respondError(error.status, error.message, close: true, head: pending?.head)
                return reader.consumedByteCount - before
            case .head(let head):
                dispatch(head)
            case .body(let body):
                if let request = pending {
                    pending = nil
                    complete(request, body: body)
                }
            }
        }
        return reader.consumedByteCount - before
    }

    /// Routes a complete head: refuses it at once (before any body is read) or waits for its body.
    private func dispatch(_ head: RequestHead) {
        let closeIfBody = !head.keepAlive || head.hasBody
        if case .other(let token) = head.method {
            let answer = HTTPErrorAnswer.unsupportedMethod(token)
            respondError(answer.status, answer.message, close: closeIfBody, head: head)
            return
        }
        if head.expectationFailed {
            respondError(
                417,
                "The Expect header asks for something other than 100-continue, which this server "
                    + "cannot meet.", close: closeIfBody, head: head)
            return
        }
        if head.target == "*" {
            respond(HTTPResponse(status: 204), head: head, keepAlive: head.keepAlive && !head.hasBody)
            return
        }
        var target = head.target
        let range = head.pathRange
        let (decoded, match): (Result<String, HTTPParseError>, HTTPRouter.Match) = target.withUTF8 { utf8 in
            let raw = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[range]))
            guard !raw.isEmpty else {
                return (.success("/"), loop.router.match(method: head.method, rawPath: "/"))
            }
            let decoded = PercentDecoding.decodePath(raw)
            guard case .success = decoded else { return (decoded, .notFound) }
            return (decoded, loop.router.match(method: head.method, rawPath: raw))
        }
        let path: String
        switch decoded {
        case .success(let text): path = text
        case .failure(let error):
            respondError(error.status, error.message, close: true, head: head)
            return
        }
        var query: [(name: String, value: String)] = []
        if let queryStart = head.queryStart {
            let parsed = target.withUTF8 { utf8 in
                PercentDecoding.parseQuery(
                    UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[queryStart...])))
            }
            switch parsed {
            case .success(let pairs): query = pairs
            case .failure(let error):
                respondError(error.status, error.message, close: true, head: head)
                return
            }
        }
        switch match {
        case .notFound:
            let answer = HTTPErrorAnswer.noRoute(path: path)
            respondError(answer.status, answer.message, close: closeIfBody, head: head)
        case .methodNotAllowed(let allow):
            let answer = HTTPErrorAnswer.methodNotAllowed(path: path, method: head.method, allow: allow)
            respondError(
                answer.status, answer.message, close: closeIfBody, extraHeaders: ["Allow": allow], head: head)
        case .found(let handler, let parameters):
            if let admit = loop.configuration.admit {
                let request = HTTPRequest(
                    parsed: head.method, target: head.target, path: path, version: head.version,
                    headers: head.headers, body: [], pathParameters: parameters, query: query)
                if let refusal = admit(request) {
                    // The body, if any, was never read, so the connection cannot carry another request.
                    respond(refusal, head: head, keepAlive: head.keepAlive && !head.hasBody)
                    return
                }
            }
            let request = PendingRequest(
                head: head, handler: handler, path: path, parameters: parameters, query: query)
            guard head.hasBody else {
                complete(request, body: [])
                return
            }
            // A declared length over the limit is refused (413) before any of the body is read.
            if let error = reader.startBody() {
                respondError(error.status, error.message, close: true, head: head)
                return
            }
            pending = request
            bodyStart = loop.now
            perform(machine.bodyStarted())
            if head.expectContinue && !reader.hasUnreadInput {
                output.append(contentsOf: ResponseEncoder.continueResponse)
            }
        }
    }

    /// When the body in progress times out (monotonic ns): `bodyTimeout` after its last byte, and no later
    /// than the body's start plus the rate grace plus the time its bytes so far earn at the minimum rate,
    /// so a trickle of single bytes, each within `bodyTimeout`, cannot hold the connection for hours.
    func bodyDeadline() -> UInt64 {
        let stall = loop.now + loop.bodyTimeout
        guard loop.minBodyBytesPerSecond > 0 else { return stall }
        let earned = Double(reader.bodyByteCount) / Double(loop.minBodyBytesPerSecond) * 1e9
        let allowance = loop.minBodyRateGrace + UInt64(min(earned, Double(UInt64.max / 4)))
        return min(stall, bodyStart &+ min(allowance, UInt64.max / 2))
    }

    /// Runs the handler of a request whose body is complete.
    private func complete(_ pending: PendingRequest, body requestBody: [UInt8]) {
        let head = pending.head
        let request = HTTPRequest(
            parsed: head.method, target: head.target, path: pending.path, version: head.version,
            headers: head.headers, body: requestBody, pathParameters: pending.parameters, query: pending.query
        )
        switch pending.handler {
        case .plain(let handler):
            respond(handler(request), head: head, keepAlive: head.keepAlive)
        case .stream(let decide, let start):
            let response: HTTPResponse
            switch decide(request) {
            case .respond(let complete):
                respond(complete, head: head, keepAlive: head.keepAlive)
                return
            case .stream(let streamHead):
                response = streamHead
            }
            guard head.method != .head else {
                // The GET would stream: its length is unknown, so the HEAD response claims none.
                respond(response, head: head, keepAlive: head.keepAlive, unframed: true)
                return
            }
            guard loop.streamBudget.reserveSlot() else {
                refuseStream(head: head)
                return
            }
            holdsStreamSlot = true
            startStream(response, head: head, request: request, start: start)
        case .deferred(let handler):
            deferredHead = head
            perform(machine.deferredStarted())
            loop.streams[id] = fd
            loop.calledDeferredRoute = true
            handler(request, HTTPResponder(connectionID: id, mailbox: loop.mailbox, loopIndex: loop.index))
        }
    }

    /// Queues a complete response; keeps the connection open only when both sides allow it.
    /// `unframed` sends the head without `Content-Length` (the HEAD of a stream route); a handler's status
    /// outside 200...599 is answered as 500, since a 1xx or nonsense status would leave the client
    /// waiting for a final response that never comes.
    func respond(
        _ response: HTTPResponse, head: RequestHead, keepAlive: Bool, unframed: Bool = false
    ) {
        let keep = keepAlive && !loop.isStopping && !inputExhausted
        let persistence = Self.persistence(keep, head.version)
        let isFinal = (200...599).contains(response.status)
        if !isFinal {
            var error = loop.configuration.errorResponse(
                .nonFinalStatus(method: head.method, status: response.status))
            error.status = 500
            ResponseEncoder.encode(
                error, omitBody: head.method == .head, persistence: persistence, date: loop.dateCache.bytes,
                into: &output)
        } else if unframed {
            ResponseEncoder.appendHead(
                status: response.status, headers: response.headers, framing: .none, persistence: persistence,
                date: loop.dateCache.bytes, into: &output)
        } else {
            ResponseEncoder.encode(
                response, omitBody: head.method == .head, persistence: persistence,
                date: loop.dateCache.bytes, into: &output)
        }
        loop.countResponse(status: isFinal ? response.status : 500)
        report(head, status: isFinal ? response.status : 500)
        finishRequest(keepAlive: keep)
    }

    /// The client has sent its FIN and every byte before it has been consumed: no further request can
    /// come, so the response being queued is the last one and says `Connection: close`. Requests still
    /// buffered before the FIN (a pipeline sent with `nc -N`) keep theirs open, so all of them are answered.
    private var inputExhausted: Bool { machine.inputClosed && !reader.hasUnreadInput }

    /// Tells the configured observer, if any, about a response.
    private func report(_ head: RequestHead?, status: Int) {
        guard let onResponse = loop.configuration.onResponse else { return }
        onResponse(HTTPResponseRecord(method: head?.method, target: head?.target, status: status))
    }

    private func finishRequest(keepAlive: Bool) {
        perform(machine.responseQueued(keepAlive: keepAlive))
    }

    /// Sends the head of a streaming response and hands the writer to the route.
    private func startStream(
        _ response: HTTPResponse, head: RequestHead, request: HTTPRequest,
        start: @Sendable (HTTPRequest, HTTPStreamWriter) -> Void
    ) {
        let chunked = head.version == .http1_1
        ResponseEncoder.appendHead(
            status: response.status, headers: response.headers, framing: chunked ? .chunked : .untilClose,
            persistence: .close, date: loop.dateCache.bytes, into: &output)
        loop.countResponse(status: response.status)
        report(head, status: response.status)
        reader.discardInput()
        reader.shrinkForStreaming()
        let writer = HTTPStreamWriter(
            connectionID: id, mailbox: loop.mailbox, chunked: chunked,
            maxOutboundBytes: loop.configuration.maxOutboundBytes, budget: loop.streamBudget, connection: self
        )
        self.writer = writer
        loop.streamBudget.register(writer)
        perform(machine.streamStarted())
        loop.streams[id] = fd
        flush()
        start(request, writer)
        if loop.stopping { writer.serverStopping() }
    }

    /// The `Connection` header of a response: `close` when the server closes after it, `keep-alive`
    /// spelled out for an HTTP/1.0 client (whose default is to close), nothing for HTTP/1.1.
    private static func persistence(_ keep: Bool, _ version: HTTPVersion) -> ResponseEncoder.Persistence {
        !keep ? .close : version == .http1_0 ? .keepAliveExplicit : .keepAlive
    }

    /// Queues an error response, rendered by the configuration's `errorResponse`; with `close`, the
    /// connection closes after it. `head` is the request's, when it was parsed: an HTTP/1.0 keep-alive
    /// client is told `Connection: keep-alive`, and the answer to a HEAD carries no body.
    func respondError(
        _ status: Int, _ message: String, close: Bool, extraHeaders: HTTPHeaders = .init(),
        head: RequestHead? = nil
    ) {
        respondError(
            HTTPErrorAnswer(status: status, message: message), close: close, extraHeaders: extraHeaders,
            head: head)
    }

    /// Queues `answer` as an error response (see the status-and-message form).
    func respondError(
        _ answer: HTTPErrorAnswer, close: Bool, extraHeaders: HTTPHeaders = .init(), head: RequestHead? = nil
    ) {
        let status = answer.status
        let version = head?.version ?? .http1_1
        let omitBody = head?.method == .head
        var response = loop.configuration.errorResponse(answer)
        response.status = status
        for (name, value) in extraHeaders { response.headers.add(name: name, value: value) }
        let keep = !close && !loop.isStopping && !inputExhausted
        ResponseEncoder.encode(
            response, omitBody: omitBody, persistence: Self.persistence(keep, version),
            date: loop.dateCache.bytes, into: &output)
        loop.countResponse(status: status)
        report(head, status: status)
        if !keep {
            reader.reset()
            pending = nil
        }
        finishRequest(keepAlive: keep)
    }
}
