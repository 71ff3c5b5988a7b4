import SLOWatchHTTP

/// PLACEHOLDER: replaced by the owner of this area.
enum ViolationRoutes {
    static func register(in router: inout HTTPRouter, service: SLOWatchService) {}
}
