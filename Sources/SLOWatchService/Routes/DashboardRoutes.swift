import SLOWatchHTTP

/// `GET /`: the live dashboard, one HTML page that reads the API from the browser (see
/// ``DashboardPage``). Any other path that no route serves keeps its 404 JSON answer.
enum DashboardRoutes {
    /// Registers `GET /` (HEAD is served by the router wherever GET is).
    static func register(in router: inout HTTPRouter) {
        let page = DashboardPage.embedded
        // Built once: each answer then copies them by reference count.
        let headers = page.headers
        let notModified = HTTPResponse(status: 304, headers: page.notModifiedHeaders)
        router.add(.get, "/") { request in
            // A client may split its list over several fields; they count as one list (RFC 9110, 5.3).
            let conditions = request.headers.values("If-None-Match")
            if !conditions.isEmpty, page.isMatched(byIfNoneMatch: conditions.joined(separator: ",")) {
                return notModified
            }
            return HTTPResponse(status: 200, headers: headers, body: page.body)
        }
    }
}
