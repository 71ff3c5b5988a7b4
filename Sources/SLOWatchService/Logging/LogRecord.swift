import Logging

/// One log message with everything a line shows, ready to be written in either ``LogFormat``.
struct LogRecord {
    /// When it was logged: RFC 3339 UTC with ms (see ``LogTimestamp``).
    var timestamp: String
    /// Its level.
    var level: Logger.Level
    /// The logger's label.
    var label: String
    /// The message.
    var message: String
    /// The merged metadata (handler, provider, call).
    var metadata: Logger.Metadata
    /// The error the call carried, described; nil when none.
    var error: String?
}
