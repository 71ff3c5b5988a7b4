import Logging

/// A swift-log handler that writes one JSON object per line, for log collectors:
/// `{"timestamp":"2025-11-29T10:00:00.123Z","level":"info","label":"slowatch","message":"…","metadata":{…}}`.
///
/// `metadata` (the handler's, the provider's and the call's, later ones winning) is present only when
/// not empty; nested dictionaries and arrays stay JSON objects and arrays; `error` is added when the
/// call carries one.
public struct JSONLogHandler: LogHandler {
    /// The logger's label, written as `label`.
    public let label: String
    /// The lowest level written.
    public var logLevel: Logger.Level = .info
    /// Metadata attached to every line of this handler.
    public var metadata: Logger.Metadata = [:]
    /// Adds contextual metadata to every line.
    public var metadataProvider: Logger.MetadataProvider?
    private let output: LogOutput

    /// Creates a handler.
    /// - Parameters:
    ///   - label: the logger's label.
    ///   - output: where lines go (default standard error).
    public init(label: String, output: LogOutput = .standardError) {
        self.label = label
        self.output = output
    }

    /// One metadata value.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes `event` as one JSON line.
    public func log(event: LogEvent) {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.key("timestamp")
        writer.string(LogTimestamp.now())
        writer.key("level")
        writer.string(event.level.rawValue)
        writer.key("label")
        writer.string(label)
        writer.key("message")
        writer.string(event.message.description)
        let merged = LogMetadata.merge(metadata, metadataProvider?.get(), event.metadata)
        if !merged.isEmpty {
            writer.key("metadata")
            Self.write(merged, to: &writer)
        }
        if let error = event.error {
            writer.key("error")
            writer.string(String(describing: error))
        }
        writer.endObject()
        var line = writer.bytes
        line.append(UInt8(ascii: "\n"))
        output.write(line)
    }

    /// A metadata dictionary as a JSON object, keys sorted so lines are stable.
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
