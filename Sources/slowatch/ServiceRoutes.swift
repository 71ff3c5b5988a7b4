import SLOWatchHTTP

/// The routes the executable serves until the service module lands.
enum ServiceRoutes {
    /// `GET /healthz`: 200 `{"status":"ok"}` while the process is serving.
    static func router() -> HTTPRouter {
        var router = HTTPRouter()
        router.add(.get, "/healthz") { _ in
            .json(status: 200, Array(#"{"status":"ok"}"#.utf8))
        }
        return router
    }
}
