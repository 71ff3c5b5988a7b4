/// Where the core library writes its log lines: slow checks, dropped subscribers, the console fallback.
///
/// The core does no I/O of its own. The embedding program chooses the sink: the service
/// forwards to swift-log, tests capture the lines, and the default prints to standard output.
public struct CoreLogger: Sendable {
    /// How serious a log line is.
    public enum Level: String, Sendable, Comparable, CaseIterable {
        case debug, info, warning, error

        private var rank: Int {
            switch self {
            case .debug: 0
            case .info: 1
            case .warning: 2
            case .error: 3
            }
        }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
    }

    private let sink: @Sendable (Level, String) -> Void

    /// Creates a logger that hands every line to `sink`.
    public init(_ sink: @escaping @Sendable (Level, String) -> Void) {
        self.sink = sink
    }

    /// Writes one line at the given level.
    public func log(_ level: Level, _ message: @autoclosure () -> String) {
        sink(level, message())
    }

    /// Prints `[slowatch] LEVEL message` to standard output.
    public static let console = CoreLogger { level, message in
        print("[slowatch] \(level.rawValue.uppercased()) \(message)")
    }

    /// Discards every line.
    public static let silent = CoreLogger { _, _ in }
}
