/// A resume that cannot be served whole: the events after the id a client asked to resume from
/// (`Last-Event-ID`, `?lastEventId=`, or the JSON page's `?after=`) are no longer all held.
///
/// The stream sends it as `event: stream.truncated` with `data: {"requestedAfter":N,"oldestAvailable":M}`
/// before the replay (after the `: history truncated` comment, kept for older readers), and the JSON
/// page as `"truncated":{"requestedAfter":N,"oldestAvailable":M}`. The event carries no `id:`, so a
/// client's `Last-Event-ID` stays the last real event it saw.
struct StreamTruncation: Sendable, Equatable {
    /// The SSE event name (`event:` line) of the notice.
    static let eventName = "stream.truncated"

    /// The sequence the client asked to resume after.
    let requestedAfter: UInt64
    /// The lowest sequence after the lost ones: the events from `requestedAfter + 1` up to
    /// `oldestAvailable - 1` are gone (left the history, or were lost before a restart), and nothing
    /// from `oldestAvailable` on was lost. When `requestedAfter` lies beyond every id handed out (it is
    /// from before a restart without `--data-dir`, which starts the ids again at 1), it is the oldest
    /// id held since, and may be below `requestedAfter`.
    let oldestAvailable: UInt64

    /// The notice for a resume from `requestedAfter` whose history was read after `countedFrom` (the
    /// same sequence, or 0 when `requestedAfter` is from before a restart) with `missed` ids gone; nil
    /// when the history after `requestedAfter` is whole.
    init?(requestedAfter: UInt64, countedFrom: UInt64, missed: UInt64) {
        guard missed > 0 || countedFrom != requestedAfter else { return nil }
        self.requestedAfter = requestedAfter
        // Saturating at the wire's largest sequence: both come from the bus, but a gap's upper bound
        // may sit near it.
        let ceiling = ViolationQuery.maximumSequence
        let (sum, overflow) = countedFrom.addingReportingOverflow(missed)
        oldestAvailable = overflow || sum >= ceiling ? ceiling : sum + 1
    }

    /// Writes `{"requestedAfter":N,"oldestAvailable":M}`.
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("requestedAfter")
        json.integer(requestedAfter)
        json.key("oldestAvailable")
        json.integer(oldestAvailable)
        json.endObject()
    }

    /// The stream's bytes: the `: history truncated` comment, then `event: stream.truncated` with the
    /// JSON on one `data:` line and no `id:`, each ended by a blank line.
    var frame: [UInt8] {
        var json = JSONWriter(capacity: 80)
        write(to: &json)
        var frame = SSEFrame.historyTruncated
        frame.append(contentsOf: "event: \(Self.eventName)\ndata: ".utf8)
        frame.append(contentsOf: json.bytes)
        frame.append(contentsOf: "\n\n".utf8)
        return frame
    }
}
