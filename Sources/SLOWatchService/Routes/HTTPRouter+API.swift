import SLOWatchHTTP

extension HTTPRouter {
    /// A route handler of the API: reads the request, calls the service, and either answers or
    /// throws the ``APIError`` the client should see.
    typealias APIHandler = @Sendable (HTTPRequest, SLOWatchService) throws(APIError) -> HTTPResponse

    /// Serves `method` on `pattern` with `handler`, answering a thrown ``APIError`` as its JSON error
    /// response (`{"error":{"code","message"}}` with its status), so that handlers stay plain
    /// decode, call, encode.
    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - pattern: the path pattern; segments starting with `:` are parameters.
    ///   - service: passed to `handler` on every request.
    ///   - handler: the route's function, e.g. `MetricRoutes.show`.
    mutating func addAPI(
        _ method: HTTPMethod, _ pattern: String, service: SLOWatchService, _ handler: @escaping APIHandler
    ) {
        add(method, pattern) { request in Self.answer(request, service: service, handler) }
    }

    /// Serves `method` on `pattern` with a `handler` that writes to the data directory. With one, the
    /// handler runs on the durable lane (a pool thread, one write at a time, in arrival order) and the
    /// event loop sends its answer when it is ready, so no loop thread waits for a write, an fsync or
    /// the edit lock meanwhile. Without one, nothing blocks, and it runs like ``addAPI(_:_:service:_:)``.
    /// A full lane is answered 503 `storage_failed`.
    mutating func addDurableAPI(
        _ method: HTTPMethod, _ pattern: String, service: SLOWatchService, _ handler: @escaping APIHandler
    ) {
        guard let lane = service.durable?.lane else {
            addAPI(method, pattern, service: service, handler)
            return
        }
        addDeferred(method, pattern) { request, responder in
            let queued = lane.submit { responder.respond(Self.answer(request, service: service, handler)) }
            guard !queued else { return }
            responder.respond(
                APIError(
                    status: 503, code: "storage_failed",
                    message:
                        "The change was not made: \(DurableState.laneCapacity) changes already wait to be saved; "
                        + "retry shortly."
                ).response)
        }
    }

    /// `handler`'s response, or its thrown ``APIError`` as a response.
    private static func answer(_ request: HTTPRequest, service: SLOWatchService, _ handler: APIHandler)
        -> HTTPResponse
    {
        do throws(APIError) {
            return try handler(request, service)
        } catch {
            return error.response
        }
    }

}
