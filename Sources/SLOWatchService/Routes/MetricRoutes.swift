import SLOWatchCore
import SLOWatchHTTP

/// `/metrics`: list, define, read and delete metrics, and read their percentiles and newest samples.
enum MetricRoutes {
    /// The default of `limit` on `GET /metrics/{name}/samples`.
    static let defaultSampleLimit = 100
    /// The largest `limit` on `GET /metrics/{name}/samples`.
    static let maximumSampleLimit = 10_000

    /// Registers the routes.
    static func register(in router: inout HTTPRouter, service: SLOWatchService) {
        router.addCompressedAPI(.get, "/metrics", service: service, list)
        router.addAPI(.get, "/metrics/:name", service: service, show)
        router.addDurableAPI(.put, "/metrics/:name", service: service, put)
        router.addDurableAPI(.delete, "/metrics/:name", service: service, delete)
        router.addAPI(.get, "/metrics/:name/percentiles", service: service, percentiles)
        router.addAPI(.get, "/metrics/:name/samples", service: service, samples)
        router.addCompressedAPI(.get, "/metrics/:name/history", service: service, history)
    }

    /// `GET /metrics`: `{"metrics":[…]}`, sorted by name; or, when `Accept` prefers `text/plain` or
    /// `application/openmetrics-text` to JSON (as a Prometheus scrape does), the Prometheus text
    /// exposition; or, when `Accept` prefers the delimited MetricFamily protobuf (as Prometheus does with
    /// native histograms enabled), the protobuf exposition with one native histogram per metric
    /// (``MetricsListFormat``); OpenMetrics 1.0.0 text when `application/openmetrics-text` weighs more
    /// than `text/plain`. Every answer says `Vary: Accept, Accept-Encoding`, so a cache keeps them apart.
    static func list(_ request: HTTPRequest, service: SLOWatchService) throws(APIError) -> HTTPResponse {
        var response: HTTPResponse
        switch MetricsListFormat.preferred(by: request.headers) {
        case .prometheusText:
            response = HTTPResponse(
                status: 200, headers: ["Content-Type": PrometheusExposition.contentType],
                body: PrometheusExposition.render(service))
        case .openMetrics:
            response = HTTPResponse(
                status: 200, headers: ["Content-Type": OpenMetricsTextWriter.contentType],
                body: PrometheusExposition.renderOpenMetrics(service))
        case .prometheusProtobuf:
            response = HTTPResponse(
                status: 200, headers: ["Content-Type": PrometheusProtobufWriter.contentType],
                body: PrometheusExposition.renderProtobuf(service))
        case .json:
            let summaries = service.registry.list()
            var json = JSONWriter(capacity: 64 + 160 * summaries.count)
            json.objectWithArray("metrics", summaries) { summary, json in summary.writeJSON(to: &json) }
            response = .json(status: 200, json.bytes)
        }
        response.headers.add(name: "Vary", value: "Accept")
        return response
    }

    /// `GET /metrics/{name}`: the definition with `count`, `overflow`, `newestTimestamp` and
    /// `history` (``MetricsRegistry/HistoryCounters``: samples kept out as late or future, bytes, slices
    /// dropped for memory).
    /// - Throws: 404 `metric_not_found`.
    static func show(_ request: HTTPRequest, service: SLOWatchService) throws(APIError) -> HTTPResponse {
        let name = self.name(request)
        guard let summary = service.registry.summary(for: name) else { throw .metricNotFound(name) }
        guard let history = service.registry.historyCounters(for: name) else {
            return metric(summary, status: 200)
        }
        var json = JSONWriter(capacity: 288)
        summary.writeJSON(to: &json, history: history)
        return .json(status: 200, json.bytes)
    }

