/// A token for one open instrumentation mark, from `MetricsRegistry.markStart(_:)`.
///
/// A handle is good for one `markEnd`. Ending it twice, ending it after its slot was reused, or ending
/// it on another registry records nothing.
public struct MarkHandle: Sendable, Hashable {
    /// The registry that issued the handle.
    let registryID: UInt64
    /// The slot index, or -1 for a handle that records nothing (all slots were busy).
    let slot: Int32
    /// The slot's generation when the mark started.
    let generation: UInt32

    /// Whether this handle holds a slot; false when `markStart` found every slot busy.
    public var isRecording: Bool { slot >= 0 }
}

extension MetricsRegistry {
    /// Starts timing an operation that `markEnd(_:)` will record into `metric`.
    ///
    /// Takes one of the preallocated slots (`Configuration.maxConcurrentMarks`). When every slot is busy
    /// it returns a handle that records nothing and increases `markOverflow`.
    /// - Parameter metric: the metric the duration (ms) goes to; resolved when the mark ends.
    public func markStart(_ metric: String) -> MarkHandle {
        let start = nowNanoseconds()
        guard let (slot, generation) = marks.take(metric: metric, start: start) else {
            return MarkHandle(registryID: id, slot: -1, generation: 0)
        }
        return MarkHandle(registryID: id, slot: slot, generation: generation)
    }

    /// Ends a mark: records the time since `markStart` in ms, measured on the monotonic clock, stamped
    /// with the wall clock (for the system clocks, through `MarkWallClock`, which saves one reading).
    /// - Returns: the time measured (the sample is that in ms); nil when nothing was recorded: the
    ///   handle is stale, already ended, from another registry or from an overflow, or the metric could
    ///   not take the sample (unknown with auto-registration off, an invalid name, or a wall clock
    ///   reading NaN or infinity).
    @discardableResult
    public func markEnd(_ handle: MarkHandle) -> Duration? {
        guard handle.registryID == id, handle.isRecording else { return nil }
        let end = nowNanoseconds()
        guard let (metric, start) = marks.release(slot: handle.slot, generation: handle.generation),
            (try? recordElapsed(metric, from: start, to: end)) != nil
        else {
            return nil
        }
        return .nanoseconds(Int64(clamping: end &- min(start, end)))
    }

    /// Records into `metric` the ms from `start` to `end` (monotonic ns, 0 if the clock went
    /// backwards), stamped with the wall time at `end`: what `markEnd` and `measure` record.
    @inline(__always)
    func recordElapsed(_ metric: String, from start: UInt64, to end: UInt64) throws(MetricsError) {
        let milliseconds = elapsedMilliseconds(from: start, to: end)
        try record(metric, value: milliseconds, timestamp: markWallClock?.milliseconds(atMonotonic: end))
    }

    /// How many `markStart` calls found every slot busy since the registry was created.
    package var markOverflow: UInt64 { marks.overflow }

    /// How many marks are open now.
    package var openMarks: Int { marks.openCount }
}
