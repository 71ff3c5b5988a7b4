import Logging

/// Builds the log handlers the command line installs with `LoggingSystem.bootstrap`.
public enum ServiceLogging {
    /// A handler for `label` writing `format` lines at `level` and above to `output`.
    /// - Parameters:
    ///   - label: the logger's label.
    ///   - format: `text` (readable lines) or `json` (one object per line).
    ///   - level: the lowest level written.
    ///   - output: where lines go (default standard error).
    public static func handler(
        label: String, format: LogFormat, level: Logger.Level, output: LogOutput = .standardError
    ) -> any LogHandler {
        var handler = LineLogHandler(label: label, format: format, output: output)
        handler.logLevel = level
        return handler
    }
}
