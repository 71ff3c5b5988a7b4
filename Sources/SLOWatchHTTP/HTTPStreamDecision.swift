/// What a streaming route decides once it has seen the request: stream, or answer in full.
///
/// One path can then serve both a complete response and a stream, chosen by content negotiation
/// (`Accept: text/event-stream`) or by validation of the query.
public enum HTTPStreamDecision: Sendable {
    /// Send this head (a 2xx status and its headers; the body is ignored), then hand the route a writer.
    case stream(HTTPResponse)
    /// Send this complete response instead of a stream; the connection stays usable.
    case respond(HTTPResponse)
}
