import Logging

/// A swift-log handler that writes one readable line per message:
/// `2025-11-29T10:00:00.123Z info slowatch: listening on http://127.0.0.1:8080 port=8080`.
///
/// Metadata (the handler's, the provider's and the call's, later ones winning) follows the message as
/// `key=value` pairs in key order; values with spaces or quotes are written quoted.
public struct TextLogHandler: LogHandler {
    /// The logger's label.
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

    /// Writes `event` as one line.
    public func log(event: LogEvent) {
        var line = "\(LogTimestamp.now()) \(event.level.rawValue) \(label): \(event.message.description)"
        let merged = LogMetadata.merge(metadata, metadataProvider?.get(), event.metadata)
        for key in merged.keys.sorted() {
            guard let value = merged[key] else { continue }
            line += " \(key)=\(Self.shown(value.description))"
        }
        if let error = event.error { line += " error=\(Self.shown(String(describing: error)))" }
        // A message with a newline would otherwise look like two log lines.
        line = line.replacingOccurrences(of: "\n", with: "\\n")
        line += "\n"
        output.write(Array(line.utf8))
    }

    /// The value as is, or quoted when it has spaces, quotes or is empty.
    private static func shown(_ value: String) -> String {
        value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" })
            ? value.debugDescription : value
    }
}
