/// An error from the event bus: a bad topic (or one that does not match a typed payload) or a bad
/// subscription setting.
public struct EventError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case invalidTopic(String)
        case invalidQueueCapacity(Int)
        case topicMismatch(topic: String, expected: String)
        case sequenceNotReserved(ceiling: UInt64)
    }

    private let code: Code

    private init(_ code: Code) { self.code = code }

    /// The topic is not dotted lowercase (`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`).
    public static func invalidTopic(_ topic: String) -> EventError { EventError(.invalidTopic(topic)) }

    /// A subscriber's queue capacity is below 1.
    public static func invalidQueueCapacity(_ capacity: Int) -> EventError {
        EventError(.invalidQueueCapacity(capacity))
    }

    /// A typed payload was published on another topic than its own (see ``EventPayload/topic``).
    public static func topicMismatch(_ topic: String, expected: String) -> EventError {
        EventError(.topicMismatch(topic: topic, expected: expected))
    }

    /// The next event sequence would pass `ceiling`, the highest one durably reserved: the event is not
    /// published (see ``EventSequenceStore``).
    public static func sequenceNotReserved(ceiling: UInt64) -> EventError {
        EventError(.sequenceNotReserved(ceiling: ceiling))
    }

    /// A human sentence naming the input and the rule it broke.
    public var message: String {
        switch code {
        case .invalidTopic(let topic):
            "The topic \"\(topic.prefix(200))\" is not valid: a topic is dot-separated lowercase words "
                + "of letters, digits and underscores, each starting with a letter (e.g. perf.slo_violation)."
        case .invalidQueueCapacity(let capacity):
            "The queue capacity \(capacity) is not valid: a subscriber's queue holds at least 1 event."
        case .topicMismatch(let topic, let expected):
            "The topic \"\(topic.prefix(200))\" does not match the payload: this payload is published on "
                + "\(expected)."
        case .sequenceNotReserved(let ceiling):
            "The event was not published: sequences up to #\(ceiling) are used, and the next block could not "
                + "be reserved on disk yet (an id is handed out only once a restart cannot hand it out again)."
        }
    }

    /// The same as ``message``.
    public var description: String { message }
}
