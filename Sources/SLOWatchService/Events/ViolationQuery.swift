import SLOWatchHTTP

/// The parameters of `GET /slo/violations`, as a JSON page or as an event stream, validated.
///
/// Every parameter is single-valued (a repeat is refused, see ``HTTPRequest/queryParameter(_:_:)``).
/// Every rule broken is answered with 400 `invalid_request` and a sentence that names the parameter
/// and quotes its value (cut to 60 characters, so a hostile query cannot flood the answer).
struct ViolationQuery: Sendable, Equatable {
    /// The default page size of the JSON answer, in events.
    static let defaultLimit = 100
    /// The largest page size a client may ask for, in events.
    static let maxLimit = 1_000

    /// The metric and SLO filters (`?metric=`, `?slo=`).
    var filter = ViolationFilter()
    /// JSON: only events with a greater sequence (`?after=`; nil, the default, and 0 mean all retained).
    /// When given, the page also says whether the events after it are all still held.
    var after: UInt64?
    /// JSON: the most events returned, counted after filtering (`?limit=`).
    var limit = defaultLimit
    /// Stream: the last sequence the client saw (`Last-Event-ID` or `?lastEventId=`), or nil.
    var lastEventID: UInt64?

    /// Reads the parameters of a JSON page: `after`, `limit`, `metric`, `slo`, `topic`. Others are ignored.
    static func page(_ request: HTTPRequest) throws(APIError) -> ViolationQuery {
        var query = ViolationQuery()
        query.filter = try filter(request)
        if let text = try request.queryParameter("after") {
            query.after = try sequence(text, named: "The query parameter 'after'")
        }
        query.limit = try QueryText.limit(
            request.queryParameter("limit"), default: query.limit, maximum: maxLimit)
        return query
    }

    /// Reads the parameters of a stream: `metric`, `slo`, `topic`, and the `Last-Event-ID` header or, when the
    /// header is absent, `?lastEventId=`. The header wins because a reconnecting `EventSource` sends
    /// the newest id there, while its URL still carries the id it first connected with. An empty value
    /// means "no id", as in the SSE specification.
    static func stream(_ request: HTTPRequest) throws(APIError) -> ViolationQuery {
        var query = ViolationQuery()
        query.filter = try filter(request)
        if let header = request.headers["Last-Event-ID"], !header.isEmpty {
            query.lastEventID = try sequence(header, named: "The Last-Event-ID header")
        } else if let text = try request.queryParameter("lastEventId"), !text.isEmpty {
            query.lastEventID = try sequence(text, named: "The query parameter 'lastEventId'")
        }
        return query
    }

    /// The `metric`, `slo` and `topic` filters; an empty value is rejected, since it could match nothing.
    /// `topic` is one topic or several separated by commas, each one of ``ViolationFilter/topics``.
    private static func filter(_ request: HTTPRequest) throws(APIError) -> ViolationFilter {
        var filter = ViolationFilter(
            metric: try nonEmpty(request, "metric", describing: "a metric name"),
            slo: try nonEmpty(request, "slo", describing: "an SLO id"))
        if let text = try nonEmpty(request, "topic", describing: "an SLO event topic") {
            let topics = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            for topic in topics where !ViolationFilter.topics.contains(topic) {
                throw .invalidRequest(
                    "The query parameter 'topic' names \(MessageText.quoted(topic, limit: 60)), which is not an SLO "
                        + "event topic: use " + ViolationFilter.topics.sorted().joined(separator: ", ")
                        + ", or several separated by commas.")
            }
            filter.topic = Set(topics)
        }
        return filter
    }

    /// The query parameter `name`, nil when absent; an empty value is a 400.
    private static func nonEmpty(
        _ request: HTTPRequest, _ name: String, describing what: String
    ) throws(APIError) -> String? {
        guard let value = try request.queryParameter(name) else { return nil }
        guard !value.isEmpty else {
            throw .invalidRequest("The query parameter '\(name)' is empty; give \(what) or leave it out.")
        }
        return value
    }

    /// The largest event sequence the wire carries: 2^63 − 1, so that every client that reads JSON
    /// integers as signed 64-bit numbers (as most generated clients do) can hold any sequence.
    static let maximumSequence = UInt64(Int64.max)

    /// A sequence number: decimal digits only, within 0 ... ``maximumSequence``.
    private static func sequence(_ text: String, named subject: String) throws(APIError) -> UInt64 {
        guard isDigits(text), let value = UInt64(text), value <= maximumSequence else {
            throw .invalidRequest(
                "\(subject) is \(MessageText.quoted(text, limit: 60)); it must be an event sequence, a whole "
                    + "number from 0 to \(maximumSequence).")
        }
        return value
    }

    /// True when `text` is one or more ASCII digits (no sign, no spaces): `Int("+5")` alone would pass.
    private static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(QueryText.isDigit)
    }
}
