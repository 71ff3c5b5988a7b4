/// A metric's recent answers to percentile queries with extra quantiles and/or a window, so that a
/// query asked again before anything changed costs a lookup instead of a copy and a selection.
///
/// Bounds: at most ``capacity`` (8) entries per metric, the least recently used replaced first, and only
/// queries of at most ``maximumQuantiles`` (8) distinct extra quantiles are kept (larger ones are
/// computed afresh each time), so an entry takes about 0.3 KB inline plus 24 B per quantile, plus its
/// rendering (under 0.7 KB), and one metric's cache at most about 10 KB, whatever is asked. Entries of
/// an older version are freed at the next lookup.
///
/// An entry is keyed by the canonical query: the extra quantiles sorted and de-duplicated, and the
/// window in ms (so `window=30s` and `window=30000ms` share one). It answers only while:
/// - the metric's `version` is the one it was computed at (every write, redefinition, resize and
///   removal bumps it), and
/// - for a window, the new cut point `now − window` selects exactly the same samples. The cut points
///   that do form the interval (``Entry/lowerCut``, ``Entry/upperCut``]: above the newest timestamp
///   the cut excluded (and above the ring's newest evicted one, or history would answer instead), and
///   at most the oldest timestamp it kept. With the same version the ring holds the same samples, so
///   any cut in that interval keeps the same samples in the same order: the answer is the same, bit
///   for bit. Answers that came from history, or with a non-finite cut point, are never kept.
struct PercentileQueryCache: Sendable {
    /// The most entries kept per metric.
    static let capacity = 8
    /// The most distinct extra quantiles a query may carry to be kept.
    static let maximumQuantiles = 8

    /// One kept answer.
    struct Entry: Sendable {
        /// The metric's version it was computed at.
        var version: UInt64
        /// The extra quantiles, sorted and distinct.
        var quantiles: [Double]
        /// The window, ms; nil for every sample.
        var window: Double?
        /// For a window: a cut point must be above this to select the same samples (ms).
        var lowerCut: Double
        /// For a window: a cut point must be at most this to select the same samples (ms).
        var upperCut: Double
        /// The answer, its `quantiles` in the order of ``quantiles``.
        var summary: PercentileSummary
        /// ``PercentileQueryCache/clock`` at the last use; the smallest is replaced first.
        var lastUse: UInt64
        /// The answer as the caller rendered it (the service's JSON, under 0.7 KB for 8 quantiles) for
        /// the extra quantiles in the order `asked`, whose order the bytes follow.
        var rendered: (asked: [Double], bytes: [UInt8])?
    }

    /// The entries, at most ``capacity``.
    private(set) var entries: [Entry] = []
    /// Counts lookups and insertions, to order entries by their last use.
    private var clock: UInt64 = 0

    /// The kept answer to `quantiles` (canonical) and `window` at `version`, if one is valid at the cut
    /// point `cut` (ms; ignored without a window), marking it used.
    mutating func answer(version: UInt64, quantiles: [Double], window: Double?, cut: Double)
        -> PercentileSummary?
    {
        index(version: version, quantiles: quantiles, window: window, cut: cut).map { entries[$0].summary }
    }

    /// The bytes kept for the answer to `quantiles` (canonical) and `window` at `version`, valid at
    /// `cut`, as rendered for the extra quantiles in the order `asked`; nil when there are none.
    mutating func rendered(
        version: UInt64, quantiles: [Double], window: Double?, cut: Double, asked: [Double]
    )
        -> [UInt8]?
    {
        guard let index = index(version: version, quantiles: quantiles, window: window, cut: cut),
            let rendered = entries[index].rendered, rendered.asked == asked
        else { return nil }
        return rendered.bytes
    }

    /// Keeps `bytes`, the rendering of the answer to `quantiles` (canonical) and `window` at `version`
    /// valid at `cut`, for the extra quantiles in the order `asked`, beside that answer (replacing the
    /// rendering of another order); nothing when that answer is no longer kept.
    mutating func keepRendered(
        _ bytes: [UInt8], version: UInt64, quantiles: [Double], window: Double?, cut: Double, asked: [Double]
    ) {
        guard let index = index(version: version, quantiles: quantiles, window: window, cut: cut) else {
            return
        }
        entries[index].rendered = (asked, bytes)
    }

    /// The index of the entry answering `quantiles` and `window` at `version` and `cut`, marked used.
    private mutating func index(version: UInt64, quantiles: [Double], window: Double?, cut: Double) -> Int? {
        if entries.contains(where: { $0.version != version }) {
            // Stale entries can never answer again: free them now rather than when replaced.
            entries.removeAll { $0.version != version }
        }
        guard
            let index = entries.firstIndex(where: {
                $0.quantiles == quantiles && $0.window == window
                    && (window == nil || ($0.lowerCut < cut && cut <= $0.upperCut))
            })
        else { return nil }
        clock &+= 1
        entries[index].lastUse = clock
        return index
    }

    /// Keeps `entry` (its `lastUse` is set here), replacing an entry with the same key, or else the least
    /// recently used one when ``capacity`` entries are kept already. Entries of another version go.
    mutating func keep(_ entry: Entry) {
        guard entry.quantiles.count <= Self.maximumQuantiles else { return }
        entries.removeAll {
            $0.version != entry.version || ($0.quantiles == entry.quantiles && $0.window == entry.window)
        }
        if entries.count >= Self.capacity,
            let oldest = entries.indices.min(by: { entries[$0].lastUse < entries[$1].lastUse })
        {
            entries.remove(at: oldest)
        }
        clock &+= 1
        var entry = entry
        entry.lastUse = clock
        entries.append(entry)
    }

    /// Forgets every entry (the metric was removed).
    mutating func removeAll() {
        entries = []
    }
}
