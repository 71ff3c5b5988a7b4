import Logging
import SLOWatchSync

/// Keeps every line logged through its ``logger``, so a test can check what the core logged.
///
/// Thread-safe: the lines sit behind one `PThreadLock`, and the logger may be used from any thread.
public final class LogCapture: Sendable {
    /// One captured line.
    public struct Line: Sendable, Equatable {
        /// How serious the line is.
        public var level: Logger.Level
        /// The rendered message, without metadata.
        public var message: String
    }

    private let storage = PThreadLock<[Line]>([])

    /// Creates an empty capture.
    public init() {}

    /// A logger at level `.trace` whose lines land in this capture.
    public var logger: Logger {
        Logger(label: "slowatch.test") { _ in Handler(capture: self) }
    }

    /// Every captured line, oldest first.
    public var lines: [Line] { storage.withLock { $0 } }

    /// The captured messages at `level` or above, oldest first.
    public func messages(atLeast level: Logger.Level = .trace) -> [String] {
        storage.withLock { $0.filter { $0.level >= level }.map(\.message) }
    }

    fileprivate func append(_ line: Line) { storage.withLock { $0.append(line) } }

    /// Forwards every line to the capture; keeps metadata only so that swift-log's contract holds.
    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append(Line(level: event.level, message: event.message.description))
        }
    }
}
