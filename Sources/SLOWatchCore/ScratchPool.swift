#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A block of `Double`s used as the working copy for percentile selection.
///
/// `@unchecked Sendable`: one thread at a time owns a buffer. It is handed out of `ScratchPool`'s
/// lock by `take()` and handed back by `giveBack(_:)`, and nothing touches it in between.
final class ScratchBuffer: @unchecked Sendable {
    /// The first element.
    private(set) var pointer: UnsafeMutablePointer<Double>
    /// How many elements `pointer` can hold; 0 for an empty buffer, whose pointer is a one-element
    /// placeholder (8 B, not counted by the pool).
    private(set) var capacity: Int

    /// Creates a buffer of `capacity` elements (0 for an empty one).
    init(capacity: Int) {
        self.capacity = max(0, capacity)
        pointer = .allocate(capacity: max(1, capacity))
    }

    /// Makes room for at least `count` elements, discarding the contents; grows to exactly `count`, so a
    /// buffer never holds more than the largest ring it was used for.
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        pointer.deallocate()
        capacity = count
        pointer = .allocate(capacity: capacity)
    }

    /// Frees the storage, keeping a single element, so that a large buffer's memory is given back
    /// before the pool counts it as gone.
    func shrink() {
        guard capacity > 0 else { return }
        pointer.deallocate()
        capacity = 0
        pointer = .allocate(capacity: 1)
    }

    deinit { pointer.deallocate() }
}

/// The percentile scratch: a fixed number of slots (``slots``), each a buffer of one value (8 B) per
/// sample of the ring being queried.
///
/// Scratch memory is bounded by `slots × 8 B × max(largest ring capacity, minimumSlotElements)` (see
/// ``reservedBytes(largestCapacity:)``), which the registry reserves in its memory budget, however many
/// queries run at once: a query that finds every slot taken waits for one (a condition variable, woken
/// when a query ends; the wait is bounded by the selections ahead of it, each linear in its ring). Up to
/// ``slots`` small buffers are kept for reuse; larger ones are freed after use.
///
/// Why wait rather than select in place or fail: a ring cannot be reordered in place (its order is what
/// overwriting relies on), and a query must be answered. A waiting query blocks its thread (an HTTP
/// event loop, in the service) for as long as the selections ahead of it take, which is what running
/// its own selection there would cost anyway; on a machine with more loops than slots, the other loops
/// keep serving.
///
/// `@unchecked Sendable`: `free`, `inUse`, `allocatedBytes` and `peakBytes` are read and written only
/// with `mutex` held.
final class ScratchPool: @unchecked Sendable {
    /// Queries that may hold scratch at once: one per core of a small machine.
    static let slots = 2
    /// Buffers up to this many elements (512 KiB) are kept for reuse; every slot may hold one, so the
    /// scratch reservation never falls below `slots` of them.
    static let minimumSlotElements = 1 << 16

    /// The scratch memory the pool can use when the largest ring holds `largestCapacity` samples, in
    /// bytes; 0 with no metric.
    static func reservedBytes(largestCapacity: Int) -> Int {
        guard largestCapacity > 0 else { return 0 }
        return slots * MemoryLayout<Double>.stride * max(largestCapacity, minimumSlotElements)
    }

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var free: [ScratchBuffer] = []
    private var inUse = 0
    private var allocatedBytes = 0
    private var peakBytes = 0

    /// Creates an empty pool.
    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// The most scratch memory held at once since the pool was created, in bytes (kept buffers
    /// included); for tests.
    var peakAllocatedBytes: Int { locked { peakBytes } }

    /// A buffer with room for at least `count` elements, waiting while every slot is taken; give it
    /// back with ``giveBack(_:)`` when done.
    func take(count: Int) -> ScratchBuffer {
        let buffer = locked { () -> ScratchBuffer in
            while inUse >= Self.slots { pthread_cond_wait(condition, mutex) }
            inUse += 1
            if let kept = free.popLast() { return kept }
            return ScratchBuffer(capacity: 0)
        }
        reserve(buffer, count)
        return buffer
    }

    /// Grows `buffer` (taken from this pool) to at least `count` elements, counting the change.
    func reserve(_ buffer: ScratchBuffer, _ count: Int) {
        let before = buffer.capacity
        buffer.reserve(count)
        guard buffer.capacity != before else { return }
        locked { note((buffer.capacity - before) * MemoryLayout<Double>.stride) }
    }

    /// Returns a buffer to the pool (freed instead when it is large), and wakes one waiting query.
    func giveBack(_ buffer: ScratchBuffer) {
        locked {
            inUse -= 1
            if buffer.capacity <= Self.minimumSlotElements && free.count < Self.slots {
                free.append(buffer)
            } else {
                note(-buffer.capacity * MemoryLayout<Double>.stride)
                buffer.shrink()
            }
            pthread_cond_signal(condition)
        }
    }

    /// Counts `bytes` more (or fewer) held; call with the mutex held.
    private func note(_ bytes: Int) {
        allocatedBytes += bytes
        peakBytes = max(peakBytes, allocatedBytes)
    }

    private func locked<Result>(_ body: () -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
