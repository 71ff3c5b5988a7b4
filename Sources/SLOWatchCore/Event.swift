/// One published event: the payload wrapped in the bus's envelope.
public struct Event: Sendable, Equatable, CustomStringConvertible {
    /// A unique id: `evt_` followed by a 26-character ULID; ids sort in publish order.
    public var id: String
    /// The dotted lowercase topic, e.g. `perf.slo_violation`.
    public var topic: String
    /// The bus-wide sequence number: 1 for the first event, then one more for each event.
    public var sequence: UInt64
    /// When the event was published, in ms since the Unix epoch.
    public var timestamp: Double
    /// The payload: typed for the kinds of events slowatch produces (see ``EventPayload``).
    public var payload: EventPayload

    /// Creates an envelope.
    public init(id: String, topic: String, sequence: UInt64, timestamp: Double, payload: EventPayload) {
        self.id = id
        self.topic = topic
        self.sequence = sequence
        self.timestamp = timestamp
        self.payload = payload
    }

    /// `#sequence topic key=value …`, for log lines.
    public var description: String { "#\(sequence) \(topic) \(payload)" }

    /// Whether `topic` is dotted lowercase: `^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`.
    public static func isValidTopic(_ topic: String) -> Bool {
        var atWordStart = true
        for byte in topic.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                atWordStart = false
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                if atWordStart { return false }
            case UInt8(ascii: "."):
                if atWordStart { return false }
                atWordStart = true
            default:
                return false
            }
        }
        return !atWordStart
    }
}
