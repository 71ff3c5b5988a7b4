import SLOWatchCore
import SLOWatchHTTP

/// `/slos`: list, define, read and delete SLOs, each with the monitor's status.
enum SLORoutes {
    /// Registers the routes.
    static func register(in router: inout HTTPRouter, service: SLOWatchService) {
        router.addCompressedAPI(.get, "/slos", service: service, list)
        router.addAPI(.get, "/slos/:id", service: service, show)
        router.addDurableAPI(.put, "/slos/:id", service: service, put)
        router.addDurableAPI(.delete, "/slos/:id", service: service, delete)
    }

    /// `GET /slos`: `{"slos":[…]}` in the order they are checked (configuration order; new ones last).
    static func list(_ request: HTTPRequest, service: SLOWatchService) throws(APIError) -> HTTPResponse {
        let statuses = service.monitor.statuses
        var json = JSONWriter(capacity: 16 + 256 * statuses.count)
        json.objectWithArray("slos", statuses) { status, json in status.writeJSON(to: &json) }
        return .json(status: 200, json.bytes)
    }

    /// `GET /slos/{id}`: the definition with its status.
    /// - Throws: 404 `slo_not_found`.
    static func show(_ request: HTTPRequest, service: SLOWatchService) throws(APIError) -> HTTPResponse {
        let id = self.id(request)
        guard let status = service.sloStatus(id: id) else { throw .sloNotFound(id) }
        return slo(status, code: 200)
    }

    /// `PUT /slos/{id}`: adds (201) or replaces (200) the SLO and answers it with its status (no
    /// check has judged a new or changed definition yet, so its state is `no_data` until the next).
    /// - Throws: 415, 400 (see ``SLODefinitionBody``), 422 `slo_limit_reached`.
    static func put(_ request: HTTPRequest, service: SLOWatchService) throws(APIError) -> HTTPResponse {
        let id = self.id(request)
        let fields = try JSONRequestBody.object(request, expected: "an SLO definition object")
        let definition = try SLODefinitionBody.definition(fields, id: id)
        let outcome = try service.upsertSLO(definition)
        // A concurrent DELETE may have removed it again; answer the definition that was stored.
        let status =
            service.sloStatus(id: id)
            ?? SLOStatus(slo: definition, violating: false, lastActual: nil, lastCount: 0)
        return slo(status, code: outcome == .created ? 201 : 200)
    }

    /// `DELETE /slos/{id}`: 204.
    /// - Throws: 404 `slo_not_found`.
    static func delete(_ request: HTTPRequest, service: SLOWatchService) throws(APIError) -> HTTPResponse {
        let id = self.id(request)
        guard try service.removeSLO(id: id) else { throw .sloNotFound(id) }
        return HTTPResponse(status: 204)
    }

    /// The `:id` path parameter (the router matches only non-empty segments).
    private static func id(_ request: HTTPRequest) -> String { request.pathParameters["id"] ?? "" }

    /// One SLO with its status, as JSON.
    private static func slo(_ status: SLOStatus, code: Int) -> HTTPResponse {
        var json = JSONWriter(capacity: 256)
        status.writeJSON(to: &json)
        return .json(status: code, json.bytes)
    }
}
