import SLOWatchCore

/// A wall clock that reads whole milliseconds: the times the service assigns (samples without a
/// timestamp, events, SLO checks) then come out as integers in JSON, as clients expect of
/// "milliseconds since the epoch". Timestamps that clients send are kept as they are.
struct WholeMillisecondClock: WallClock {
    /// The clock read.
    let base: any WallClock

    /// The base clock's reading, rounded down to a whole millisecond.
    func nowMilliseconds() -> Double { base.nowMilliseconds().rounded(.down) }
}
