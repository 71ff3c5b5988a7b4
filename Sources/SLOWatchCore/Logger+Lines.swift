import Logging

extension Logger {
    /// The logger the core uses when it is given none: it discards every line, so an embedding app
    /// sees nothing on its standard output unless it passes a `Logger` of its own.
    @usableFromInline package static var discarding: Logger {
        Logger(label: "slowatch.core", factory: { _ in SwiftLogNoOpLogHandler() })
    }

    /// Writes one plain-text line at `level`; the core's log calls go through this one spelling.
    /// - Parameters:
    ///   - level: how serious the line is.
    ///   - message: the line, built only when `level` is enabled.
    package func log(_ level: Logger.Level, _ message: @autoclosure () -> String) {
        guard level >= logLevel else { return }
        log(level: level, "\(message())")
    }
}
