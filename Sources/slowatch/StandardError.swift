import SLOWatchService

/// Writes lines to standard error before logging is set up (configuration errors).
enum StandardError {
    /// Writes `line` and a newline, unbuffered, through the same lock as the log handlers.
    static func print(_ line: String) {
        LogOutput.standardError.write(Array((line + "\n").utf8))
    }
}