    /// `PUT /metrics/{name}`: registers (201) or replaces (200) the definition, answering it.
    ///
    /// Replacing keeps the newest samples that fit the new capacity and resets the rate limits of the
    /// metric's SLOs (the monitor sees a new registration).
    /// - Throws: 415, 400 (see ``MetricDefinitionBody``), 422 `metric_limit_reached`.
    static func put(_ request: HTTPRequest, service: SLOWatchService) throws(APIError) -> HTTPResponse {
        let name = self.name(request)
        let fields = try JSONRequestBody.object(request, expected: "a metric definition object")
        let definition = try MetricDefinitionBody.definition(
            fields, name: name, defaultCapacity: service.configuration.capacity)
        let outcome = try service.upsertMetric(definition)
        // A concurrent DELETE may have removed it again; answer what was stored.
        let summary =
            service.registry.summary(for: name)
            ?? MetricSummary(definition: definition, count: 0, overflow: 0, newestTimestamp: nil)
        return metric(summary, status: outcome == .created ? 201 : 200)
    }

    /// `DELETE /metrics/{name}`: 204, removing the metric and its samples.
    /// - Throws: 404 `metric_not_found`.
    static func delete(_ request: HTTPRequest, service: SLOWatchService) throws(APIError) -> HTTPResponse {
        let name = self.name(request)
        try service.removeMetric(name)
        return HTTPResponse(status: 204)
    }

    /// `GET /metrics/{name}/percentiles?q=…&window=…`: exact nearest-rank statistics.
    /// - Throws: 400 for a bad `q` or `window`, or a repeated `window` (`q` may repeat: its occurrences
    ///   are merged); 404 `metric_not_found`.
    static func percentiles(_ request: HTTPRequest, service: SLOWatchService) throws(APIError) -> HTTPResponse
    {
        let name = self.name(request)
        let asked = try request.queryParameter("q", .list).map(QueryText.quantiles) ?? []
        let window = try QueryText.window(request.queryParameter("window"))
        if asked.isEmpty && window == nil {
            return .json(status: 200, try defaultPercentiles(name, service: service))
        }
        // Kept per metric version and canonical query (PercentileQueryCache), as the plain answer is.
        do {
            let bytes = try service.registry.renderedPercentiles(
                for: name, quantiles: asked.map(\.value), windowMilliseconds: window
            ) { summary, definition in
                var json = JSONWriter(capacity: 320 + 32 * asked.count)
                summary.writeJSON(metric: name, unit: definition.unit, asked: asked, to: &json)
                return json.bytes
            }
            return .json(status: 200, bytes)
        } catch {
            throw APIError(error)
        }
    }

    /// The default answer (no `q`, no `window`), rendered once per write of the metric, not once per read.
    /// - Throws: 404 `metric_not_found`.
    private static func defaultPercentiles(_ name: String, service: SLOWatchService) throws(APIError)
        -> [UInt8]
    {
        do {
            return try service.registry.renderedPercentiles(for: name) { summary, definition in
                var json = JSONWriter(capacity: 320)
                summary.writeJSON(metric: definition.name, unit: definition.unit, asked: [], to: &json)
                return json.bytes
            }
        } catch {
            throw APIError(error)
        }
    }

    /// `GET /metrics/{name}/samples?limit=100`: `{"samples":[{"value","timestamp"}]}`, newest first.
    /// - Throws: 400 for a `limit` outside 1...``maximumSampleLimit`` or repeated; 404 `metric_not_found`.
    static func samples(_ request: HTTPRequest, service: SLOWatchService) throws(APIError) -> HTTPResponse {
        let name = self.name(request)
        let limit = try QueryText.limit(
            request.queryParameter("limit"), default: defaultSampleLimit, maximum: maximumSampleLimit)
        let samples: [RecentSample]
        do {
            samples = try service.registry.recentSamples(for: name, limit: limit)
        } catch {
            throw APIError(error)
        }
        var json = JSONWriter(capacity: 16 + 48 * samples.count)
        json.objectWithArray("samples", samples) { sample, json in
            json.beginObject()
            json.key("value")
            json.number(sample.value)
            json.key("timestamp")
            json.number(sample.timestamp)
            json.endObject()
        }
        return .json(status: 200, json.bytes)
    }

    /// The `:name` path parameter (the router matches only non-empty segments).
    static func name(_ request: HTTPRequest) -> String { request.pathParameters["name"] ?? "" }

    /// One metric as JSON with `status`.
    private static func metric(_ summary: MetricSummary, status: Int) -> HTTPResponse {
        var json = JSONWriter(capacity: 192)
        summary.writeJSON(to: &json)
        return .json(status: status, json.bytes)
    }
}
