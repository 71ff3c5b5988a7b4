import SLOWatchCore
import SLOWatchHTTP

/// `GET /slo/violations`: the retained SLO events as a JSON page, or, with `Accept:
/// text/event-stream`, the live stream of them.
///
/// - JSON: `{"violations":[envelope…]}`, ascending by sequence, from the bus history (violations and
///   recoveries). `after` skips the events a client already has; `metric` and `slo` filter; `limit`
///   (default 100, at most 1,000) counts the events *after* filtering and keeps the oldest ones, so
///   a client pages forward by passing the last sequence it received as the next `after`, until a
///   page comes back shorter than `limit`.
/// - Stream: chosen when `Accept` lists `text/event-stream` with a weight above zero (see
///   ``AcceptHeader``); `metric` and `slo` filter, `Last-Event-ID` or `?lastEventId=` resumes.
enum ViolationRoutes {
    /// The path of both forms.
    static let path = "/slo/violations"
    /// The media type that selects the stream.
    static let eventStreamType = "text/event-stream"

    /// Registers `GET /slo/violations` (HEAD is served by the router wherever GET is).
    static func register(in router: inout HTTPRouter, service: SLOWatchService) {
        router.addStream(
            .get, path, decide: { request in decide(request, service: service) },
            { request, writer in startStream(request, writer: writer, service: service) })
    }

    /// Chooses the stream or the JSON page, validating the query either way (a bad one is a 400).
    static func decide(_ request: HTTPRequest, service: SLOWatchService) -> HTTPStreamDecision {
        do throws(APIError) {
            if AcceptHeader.lists(eventStreamType, in: request.headers) {
                _ = try ViolationQuery.stream(request)
                return .stream(streamHead)
            }
            return .respond(
                HTTPRouter.compressed(
                    page(try ViolationQuery.page(request), bus: service.bus), for: request, service: service))
        } catch {
            var response = error.response
            response.headers.add(name: "Vary", value: "Accept")
            return .respond(response)
        }
    }

    /// The head of a stream: no caching, and no buffering by a proxy such as nginx
    /// (`X-Accel-Buffering: no`), so each event reaches the client as it is written.
    static let streamHead = HTTPResponse(
        status: 200,
        headers: [
            "Content-Type": eventStreamType, "Cache-Control": "no-cache", "X-Accel-Buffering": "no",
            "Vary": "Accept",
        ])

    /// Hands an accepted stream to the service's streams. `decide` already validated the query, so
    /// a failure here cannot happen; the stream then just ends.
    static func startStream(_ request: HTTPRequest, writer: HTTPStreamWriter, service: SLOWatchService) {
        guard let query = try? ViolationQuery.stream(request) else {
            writer.finish()
            return
        }
        service.streams.open(writer: writer, query: query)
    }

    /// `{"violations":[…]}`: the oldest `query.limit` matching events after `query.after`, with
    /// `"truncated":{"requestedAfter":N,"oldestAvailable":M}` after the array when `after` was given and
    /// events after it are gone (see ``StreamTruncation``); without `after`, or with a whole history,
    /// there is no `truncated` member. Truncation counts every event after `after`, whatever the
    /// filters: a lost event might have matched them.
    static func page(_ query: ViolationQuery, bus: EventBus) -> HTTPResponse {
        // The filter checks the topic along with the metric and SLO, so the bus is not given the topics.
        let page = bus.historyPage(
            after: query.after ?? 0, topics: nil, limit: query.limit, where: query.filter.matches)
        let truncation = query.after.flatMap {
            StreamTruncation(requestedAfter: $0, countedFrom: page.countedFrom, missed: page.missed)
        }
        var json = JSONWriter(capacity: 1024)
        json.beginObject()
        json.key("violations")
        json.beginArray()
        for event in page.events { EventEncoding.writeEnvelope(event, to: &json) }
        json.endArray()
        if let truncation {
            json.key("truncated")
            truncation.write(to: &json)
        }
        json.endObject()
        var response = HTTPResponse.json(status: 200, json.bytes)
        response.headers.add(name: "Vary", value: "Accept")
        return response
    }
}
