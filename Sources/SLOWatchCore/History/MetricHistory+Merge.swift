extension MetricHistory {
    /// Adds a whole histogram of samples taken in one finest slice, at `time` (ms since the epoch,
    /// finite), exactly as recording its samples one by one at that time would place them: into the
    /// open slice, a newer slice (which closes the open one), a recently closed slice's delta, or the
    /// finest tier that still keeps `time`.
    ///
    /// A histogram coarser than this history's scale coarsens the slice it joins to its scale (merges
    /// are exact at the coarser of two scales, ``ExponentialHistogram/merge(_:)``); quantiles over a
    /// span holding that slice then carry the coarser scale's error bound, which the answer states.
    /// - Returns: ``Outcome/late`` or ``Outcome/future`` (counting all of `histogram`'s samples in
    ///   ``late`` or ``future``) when the history cannot keep `time`, else ``Outcome/recorded``.
    @discardableResult
    package mutating func merge(_ histogram: ExponentialHistogram, at time: Double) -> Outcome {
        guard !histogram.isEmpty else { return .recorded }
        guard time > -Self.timeLimitMilliseconds, time < Self.timeLimitMilliseconds else {
            if time < 0 {
                late &+= histogram.count
                return .late
            }
            future &+= histogram.count
            return .future
        }
        if newestMilliseconds.isFinite, time > newestMilliseconds + futureLimitMilliseconds {
            future &+= histogram.count
            return .future
        }
        let index = Int64((time / finestSliceMilliseconds).rounded(.down))
        if index >= openIndex {
            if index > openIndex { advance(to: time, index: index) }
            open.merge(histogram)
            if time > newestMilliseconds { newestMilliseconds = time }
            return .recorded
        }
        if index > compactedThrough {
            dense.append(histogram, at: index)
            return .recorded
        }
        guard let tier = tierKeeping(time) else {
            late &+= histogram.count
            return .late
        }
        // Counted in the closed total before it joins a compacted slice, as a late sample is.
        mergeIntoClosedTotal(histogram)
        addToTier(tier, histogram, at: tiers.tiers[tier].sliceIndex(containing: time))
        return .recorded
    }

}
