import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One preallocated mark slot: its state word and what the open mark needs at `markEnd`.
///
/// The state word holds the generation in its high 32 bits and the phase (`free`, `busy`, `owned`) in
/// its low bits. Whoever moves the phase from `free` or `busy` to `owned` owns `start` and `metric`
/// until it publishes the next phase.
struct MarkSlot: ~Copyable {
    /// Generation (high 32 bits) and phase (low bits).
    let state: Atomic<UInt64>
    /// The monotonic start time of the open mark, in ns.
    var start: UInt64
    /// The metric the open mark records into.
    var metric: String
}

/// The preallocated slots for open marks, claimed and freed without a lock.
///
/// `take` claims a free slot with one compare-exchange on its state word (and publishes it with one
/// store), starting its search at a slot picked from the calling thread's id, so threads rarely touch
/// the same slots and a single thread keeps reusing one hot slot. `release` moves a busy slot of the handle's generation to `owned` with
/// one compare-exchange, reads the mark, and frees the slot with one store. The slots live in one
/// contiguous allocation, two to a cache line.
///
/// `@unchecked Sendable`: each slot's `start` and `metric` are confined by its atomic `state` word:
/// only the thread whose compare-exchange moved the phase out of `free` or `busy` touches them, until
/// its releasing store publishes the next phase.
final class MarkSlots: @unchecked Sendable {
    private static let free: UInt64 = 0
    private static let busy: UInt64 = 1
    /// Claimed by one thread, which is reading or writing `start` and `metric`.
    private static let owned: UInt64 = 2
    private static let phaseMask: UInt64 = 3
    private static let generationUnit: UInt64 = 1 << 32

    private let slots: UnsafeMutablePointer<MarkSlot>
    /// The number of slots.
    let count: Int
    private let overflowCount = Atomic<UInt64>(0)

    /// Creates `count` free slots (none for a count of 0 or less).
    init(count: Int) {
        self.count = max(0, count)
        slots = .allocate(capacity: max(1, self.count))
        for index in 0..<self.count {
            (slots + index).initialize(to: MarkSlot(state: Atomic(Self.free), start: 0, metric: ""))
        }
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// How many `take` calls found every slot busy.
    var overflow: UInt64 { overflowCount.load(ordering: .relaxed) }

    /// How many marks are open (a snapshot; exact when no mark starts or ends meanwhile).
    var openCount: Int {
        var open = 0
        for index in 0..<count where slots[index].state.load(ordering: .relaxed) & Self.phaseMask != Self.free
        {
            open += 1
        }
        return open
    }

    /// Takes a free slot for `metric`, started at `start` ns, or counts an overflow and returns nil.
    @inline(__always)
    func take(metric: String, start: UInt64) -> (slot: Int32, generation: UInt32)? {
        guard count > 0 else { return overflowed() }
        var index = firstSlot()
        for _ in 0..<count {
            let state = slots[index].state.load(ordering: .relaxed)
            if state & Self.phaseMask == Self.free {
                let generation = (state &+ Self.generationUnit) & ~Self.phaseMask
                if slots[index].state.compareExchange(
                    expected: state, desired: generation | Self.owned, ordering: .acquiring
                ).exchanged {
                    slots[index].start = start
                    slots[index].metric = metric
                    // Publishes `start` and `metric` to whoever ends the mark.
                    slots[index].state.store(generation | Self.busy, ordering: .releasing)
                    return (Int32(truncatingIfNeeded: index), UInt32(truncatingIfNeeded: generation >> 32))
                }
            }
            index = index + 1 == count ? 0 : index + 1
        }
        return overflowed()
    }

    /// Frees `slot` if it is busy with `generation`.
    /// - Returns: the metric and the start time in ns, or nil for a stale or mismatched handle.
    @inline(__always)
    func release(slot: Int32, generation: UInt32) -> (metric: String, start: UInt64)? {
        let index = Int(slot)
        guard index >= 0, index < count else { return nil }
        let busy = UInt64(generation) << 32 | Self.busy
        let ending = UInt64(generation) << 32 | Self.owned
        guard
            slots[index].state.compareExchange(
                expected: busy, desired: ending, ordering: .acquiring
            ).exchanged
        else { return nil }
        let mark = (slots[index].metric, slots[index].start)
        slots[index].state.store(UInt64(generation) << 32 | Self.free, ordering: .releasing)
        return mark
    }

    @inline(never)
    private func overflowed() -> (slot: Int32, generation: UInt32)? {
        overflowCount.wrappingAdd(1, ordering: .relaxed)
        return nil
    }

    /// Where the calling thread starts looking for a free slot: a hash of its thread id, reduced to
    /// 0..<count by a multiply-shift (no division).
    @inline(__always)
    private func firstSlot() -> Int {
        #if canImport(Glibc)
            let thread = UInt64(pthread_self())
        #else
            let thread = UInt64(UInt(bitPattern: pthread_self()))
        #endif
        let hash = (thread >> 12) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: ((hash >> 32) &* UInt64(count)) >> 32)
    }
}
