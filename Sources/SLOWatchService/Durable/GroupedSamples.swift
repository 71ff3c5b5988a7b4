import SLOWatchCore

/// A batch's samples laid out metric by metric: what a journal record of samples holds, as replay reads
/// it back (``JournalRecord/decode(_:)``). The live paths write and apply the same bytes without it
/// (see ``SamplesPayload``).
///
/// Invariant: `starts.count == names.count + 1`, `starts` is non-decreasing from 0 to
/// `samples.count`, and metric `i`'s samples are `samples[starts[i]..<starts[i + 1]]`, in arrival order.
struct GroupedSamples: Sendable, Equatable {
    /// The metric names, in first-seen order.
    var names: [String]
    /// Where each metric's run begins in ``samples``, plus the end.
    var starts: [Int]
    /// Every sample, grouped by metric.
    var samples: [RecentSample]

    /// An empty batch.
    init() {
        names = []
        starts = [0]
        samples = []
    }

    /// The samples of metric `index`.
    func samples(of index: Int) -> ArraySlice<RecentSample> { samples[starts[index]..<starts[index + 1]] }

    /// Appends the run of `metric`.
    mutating func append(_ metric: String, _ run: UnsafeBufferPointer<RecentSample>) {
        names.append(metric)
        samples.append(contentsOf: run)
        starts.append(samples.count)
    }

    /// How many samples in all.
    var count: Int { samples.count }
}
