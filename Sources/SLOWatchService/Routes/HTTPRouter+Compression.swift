import SLOWatchHTTP

extension HTTPRouter {
    /// Serves `method` on `pattern` like ``addAPI(_:_:service:_:)``, and gzip-codes a 200 answer of at
    /// least ``HTTPResponse/minimumCompressedBytes`` bytes when the request's `Accept-Encoding` accepts
    /// it (``HTTPResponse/compressed(for:minimumBytes:)``). For the larger answers only: the metrics
    /// list and exposition, history, and the SLO list; error answers are never coded.
    mutating func addCompressedAPI(
        _ method: HTTPMethod, _ pattern: String, service: SLOWatchService, _ handler: @escaping APIHandler
    ) {
        addAPI(method, pattern, service: service) { request, service throws(APIError) in
            try handler(request, service).compressed(for: request)
        }
    }
}
