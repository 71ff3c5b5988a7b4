/// A growable block of `Double`s used as the working copy for percentile selection.
///
/// `@unchecked Sendable`: one thread at a time owns a buffer. It is handed out of `ScratchPool`'s
/// lock by `take()` and handed back by `giveBack(_:)`, and nothing touches it in between.
final class ScratchBuffer: @unchecked Sendable {
    /// The first element.
    private(set) var pointer: UnsafeMutablePointer<Double>
    /// How many elements `pointer` can hold.
    private(set) var capacity: Int

    /// Creates a buffer of `capacity` elements (at least 1).
    init(capacity: Int) {
        self.capacity = max(1, capacity)
        pointer = .allocate(capacity: self.capacity)
    }

    /// Makes room for at least `count` elements, discarding the contents.
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        pointer.deallocate()
        capacity = max(count, capacity * 2)
        pointer = .allocate(capacity: capacity)
    }

    deinit { pointer.deallocate() }
}

/// A few scratch buffers kept for reuse, so a percentile query does not allocate its working copy.
final class ScratchPool: Sendable {
    /// Buffers kept at most; one per core is enough.
    private static let maximumKept = 4
    /// Larger buffers (in elements, 8 MB) are freed after use instead of kept.
    private static let maximumKeptCapacity = 1 << 20

    private let buffers = MetricLock<[ScratchBuffer]>([])

    /// Creates an empty pool.
    init() {}

    /// A buffer with room for at least `count` elements; give it back when done.
    func take(count: Int) -> ScratchBuffer {
        let buffer = buffers.withLock { $0.popLast() } ?? ScratchBuffer(capacity: count)
        buffer.reserve(count)
        return buffer
    }

    /// Returns a buffer to the pool, or frees it when the pool is full or it is very large.
    func giveBack(_ buffer: ScratchBuffer) {
        guard buffer.capacity <= Self.maximumKeptCapacity else { return }
        buffers.withLock { buffers in
            if buffers.count < Self.maximumKept { buffers.append(buffer) }
        }
    }
}
