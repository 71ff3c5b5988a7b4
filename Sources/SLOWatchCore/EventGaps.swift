/// The resume points (last sequences a client saw) from which events are known or feared lost, found
/// when the bus was restored from an earlier process.
///
/// Each range holds the `Last-Event-ID`s whose resume must announce a gap:
/// - a hole between two restored events, or between the newest restored event and the first id the
///   bus hands out now (ids reserved by the earlier process, perhaps never used): the ids inside it but
///   its last, since a client that saw one of them saw an event that is now lost, and may have missed
///   the ids after it;
/// - a loss the caller reports (a damaged log, or a snapshot that counted more events than the log
///   held): every id below the highest one perhaps lost, since such a client may have missed it.
///
/// Not thread-safe on its own; the event bus keeps it under its lock. Bounded by the restored history
/// (at most one hole between each two restored events, plus two).
struct EventGaps: Sendable, Equatable {
    /// The resume points that announce a gap, ascending by lower bound.
    private(set) var ranges: [ClosedRange<UInt64>] = []

    /// Whether no gap is known.
    var isEmpty: Bool { ranges.isEmpty }

    /// Adds the resume points `range`.
    mutating func insert(_ range: ClosedRange<UInt64>) {
        let index = ranges.firstIndex { $0.lowerBound > range.lowerBound } ?? ranges.endIndex
        ranges.insert(range, at: index)
    }

    /// How many ids after `sequence` may have been lost, at least 1 when `sequence` lies in a range,
    /// else 0.
    func missed(after sequence: UInt64) -> UInt64 {
        ranges.reduce(0) { missed, range in
            range.contains(sequence) ? max(missed, range.upperBound - sequence + 1) : missed
        }
    }

    /// Forgets the ranges that lie wholly below `sequence`: a resume from there is judged by the
    /// history's ``EventHistory/goneThrough`` already.
    mutating func forget(below sequence: UInt64) {
        if ranges.contains(where: { $0.upperBound < sequence }) {
            ranges.removeAll { $0.upperBound < sequence }
        }
    }
}
