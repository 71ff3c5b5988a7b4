import Logging

/// The swift-log handler of the command line: one line per message to a ``LogOutput``, written as
/// readable text or as a JSON object (``LogFormat``).
///
/// Metadata is the handler's, the provider's and the call's, later ones winning on equal keys; the
/// line's layout is ``LogRecord``'s (see `LogRecord+Text.swift` and `LogRecord+JSON.swift`).
struct LineLogHandler: LogHandler {
    /// The logger's label.
    let label: String
    /// How lines are written.
    let format: LogFormat
    /// The lowest level written.
    var logLevel: Logger.Level = .info
    /// Metadata attached to every line of this handler.
    var metadata: Logger.Metadata = [:]
    /// Adds contextual metadata to every line.
    var metadataProvider: Logger.MetadataProvider?
    /// Where lines go.
    private let output: LogOutput

    /// Creates a handler.
    /// - Parameters:
    ///   - label: the logger's label.
    ///   - format: `text` or `json`.
    ///   - output: where lines go.
    init(label: String, format: LogFormat, output: LogOutput) {
        self.label = label
        self.format = format
        self.output = output
    }

    /// One metadata value.
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes `event` as one line.
    func log(event: LogEvent) {
        let record = LogRecord(
            timestamp: LogTimestamp.now(), level: event.level, label: label,
            message: event.message.description,
            metadata: LogMetadata.merge(metadata, metadataProvider?.get(), event.metadata),
            error: event.error.map { String(describing: $0) })
        switch format {
        case .text: output.write(record.textLine)
        case .json: output.write(record.jsonLine)
        }
    }
}
