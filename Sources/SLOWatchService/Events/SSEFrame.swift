import SLOWatchCore

/// The byte frames of the `text/event-stream` format (WHATWG HTML, "Server-sent events").
///
/// Every frame ends with a blank line, so each one is a complete unit for the client's parser and
/// frames may be written in any interleaving (an event, then a keepalive, then an event).
enum SSEFrame {
    /// How long a client waits before reconnecting after the stream ends, in ms.
    static let retryMilliseconds = 2_000

    /// The first bytes of every stream: `retry: 2000` and a blank line.
    static let prelude: [UInt8] = Array("retry: \(retryMilliseconds)\n\n".utf8)

    /// The comment sent on every keepalive tick; proxies and clients see traffic on an idle stream.
    static let keepalive: [UInt8] = Array(": keepalive\n\n".utf8)

    /// The comment sent before the replay when the requested `Last-Event-ID` is older than the
    /// history: the client missed events that can no longer be sent.
    static let historyTruncated: [UInt8] = Array(": history truncated\n\n".utf8)

    /// One event: `id: <sequence>`, `event: <topic>`, `data: <envelope JSON>`, then a blank line.
    /// The id is the bus sequence, so a reconnecting client's `Last-Event-ID` is a sequence.
    static func event(_ event: Event) -> [UInt8] {
        let json = EventEncoding.envelope(event)
        var frame: [UInt8] = []
        frame.reserveCapacity(json.count + event.topic.utf8.count + 40)
        frame.append(contentsOf: "id: \(event.sequence)\nevent: \(event.topic)\ndata: ".utf8)
        frame.append(contentsOf: json)
        frame.append(contentsOf: "\n\n".utf8)
        return frame
    }
}
