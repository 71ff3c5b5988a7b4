import SLOWatchCore

/// The binary payload of one event in the violation log: id, topic, sequence, timestamp (ms since the
/// epoch, by its bits) and the payload's fields in order (as ``EventPayload/writeFields(to:)`` writes
/// them), each value tagged with its kind, so an event read back is equal to the one written.
///
/// The reader turns the fields of an SLO topic back into the typed ``SLOEvent``: this record format is
/// the only place that reads event fields, and it reads its own.
enum EventRecord {
    /// The tag of each ``EventValue`` kind.
    private enum Tag: UInt8 {
        case string = 1
        case number = 2
        case integer = 3
        case bool = 4
        case null = 5
    }

    /// The payload bytes of `event`.
    static func encode(_ event: Event) -> [UInt8] {
        var writer = BinaryWriter(capacity: 256)
        writer.string(event.id)
        writer.string(event.topic)
        writer.integer(event.sequence)
        writer.double(event.timestamp)
        let fields = event.payload.fields
        writer.integer(UInt64(fields.fields.count))
        for field in fields.fields {
            writer.string(field.key)
            switch field.value {
            case .string(let text):
                writer.byte(Tag.string.rawValue)
                writer.string(text)
            case .number(let number):
                writer.byte(Tag.number.rawValue)
                writer.double(number)
            case .integer(let integer):
                writer.byte(Tag.integer.rawValue)
                writer.integer(UInt64(bitPattern: integer))
            case .bool(let flag):
                writer.byte(Tag.bool.rawValue)
                writer.byte(flag ? 1 : 0)
            case .null:
                writer.byte(Tag.null.rawValue)
            }
        }
        return writer.bytes
    }

    /// The event in `bytes`.
    /// - Throws: ``BinaryReader/Failure`` naming the part that is cut short or impossible.
    static func decode(_ bytes: [UInt8]) throws(BinaryReader.Failure) -> Event {
        var reader = BinaryReader(bytes)
        let id = try reader.string("the event id")
        let topic = try reader.string("the topic")
        let sequence = try reader.integer("the sequence")
        let timestamp = try reader.double("the timestamp")
        let count = try reader.count("the field count", itemBytes: 9)
        var pairs: [(String, EventValue)] = []
        pairs.reserveCapacity(count)
        for _ in 0..<count {
            let key = try reader.string("a field key")
            switch Tag(rawValue: try reader.byte("a value tag")) {
            case .string: pairs.append((key, .string(try reader.string("a string value"))))
            case .number: pairs.append((key, .number(try reader.double("a number value"))))
            case .integer: pairs.append((key, .integer(Int64(bitPattern: try reader.integer("an integer")))))
            case .bool: pairs.append((key, .bool(try reader.byte("a boolean") != 0)))
            case .null: pairs.append((key, .null))
            case nil: throw BinaryReader.Failure(what: "a value tag")
            }
        }
        guard reader.isAtEnd, Event.isValidTopic(topic) else { throw BinaryReader.Failure(what: "the end") }
        return Event(
            id: id, topic: topic, sequence: sequence, timestamp: timestamp,
            payload: payload(topic: topic, fields: EventFields(pairs)))
    }

    /// The typed payload of a record: an ``SLOEvent`` when `topic` is an SLO topic and `fields` hold
    /// what every SLO event writes (`severity`, absent from records of older builds, is then
    /// `warning`); any other record keeps its fields as they are.
    private static func payload(topic: String, fields: EventFields) -> EventPayload {
        guard let kind = SLOEvent.Kind.allCases.first(where: { $0.topic == topic }),
            case .string(let slo)? = fields["slo"],
            case .string(let metric)? = fields["metric"],
            case .string(let percentile)? = fields["percentile"],
            case .string(let unit)? = fields["unit"],
            case .string(let directionText)? = fields["direction"],
            let direction = SLODirection(rawValue: directionText),
            let threshold = number(fields["threshold"]),
            let actual = number(fields["actual"]),
            let timestamp = number(fields["timestamp"])
        else { return .fields(fields) }
        var severity = SLODefinition.defaultSeverity
        if case .string(let text)? = fields["severity"] { severity = text }
        var reason: SLOEvent.RecoveryReason?
        if case .string(let text)? = fields["reason"] { reason = SLOEvent.RecoveryReason(rawValue: text) }
        var count: Int64 = 0
        if case .integer(let integer)? = fields["count"] { count = integer }
        return .slo(
            SLOEvent(
                kind: kind, slo: slo, metric: metric, percentile: percentile,
                quantile: number(fields["quantile"]) ?? 0, threshold: threshold, actual: actual, unit: unit,
                direction: direction, count: Int(clamping: count), timestamp: timestamp,
                violatingForMs: number(fields["violatingForMs"]), reason: reason, severity: severity))
    }

    /// A number or integer field as a `Double`.
    private static func number(_ value: EventValue?) -> Double? {
        switch value {
        case .number(let number)?: number
        case .integer(let integer)?: Double(integer)
        default: nil
        }
    }
}
