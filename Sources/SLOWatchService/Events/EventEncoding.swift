import SLOWatchCore

/// Encodes bus events as JSON: the envelope `{"id","topic","sequence","timestamp","payload"}`.
///
/// The payload is written through its one encoder (``EventPayload/writeFields(to:)``), so a violation
/// reads `slo`, `metric`, `percentile`, … in the order ``SLOEvent`` defines. Values map one to one: a
/// string to a JSON string, a number to a JSON number (`null` when not finite), an integer to a JSON
/// integer, a boolean to `true`/`false`, and null to `null`.
enum EventEncoding {
    /// Writes `event`'s envelope as one JSON object. `timestamp` is in ms since the Unix epoch.
    static func writeEnvelope(_ event: Event, to json: inout JSONWriter) {
        json.beginObject()
        json.key("id")
        json.string(event.id)
        json.key("topic")
        json.string(event.topic)
        json.key("sequence")
        json.integer(event.sequence)
        json.key("timestamp")
        json.number(event.timestamp)
        json.key("payload")
        writePayload(event.payload, to: &json)
        json.endObject()
    }

    /// `event`'s envelope as compact JSON on one line (the writer escapes every control character, so
    /// no CR or LF can appear inside it).
    static func envelope(_ event: Event) -> [UInt8] {
        var json = JSONWriter(capacity: 320)
        writeEnvelope(event, to: &json)
        return json.bytes
    }

    /// Writes a payload as a JSON object, keys in the order its encoder writes them.
    static func writePayload(_ payload: EventPayload, to json: inout JSONWriter) {
        json.beginObject()
        payload.writeFields(to: &json)
        json.endObject()
    }
}
