import SLOWatchHTTP

/// The service endpoints: `GET /healthz` (liveness and a few counts) and `GET /openapi.yaml` (the spec).
///
/// Both are cheap and touch no metric lock beyond the registry's count, so a load balancer may poll
/// `/healthz` often.
enum HealthRoutes {
    /// The media type of the spec: `application/yaml` (RFC 9512).
    static let yamlContentType = "application/yaml"

    /// Registers `GET /healthz` and `GET /openapi.yaml` (HEAD is served by the router wherever GET is).
    static func register(in router: inout HTTPRouter, service: SLOWatchService) {
        router.add(.get, "/healthz") { _ in health(service) }
        // The spec is compiled into the binary (Package.swift embeds openapi.yaml), so the answer does not
        // depend on the working directory.
        // It is gzip-coded once, here, for clients that accept gzip (at level 9: it never changes).
        let identity = HTTPResponse(
            status: 200, headers: ["Content-Type": yamlContentType, "Vary": "Accept-Encoding"],
            body: PackageResources.openapi_yaml)
        let coded = Gzip.deflate(identity.body, level: 9).map { body in
            var response = identity
            response.body = body
            response.headers.add(name: "Content-Encoding", value: "gzip")
            return response
        }
        router.add(.get, "/openapi.yaml") { request in
            guard let coded, AcceptEncoding.acceptsGzip(request.headers) else { return identity }
            ServiceCounters.add(1, to: service.counters.gzipResponses)
            return coded
        }
    }

    /// `{"status":"ok","uptimeSeconds":…,"metrics":…,"slos":…,"subscribers":…}`: uptime in seconds
    /// (monotonic, fractional), registered metrics, configured SLOs and open event streams.
    ///
    /// With a data directory the body also says `"storage":"ok"`; while any durable writer's newest
    /// attempt failed (``StorageHealth``) the answer is 503 with `"status":"failing"`,
    /// `"storage":"failing"` and a `reason` naming each failing writer, its file and the system's error,
    /// so a load balancer or an orchestrator sees a full disk before a restart loses anything.
    static func health(_ service: SLOWatchService) -> HTTPResponse {
        let storage = service.durable?.health.status
        let reason = storage?.reason
        var json = JSONWriter(capacity: 96 + (reason?.utf8.count ?? 0))
        json.beginObject()
        json.key("status")
        json.string(reason == nil ? "ok" : "failing")
        if storage != nil {
            json.key("storage")
            json.string(reason == nil ? "ok" : "failing")
        }
        if let reason {
            json.key("reason")
            json.string(reason)
        }
        json.key("uptimeSeconds")
        json.number(service.uptimeSeconds)
        json.key("metrics")
        json.integer(service.registry.metricCount)
        json.key("slos")
        json.integer(service.monitor.sloCount)
        json.key("subscribers")
        json.integer(service.streams.count)
        json.endObject()
        return .json(status: reason == nil ? 200 : 503, json.bytes)
    }
}
