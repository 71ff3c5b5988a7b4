/// The bounds of the StatsD listener, so that no client can make it hold unbounded memory or
/// descriptors.
public struct StatsDLimits: Sendable, Equatable {
    /// The longest TCP line read, in bytes (default 65,536, a UDP datagram's size). A longer line is
    /// counted as one bad line and skipped up to its `\n`; the connection stays open.
    public var maxLineBytes = 65_536
    /// The most TCP connections open at once (default 1,024); one beyond it is accepted and closed at
    /// once, so that the backlog does not fill, and logged.
    public var maxConnections = 1_024
    /// A TCP connection that sends nothing for this many ms is closed (default 60,000); a partial line
    /// it left is counted as bad.
    public var idleTimeoutMilliseconds: Double = 60_000
    /// The longest interval over which at most ``logBurst`` problem lines are logged, in ms (default
    /// 10,000); the next interval starts with a count of those left out.
    public var logIntervalMilliseconds: Double = 10_000
    /// How many problems (bad lines, refused metrics, refused connections) are logged per interval
    /// (default 5).
    public var logBurst = 5

    /// The defaults.
    public init() {}
}
