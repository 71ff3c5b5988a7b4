import SLOWatchCore
import SLOWatchHTTP

/// `POST /samples`: one sample or a batch of up to 10,000, as JSON or as StatsD lines, all or nothing.
enum SampleRoutes {
    /// Registers the route.
    static func register(in router: inout HTTPRouter, service: SLOWatchService) {
        if let journal = service.journal {
            journal.attach(SamplesSink(registry: service.registry, counters: service.counters))
            router.addDeferred(.post, "/samples") { request, responder in
                postJournaled(request, responder: responder, service: service, journal: journal)
            }
            router.afterDeferredRequests = { loop in journal.flushStaged(loop: loop) }
        } else {
            router.addAPI(.post, "/samples", service: service, post)
        }
    }

    /// Checks the content type, decodes and checks every sample, then records them all.
    /// - Returns: `200 {"accepted":N}`.
    /// - Throws: 415 for a body that is neither `application/json` nor `text/plain` (StatsD lines, see
    ///   ``StatsDTextBody``); 400 `invalid_json` or `invalid_request` naming the first bad sample or
    ///   line; 422 `metric_limit_reached` when a new metric
    ///   does not fit. Nothing is recorded when it throws (but see ``SampleRecorder`` for the one race
    ///   with a concurrent DELETE in which part of a batch can be).
    static func post(_ request: HTTPRequest, service: SLOWatchService) throws(APIError) -> HTTPResponse {
        let batch = try decode(request, registry: service.registry)
        let accepted = try SampleRecorder.record(
            batch, into: service.registry, arrivalMilliseconds: service.wallClock.nowMilliseconds())
        ServiceCounters.add(accepted, to: service.counters.samplesAccepted)
        return self.accepted(accepted)
    }

    /// The checked samples of `request`'s body, by its content type; names the calling thread resolved
    /// for `registry` before come with their handles.
    /// - Throws: 415 for another content type, or for a `text/plain` (or unlabelled) body that looks like
    ///   JSON (see ``looksLikeJSON(_:)``); 400 naming the first bad sample or line.
    static func decode(_ request: HTTPRequest, registry: MetricsRegistry) throws(APIError) -> SampleBatch {
        if request.headers.withFirstValue("Content-Type", JSONRequestBody.isJSON) {
            return try SampleBatchDecoder.decode(
                request.body, cache: SampleHandleCache.current(for: registry))
        }
        let isText = request.headers.withFirstValue("Content-Type", StatsDTextBody.isText)
        if isText || request.headers["Content-Type"] == nil, looksLikeJSON(request.body) {
            throw .jsonSentAsText(request.headers["Content-Type"])
        }
        if isText {
            return try StatsDTextBody.decode(request.body)
        }
        throw .unsupportedMediaType(
            request.headers["Content-Type"],
            expected: "\(JSONRequestBody.mediaType) (samples) or \(StatsDTextBody.mediaType) (StatsD lines)")
    }

    /// Whether `body` looks like JSON rather than StatsD lines: its first byte that is not a space, tab,
    /// CR or LF is `{` or `[`, which no StatsD line starts with (a metric name cannot hold either).
    /// Browsers' `fetch` labels a string body `text/plain;charset=UTF-8`, so JSON often arrives so.
    static func looksLikeJSON(_ body: [UInt8]) -> Bool {
        for byte in body {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): return true
            default: return false
            }
        }
        return false
    }

    /// `200 {"accepted":N}`.
    static func accepted(_ count: Int) -> HTTPResponse {
        var json = JSONWriter(capacity: 24)
        json.beginObject()
        json.key("accepted")
        json.integer(count)
        json.endObject()
        return .json(status: 200, json.bytes)
    }
}
