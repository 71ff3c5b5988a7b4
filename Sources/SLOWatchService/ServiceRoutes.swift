import SLOWatchHTTP

/// The service's routing table: each area registers its own routes.
enum ServiceRoutes {
    /// Every route of the service.
    static func router(for service: SLOWatchService) -> HTTPRouter {
        var router = HTTPRouter()
        HealthRoutes.register(in: &router, service: service)
        SampleRoutes.register(in: &router, service: service)
        OTLPRoutes.register(in: &router, service: service)
        MetricRoutes.register(in: &router, service: service)
        SLORoutes.register(in: &router, service: service)
        ViolationRoutes.register(in: &router, service: service)
        DashboardRoutes.register(in: &router)
        return router
    }
}
