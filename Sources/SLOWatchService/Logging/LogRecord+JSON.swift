import Logging

extension LogRecord {
    /// One JSON object and a newline, for log collectors:
    /// `{"timestamp":"2025-11-29T10:00:00.123Z","level":"info","label":"slowatch","message":"…","metadata":{…}}`.
    ///
    /// `metadata` is present only when not empty, its keys sorted so lines are stable; nested
    /// dictionaries and arrays stay JSON objects and arrays. `error` is added when the call carried one.
    var jsonLine: [UInt8] {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.key("timestamp")
        writer.string(timestamp)
        writer.key("level")
        writer.string(level.rawValue)
        writer.key("label")
        writer.string(label)
        writer.key("message")
        writer.string(message)
        if !metadata.isEmpty {
            writer.key("metadata")
            Self.write(metadata, to: &writer)
        }
        if let error {
            writer.key("error")
            writer.string(error)
        }
        writer.endObject()
        var line = writer.bytes
        line.append(UInt8(ascii: "\n"))
        return line
    }

    /// A metadata dictionary as a JSON object, keys sorted.
    private static func write(_ metadata: Logger.Metadata, to writer: inout JSONWriter) {
        writer.beginObject()
        for key in metadata.keys.sorted() {
            writer.key(key)
            if let value = metadata[key] { write(value, to: &writer) }
        }
        writer.endObject()
    }

    /// One metadata value: strings as strings, dictionaries as objects, arrays as arrays.
    private static func write(_ value: Logger.Metadata.Value, to writer: inout JSONWriter) {
        switch value {
        case .string(let text): writer.string(text)
        case .stringConvertible(let convertible): writer.string(convertible.description)
        case .dictionary(let dictionary): write(dictionary, to: &writer)
        case .array(let array):
            writer.beginArray()
            for element in array { write(element, to: &writer) }
            writer.endArray()
        }
    }
}
