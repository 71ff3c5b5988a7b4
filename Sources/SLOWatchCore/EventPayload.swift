/// The body of an event: one typed value for each kind of producer.
///
/// Consumers read the typed case (an SLO event's ``SLOEvent/slo`` and ``SLOEvent/metric``), never a
/// field parsed back from text. Each case is written out by one encoder, its `writeFields(to:)`: the
/// service's JSON and durable-record writers and the log lines all go through it, so the keys and
/// their order are defined once. Later kinds of events (error budgets, burn rates) add a case.
public enum EventPayload: Sendable, Equatable, CustomStringConvertible {
    /// An SLO violation or recovery from the monitor; its topic follows ``SLOEvent/kind``.
    case slo(SLOEvent)
    /// A burn-rate alert tier of an error-budget SLO started or stopped firing; its topic follows
    /// ``SLOBurnEvent/kind``.
    case burn(SLOBurnEvent)
    /// Ordered keyed values from a producer that has no typed payload (an embedding app, a test).
    case fields(EventFields)

    /// The SLO event this payload carries, or nil for another kind.
    public var sloEvent: SLOEvent? {
        if case .slo(let event) = self { return event }
        return nil
    }

    /// The burn event this payload carries, or nil for another kind.
    public var burnEvent: SLOBurnEvent? {
        if case .burn(let event) = self { return event }
        return nil
    }

    /// The topic a typed payload is published on (an SLO event's ``SLOEvent/topic``); nil for
    /// ``fields(_:)``, which any topic may carry. The bus refuses a typed payload on another topic.
    public var topic: String? {
        switch self {
        case .slo(let event): event.topic
        case .burn(let event): event.topic
        case .fields: nil
        }
    }

    /// Writes the payload's fields, in order, to `writer`.
    public func writeFields(to writer: inout some EventFieldWriter) {
        switch self {
        case .slo(let event): event.writeFields(to: &writer)
        case .burn(let event): event.writeFields(to: &writer)
        case .fields(let fields): fields.writeFields(to: &writer)
        }
    }

    /// The payload written out as ordered fields (through ``writeFields(to:)``), for writers that need
    /// them all at once, such as a record that starts with their count.
    public var fields: EventFields {
        switch self {
        case .slo(let event):
            var fields = EventFields()
            event.writeFields(to: &fields)
            return fields
        case .burn(let event):
            var fields = EventFields()
            event.writeFields(to: &fields)
            return fields
        case .fields(let fields):
            return fields
        }
    }

    /// `key=value` pairs separated by spaces, for log lines.
    public var description: String { fields.description }
}

extension EventPayload: ExpressibleByDictionaryLiteral {
    /// Creates a ``fields(_:)`` payload from a literal, keeping the literal's order.
    public init(dictionaryLiteral elements: (String, EventValue)...) {
        self = .fields(EventFields(elements))
    }
}
