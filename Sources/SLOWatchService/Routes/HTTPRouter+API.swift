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
        add(method, pattern) { request in
            do throws(APIError) {
                return try handler(request, service)
            } catch {
                return error.response
            }
        }
    }
}
