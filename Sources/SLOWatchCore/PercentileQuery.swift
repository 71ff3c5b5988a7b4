/// A percentile query in canonical form, as ``PercentileQueryCache`` keys it: the extra quantiles sorted
/// and de-duplicated, the window in ms, and the cut point `now − window` it is asked at.
struct PercentileQuery {
    /// The extra quantiles, sorted and distinct.
    let quantiles: [Double]
    /// The window, ms; nil for every sample.
    let window: Double?
    /// The oldest timestamp the window keeps, ms; nil without a window.
    let cut: Double?

    /// The canonical form of `quantiles` (in [0, 1], any order, repeats allowed), `window` and `cut`.
    init(quantiles: [Double], window: Double?, cut: Double?) {
        var canonical = quantiles.sorted()
        canonical.removeDuplicates()
        self.quantiles = canonical
        self.window = window
        self.cut = cut
    }

    /// Whether an answer to this query may be kept: a window's cut point must be finite (a NaN or
    /// infinite one comes from a broken clock or an infinite window, and is computed afresh each time).
    var isKeepable: Bool { cut?.isFinite ?? true }

    /// The kept answer of `cache` to this query at `version`, if one is valid at its cut point.
    func answer(from cache: inout PercentileQueryCache, version: UInt64) -> PercentileSummary? {
        guard isKeepable else { return nil }
        return cache.answer(version: version, quantiles: quantiles, window: window, cut: cut ?? 0)
    }

    /// Keeps `summary`, computed at `version` for this query, in `cache`.
    /// - Parameter cuts: for a window, the cut points that select the same samples: (lower, upper], ms.
    func keep(
        _ summary: PercentileSummary, cuts: (lower: Double, upper: Double),
        in cache: inout PercentileQueryCache,
        version: UInt64
    ) {
        guard isKeepable else { return }
        cache.keep(
            PercentileQueryCache.Entry(
                version: version, quantiles: quantiles, window: window, lowerCut: cuts.lower,
                upperCut: cuts.upper, summary: summary, lastUse: 0, rendered: nil))
    }

    /// `summary` (an answer to this query) with its extra quantiles in the order and with the repeats of
    /// `asked`, as an answer computed for `asked` itself lists them. The values are the same: each is
    /// the value at its rank, and the ranks selected depend only on the set of quantiles.
    func ordered(_ summary: PercentileSummary, as asked: [Double]) -> PercentileSummary {
        guard summary.count > 0, asked != quantiles else { return summary }
        var result = summary
        result.quantiles = asked.map { quantile in
            let value = summary.quantiles.first { $0.quantile == quantile }?.value
            return QuantileValue(
                quantile: quantile, value: value ?? summary.value(atQuantile: quantile) ?? .nan)
        }
        return result
    }
}

/// What a copy out of a metric's ring under its lock found.
struct RingCopy {
    /// How many values were copied.
    var count: Int
    /// The smallest timestamp among them, ms.
    var oldest: Double
    /// The largest timestamp among them, ms.
    var newest: Double
    /// For a windowed copy: the cut points that would have copied the same samples, (lower, upper], ms.
    var cuts: (lower: Double, upper: Double) = (-.infinity, .infinity)
}

extension Array where Element == Double {
    /// Removes adjacent repeats (of a sorted array: every repeat).
    fileprivate mutating func removeDuplicates() {
        var kept = 0
        for index in indices where kept == 0 || self[index] != self[kept - 1] {
            self[kept] = self[index]
            kept += 1
        }
        removeLast(count - kept)
    }
}
