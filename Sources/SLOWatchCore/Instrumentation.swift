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

/// Preallocated slots for open marks, guarded by the registry's `marks` lock.
struct MarkSlots: Sendable {
    /// Bumped every time a slot is taken, so stale handles can be told apart.
    private var generations: [UInt32]
    /// The monotonic start time of each busy slot, in ns.
    private var starts: [UInt64]
    /// The metric each busy slot records into.
    private var metrics: [String]
    private var isBusy: [Bool]
    /// Free slot indices, used as a stack; its capacity never grows past the slot count.
    private var free: [Int32]
    /// How many `markStart` calls found every slot busy.
    private(set) var overflow: UInt64 = 0

    /// Creates `count` free slots.
    init(count: Int) {
        generations = Array(repeating: 0, count: count)
        starts = Array(repeating: 0, count: count)
        metrics = Array(repeating: "", count: count)
        isBusy = Array(repeating: false, count: count)
        free = (0..<Int32(count)).reversed()
    }

    /// How many marks are open.
    var openCount: Int { isBusy.count - free.count }

    /// Takes a free slot for `metric`, started at `start` ns, or counts an overflow and returns nil.
    mutating func take(metric: String, start: UInt64) -> (slot: Int32, generation: UInt32)? {
        guard let slot = free.popLast() else {
            overflow &+= 1
            return nil
        }
        let index = Int(slot)
        generations[index] &+= 1
        starts[index] = start
        metrics[index] = metric
        isBusy[index] = true
        return (slot, generations[index])
    }

    /// Frees the slot of `handle` if the handle is still its current owner.
    /// - Returns: the metric and the start time in ns, or nil for a stale or mismatched handle.
    mutating func release(_ handle: MarkHandle) -> (metric: String, start: UInt64)? {
        let index = Int(handle.slot)
        guard index >= 0, index < isBusy.count, isBusy[index], generations[index] == handle.generation else {
            return nil
        }
        isBusy[index] = false
        free.append(handle.slot)
        return (metrics[index], starts[index])
    }
}

extension MetricsRegistry {
    /// Starts timing an operation that `markEnd(_:)` will record into `metric`.
    ///
    /// Takes one of the preallocated slots (`Configuration.maxConcurrentMarks`). When every slot is busy
    /// it returns a handle that records nothing and increases `markOverflow`.
    /// - Parameter metric: the metric the duration (ms) goes to; resolved when the mark ends.
    public func markStart(_ metric: String) -> MarkHandle {
        let start = nowNanoseconds()
        let taken = marks.withLock { $0.take(metric: metric, start: start) }
        guard let taken else { return MarkHandle(registryID: id, slot: -1, generation: 0) }
        return MarkHandle(registryID: id, slot: taken.slot, generation: taken.generation)
    }

    /// Ends a mark: records the time since `markStart` in ms, measured on the monotonic clock.
    /// - Returns: the duration in ms; nil when nothing was recorded: the handle is stale, already
    ///   ended, from another registry or from an overflow, or the metric could not take the sample
    ///   (unknown with auto-registration off, an invalid name, or a wall clock reading NaN or infinity).
    @discardableResult
    public func markEnd(_ handle: MarkHandle) -> Double? {
        guard handle.registryID == id, handle.isRecording else { return nil }
        let end = nowNanoseconds()
        guard let (metric, start) = marks.withLock({ $0.release(handle) }) else { return nil }
        let milliseconds = Double(end &- min(start, end)) / 1_000_000
        do {
            try record(metric, value: milliseconds)
        } catch {
            return nil
        }
        return milliseconds
    }

    /// How many `markStart` calls found every slot busy since the registry was created.
    public var markOverflow: UInt64 { marks.withLock { $0.overflow } }

    /// How many marks are open now.
    public var openMarks: Int { marks.withLock { $0.openCount } }
}
