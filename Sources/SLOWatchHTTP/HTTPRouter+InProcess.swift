import Dispatch
import SLOWatchSync

extension HTTPRouter {
    /// What ``respondInProcess(method:target:headers:body:admit:errorResponse:maxBodyBytes:date:)`` produced.
    package struct InProcessAnswer: Sendable {
        /// The bytes a connection would write for the request: status line, header section and body (for a
        /// stream, the head only).
        package var bytes: [UInt8]
        /// True when the route streams: `bytes` then hold the head a connection writes before the first
        /// chunk, and the stream's `start` was not called.
        package var isStream: Bool
    }

    /// Answers one HTTP/1.1 request as a connection does after parsing its head and body, without a
    /// socket, an event loop or threads: the same route match, 404 and 405 (with `Allow`), 501 for an
    /// unknown method, admission hook, 413 body limit, handler call and response encoding (including the
    /// server's `Date`, `Server`, `Content-Length` and `Connection` fields, and no body for HEAD).
    ///
    /// For the in-process test harness (`SLOWatchHTTPTesting`). A suite there checks that its bytes match
    /// a live server's, `Date` aside, so the two cannot drift apart unnoticed.
    /// - Parameters:
    ///   - target: the request target as sent (`/metrics/x/percentiles?q=0.5`), still percent-encoded.
    ///   - headers: the request's header fields; `Connection: close` makes the answer close.
    ///   - body: the complete request body (bytes).
    ///   - admit: the server configuration's admission hook, if any.
    ///   - errorResponse: the server configuration's error renderer (for 404, 405, 413, 501, …).
    ///   - maxBodyBytes: the server's body limit (bytes); a longer body gets 413.
    ///   - date: the `Date` field's value (an IMF-fixdate, as ASCII bytes).
    package func respondInProcess(
        method: HTTPMethod, target: String, headers: HTTPHeaders, body: [UInt8],
        admit: (@Sendable (HTTPRequest) -> HTTPResponse?)?,
        errorResponse: @Sendable (HTTPErrorAnswer) -> HTTPResponse, maxBodyBytes: Int, date: [UInt8]
    ) -> InProcessAnswer {
        let keepAlive = !(headers["Connection"]?.lowercased().contains("close") ?? false)
        let closeIfBody = !keepAlive || !body.isEmpty
        let omitBody = method == .head
        func encoded(_ response: HTTPResponse, keep: Bool) -> InProcessAnswer {
            var out: [UInt8] = []
            var answer = response
            if !(200...599).contains(response.status) {
                answer = errorResponse(.nonFinalStatus(method: method, status: response.status))
                answer.status = 500
            }
            ResponseEncoder.encode(
                answer, omitBody: omitBody, persistence: keep ? .keepAlive : .close, date: date, into: &out)
            return InProcessAnswer(bytes: out, isStream: false)
        }
        func error(_ status: Int, _ message: String, close: Bool, extra: HTTPHeaders = .init())
            -> InProcessAnswer
        {
            error(HTTPErrorAnswer(status: status, message: message), close: close, extra: extra)
        }
        func error(_ answer: HTTPErrorAnswer, close: Bool, extra: HTTPHeaders = .init()) -> InProcessAnswer {
            var response = errorResponse(answer)
            response.status = answer.status
            for (name, value) in extra { response.headers.add(name: name, value: value) }
            return encoded(response, keep: !close)
        }
        if case .other(let token) = method {
            return error(.unsupportedMethod(token), close: closeIfBody)
        }
        let queryIndex = target.utf8.firstIndex(of: UInt8(ascii: "?"))
        let rawPath = Array(target.utf8[..<(queryIndex ?? target.utf8.endIndex)])
        let (decoded, match): (Result<String, HTTPParseError>, Match) = rawPath.withUnsafeBytes { raw in
            guard !raw.isEmpty else { return (.success("/"), self.match(method: method, rawPath: "/")) }
            let decoded = PercentDecoding.decodePath(raw)
            guard case .success = decoded else { return (decoded, .notFound) }
            return (decoded, self.match(method: method, rawPath: raw))
        }
        let path: String
        switch decoded {
        case .success(let text): path = text
        case .failure(let parseError): return error(parseError.status, parseError.message, close: true)
        }
        var query: [(name: String, value: String)] = []
        if let queryIndex {
            let rawQuery = Array(target.utf8[target.utf8.index(after: queryIndex)...])
            switch rawQuery.withUnsafeBytes({ PercentDecoding.parseQuery($0) }) {
            case .success(let pairs): query = pairs
            case .failure(let parseError): return error(parseError.status, parseError.message, close: true)
            }
        }
        switch match {
        case .notFound:
            return error(.noRoute(path: path), close: closeIfBody)
        case .methodNotAllowed(let allow):
            return error(
                .methodNotAllowed(path: path, method: method, allow: allow), close: closeIfBody,
                extra: ["Allow": allow])
        case .found(let handler, let parameters):
            var request = HTTPRequest(
                parsed: method, target: target, path: path, version: .http1_1, headers: headers, body: [],
                pathParameters: parameters, query: query)
            if let admit, let refusal = admit(request) {
                return encoded(refusal, keep: keepAlive && body.isEmpty)
            }
            if body.count > maxBodyBytes {
                return error(413, HTTPParseError.payloadTooLarge(limit: maxBodyBytes).message, close: true)
            }
            request.body = body
            switch handler {
            case .plain(let plain):
                return encoded(plain(request), keep: keepAlive)
            case .deferred(let deferred):
                return encoded(Self.waitForDeferred(deferred, request), keep: keepAlive)
            case .stream(let decide, _):
                switch decide(request) {
                case .respond(let complete):
                    return encoded(complete, keep: keepAlive)
                case .stream(let head):
                    var out: [UInt8] = []
                    ResponseEncoder.appendHead(
                        status: head.status, headers: head.headers, framing: omitBody ? .none : .chunked,
                        persistence: omitBody ? (keepAlive ? .keepAlive : .close) : .close, date: date,
                        into: &out)
                    return InProcessAnswer(bytes: out, isStream: !omitBody)
                }
            }
        }
    }

    /// Runs a deferred route and waits for its answer (it may come from another thread, e.g. a storage
    /// lane); after `timeout` without one, a 504 whose body says so, so a test fails instead of hanging.
    private static func waitForDeferred(
        _ handler: @Sendable (HTTPRequest, HTTPResponder) -> Void, _ request: HTTPRequest,
        timeout: Duration = .seconds(30)
    ) -> HTTPResponse {
        let answer = PThreadLock<HTTPResponse?>(nil)
        let done = DispatchSemaphore(value: 0)
        handler(
            request,
            HTTPResponder { response in
                answer.withLock { $0 = response }
                done.signal()
            })
        let seconds = Double(timeout.components.seconds)
        guard done.wait(timeout: .now() + seconds) == .success, let response = answer.withLock({ $0 }) else {
            return HTTPResponse(
                status: 504, body: Array("The deferred route did not answer within \(timeout).".utf8))
        }
        return response
    }
}
