import SLOWatchCore

/// The binary payload of one event in the violation log: id, topic, sequence, timestamp (ms since the
/// epoch, by its bits) and the payload's fields in order, each value tagged with its kind, so an event
/// read back is equal to the one written.
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
        writer.integer(UInt64(event.payload.fields.count))
        for field in event.payload.fields {
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
            id: id, topic: topic, sequence: sequence, timestamp: timestamp, payload: EventPayload(pairs))
    }
}
