import SLOWatchHTTP

/// PLACEHOLDER: replaced by the owner of this area.
enum SLORoutes {
    static func register(in router: inout HTTPRouter, service: SLOWatchService) {}
}
