/// Receives the fields of an event payload, one at a time, in the payload's order.
///
/// This is how a typed payload is written out: it calls ``field(_:_:)`` once per key, and each
/// output format (the service's JSON, the durable record, a log line) is one writer. Keys are
/// lowerCamelCase and unique within a payload.
public protocol EventFieldWriter {
    /// Receives the next field.
    mutating func field(_ key: String, _ value: EventValue)
}
