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
            Self.compressed(try handler(request, service), for: request, service: service)
        }
    }

    /// `response` gzip-coded when `request` accepts it (``HTTPResponse/compressed(for:minimumBytes:)``),
    /// counted in `slowatch_http_gzip_responses_total` when it was.
    static func compressed(_ response: HTTPResponse, for request: HTTPRequest, service: SLOWatchService)
        -> HTTPResponse
    {
        let response = response.compressed(for: request)
        if response.headers.contains("Content-Encoding") {
            ServiceCounters.add(1, to: service.counters.gzipResponses)
        }
        return response
    }
}
