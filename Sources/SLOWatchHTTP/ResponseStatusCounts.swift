import Synchronization

/// How many final responses one event loop has written, by status code (100...599).
///
/// Each loop owns one table and is its only writer, so counting is a relaxed load and store of one
/// slot (a plain increment, no `lock` prefix, no allocation, no String) on the loop's thread. Any thread
/// may read the table at the same time through relaxed loads: a reader sees every count at most one
/// increment late, and no count ever goes down.
final class ResponseStatusCounts: Sendable {
    /// The statuses with a slot; a status outside this range is not counted (the server never writes one).
    static let statuses = 100...599
    /// One slot per status of ``statuses``; 4,000 bytes, allocated once with the loop.
    private let slots: InlineArray<500, Atomic<UInt64>> = InlineArray { _ in Atomic(0) }

    /// All zero.
    init() {}

    /// Counts one response with `status`. Call only from the owning loop's thread (the single writer).
    @inline(__always)
    func count(_ status: Int) {
        let index = status &- Self.statuses.lowerBound
        guard index >= 0, index < slots.count else { return }
        slots[index].store(slots[index].load(ordering: .relaxed) &+ 1, ordering: .relaxed)
    }

    /// Adds this table's non-zero counts to `totals`, keyed by status; from any thread.
    func add(to totals: inout [Int: UInt64]) {
        for index in slots.indices {
            let count = slots[index].load(ordering: .relaxed)
            if count > 0 { totals[Self.statuses.lowerBound + index, default: 0] &+= count }
        }
    }
}
